// Jobs as users see them (table jobs, migration 0040): what was asked, by whom, its state,
// progress and result. On a server the job library (pg-boss) delivers and retries the work; on the
// embedded database the in-process runner claims queued rows here. Either way this table is what
// `bantay jobs` and GET /api/jobs read.
import { CompiledQuery, sql } from 'kysely';
import type { Db } from './bulk.ts';
import { iso } from '../model/dates.ts';

/** A job's state. */
export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A job as stored. */
export interface JobRow {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  state: JobState;
  progress: { stage?: string; done?: number; total?: number; note?: string } | null;
  result: unknown;
  error: string | null;
  requestedBy: number | null;
  attempts: number;
  maxAttempts: number;
  worker: string | null;
  createdAt: string;
  startedAt: string | null;
  heartbeatAt: string | null;
  finishedAt: string | null;
  /** Whether the job left a file (GET /api/jobs/:id/file). */
  hasFile?: boolean;
  /** The username of who asked for it (read by getJob and listJobs). */
  requestedByName?: string | null;
}

type Raw = {
  id: string;
  kind: string;
  params: unknown;
  state: string;
  progress: unknown;
  result: unknown;
  error: string | null;
  requested_by: number | null;
  attempts: number;
  max_attempts: number;
  worker: string | null;
  created_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
  has_file?: boolean;
  requested_by_name?: string | null;
};

function toJob(r: Raw): JobRow {
  return {
    id: r.id,
    kind: r.kind,
    params: (r.params as Record<string, unknown> | null) ?? {},
    state: r.state as JobState,
    progress: r.progress as JobRow['progress'],
    result: r.result,
    error: r.error,
    requestedBy: r.requested_by,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    worker: r.worker,
    createdAt: iso(r.created_at),
    startedAt: iso(r.started_at),
    heartbeatAt: iso(r.heartbeat_at),
    finishedAt: iso(r.finished_at),
    ...(r.has_file !== undefined ? { hasFile: r.has_file } : {}),
    ...(r.requested_by_name !== undefined ? { requestedByName: r.requested_by_name } : {}),
  };
}

/**
 * Runs a library's own SQL text (pg-boss inserts its job through it) on this connection or
 * transaction, so that a job is recorded and queued together or not at all.
 */
export function sqlRunner(db: Db): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return { executeSql: async (text, values) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows as unknown[] }) };
}
// What a reader of jobs sees beside the row: whether it left a file, and who asked for it by name.
const JOB_EXTRAS = sql`exists (select 1 from job_files f where f.job_id = j.id) as has_file, u.username as requested_by_name`;

/** Records a new queued job. */
export async function insertJob(db: Db, j: { id: string; kind: string; params: unknown; requestedBy: number | null; maxAttempts: number }): Promise<void> {
  await sql`insert into jobs (id, kind, params, state, requested_by, max_attempts) values (${j.id}, ${j.kind}, ${JSON.stringify(j.params ?? {})}::jsonb, 'queued', ${j.requestedBy}, ${j.maxAttempts})`.execute(
    db,
  );
}

/** One job, or undefined. */
export async function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const r = await sql<Raw>`select j.*, ${JOB_EXTRAS} from jobs j left join users u on u.id = j.requested_by where j.id = ${id}`.execute(db);
  return r.rows[0] ? toJob(r.rows[0]) : undefined;
}

/** Jobs, newest first: all, or those of some states, or those one user asked for. */
export async function listJobs(db: Db, opts: { states?: JobState[]; requestedBy?: number; limit?: number } = {}): Promise<JobRow[]> {
  const r = await sql<Raw>`select j.*, ${JOB_EXTRAS} from jobs j left join users u on u.id = j.requested_by
    where true
    ${opts.states ? sql`and j.state = any(${opts.states}::text[])` : sql``}
    ${opts.requestedBy !== undefined ? sql`and j.requested_by = ${opts.requestedBy}` : sql``}
    order by j.created_at desc, j.id limit ${Math.max(1, Math.min(opts.limit ?? 100, 1000))}`.execute(db);
  return r.rows.map(toJob);
}

