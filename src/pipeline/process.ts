// After reports arrive (or anything a derived stage reads changes), the derived stages run in
// pipeline order over what is marked stale: hash files and signals, identifiers with their
// enrichment, link evidence, subjects, deconfliction (own cases, then other agencies' files),
// payment scores and the join of payments to subjects, document features, the children (before
// scores: a rescued child's reports are capped), scores, then the trend series. Each stage plans from its pending keys
// (src/runtime/stage.ts), so the work follows the size of what changed, a killed run leaves its
// keys to the next one, and running this twice changes nothing.

import type { Store } from '../store/database.ts';
import {
  anyPending,
  CORRIDORS,
  hasPending,
  markAllReports,
  markPending,
  pendingCounts,
  REPORT_FOLLOWERS,
  STAGE_ORDER,
  type StageName,
} from '../store/pending.ts';
import { joinCounts, markJoinAll } from '../store/payments.ts';
import { markAllLinkKeys, subjectCounts } from '../store/link.ts';
import { noveltyCounts } from '../store/hashes.ts';
import { peakRssMB, runKeyedTask, runStage, type KeyedTask, type Stage, type StageProgress, type StageRun, type StageStore } from '../runtime/stage.ts';
import { hashFilesStage, hashSignalsStage } from '../hashes/stages.ts';
import type { UpdateSummary } from '../hashes/update.ts';
import { linkStages, type LinkRunSummary } from '../link/run.ts';
import { WEAK_KINDS } from '../link/rules.ts';
import type { JoinSummary } from '../payments/join.ts';
import { paymentScoresStage, paymentsJoinStage } from '../payments/stages.ts';
import { paymentScoreSummary, type ScoreSummary as PaymentScoreSummary } from '../payments/run.ts';
import { currentScoresStage, deconflictionStage, featuresStage } from '../triage/stages.ts';
import { childrenTask } from '../children/stages.ts';
import { trendsTask } from '../trends/stages.ts';
import { externalDeconflictionTask } from '../deconflict/stages.ts';
import { liveRuleset, shadowRuleset } from '../triage/score.ts';
import { rescoreMarked, type ScoreSummary } from '../triage/rescore.ts';
import { ipGeo } from '../enrich/ip-geo.ts';

/** One stage's name and how long it took. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** What processing did. */
export interface ProcessSummary {
  /** Every stage run, in the order they ran. */
  stages: StageRun[];
  hashes: UpdateSummary;
  link: LinkRunSummary;
  /** The payment scoring, when new transactions (or a rebuild) made it stale. */
  paymentScores: PaymentScoreSummary | null;
  payments: JoinSummary | null;
  scores: ScoreSummary;
  timings: StageTiming[];
}

/** Options of a processing run. */
export interface ProcessOptions {
  /** The clock scores are computed against (report age, preservation deadlines); default now. */
  now?: Date;
  /** Re-score every report rather than the changed ones and their subjects. */
  rescoreAll?: boolean;
  onStage?: (stage: StageName) => void;
  onProgress?: (p: StageProgress) => void;
}

// A stage's run, set up for this pass (stages that read settings read them once per pass).
type Step = { name: StageName; run: (onProgress?: (p: StageProgress) => void) => Promise<StageRun> };

async function steps(store: StageStore & Pick<Store, 'db'>, now: Date): Promise<Step[]> {
  const [identifiers, evidence, subjects] = await linkStages(store);
  const scores = await currentScoresStage(store, now);
  const of = <P, O>(stage: Stage<P, O>): Step => ({ name: stage.name, run: (onProgress) => runStage(store, stage, onProgress ? { onProgress } : {}) });
  const task = (t: KeyedTask): Step => ({ name: t.name, run: (onProgress) => runKeyedTask(store, t, onProgress ? { onProgress } : {}) });
  const rescore: Step = {
    name: 'rescore',
    run: async () => {
      const run = (await rescoreMarked(store, now))?.run ?? { stage: 'rescore', keys: 0, written: 0, batches: 0, ms: 0, stats: {} };
      return { ...run, peakRssMB: peakRssMB() };
    },
  };
  const all: Step[] = [
    of(hashFilesStage()),
    of(hashSignalsStage()),
    of(identifiers),
    of(evidence),
    of(subjects),
    of(deconflictionStage()),
    task(externalDeconflictionTask(now)),
    of(paymentScoresStage()),
    of(paymentsJoinStage()),
    rescore,
    of(featuresStage()),
    task(childrenTask()),
    of(scores),
    task(trendsTask()),
  ];
  return STAGE_ORDER.map((n) => all.find((s) => s.name === n)!);
}

