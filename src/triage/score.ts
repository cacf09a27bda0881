// The scoring stage: computes missing document features, refreshes each report's stored scoring
// context where its inputs changed (new version, subject change, new hash signals, enrichment,
// payments, deconfliction), then scores reports with the live ruleset (and the shadow one beside
// it) in chunks read from the features and contexts, rules compiled once per run, scores written
// in bulk. Incremental by default: reports without a current score and all the members of their
// subjects; everything after a ruleset change (into a fresh table swapped in at the end).
import { createHash } from 'node:crypto';
import type { Store } from '../store/database.ts';
import {
  beginScoreRebuild,
  contextRows,
  type ScoreRebuild,
  featurePending,
  insertRuleset,
  rulesetWithStatus,
  scoringRows,
  staleContexts,
  subjectMembers,
  writeContexts,
  writeFeatures,
  type ScoreRow,
  type ScoringRow,
} from '../store/triage.ts';
import { withNamedLock } from '../store/locks.ts';
import { countReports } from '../store/reports.ts';
import { onServer, runStage, type StageRun, type StageStore } from '../runtime/stage.ts';
import { clearPending, markPending, takePending } from '../store/pending.ts';
import { currentScoresStage, featuresStage } from './stages.ts';
import { startWorker } from '../runtime/worker.ts';
import { compileRuleset, type CompiledRuleset, type Outcome, type Ruleset } from '../model/rule-engine.ts';
import type { ScoreWorkerReply, ScoreWorkerSetup } from './score-worker.ts';
import { DEFAULT_RULESET } from './default-rules.ts';
import {
  assembleFeatures,
  isPhilippine,
  linkSignals,
  preservationDeadline,
  REPORT_FEATURES,
  type DocFeatures,
  type LinkedReport,
  type ReportFacts,
} from './features.ts';
import { config } from '../config/current.ts';
import { internal } from '../model/error.ts';

/** A ruleset as stored and compiled. */
export interface ActiveRuleset {
  version: number;
  compiled: CompiledRuleset;
}

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

/** The hash that tells one ruleset text from another. */
export function rulesetHash(doc: string): string {
  return createHash('sha256').update(doc).digest('hex');
}

/** Compiles a ruleset against the report feature catalogue (throws BAD_RULESET with every problem). */
export function compileTriageRuleset(ruleset: unknown): CompiledRuleset {
  return compileRuleset(ruleset as Ruleset, REPORT_FEATURES);
}

/** The live ruleset; the built-in default is stored as the first live version when there is none. */
export async function liveRuleset(store: Pick<Store, 'db'>): Promise<ActiveRuleset> {
  let row = await rulesetWithStatus(store.db, 'live');
  if (!row) {
    const doc = JSON.stringify(DEFAULT_RULESET, null, 2);
    await insertRuleset(store.db, { name: DEFAULT_RULESET.name, status: 'live', doc, contentHash: rulesetHash(doc), comment: 'built-in default' });
    row = (await rulesetWithStatus(store.db, 'live'))!;
  }
  return { version: row.version, compiled: compileTriageRuleset(JSON.parse(row.doc)) };
}

/** The shadow ruleset, if any. */
export async function shadowRuleset(store: Pick<Store, 'db'>): Promise<ActiveRuleset | undefined> {
  const row = await rulesetWithStatus(store.db, 'shadow');
  return row ? { version: row.version, compiled: compileTriageRuleset(JSON.parse(row.doc)) } : undefined;
}

/** Document features of an unreadable report: everything unknown, so every rule stays neutral. */
export const EMPTY_DOC: DocFeatures = {
  incidentType: '',
  incidentCategory: 'other',
  escalationText: null,
  annotations: [],
  fileAnnotations: [],
  industryClassifications: [],
  fileCount: 0,
  viewedFileCount: 0,
  victimCount: 0,
  victimMinAge: null,
  intendedMinorCount: 0,
  victimSharesSurname: false,
  referral: null,
  ncmecPriority: null,
  batchedReason: null,
  priorReportsCited: 0,
  ipEventCount: 0,
  ipPortTimeCount: 0,
  possibleProxy: false,
  phoneCount: 0,
  emailCount: 0,
  deviceCount: 0,
  hasLocation: false,
  thirdParty: false,
  lawEnforcementInvolved: false,
  groupCount: 0,
  associatedAccountCount: 0,
  text: '',
  esp: null,
  country: null,
  receivedAt: null,
  incidentTime: null,
  lastEventAt: null,
};

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

/** Re-reads the scoring context of every report whose inputs changed since it was stored. */
export async function refreshContexts(store: Pick<Store, 'db' | 'copy'>, opts: { chunk?: number } = {}): Promise<number> {
  const chunk = opts.chunk ?? 20_000;
  const stale = await staleContexts(store.db);
  for (let i = 0; i < stale.length; i += chunk) {
    const ids = stale.slice(i, i + chunk);
    await writeContexts(store, await scoringRows(store.db, { ids, limit: ids.length }));
  }
  return stale.length;
}