/** Takes the oldest queued job of the given kinds for a worker (concurrent claimers never get the same one). */
export async function claimQueuedJob(db: Db, kinds: string[], worker: string): Promise<JobRow | undefined> {
  const r =
    await sql<Raw>`update jobs set state = 'running', attempts = attempts + 1, worker = ${worker}, started_at = now(), heartbeat_at = now(), error = null
    where id = (select id from jobs where state = 'queued' and kind = any(${kinds}::text[]) order by created_at, id limit 1 for update skip locked)
    returning *`.execute(db);
  return r.rows[0] ? toJob(r.rows[0]) : undefined;
}

/** Marks a job running on a worker (a delivery from the job library); counts the attempt. */
export async function startJob(db: Db, id: string, worker: string): Promise<JobRow | undefined> {
  const r =
    await sql<Raw>`update jobs set state = 'running', attempts = attempts + 1, worker = ${worker}, started_at = now(), heartbeat_at = now(), error = null
    where id = ${id} and state in ('queued', 'running') returning *`.execute(db);
  return r.rows[0] ? toJob(r.rows[0]) : undefined;
}

/** Records progress (and that the worker is alive). */
export async function jobProgress(db: Db, id: string, progress: JobRow['progress']): Promise<void> {
  await sql`update jobs set progress = ${JSON.stringify(progress)}::jsonb, heartbeat_at = now() where id = ${id} and state = 'running'`.execute(db);
}

/** Says the worker of these running jobs is alive. */
export async function jobHeartbeat(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await sql`update jobs set heartbeat_at = now() where id = any(${ids}::uuid[]) and state = 'running'`.execute(db);
}

/** Records a job's success. */
export async function completeJob(db: Db, id: string, result: unknown): Promise<void> {
  await sql`update jobs set state = 'completed', result = ${JSON.stringify(result ?? null)}::jsonb, finished_at = now(), heartbeat_at = now() where id = ${id}`.execute(
    db,
  );
}

/** Records a failed attempt: queued again while attempts remain (`retry`), else failed. */
export async function failJob(db: Db, id: string, error: string, retry: boolean): Promise<void> {
  await sql`update jobs set state = ${retry ? 'queued' : 'failed'}, error = ${error.slice(0, 4000)}, finished_at = ${retry ? null : new Date()}, worker = null where id = ${id}`.execute(
    db,
  );
}

/** Running jobs whose worker has not been heard from since `before` (a killed or stuck worker). */
export async function silentJobs(db: Db, before: Date): Promise<JobRow[]> {
  const r = await sql<Raw>`select * from jobs where state = 'running' and coalesce(heartbeat_at, started_at, created_at) < ${before}`.execute(db);
  return r.rows.map(toJob);
}

/** Puts a failed (or cancelled) job back in the queue with fresh attempts; false when it is not failed. */
export async function requeueJob(db: Db, id: string): Promise<boolean> {
  const r =
    await sql`update jobs set state = 'queued', attempts = 0, error = null, finished_at = null, worker = null where id = ${id} and state in ('failed', 'cancelled')`.execute(
      db,
    );
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Stores the file a job made. */
export async function putJobFile(db: Db, f: { jobId: string; filename: string; contentType: string; bytes: Uint8Array }): Promise<void> {
  await sql`insert into job_files (job_id, filename, content_type, bytes) values (${f.jobId}, ${f.filename}, ${f.contentType}, ${f.bytes})
    on conflict (job_id) do update set filename = excluded.filename, content_type = excluded.content_type, bytes = excluded.bytes`.execute(db);
}

/** The file a job made, or undefined. */
export async function getJobFile(db: Db, jobId: string): Promise<{ filename: string; contentType: string; bytes: Uint8Array } | undefined> {
  const r = await sql<{
    filename: string;
    content_type: string;
    bytes: Uint8Array;
  }>`select filename, content_type, bytes from job_files where job_id = ${jobId}`.execute(db);
  const row = r.rows[0];
  return row ? { filename: row.filename, contentType: row.content_type, bytes: row.bytes } : undefined;
}

/** How many jobs are queued or running. */
export async function unfinishedJobs(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from jobs where state in ('queued', 'running')`.execute(db);
  return r.rows[0]?.n ?? 0;
}