/** Runs the derived stages over every key marked stale, until none is left. */
export async function processNew(store: StageStore & Pick<Store, 'db'>, opts: ProcessOptions = {}): Promise<ProcessSummary> {
  const now = opts.now ?? new Date();
  if (opts.rescoreAll) await markAllReports(store.db, 'scores');
  const runs: StageRun[] = [];
  // Stages only mark later stages, so one pass suffices; another catches marks that arrived meanwhile.
  for (let pass = 0; pass < 3 && (await anyPending(store.db)); pass++) {
    for (const step of await steps(store, now)) {
      if (!(await hasPending(store.db, step.name))) continue;
      opts.onStage?.(step.name);
      runs.push(await step.run(opts.onProgress));
      // The IP data (about 200 MB) is read by the identifiers stage only: the later stages run without it.
      if (step.name === 'identifiers') ipGeo().release();
    }
  }
  return summarise(store, runs);
}

/**
 * Marks every key of every stage: the next processing run is a full rebuild through the same
 * stages (and gives what the incremental runs that led here gave).
 */
export async function markEverything(store: Pick<Store, 'db'>): Promise<void> {
  for (const stage of ['hash-files', 'identifiers', 'subjects', 'deconfliction', 'features', 'scores', ...REPORT_FOLLOWERS] as const)
    await markAllReports(store.db, stage);
  await markPending(store.db, 'trends', [CORRIDORS]);
  await markAllReports(store.db, 'hash-signals', 'r:');
  await markAllLinkKeys(store.db, WEAK_KINDS);
  await markPending(store.db, 'payment-scores', ['all']);
  await markJoinAll(store.db);
}

/** What is waiting, per stage (for `bantay jobs` and status lines). */
export async function pendingWork(store: Pick<Store, 'db'>): Promise<Partial<Record<StageName, number>>> {
  return pendingCounts(store.db);
}

async function summarise(store: StageStore & Pick<Store, 'db'>, runs: StageRun[]): Promise<ProcessSummary> {
  const sum = (stage: StageName, key: string): number => runs.filter((r) => r.stage === stage).reduce((n, r) => n + (r.stats[key] ?? 0), 0);
  const ms = (stage: StageName): number => runs.filter((r) => r.stage === stage).reduce((n, r) => n + r.ms, 0);
  const keys = (stage: StageName): number => runs.filter((r) => r.stage === stage).reduce((n, r) => n + r.keys, 0);
  const signalled = sum('hash-signals', 'signalled');
  const counts = await subjectCounts(store.db);
  const tiers: Record<string, number> = {};
  for (const r of runs)
    if (r.stage === 'scores') for (const [k, n] of Object.entries(r.stats)) if (k.startsWith('tier:')) tiers[k.slice(5)] = (tiers[k.slice(5)] ?? 0) + n;
  const live = await liveRuleset(store);
  const shadow = await shadowRuleset(store);
  const joined = runs.some((r) => r.stage === 'payments-join');
  const paymentRun = runs.filter((r) => r.stage === 'payment-scores').at(-1);
  return {
    stages: runs,
    hashes: {
      reportsExtracted: sum('hash-files', 'reports'),
      fileHashes: sum('hash-files', 'fileHashes'),
      emptyIgnored: sum('hash-files', 'emptyIgnored'),
      invalidIgnored: sum('hash-files', 'invalidIgnored'),
      reportsSignalled: signalled,
      novelty: signalled > 0 ? await noveltyCounts(store.db) : {},
      seconds: (ms('hash-files') + ms('hash-signals')) / 1000,
    },
    link: {
      reportsExtracted: sum('identifiers', 'reports'),
      identifiers: sum('identifiers', 'identifiers'),
      keysRelinked: keys('link-evidence'),
      evidence: sum('link-evidence', 'evidence'),
      hubs: sum('link-evidence', 'hubs'),
      subjects: counts.subjects,
      reportsInSubjects: counts.reports,
      ms: ms('identifiers') + ms('link-evidence') + ms('subjects'),
    },
    paymentScores: paymentRun ? paymentScoreSummary(paymentRun) : null,
    payments: joined ? await joinCounts(store.db) : null,
    scores: {
      mode: 'incremental',
      rulesetVersion: live.version,
      shadowVersion: shadow?.version ?? null,
      featuresComputed: sum('features', 'features'),
      featureErrors: sum('features', 'featureErrors'),
      scored: sum('scores', 'scored'),
      tiers,
      ms: ms('features') + ms('scores'),
    },
    timings: runs.map((r) => ({ stage: r.stage, ms: r.ms })),
  };
}
