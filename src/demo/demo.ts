import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate } from '../synth/generate.ts';
import { ingestPaths, type IngestProgress, type IngestSummary } from '../ingest/run.ts';
import { openStore } from '../store/database.ts';
import { readFileSync } from 'node:fs';
import { newestReceivedAt, storeStats, type StoreStats } from '../store/reports.ts';
import { evaluate, type Evaluation } from '../evaluate/evaluate.ts';
import { readTruth } from '../evaluate/truth-file.ts';
import { triageQuality, type TriageQuality } from '../evaluate/triage-quality.ts';
import { paymentsQuality, paymentsTruthOf, type PaymentsQuality } from '../evaluate/payments-quality.ts';
import { processNew, type ProcessSummary } from '../pipeline/process.ts';
import { ingestTransactionFiles } from '../ingest/transactions/run.ts';
import { scorePayments } from '../payments/run.ts';
import { joinPaymentsToSubjects } from '../payments/join.ts';
import { scoreReports } from '../triage/rescore.ts';
import { readQueue, type QueueItem } from '../cases/queue.ts';
import { createDemoAnalyst } from '../cases/accounts.ts';
import { DEMO_DATA_DIR } from './folder.ts';
import { conflict, internal } from '../model/error.ts';

export { DEMO_DATA_DIR };
const MARKER = '.bantay-demo';

/** What the demo did and what it found. */
export interface DemoResult {
  dataDir: string;
  streamDir: string;
  generateSeconds: number;
  ingest: IngestSummary;
  processed: ProcessSummary;
  payments: { transactions: number; alerts: number; subjectsFlagged: number };
  stats: StoreStats;
  /** The top of Bantay's queue. */
  top: QueueItem[];
  /** The analyst account the demo made, for `bantay serve`. */
  analyst: { username: string; password: string };
  /** The time scores were computed at: the newest generated report, so that ages look as on the day. */
  asOf: string;
  evaluation: Evaluation & { triage: TriageQuality; payments: PaymentsQuality };
}

/** Options of a demo run. */
export interface DemoOptions {
  dataDir?: string;
  reports?: number;
  seed?: number;
  onStage?: (stage: string) => void;
  onGenerate?: (written: number, total: number) => void;
  onIngest?: (p: IngestProgress) => void;
  /** The demo's today (default: the clock): the generated reports end there. */
  now?: Date;
}

/** Days the demo's reports span, ending today. */
export const DEMO_DAYS = 30;

// A demo folder is wiped and made again on every run, so it must never be a folder with real
// reports in it: the marker file says the demo made it.
function prepareFolder(dataDir: string): void {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!existsSync(join(dataDir, MARKER))) {
      throw conflict('NOT_EMPTY', `${dataDir} exists and was not made by bantay demo; choose an empty folder with --data so that nothing is overwritten`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, MARKER), 'made by bantay demo; the whole folder is replaced on the next demo run\n');
}

/** Generates a synthetic stream, ingests it into a fresh embedded database and summarises the queue. */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const dataDir = resolve(opts.dataDir ?? DEMO_DATA_DIR);
  prepareFolder(dataDir);
  const streamDir = join(dataDir, 'stream');
  opts.onStage?.('generating');
  const t0 = performance.now();
  // The stream ends now, so that ages and preserve-by deadlines look as on a working day.
  const days = DEMO_DAYS;
  const start = new Date((opts.now ?? new Date()).getTime() - days * 86_400_000).toISOString();
  const gen = await generate({
    reports: opts.reports ?? 20_000,
    seed: opts.seed ?? 1,
    out: streamDir,
    days,
    start,
    ...(opts.onGenerate ? { onProgress: opts.onGenerate } : {}),
  });
  const generateSeconds = (performance.now() - t0) / 1000;
  opts.onStage?.('ingesting');
  const store = await openStore({ backend: 'embedded', dataDir });
  try {
    const ingest = await ingestPaths(store, [join(streamDir, 'reports')], opts.onIngest ? { onProgress: opts.onIngest } : {});
    const asOf = (await newestReceivedAt(store.db)) ?? new Date();
    const processed = await processNew(store, { now: asOf, ...(opts.onStage ? { onStage: opts.onStage } : {}) });
    opts.onStage?.('payments');
    const txns = await ingestTransactionFiles(store, [gen.transactionsPath]);
    const scored = await scorePayments(store);
    const joined = await joinPaymentsToSubjects(store);
    // Flagged payments change what the reports of those subjects score.
    await scoreReports(store, { now: asOf });
    const analyst = await createDemoAnalyst(store);
    const stats = await storeStats(store.db);
    const top = (await readQueue(store, { limit: 10 }, undefined, asOf)).items;
    const truth = readTruth(gen.truthPath);
    const paymentsTruth = paymentsTruthOf(JSON.parse(readFileSync(gen.truthPath, 'utf8')));
    if (!paymentsTruth) throw internal(`${gen.truthPath} has no payments section`);
    const evaluation = {
      ...(await evaluate(store.db, truth)),
      triage: await triageQuality(store, truth, { now: asOf }),
      payments: await paymentsQuality(store.db, paymentsTruth),
    };
    return {
      dataDir,
      streamDir,
      generateSeconds,
      ingest,
      processed,
      payments: {
        transactions: txns.loaded + txns.alreadyStored,
        alerts: scored.alerts.senders + scored.alerts.receivers,
        subjectsFlagged: joined.subjectsFlagged,
      },
      stats,
      top,
      analyst,
      asOf: asOf.toISOString(),
      evaluation,
    };
  } finally {
    await store.close();
  }
}
