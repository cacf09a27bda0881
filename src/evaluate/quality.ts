// Issue 17's yardstick: the measures every world is judged by, each with its target, and a table
// that puts worlds side by side. The figures come from evaluate() (links) and triageQuality()
// (the live ruleset's queue); nothing here decides anything about a report.
import type { Store } from '../store/database.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import { triageQuality, type GroupInTop, type TriageQuality } from './triage-quality.ts';
import type { TruthFile } from './truth-file.ts';

/** One world's figures. */
export interface WorldQuality {
  world: string;
  reports: number;
  evaluation: Evaluation;
  triage: TriageQuality;
  /** Calibration on 30% of outcomes, tested on the rest, when it was run. */
  calibration?: CalibrationResult;
}

/** What calibrating on part of the outcomes did to the held-out rest. */
export interface CalibrationResult {
  /** 'not available yet' when Bantay has no `rules calibrate`, or why it could not run. */
  status: 'done' | 'not available yet' | 'failed';
  detail?: string;
  trainReports?: number;
  testReports?: number;
  /** Urgent in the top 2×|urgent| of the held-out reports, with the live ruleset and with the calibrated draft. */
  before?: number;
  after?: number;
  draftVersion?: number;
}

/** One row of the table: a measure, its value, its target and whether the value meets it. */
export interface QualityRow {
  measure: string;
  value: string;
  target: string;
  /** null: nothing to measure in this world (e.g. no decoys of that kind). */
  pass: boolean | null;
}

/**
 * A share in percent, to one decimal; to two where one decimal would print the target itself for a
 * value on the other side of it (97.97% against ≥ 98% is not "98.0% FAIL").
 */
const pct = (x: number, target?: number): string => {
  const one = (100 * x).toFixed(1);
  return `${target !== undefined && x !== target && one === (100 * target).toFixed(1) ? (100 * x).toFixed(2) : one}%`;
};
const share = (g: GroupInTop): number => (g.total === 0 ? 1 : g.inTop / g.total);
const groupValue = (g: GroupInTop): string => (g.total === 0 ? '–' : `${pct(share(g))} (${g.inTop}/${g.total})`);

/** A share against its lower bound: the value (to the decimals that tell it from the bound), the target and the verdict. */
const atLeast = (measure: string, x: number, min: number, counts = ''): QualityRow => ({
  measure,
  value: `${pct(x, min)}${counts}`,
  target: `≥ ${Math.round(100 * min)}%`,
  pass: x >= min,
});

/** A group's share in the top against its lower bound; nothing to measure when the world has none. */
const groupAtLeast = (measure: string, g: GroupInTop, min: number): QualityRow =>
  g.total === 0 ? { ...atLeast(measure, 0, min), value: '–', pass: null } : atLeast(measure, share(g), min, ` (${g.inTop}/${g.total})`);

/** Measures one world's database against its truth. */
export async function worldQuality(store: Pick<Store, 'db' | 'copy'>, truth: TruthFile, opts: { now?: Date } = {}): Promise<WorldQuality> {
  const evaluation = await evaluate(store.db, truth);
  const triage = await triageQuality(store, truth, opts.now ? { now: opts.now } : {});
  return { world: truth.world ?? 'standard', reports: Object.keys(truth.reports).length, evaluation, triage };
}

