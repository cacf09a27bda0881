import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';

/** Records the start of an ingest run and returns its id. */
export async function startRun(db: Kysely<BantayDatabase>, paths: string[]): Promise<number> {
  const row = await db.insertInto('ingest_runs').values({ paths: JSON.stringify(paths), status: 'running', summary: null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Records how an ingest run ended. */
export async function finishRun(db: Kysely<BantayDatabase>, id: number, status: 'completed' | 'failed', summary: unknown): Promise<void> {
  await db.updateTable('ingest_runs').set({ status, summary: JSON.stringify(summary), finished_at: sql`now()` }).where('id', '=', id).execute();
}
