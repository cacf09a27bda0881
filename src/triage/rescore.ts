// The scoring stage: computes missing document features, refreshes each report's stored scoring
// context where its inputs changed (new version, subject change, new hash signals, enrichment,
// payments, deconfliction), then scores reports with the live ruleset (and the shadow one beside
// it) in chunks read from the features and contexts, rules compiled once per run, scores written
// in bulk. Incremental by default: reports without a current score and all the members of their
// subjects; everything after a ruleset change (into a fresh table swapped in at the end).
import type { Store } from '../store/database.ts';
import { beginScoreRebuild, contextRows, featurePending, writeFeatures, type ScoreRebuild, type ScoreRow, type ScoringRow } from '../store/triage.ts';
import { withNamedLock } from '../store/locks.ts';
import { countReports } from '../store/reports.ts';
import { onServer, runStage, type StageRun, type StageStore } from '../runtime/stage.ts';
import { clearPending, markPending, takePending } from '../store/pending.ts';
import { startWorker } from '../runtime/worker.ts';
import type { Ruleset } from '../model/rule-engine.ts';
import { config } from '../config/current.ts';
import type { LinkedReport } from './features.ts';
import { currentScoresStage, featuresStage } from './stages.ts';
import { forEachScored, liveRuleset, loadSubjects, refreshContexts, scoreRow, shadowRuleset, type ActiveRuleset, type Scored } from './score.ts';
import { internal } from '../model/error.ts';

/** What a scoring run did. */
export interface ScoreSummary {
  mode: 'all' | 'incremental';
  rulesetVersion: number;
  shadowVersion: number | null;
  featuresComputed: number;
  /** Reports whose document could not be read into features (scored as if empty, with a reason). */
  featureErrors: number;
  scored: number;
  tiers: Record<string, number>;
  ms: number;
}

// The messages of the score worker (score-worker.ts) live here, with the code that starts it, so
// the worker imports this module's types and this module never imports the worker.

/** What the score worker is started with. */
export interface ScoreWorkerSetup {
  /** Live first, then shadow if any. */
  rulesets: { version: number; ruleset: Ruleset }[];
  subjects: [string, LinkedReport[]][];
  now: number;
  /** Reply with COPY text (embedded backend) instead of rows. */
  copy: boolean;
}

/** One chunk scored: per ruleset, COPY text or rows; the live tiers counted. */
export type ScoreWorkerReply =
  { ok: true; tiers: Record<string, number>; copy: string[] } | { ok: true; tiers: Record<string, number>; rows: ScoreRow[][] } | { ok: false; error: string };

/** Computes and stores document features for every report whose current version has none. */
export async function computeFeatures(
  store: Pick<Store, 'db' | 'copy'>,
  opts: { batch?: number; ids?: string[] } = {},
): Promise<{ computed: number; errors: number }> {
  const batch = opts.batch ?? 2000;
  let after: string | undefined;
  let computed = 0;
  let errors = 0;
  for (;;) {
    const docs = await featurePending(store.db, { limit: batch, ...(after !== undefined ? { after } : {}), ...(opts.ids ? { ids: opts.ids } : {}) });
    if (docs.length === 0) break;
    // The features stage's own computation, written in bulk (a full re-score reads every report).
    const out = featuresStage().compute({ docs });
    await writeFeatures(store, out.rows);
    computed += out.rows.length;
    errors += out.errors;
    after = docs[docs.length - 1]!.reportId;
    if (opts.ids || docs.length < batch) break;
  }
  return { computed, errors };
}

/**
 * A full re-score with the rules on a worker thread: while the worker scores chunk k, the main
 * thread writes chunk k-1 and reads chunk k+1, so both cores work. Returns the reports scored.
 */
