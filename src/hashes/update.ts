import type { Store } from '../store/database.ts';
import { markAllReports, markPending } from '../store/pending.ts';
import { noveltyCounts } from '../store/hashes.ts';
import { runStage, type StageRun, type StageStore } from '../runtime/stage.ts';
import { hashFilesStage, hashSignalsStage } from './stages.ts';
import type { ViralConfig } from './signals.ts';

/** What an update did. */
export interface UpdateSummary {
  reportsExtracted: number;
  fileHashes: number;
  emptyIgnored: number;
  invalidIgnored: number;
  /** Reports whose signals were recomputed. */
  reportsSignalled: number;
  /** How many reports have each novelty (when any signal changed). */
  novelty: Record<string, number>;
  seconds: number;
}

/**
 * Fills the hash store from the reports' current versions and recomputes the signals of what
 * that touched: by default the reports marked since the last run (new and changed reports, list
 * changes); the given ids; or every report (`all`, also when a viral configuration is given, since
 * it changes every verdict).
 */
export async function updateHashes(
  store: StageStore & Pick<Store, 'db'>,
  opts: { ids?: string[]; all?: boolean; viral?: ViralConfig } = {},
): Promise<UpdateSummary> {
  const started = Date.now();
  if (opts.all) await markAllReports(store.db, 'hash-files');
  else if (opts.ids) await markPending(store.db, 'hash-files', opts.ids);
  const files = await runStage(store, hashFilesStage());
  if (opts.all) await markAllReports(store.db, 'hash-signals', 'r:', 'hashed_reports');
  const signals = await runHashSignals(store, opts.viral);
  return {
    reportsExtracted: files.stats.reports ?? 0,
    fileHashes: files.stats.fileHashes ?? 0,
    emptyIgnored: files.stats.emptyIgnored ?? 0,
    invalidIgnored: files.stats.invalidIgnored ?? 0,
    reportsSignalled: signals.run.stats.signalled ?? 0,
    novelty: signals.novelty,
    seconds: (Date.now() - started) / 1000,
  };
}

async function runHashSignals(store: StageStore, viral?: ViralConfig): Promise<{ run: StageRun; novelty: Record<string, number> }> {
  const run = await runStage(store, hashSignalsStage(viral));
  return { run, novelty: (run.stats.signalled ?? 0) > 0 ? await noveltyCounts(store.db) : {} };
}

/** Recomputes every hashed report's signals (after file hashes were written outside the stage). */
export async function recomputeSignals(store: StageStore, viral?: ViralConfig): Promise<StageRun> {
  await markAllReports(store.db, 'hash-signals', 'r:', 'hashed_reports');
  return (await runHashSignals(store, viral)).run;
}