function parseDoc(text: string | null): DocFeatures {
  if (text === null) return EMPTY_DOC;
  try {
    return JSON.parse(text) as DocFeatures;
  } catch {
    return EMPTY_DOC;
  }
}

/** Subject id → its members as linked reports, with their linkage signals. */
export async function loadSubjects(store: Pick<Store, 'db'>, subjectIds: string[] | 'all'): Promise<Map<string, LinkedReport[]>> {
  const out = new Map<string, LinkedReport[]>();
  for (const m of await subjectMembers(store.db, subjectIds)) {
    const d = parseDoc(m.features);
    const list = out.get(m.subjectId) ?? out.set(m.subjectId, []).get(m.subjectId)!;
    list.push({ id: m.reportId, signals: linkSignals(d, m.novelty), esp: d.esp, receivedAt: d.receivedAt ?? d.incidentTime });
  }
  return out;
}

/** The facts of one scoring row (pure). */
export function factsOf(row: ScoringRow, subjects: Map<string, LinkedReport[]>): ReportFacts {
  const doc = parseDoc(row.features);
  return {
    reportId: row.reportId,
    doc: row.receivedAt && !doc.receivedAt ? { ...doc, receivedAt: row.receivedAt } : doc,
    hash:
      row.novelty === null
        ? null
        : {
            novelty: row.novelty,
            known: row.known === true,
            viral: row.viral === true,
            newFiles: row.newFiles ?? 0,
            knownCategories: row.knownCategories ?? [],
            unlistedFirstSeen: row.unlistedFirstSeen ?? null,
            recirculating: row.recirculating ?? null,
          },
    enrich: row.enriched
      ? {
          countries: row.countries ?? [],
          ipFlags: row.ipFlags ?? [],
          carriers: row.carriers ?? [],
          provinceCode: row.provinceCode,
          ipPortTimeCount: row.ipPortTimeCount ?? 0,
          phoneCount: row.phoneCount ?? 0,
        }
      : null,
    subject:
      row.subjectId === null
        ? null
        : {
            id: row.subjectId,
            members: subjects.get(row.subjectId) ?? [],
            paymentScore: row.paymentScore,
            paymentAlerts: row.paymentAlerts,
            paymentReason: row.paymentReason,
            inActiveCase: row.subjectHeld,
          },
    deconflicted: row.deconflicted,
    rescuedChild: row.rescuedChild ?? null,
    external: row.externalAgencies ?? null,
  };
}

/** One report scored by one or more rulesets. */
export interface Scored {
  row: ScoringRow;
  facts: ReportFacts;
  outcomes: Outcome[];
}

/**
 * Scores reports without writing: every report (in report-id order, a chunk at a time) or the
 * given ids, with each compiled ruleset; `visit` receives each chunk. Reads the stored contexts:
 * refresh them first.
 */
export async function forEachScored(
  store: Pick<Store, 'db'>,
  rulesets: CompiledRuleset[],
  opts: { now: number; ids?: string[]; chunk?: number; subjects?: Map<string, LinkedReport[]> },
  visit: (chunk: Scored[]) => Promise<void> | void,
): Promise<void> {
  const chunk = opts.chunk ?? 20_000;
  const subjects = opts.subjects ?? (await loadSubjects(store, 'all'));
  const run = (rows: ScoringRow[]): Scored[] =>
    rows.map((row) => {
      const facts = factsOf(row, subjects);
      const features = assembleFeatures(facts, opts.now);
      return { row, facts, outcomes: rulesets.map((r) => r.evaluate(features)) };
    });
  if (opts.ids) {
    for (let i = 0; i < opts.ids.length; i += chunk) await visit(run(await contextRows(store.db, { ids: opts.ids.slice(i, i + chunk), limit: chunk })));
    return;
  }
  let after: string | undefined;
  for (;;) {
    const rows = await contextRows(store.db, { limit: chunk, ...(after !== undefined ? { after } : {}) });
    if (rows.length === 0) break;
    await visit(run(rows));
    after = rows[rows.length - 1]!.reportId;
    if (rows.length < chunk) break;
  }
}

/** The row stored for one outcome. */
export function scoreRow(s: Scored, o: Outcome, version: number): ScoreRow {
  return {
    reportId: s.row.reportId,
    rulesetVersion: version,
    harm: o.scores.harm ?? 0,
    actionability: o.scores.actionability ?? 0,
    score: o.score,
    tier: o.tier,
    tierRank: o.tierRank,
    paused: o.paused,
    // Descriptions and sources live in the ruleset version, not in every score row.
    reasons: JSON.stringify(o.fired.map((f) => ({ rule: f.rule, effect: f.effect, contribution: f.contribution, evidence: f.evidence }))),
    inputs: s.row.inputs,
    receivedAt: s.facts.doc.receivedAt,
    preservationDeadline: preservationDeadline(s.facts.doc, isPhilippine(s.facts)),
  };
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