async function rescoreOnThread(
  store: Pick<Store, 'db' | 'copy'>,
  rulesets: ActiveRuleset[],
  tables: ScoreRebuild[],
  tiers: Record<string, number>,
  opts: { now: number; chunk?: number },
): Promise<number> {
  const chunk = opts.chunk ?? 20_000;
  const subjects = await loadSubjects(store, 'all');
  const setup: ScoreWorkerSetup = {
    rulesets: rulesets.map((r) => ({ version: r.version, ruleset: r.compiled.ruleset })),
    subjects: [...subjects],
    now: opts.now,
    copy: store.copy !== undefined,
  };
  const worker = startWorker('score-worker', import.meta.url, setup);
  const replies: ((r: ScoreWorkerReply) => void)[] = [];
  let failure: Error | undefined;
  const fail = (err: Error): void => {
    failure ??= err;
    for (const r of replies.splice(0)) r({ ok: false, error: err.message });
  };
  worker.on('message', (m: ScoreWorkerReply) => replies.shift()?.(m));
  worker.on('error', fail);
  worker.on('exit', (code) => fail(internal(`the scoring worker stopped with code ${code}`)));
  const score = (rows: ScoringRow[]): Promise<ScoreWorkerReply> =>
    new Promise((resolve) => {
      if (failure) return resolve({ ok: false, error: failure.message });
      replies.push(resolve);
      worker.postMessage(rows);
    });
  const write = async (reply: ScoreWorkerReply): Promise<void> => {
    if (!reply.ok) throw internal(`scoring failed: ${reply.error}`);
    for (const [tier, n] of Object.entries(reply.tiers)) tiers[tier] = (tiers[tier] ?? 0) + n;
    if ('copy' in reply) for (const [k, text] of reply.copy.entries()) await tables[k]!.appendCopy(text);
    else for (const [k, rows] of reply.rows.entries()) await tables[k]!.append(rows);
  };
  let scored = 0;
  try {
    let inFlight: Promise<ScoreWorkerReply> | undefined;
    let after: string | undefined;
    for (;;) {
      const rows = await contextRows(store.db, { limit: chunk, ...(after !== undefined ? { after } : {}) });
      const done = inFlight ? await inFlight : undefined;
      inFlight = rows.length > 0 ? score(rows) : undefined;
      if (done) await write(done);
      if (rows.length === 0) break;
      scored += rows.length;
      after = rows[rows.length - 1]!.reportId;
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
  return scored;
}

/**
 * Scores reports with the live ruleset (and the shadow ruleset, if one is set) and stores the
 * scores. Incremental by default: the reports marked since the last run (by ingest, hashing,
 * linking, enrichment, payments or deconfliction) and the other reports of their subjects; `all`
 * re-scores every report into a fresh table swapped in at the end (after a ruleset change).
 */
export async function scoreReports(store: StageStore, opts: { all?: boolean; now?: Date; chunk?: number; thread?: boolean } = {}): Promise<ScoreSummary> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  if (!opts.all) {
    const features = await runStage(store, featuresStage());
    const stage = await currentScoresStage(store, now);
    const run = await runStage(store, stage);
    const tiers: Record<string, number> = {};
    for (const [k, n] of Object.entries(run.stats)) if (k.startsWith('tier:')) tiers[k.slice(5)] = n;
    return {
      mode: 'incremental',
      rulesetVersion: (await liveRuleset(store)).version,
      shadowVersion: (await shadowRuleset(store))?.version ?? null,
      featuresComputed: features.stats.features ?? 0,
      featureErrors: features.stats.featureErrors ?? 0,
      scored: run.stats.scored ?? 0,
      tiers,
      ms: Math.round(performance.now() - t0),
    };
  }
  // One full re-score at a time, and never beside an incremental one: the swap would drop its writes.
  return withNamedLock(store.db, onServer(store), 'stage:scores', () => rescoreAll(store, { ...opts, now }, t0));
}

/**
 * The full re-score a ruleset change asked for (the `rescore` mark): every report with the live
 * ruleset, then the mark is cleared; killed half way, the mark stays and the next run redoes it.
 * Returns null when nothing asked for one.
 */
export async function rescoreMarked(store: StageStore, now: Date): Promise<{ summary: ScoreSummary; run: StageRun } | null> {
  // Held across take and clear: a second caller waits, then finds the mark cleared and does nothing.
  return withNamedLock(store.db, onServer(store), 'stage:rescore', async () => {
    const marks = await takePending(store.db, 'rescore', 1);
    if (marks.length === 0) return null;
    const summary = await scoreReports(store, { all: true, now });
    await clearPending(store.db, 'rescore', marks);
    return { summary, run: { stage: 'rescore', keys: 1, written: summary.scored, batches: 1, ms: summary.ms, stats: { scored: summary.scored } } };
  });
}

async function rescoreAll(store: StageStore, opts: { now: Date; chunk?: number; thread?: boolean }, t0: number): Promise<ScoreSummary> {
  const now = opts.now.getTime();
  const live = await liveRuleset(store);
  const shadow = await shadowRuleset(store);
  const features = await computeFeatures(store);
  await refreshContexts(store, opts.chunk ? { chunk: opts.chunk } : {});
  const compiled = shadow ? [live.compiled, shadow.compiled] : [live.compiled];
  const tiers: Record<string, number> = {};
  let scored = 0;
  const rowsOf = (chunk: Scored[]): { live: ScoreRow[]; shadow: ScoreRow[] } => {
    const rows = chunk.map((s) => scoreRow(s, s.outcomes[0]!, live.version));
    for (const r of rows) tiers[r.tier] = (tiers[r.tier] ?? 0) + 1;
    scored += rows.length;
    return { live: rows, shadow: shadow ? chunk.map((s) => scoreRow(s, s.outcomes[1]!, shadow.version)) : [] };
  };
  const chunkOpt = opts.chunk ? { chunk: opts.chunk } : {};
  const tables = [await beginScoreRebuild(store, 'triage_scores'), ...(shadow ? [await beginScoreRebuild(store, 'triage_shadow_scores')] : [])];
  const reports = opts.thread === undefined ? await countReports(store.db) : 0;
  // Below triage.threadFrom reports a full re-score stays on the main thread: starting a worker costs more.
  if (opts.thread ?? reports >= config().triage.threadFrom) {
    scored = await rescoreOnThread(store, [live, ...(shadow ? [shadow] : [])], tables, tiers, { now, ...chunkOpt });
  } else {
    await forEachScored(store, compiled, { now, ...chunkOpt }, async (chunk) => {
      const rows = rowsOf(chunk);
      await tables[0]!.append(rows.live);
      await tables[1]?.append(rows.shadow);
    });
  }
  for (const t of tables) await t.finish();
  return {
    mode: 'all',
    rulesetVersion: live.version,
    shadowVersion: shadow?.version ?? null,
    featuresComputed: features.computed,
    featureErrors: features.errors,
    scored,
    tiers,
    ms: Math.round(performance.now() - t0),
  };
}

/**
 * Re-scores a few reports now (e.g. after a child's rescue): marked for the scores stage, which
 * then runs, so the same rules and writes as every other run apply (their subjects' reports too).
 */
export async function rescoreReports(store: StageStore, ids: string[], opts: { now?: Date } = {}): Promise<number> {
  if (ids.length === 0) return 0;
  await markPending(store.db, 'scores', ids);
  const run = await runStage(store, await currentScoresStage(store, opts.now ?? new Date()));
  return run.stats.scored ?? 0;
}
