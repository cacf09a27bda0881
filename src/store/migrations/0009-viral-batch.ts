import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** The viral batch key per report (owner: hashes), so the queue can filter and close one batch. */
export const viralBatch: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('report_hash_signals').addColumn('viral_key', 'text').execute();
    await db.schema.createIndex('report_hash_signals_viral_key').on('report_hash_signals').column('viral_key').execute();
  },
};
