import type { Store } from '../store/database.ts';
import { writeReportBatch, type VersionInput } from '../store/reports.ts';
import { addQuarantine, type QuarantineInput } from '../store/quarantine.ts';
import { finishRun, startRun, touchRun } from '../store/runs.ts';
import { recoverInterruptedRuns, type RecoveredRuns } from './interrupted.ts';
import { readPrepared } from './parallel.ts';
import { describeSource } from './prepare.ts';
import type { ReaderLimits } from './cybertip/limits.ts';
import { ingestTransactionFiles, type TxnIngestSummary } from './transactions/run.ts';
import { config } from '../config/current.ts';

/** A file ingest did not read, and why (a README, a JSON sidecar that is not a report, ...). */
export interface SkippedFile {
  path: string;
  /** The entry inside a zip archive, when it is one. */
  entry?: string;
  reason: string;
}

// Skipped files listed one by one in a summary; past this they are only counted.
const MAX_SKIPPED_LISTED = 1000;

/** Counts and rates of one ingest run. */
export interface IngestSummary {
  runId: number;
  files: number;
  skippedFiles: number;
  /** Each skipped file with its reason (the first 1,000; skippedFiles counts them all). */
  skipped: SkippedFile[];
  /** Transactions files found among the inputs (recognised by their header) and loaded; null when there were none. */
  transactions: TxnIngestSummary | null;
  /** Earlier runs found dead at this start, marked interrupted (their temporary folders removed). */
  recovered: RecoveredRuns['runs'];
  reportsRead: number;
  loaded: number;
  newReports: number;
  newVersions: number;
  unchanged: number;
  quarantined: number;
  bytesRead: number;
  seconds: number;
  reportsPerSecond: number;
  megabytesPerSecond: number;
  status: 'completed' | 'failed';
  error?: string;
}

/** Progress as ingest goes, for a progress bar. */
export interface IngestProgress {
  files: number;
  bytesRead: number;
  reportsRead: number;
  quarantined: number;
  currentFile: string;
}

/** Options of an ingest run; the clock enters as a parameter so tests can pin it. */
export interface IngestOptions {
  limits?: Partial<ReaderLimits>;
  batchSize?: number;
  onProgress?: (p: IngestProgress) => void;
  now?: () => number;
  /** A temporary folder holding the inputs (an upload): recorded with the run, removed if the run is found interrupted. */
  tempDir?: string;
}

/** Reads every report under the paths and stores it; bad items are quarantined and the rest go on. */
export async function ingestPaths(store: Pick<Store, 'db' | 'copy' | 'location'>, paths: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const { db } = store;
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const batchSize = opts.batchSize ?? 500;
  const recovered = await recoverInterruptedRuns(store);
  const runId = await startRun(db, paths, opts.tempDir);
  const s: IngestSummary = {
    runId,
    files: 0,
    skippedFiles: 0,
    skipped: [],
    transactions: null,
    recovered: recovered.runs,
    reportsRead: 0,
    loaded: 0,
    newReports: 0,
    newVersions: 0,
    unchanged: 0,
    quarantined: 0,
    bytesRead: 0,
    seconds: 0,
    reportsPerSecond: 0,
    megabytesPerSecond: 0,
    status: 'completed',
  };
  const transactionFiles: string[] = [];
  let batch: VersionInput[] = [];
  let batchBytes = 0;
  let quarantine: QuarantineInput[] = [];
  let bytesBefore = 0; // bytes of files already finished
  let currentFile = '';

  const flush = async (): Promise<void> => {
    if (batch.length > 0) {
      const out = await writeReportBatch(db, batch, runId, store.copy);
      s.newReports += out.newReports;
      s.newVersions += out.newVersions;
      s.unchanged += out.unchanged;
      s.loaded += out.newReports + out.newVersions;
      batch = [];
      batchBytes = 0;
    }
    if (quarantine.length > 0) {
      await addQuarantine(db, quarantine, runId);
      quarantine = [];
    }
    await touchRun(db, runId);
    opts.onProgress?.({ files: s.files, bytesRead: s.bytesRead, reportsRead: s.reportsRead, quarantined: s.quarantined, currentFile });
  };

  try {
    // The configured bounds (ingest.*) under whatever this run sets; the parsing threads get them whole.
    const batches = readPrepared(paths, { limits: { ...config().ingest, ...opts.limits }, batchSize: 250 });
    for await (const item of flatten(batches)) {
      switch (item.kind) {
        case 'file-start':
          s.files++;
          currentFile = describeSource(item.source);
          break;
        case 'file-end':
          bytesBefore += item.bytesRead;
          s.bytesRead = bytesBefore;
          break;
        case 'skipped':
          s.skippedFiles++;
          if (s.skipped.length < MAX_SKIPPED_LISTED)
            s.skipped.push({ path: item.source.path, ...(item.source.entry ? { entry: item.source.entry } : {}), reason: item.reason });
          break;
        case 'transactions':
          transactionFiles.push(item.source.path);
          break;
        case 'rejected':
          s.quarantined += item.count ?? 1;
          quarantine.push({
            source: item.source.path,
            entry: item.source.entry,
            line: item.position?.line ?? null,
            column: item.position?.column ?? null,
            index: item.position?.index ?? null,
            reportId: item.reportId,
            reason: item.reason,
            raw: item.raw,
            rawBytes: item.rawBytes,
            count: item.count,
          });
          break;
        case 'report':
          s.reportsRead++;
          batch.push(item.version);
          batchBytes += item.version.rawBytes;
          break;
      }
      if (batch.length >= batchSize || batchBytes > 16 << 20 || quarantine.length >= batchSize) await flush();
    }
    await flush();
    // Transactions files found among the inputs load as transactions (bantay payments ingest's rules).
    if (transactionFiles.length > 0) s.transactions = await ingestTransactionFiles(store, transactionFiles);
  } catch (err) {
    s.status = 'failed';
    s.error = err instanceof Error ? err.message : String(err);
  }
  s.seconds = (now() - started) / 1000;
  s.reportsPerSecond = s.seconds > 0 ? s.reportsRead / s.seconds : 0;
  s.megabytesPerSecond = s.seconds > 0 ? s.bytesRead / 1e6 / s.seconds : 0;
  await finishRun(db, runId, s.status, s);
  return s;
}

async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** The process exit code for a summary: 0 all loaded, 3 some items quarantined (reports, or transaction rows set aside), 1 failed. */
export function ingestExitCode(s: IngestSummary): 0 | 1 | 3 {
  if (s.status === 'failed') return 1;
  return s.quarantined > 0 || (s.transactions?.rejected ?? 0) > 0 ? 3 : 0;
}
