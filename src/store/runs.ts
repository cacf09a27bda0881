import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { safeJsonReplacer } from '../model/text-safety.ts';
import type { BantayDatabase } from './schema.ts';

/** How an ingest run ended. */
export type RunStatus = 'completed' | 'failed' | 'interrupted';

/** Records the start of an ingest run (by this process, reading `tempDir` when it is an upload) and returns its id. */
export async function startRun(db: Kysely<BantayDatabase>, paths: string[], tempDir?: string): Promise<number> {
  const row = await db
    .insertInto('ingest_runs')
    .values({ paths: JSON.stringify(paths, safeJsonReplacer), status: 'running', summary: null, pid: process.pid, host: hostname(), temp_dir: tempDir ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Notes that a run is still alive (called as it writes). */
export async function touchRun(db: Kysely<BantayDatabase>, id: number): Promise<void> {
  await db
    .updateTable('ingest_runs')
    .set({ heartbeat_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Records how an ingest run ended. */
export async function finishRun(db: Kysely<BantayDatabase>, id: number, status: RunStatus, summary: unknown): Promise<void> {
  await db
    .updateTable('ingest_runs')
    .set({ status, summary: JSON.stringify(summary, safeJsonReplacer), finished_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** A run still marked running: who runs it and how long ago it last wrote. */
export interface RunningRun {
  id: number;
  pid: number | null;
  host: string | null;
  tempDir: string | null;
  /** Seconds since the run last wrote. */
  idleSeconds: number;
}

/** Runs still marked running. */
export async function runningRuns(db: Kysely<BantayDatabase>): Promise<RunningRun[]> {
  const rows = await db
    .selectFrom('ingest_runs')
    .select(['id', 'pid', 'host', 'temp_dir', sql<number>`extract(epoch from now() - coalesce(heartbeat_at, started_at))::float8`.as('idle')])
    .where('status', '=', 'running')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, pid: r.pid, host: r.host, tempDir: r.temp_dir, idleSeconds: Number(r.idle) }));
}

/** Marks runs as interrupted (their process died): finished now, with a summary saying so. */
export async function markInterrupted(db: Kysely<BantayDatabase>, ids: number[], why: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('ingest_runs')
    .set({ status: 'interrupted', finished_at: sql`now()`, summary: sql`coalesce(summary, '{}'::jsonb) || ${JSON.stringify({ interrupted: why })}::jsonb` })
    .where('id', 'in', ids)
    .where('status', '=', 'running')
    .execute();
}
