// Triage quality against a generated corpus's truth: the live ruleset's queue (scored in memory
// as of the newest report, since generated streams lie in the past) must put planted urgent
// reports on top, keep noise off the top, and lift every report of a planted cluster.
import type { Store } from '../store/database.ts';
import { newestReceivedAt } from '../store/reports.ts';
import { queueOrder, scoreInMemory } from '../triage/rulesets.ts';
import { liveRuleset, refreshContexts } from '../triage/score.ts';
import { computeFeatures } from '../triage/rescore.ts';
import { measureQueue, type QueueMetrics } from './evaluate.ts';
import type { TruthFile } from './truth-file.ts';

/** The three triage figures and what they were measured on. */
export interface TriageQuality {
  rulesetVersion: number;
  /** The time the reports were scored at (UTC ISO). */
  asOf: string;
  queueLength: number;
  urgent: number;
  /** Share of urgent reports within the first 2×|urgent| places (target ≥ 95%). */
  urgentInTopTwiceUrgent: number;
  /** Share of noise in the first 10% (target < 1%). */
  noiseInTop10Percent: number;
  /** Reports of planted multi-report subjects (offenders, facilitators, sextortion). */
  clusterReports: number;
  /** Share of them placed above the median (target 100%). */
  clusterAboveMedian: number;
  /** The same measures as the baseline order, for comparison. */
  metrics: QueueMetrics;
  /** Urgent reports outside the top 2×|urgent|, and cluster reports below the median (first 20 each). */
  misses: { reportId: string; category: string; scenario?: string; place: number; tier: string; score: number; kind: 'urgent' | 'cluster' }[];
  /** Issue 17's groups in the top 2×|urgent| (livestream clusters, young new material, decoys...). */
  groups: TopGroups;
}

/** A group of reports and how many of them sit in the top 2×|urgent|. */
export interface GroupInTop {
  total: number;
  inTop: number;
}

/** The groups issue 17 measures in the top 2×|urgent| of a queue. */
export interface TopGroups {
  /** Reports of planted livestream clusters (category livestream). */
  livestream: GroupInTop;
  /** New material of a child under 12 (category new-material). */
  youngNewMaterial: GroupInTop;
  /** Sextortion of a minor (category sextortion). */
  sextortion: GroupInTop;
  /** Every report of a planted urgent cluster: livestream clusters and sextortion cases. */
  plantedClusters: GroupInTop;
  /** Noise with an empty or boilerplate ESP escalation (scenario decoy-empty-escalation). */
  emptyEscalationDecoys: GroupInTop;
  /** Severe but known material (scenario decoy-known-severe). */
  knownSevereDecoys: GroupInTop;
  /** Livestream labels on viral files (scenario decoy-live-viral). */
  liveViralDecoys: GroupInTop;
}

/** Urgent recall in the top 2×|urgent|, noise in the top 10%, and the groups, of one queue order. */
export interface OrderQuality {
  queueLength: number;
  urgent: number;
  urgentInTopTwiceUrgent: number;
  noiseInTop10Percent: number;
  groups: TopGroups;
}

/**
 * Measures a queue order (report ids, best first) against the truth; with `only`, the order is
 * first cut to those reports (the held-out part of a calibration), keeping their relative order.
 */
export function orderQuality(fullOrder: readonly string[], truth: TruthFile, only?: ReadonlySet<string>): OrderQuality {
  const order = only ? fullOrder.filter((id) => only.has(id)) : fullOrder;
  const urgent = order.filter((id) => truth.reports[id]?.urgent);
  const k = 2 * urgent.length;
  const top = new Set(order.slice(0, k));
  const top10 = order.slice(0, Math.max(1, Math.ceil(order.length / 10)));
  const group = (pick: (r: TruthFile['reports'][string]) => boolean): GroupInTop => {
    let total = 0;
    let inTop = 0;
    for (const id of order) {
      const r = truth.reports[id];
      if (!r || !pick(r)) continue;
      total++;
      if (top.has(id)) inTop++;
    }
    return { total, inTop };
  };
  return {
    queueLength: order.length,
    urgent: urgent.length,
    urgentInTopTwiceUrgent: urgent.length ? urgent.filter((id) => top.has(id)).length / urgent.length : 1,
    noiseInTop10Percent: top10.length ? top10.filter((id) => truth.reports[id]?.noise).length / top10.length : 0,
    groups: {
      livestream: group((r) => r.category === 'livestream'),
      youngNewMaterial: group((r) => r.category === 'new-material'),
      sextortion: group((r) => r.category === 'sextortion'),
      plantedClusters: group((r) => r.category === 'livestream' || r.category === 'sextortion'),
      emptyEscalationDecoys: group((r) => r.scenario === 'decoy-empty-escalation'),
      knownSevereDecoys: group((r) => r.scenario === 'decoy-known-severe'),
      liveViralDecoys: group((r) => r.scenario === 'decoy-live-viral'),
    },
  };
}

