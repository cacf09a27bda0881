// After reports arrive, the derived stages run in pipeline order over what is new: hash signals,
// identifiers with their enrichment, links and subjects, deconfliction marks, the join of
// payments to subjects, the children, then scores. Each stage is incremental and idempotent on its own (see
// architecture.md), so running this after every ingest is cheap and running it twice changes nothing.

import { sql } from 'kysely';
import type { Store } from '../store/database.ts';
import { updateHashes, type UpdateSummary } from '../hashes/update.ts';
import { runLink, type LinkRunSummary } from '../link/run.ts';
import { rebuildDeconfliction } from '../store/cases.ts';
import { hasExternalWork, matchExternal } from '../deconflict/run.ts';
import { joinPaymentsToSubjects, type JoinSummary } from '../payments/join.ts';
import { scorePayments, type ScoreSummary as PaymentScoreSummary } from '../payments/run.ts';
import { scoreReports, type ScoreSummary } from '../triage/score.ts';
import { updateCorridors, updateSeries } from '../trends/run.ts';
import { runChildren } from '../children/run.ts';

/** One stage's name and how long it took. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** What processing did. */
export interface ProcessSummary {
  hashes: UpdateSummary;
  link: LinkRunSummary;
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
  onStage?: (stage: string) => void;
}

/** Runs the derived stages over new and changed reports. */
export async function processNew(store: Store, opts: ProcessOptions = {}): Promise<ProcessSummary> {
  const timings: StageTiming[] = [];
  const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    opts.onStage?.(stage);
    const t0 = Date.now();
    const out = await run();
    timings.push({ stage, ms: Date.now() - t0 });
    return out;
  };
  const hashes = await timed('hash signals', () => updateHashes(store));
  const link = await timed('identifiers, enrichment, links and subjects', () => runLink(store));
  // A report that joins a subject held by an active case is paused from the moment it is linked.
  await timed('deconfliction', () => rebuildDeconfliction(store.db));
  // Another agency's file marks the reports that now hold one of its identifiers (docs/deconfliction.md).
  if (await hasExternalWork(store)) await timed('deconfliction between agencies', () => matchExternal(store, opts.now ? { now: opts.now } : {}));
  // Payments join subjects once they are scored (bantay payments score); links may have moved since.
  const payments = await hasPayments(store) ? await timed('payments to subjects', () => joinPaymentsToSubjects(store)) : null;
  // Children before scores: a rescued child's reports are capped by triage (rescued_child_reports).
  await timed('children', () => runChildren(store));
  const scores = await timed('scores', () => scoreReports(store, { ...(opts.rescoreAll ? { all: true } : {}), ...(opts.now ? { now: opts.now } : {}) }));
  // Trend series follow every delivery (a few keys per report); judging them is `bantay trends`.
  await timed('trend series', async () => { await updateSeries(store); await updateCorridors(store); });
  return { hashes, link, payments, scores, timings };
}

async function hasPayments(store: Pick<Store, 'db'>): Promise<boolean> {
  const r = await sql<{ any: boolean }>`select exists (select 1 from payment_scores) as any`.execute(store.db);
  return r.rows[0]?.any === true;
}

/** What processing after new transactions did: the payment scoring, then the derived stages. */
export interface TransactionsProcessSummary extends ProcessSummary {
  paymentScores: PaymentScoreSummary;
}

/**
 * After transactions are stored: payment scoring, then the derived stages (which join the
 * scored parties to subjects and re-score the reports they touch), so alerts and the queue are
 * ready without another command.
 */
export async function processAfterTransactions(store: Store, opts: ProcessOptions = {}): Promise<TransactionsProcessSummary> {
  opts.onStage?.('payment scores');
  const t0 = Date.now();
  const paymentScores = await scorePayments(store);
  const scored = { stage: 'payment scores', ms: Date.now() - t0 };
  const rest = await processNew(store, opts);
  return { ...rest, paymentScores, timings: [scored, ...rest.timings] };
}

/** The processing an ingest calls for: after transactions, payment scoring and every stage; after reports only, the stages; nothing when nothing changed. */
export async function processIngested(store: Store, changed: { reports: boolean; transactions: boolean }, opts: ProcessOptions = {}): Promise<ProcessSummary | TransactionsProcessSummary | undefined> {
  if (changed.transactions) return processAfterTransactions(store, opts);
  if (changed.reports) return processNew(store, opts);
  return undefined;
}
