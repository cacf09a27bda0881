import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Ingest bounds and interrupted runs (owner: ingest). A quarantine entry may stand for many
 * repeats of one problem in a file (`item_count`). An ingest run records which process runs it
 * and when it last wrote (`pid`, `host`, `heartbeat_at`), and the temporary folder of an upload
 * it reads (`temp_dir`), so that a run whose process died is marked `interrupted` at the next
 * start and its folder removed.
 */
export const ingestBounds: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('quarantine')
      .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .alterTable('ingest_runs')
      .addColumn('pid', 'integer')
      .addColumn('host', 'text')
      .addColumn('heartbeat_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
      .addColumn('temp_dir', 'text')
      .execute();
    await db.schema.createIndex('ingest_runs_running').on('ingest_runs').column('status').where(sql.ref('status'), '=', 'running').execute();
  },
};
