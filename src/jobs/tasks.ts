// What each kind of job does. Every task calls a stage or the pipeline: the job layer holds no
// decisions. Each task is safe to run again after a kill (its work is marked stale before it starts
// and cleared only with what it wrote), so a retried job finishes what the killed one left.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '../store/database.ts';
import type { JobRow } from '../store/jobs.ts';
import { putJobFile } from '../store/jobs.ts';
import { markAllReports, type StageName } from '../store/pending.ts';
import { processNew, type ProcessSummary } from '../pipeline/process.ts';
import { ingestPaths } from '../ingest/run.ts';
import { measureInputs } from '../ingest/sources.ts';
import { uploadedName } from '../ingest/uploads.ts';
import { liveRuleset } from '../triage/score.ts';
import { rescoreMarked } from '../triage/rescore.ts';
import { queueExport, type QueueExportParams } from '../cases/export-queue.ts';
import type { JobKind } from './kinds.ts';
import { internal } from '../model/error.ts';

export { JOB_KINDS, WORKER_ROLES, type JobKind, type WorkerRole } from './kinds.ts';

/** What a running task may use. */
export interface TaskContext {
  store: Store;
  job: JobRow;
  progress(p: NonNullable<JobRow['progress']>): Promise<void>;
  enqueue(kind: JobKind, params: Record<string, unknown>): Promise<string>;
}

/** One kind of job: how often it may be tried and what it runs. */
export interface Task {
  /** Runs one at a time across every worker (aggregate work). */
  singleton: boolean;
  maxAttempts: number;
  run(ctx: TaskContext, params: Record<string, unknown>): Promise<unknown>;
}

/** Parameters of a processing job. */
export interface ProcessParams {
  /** The scoring clock (tests pin it); default the time the job runs. */
  now?: string;
  /** Stages whose every key is marked first (a full rebuild of those stages). */
  rebuild?: StageName[];
}

// A processing summary without its per-batch detail: what a user reads in the job's result.
function brief(p: ProcessSummary): Record<string, unknown> {
  return {
    stages: p.stages.map((s) => ({
      stage: s.stage,
      keys: s.keys,
      written: s.written,
      ms: s.ms,
      ...(s.peakRssMB !== undefined ? { peakRssMB: s.peakRssMB } : {}),
    })),
    reportsLinked: p.link.reportsExtracted,
    subjects: p.link.subjects,
    scored: p.scores.scored,
    tiers: p.scores.tiers,
    // Present when new transactions were scored and joined (payment alerts and subject flags).
    ...(p.paymentScores ? { paymentScores: p.paymentScores } : {}),
    ...(p.payments ? { payments: p.payments } : {}),
  };
}

async function runProcess(ctx: TaskContext, params: ProcessParams): Promise<unknown> {
  for (const stage of params.rebuild ?? []) await markAllReports(ctx.store.db, stage);
  const summary = await processNew(ctx.store, {
    ...(params.now ? { now: new Date(params.now) } : {}),
    onProgress: (p) => void ctx.progress({ stage: p.stage, done: p.done, total: p.total }).catch(() => undefined),
  });
  return brief(summary);
}

/** Every task by kind. */
export const TASKS: Record<JobKind, Task> = {
  process: { singleton: true, maxAttempts: 5, run: (ctx, p) => runProcess(ctx, p as ProcessParams) },
  rescore: {
    singleton: true,
    maxAttempts: 3,
    async run(ctx, p) {
      await ctx.progress({ stage: 'rescore', note: 'scoring every report with the live ruleset' });
      const done = await rescoreMarked(ctx.store, typeof p.now === 'string' ? new Date(p.now) : new Date());
      // Nothing marked: a processing run (or another rescore job) re-scored with the live ruleset already.
      if (!done) return { rulesetVersion: (await liveRuleset(ctx.store)).version, scored: 0, alreadyDone: true };
      const s = done.summary;
      return { rulesetVersion: s.rulesetVersion, scored: s.scored, tiers: s.tiers, ms: s.ms };
    },
  },
  ingest: {
    singleton: false,
    maxAttempts: 3,
    async run(ctx, p) {
      const paths = p.paths as string[];
      const uploadDir = typeof p.folder === 'string' ? dirname(p.folder) : '';
      // Progress in bytes of the files read (a file counts when it is finished), the file at hand named as uploaded.
      const total = await measureInputs(paths);
      await ctx.progress({ stage: 'ingest', done: 0, total });
      const summary = await ingestPaths(ctx.store, paths, {
        onProgress: (x) =>
          void ctx
            .progress({ stage: 'ingest', done: Math.min(x.bytesRead, total), total, note: uploadedName(x.currentFile, uploadDir) })
            .catch(() => undefined),
      });
      // Stored: the upload is not needed again, and re-ingesting it on a retry would change nothing.
      if (summary.status === 'completed' && typeof p.folder === 'string') rmSync(p.folder, { recursive: true, force: true });
      if (summary.status === 'failed') throw internal(summary.error ?? 'ingest failed');
      const processJob = await ctx.enqueue('process', {});
      // Files by the names they were uploaded under: the result is shown to users, the server's folders are not.
      const named = <T extends { path: string }>(f: T): T => ({ ...f, path: uploadedName(f.path, uploadDir) });
      return {
        ...summary,
        processJob,
        skipped: summary.skipped.map(named),
        transactions: summary.transactions && { ...summary.transactions, files: summary.transactions.files.map(named) },
      };
    },
  },
  'export-queue': {
    singleton: false,
    maxAttempts: 2,
    async run(ctx, p) {
      const file = await queueExport(ctx.store, p as unknown as QueueExportParams);
      await putJobFile(ctx.store.db, { jobId: ctx.job.id, filename: file.filename, contentType: file.contentType, bytes: file.bytes });
      return { filename: file.filename, rows: file.rows, bytes: file.bytes.length };
    },
  },
};
