// The one shape of every derived stage (architecture.md "Stages run as tasks"):
//   plan    — from the stage's pending keys (stage_pending), everything to recompute and its inputs;
//   compute — a pure function from those inputs to the rows to write;
//   write   — idempotent and scoped to the planned keys, in one transaction with clearing the
//             planned marks and marking what it makes stale downstream.
// A full rebuild marks every key and runs the same three parts. Each stage's three parts live in
// its folder's `stages.ts` (src/hashes, src/link, src/payments, src/triage).
import type { Transaction } from 'kysely';
import type { Store } from '../store/database.ts';
import type { BantayDatabase } from '../store/schema.ts';
import type { BulkCopy } from '../store/copy-text.ts';
import { withNamedLock } from '../store/locks.ts';
import { collectBetweenBatches } from './memory.ts';
import { clearPending, markAll, markAllReports, markPending, takePending, type Marks, type StageName } from '../store/pending.ts';

export type { Marks, StageName } from '../store/pending.ts';

/** What a stage reads through: the database (and COPY on the embedded backend). */
export type StageStore = Pick<Store, 'db' | 'copy'> & { location?: Store['location'] };

/** What a stage writes through: an open transaction (and COPY, which joins it). */
export interface WriteTarget {
  db: Transaction<BantayDatabase>;
  copy?: BulkCopy;
}

/** What a write did: rows written (changed content only) and the keys it made stale. */
export interface StageWrite {
  written: number;
  marks: Marks;
  /** Counts for the run's summary (summed over batches). */
  stats?: Record<string, number>;
}

/** A derived stage in three parts. */
export interface Stage<Plan, Out> {
  readonly name: StageName;
  /** Pending keys taken per batch. */
  readonly batch: number;
  /** Reads what the batch's keys need (and the keys they expand to). */
  plan(store: StageStore, keys: string[]): Promise<Plan>;
  /** Pure: the rows to write. */
  compute(plan: Plan): Out;
  /** Writes the rows that changed; never touches keys outside the plan. */
  write(target: WriteTarget, plan: Plan, out: Out): Promise<StageWrite>;
  /** Lets go of what the run cached across its batches (called when the run ends). */
  finish?(): void;
}

/** What one run of a stage did. */
export interface StageRun {
  stage: StageName;
  /** Pending keys taken. */
  keys: number;
  /** Rows whose content changed. */
  written: number;
  batches: number;
  ms: number;
  stats: Record<string, number>;
  /**
   * The process's peak resident memory (MB) when the run ended: the stage whose run raises it is
   * the one that set the peak (bench:incremental prints it per stage).
   */
  peakRssMB?: number;
}

/** The process's peak resident memory so far, in MB. */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Progress of a stage run: keys done so far of those pending when the run started (more may arrive). */
export interface StageProgress {
  stage: StageName;
  done: number;
  total: number;
}

/** Whether the store is a PostgreSQL server (several processes may share it). */
export function onServer(store: StageStore): boolean {
  return store.location?.backend === 'server';
}

/**
 * Runs a stage until none of its keys is pending. Only one run of a stage at a time across
 * every process on the database: a second waits, then finds what is left.
 */
export async function runStage<P, O>(
  store: StageStore,
  stage: Stage<P, O>,
  opts: { onProgress?: (p: StageProgress) => void; total?: number } = {},
): Promise<StageRun> {
  return withNamedLock(store.db, onServer(store), `stage:${stage.name}`, async () => {
    const t0 = performance.now();
    const run: StageRun = { stage: stage.name, keys: 0, written: 0, batches: 0, ms: 0, stats: {} };
    const total = opts.total ?? 0;
    for (;;) {
      // The marks are read before anything they stand for, so a clear never drops a mark whose data this run did not see.
      const batch = await takePending(store.db, stage.name, stage.batch);
      if (batch.length === 0) break;
      const plan = await stage.plan(
        store,
        batch.map((k) => k.key),
      );
      const out = stage.compute(plan);
      const w = await store.db.transaction().execute(async (tx) => {
        const done = await stage.write({ db: tx, ...(store.copy ? { copy: store.copy } : {}) }, plan, out);
        await markAll(tx, done.marks);
        await clearPending(tx, stage.name, batch);
        return done;
      });
      run.keys += batch.length;
      run.written += w.written;
      run.batches++;
      for (const [k, n] of Object.entries(w.stats ?? {})) run.stats[k] = (run.stats[k] ?? 0) + n;
      opts.onProgress?.({ stage: stage.name, done: run.keys, total: Math.max(total, run.keys) });
      collectBetweenBatches();
    }
    stage.finish?.();
    run.ms = Math.round(performance.now() - t0);
    run.peakRssMB = peakRssMB();
    return run;
  });
}

/** Marks keys stale for a stage (the start of a targeted re-run). */
export async function markKeys(store: StageStore, stage: StageName, keys: Iterable<string>): Promise<number> {
  return markPending(store.db, stage, keys);
}

/** Marks every report for a stage whose keys are report ids (the start of a full rebuild). */
export async function markEveryReport(store: StageStore, stage: StageName, prefix = ''): Promise<number> {
  return markAllReports(store.db, stage, prefix);
}

/** A stage that keeps its own transactions (it regroups or recounts beyond its keys): run per batch of keys, then the batch's marks are cleared. */
export interface KeyedTask {
  readonly name: StageName;
  readonly batch: number;
  /** Idempotent: brings the keys' derived rows up to date and marks what that makes stale. */
  run(store: StageStore, keys: string[]): Promise<{ written: number; stats?: Record<string, number> }>;
}

/**
 * Runs a keyed task until none of its keys is pending, one run at a time across processes. A run
 * killed between its writes and the clear leaves the marks, and the next run redoes the batch.
 */
export async function runKeyedTask(store: StageStore, task: KeyedTask, opts: { onProgress?: (p: StageProgress) => void } = {}): Promise<StageRun> {
  return withNamedLock(store.db, onServer(store), `stage:${task.name}`, async () => {
    const t0 = performance.now();
    const run: StageRun = { stage: task.name, keys: 0, written: 0, batches: 0, ms: 0, stats: {} };
    for (;;) {
      const batch = await takePending(store.db, task.name, task.batch);
      if (batch.length === 0) break;
      const done = await task.run(
        store,
        batch.map((k) => k.key),
      );
      await clearPending(store.db, task.name, batch);
      run.keys += batch.length;
      run.written += done.written;
      run.batches++;
      for (const [k, n] of Object.entries(done.stats ?? {})) run.stats[k] = (run.stats[k] ?? 0) + n;
      opts.onProgress?.({ stage: task.name, done: run.keys, total: run.keys });
      collectBetweenBatches();
    }
    run.ms = Math.round(performance.now() - t0);
    run.peakRssMB = peakRssMB();
    return run;
  });
}