/** The measures of issue 17 with their targets (item 7 and the table). */
export function qualityRows(q: WorldQuality): QualityRow[] {
  const g = q.triage.groups;
  const rows: QualityRow[] = [
    atLeast(`urgent in the top 2×U (U = ${q.triage.urgent})`, q.triage.urgentInTopTwiceUrgent, 0.95),
    groupAtLeast('livestream-cluster reports in the top 2×U', g.livestream, 0.95),
    groupAtLeast('new material of a young child in the top 2×U', g.youngNewMaterial, 0.95),
    {
      measure: 'planted cluster reports (livestream, sextortion) in the top 2×U',
      value: groupValue(g.plantedClusters),
      target: 'all',
      pass: g.plantedClusters.total === 0 ? null : g.plantedClusters.inTop === g.plantedClusters.total,
    },
    {
      measure: 'decoys with an empty escalation in the top 2×U',
      value: g.emptyEscalationDecoys.total === 0 ? '–' : `${g.emptyEscalationDecoys.inTop} of ${g.emptyEscalationDecoys.total}`,
      target: '≤ 2',
      pass: g.emptyEscalationDecoys.total === 0 ? null : g.emptyEscalationDecoys.inTop <= 2,
    },
    { measure: 'noise in the top 10%', value: pct(q.triage.noiseInTop10Percent, 0.01), target: '≤ 1%', pass: q.triage.noiseInTop10Percent <= 0.01 },
  ];
  const s = q.evaluation.subjects;
  const linkRow = (measure: string, x: number | undefined, min: number): QualityRow =>
    x === undefined ? { ...atLeast(measure, 0, min), value: 'not linked', pass: false } : atLeast(measure, x, min);
  rows.push(linkRow('pairwise link precision', s?.precision, 0.98), linkRow('pairwise link recall', s?.recall, 0.95));
  const traps = q.evaluation.falseLinksPerTrap ?? {};
  for (const type of Object.keys(traps).sort())
    rows.push({ measure: `false links: ${type}`, value: String(traps[type]), target: '0', pass: traps[type] === 0 });
  const c = q.calibration;
  if (c) {
    rows.push(
      c.status === 'done' && c.after !== undefined
        ? atLeast(
            `urgent in the top 2×U after calibrating on ${c.trainReports} outcomes (held-out ${c.testReports}; before ${pct(c.before ?? 0)})`,
            c.after,
            0.97,
          )
        : { ...atLeast('calibration (30% of outcomes, tested on the rest)', 0, 0.97), value: c.status, pass: null },
    );
  }
  return rows;
}

/** Other figures, shown beside the targets for context (no target of their own). */
export function contextRows(q: WorldQuality): { measure: string; value: string }[] {
  const g = q.triage.groups;
  const m = q.triage.metrics;
  return [
    { measure: 'sextortion reports in the top 2×U', value: groupValue(g.sextortion) },
    {
      measure: 'severe-but-known decoys in the top 2×U',
      value: g.knownSevereDecoys.total === 0 ? '–' : `${g.knownSevereDecoys.inTop} of ${g.knownSevereDecoys.total}`,
    },
    {
      measure: 'livestream labels on viral files in the top 2×U',
      value: g.liveViralDecoys.total === 0 ? '–' : `${g.liveViralDecoys.inTop} of ${g.liveViralDecoys.total}`,
    },
    { measure: 'urgent recall in the top U / top 1%', value: `${pct(m.urgentRecallAtUrgentCount)} / ${pct(m.urgentRecallTop1Percent)}` },
    { measure: 'planted multi-report subjects above the median', value: `${pct(q.triage.clusterAboveMedian)} (${q.triage.clusterReports} reports)` },
    { measure: 'baseline (ESP escalation, NCMEC priority) urgent in the top U', value: pct(q.evaluation.queue.urgentRecallAtUrgentCount) },
  ];
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Worlds side by side: each measure, each world's value with PASS/FAIL, and the target. */
export function formatWorlds(qs: readonly WorldQuality[]): string {
  const byWorld = qs.map((q) => new Map(qualityRows(q).map((r) => [r.measure.replace(/ \(U = \d+\)/, '').replace(/ \(held-out.*\)$/, ''), r] as const)));
  const contexts = qs.map((q) => new Map(contextRows(q).map((r) => [r.measure, r.value] as const)));
  const measures: string[] = [];
  for (const m of byWorld) for (const k of m.keys()) if (!measures.includes(k)) measures.push(k);
  // Queue and link measures first, then the trap kinds of every world in name order, then calibration.
  const group = (k: string): number => (k.startsWith('false links: ') ? 1 : k.startsWith('calibration') || k.includes('after calibrating') ? 2 : 0);
  const seen = new Map(measures.map((k, i) => [k, i] as const));
  measures.sort((a, b) => group(a) - group(b) || (group(a) === 1 ? (a < b ? -1 : 1) : seen.get(a)! - seen.get(b)!));
  const headers = ['measure', ...qs.map((q) => `${q.world} (${q.reports.toLocaleString('en-US')}; U = ${q.triage.urgent})`), 'target'];
  const rows: string[][] = measures.map((k) => {
    const target = byWorld.map((m) => m.get(k)?.target).find((t) => t !== undefined) ?? '';
    return [
      k,
      ...byWorld.map((m) => {
        const r = m.get(k);
        if (!r) return '–';
        return r.pass === null ? r.value : `${r.value} ${r.pass ? 'PASS' : 'FAIL'}`;
      }),
      target,
    ];
  });
  for (const k of contexts[0]?.keys() ?? []) rows.push([k, ...contexts.map((c) => c.get(k) ?? '–'), '']);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