/** Measures the live ruleset's queue against the truth. */
export async function triageQuality(store: Pick<Store, 'db' | 'copy'>, truth: TruthFile, opts: { now?: Date } = {}): Promise<TriageQuality> {
  const now = opts.now ?? (await newestReceivedAt(store.db)) ?? new Date();
  const live = await liveRuleset(store);
  await computeFeatures(store);
  await refreshContexts(store);
  const standings = await scoreInMemory(store, live.compiled.ruleset, { now });
  const order = queueOrder(standings);
  const place = new Map(order.map((id, i) => [id, i + 1]));
  const urgent = order.filter((id) => truth.reports[id]?.urgent);
  const k = 2 * urgent.length;
  const oq = orderQuality(order, truth);
  const cluster = new Set(
    truth.subjects
      .filter((s) => new Set(s.reports).size >= 2)
      .flatMap((s) => s.reports)
      .filter((id) => place.has(id)),
  );
  const median = order.length / 2;
  const above = [...cluster].filter((id) => place.get(id)! <= median).length;
  const miss = (id: string, kind: 'urgent' | 'cluster'): TriageQuality['misses'][number] => {
    const s = standings.get(id)!;
    const scenario = truth.reports[id]?.scenario;
    return {
      reportId: id,
      category: truth.reports[id]?.category ?? '?',
      ...(scenario ? { scenario } : {}),
      place: place.get(id)!,
      tier: s.tier,
      score: s.score,
      kind,
    };
  };
  return {
    rulesetVersion: live.version,
    asOf: now.toISOString(),
    queueLength: order.length,
    urgent: urgent.length,
    urgentInTopTwiceUrgent: oq.urgentInTopTwiceUrgent,
    noiseInTop10Percent: oq.noiseInTop10Percent,
    clusterReports: cluster.size,
    clusterAboveMedian: cluster.size ? above / cluster.size : 1,
    metrics: measureQueue(`Bantay triage, ruleset v${live.version}`, order, truth),
    misses: [
      ...urgent
        .filter((id) => place.get(id)! > k)
        .slice(0, 20)
        .map((id) => miss(id, 'urgent')),
      ...[...cluster]
        .filter((id) => place.get(id)! > median)
        .slice(0, 20)
        .map((id) => miss(id, 'cluster')),
    ],
    groups: oq.groups,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The triage figures in words, with their targets. */
export function formatTriageQuality(q: TriageQuality): string {
  const m = q.metrics;
  return [
    `Triage (ruleset v${q.rulesetVersion}, scored as of ${q.asOf}):`,
    `  urgent in the top 2×|urgent| (${2 * q.urgent})   ${pct(q.urgentInTopTwiceUrgent)}   (target at least 95%)`,
    `  noise in the top 10%                 ${pct(q.noiseInTop10Percent)}   (target under 1%)`,
    `  planted cluster reports above median ${pct(q.clusterAboveMedian)}   (${q.clusterReports} reports; target 100%)`,
    `  urgent recall in the top |urgent|    ${pct(m.urgentRecallAtUrgentCount)}; top 1% ${pct(m.urgentRecallTop1Percent)}`,
    ...q.misses.slice(0, 10).map((x) => `  missed ${x.kind}: ${x.reportId} (${x.category}) at place ${x.place}, ${x.tier} ${x.score}`),
  ].join('\n');
}
