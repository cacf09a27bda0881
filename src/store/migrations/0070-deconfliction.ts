import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Deconfliction between agencies (owner: src/deconflict): the peers whose signed files are
 * accepted, the file imported from each, its keyed hashes, the keyed hashes of this agency's own
 * identifier keys, and the contract with triage (`deconflicted_external`: one row per report with
 * an identifier, or a subject, in another agency's active case).
 */
export const deconfliction: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('deconflict_peers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text')
      .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    // The newest file of each peer replaces the one before (a closed case leaves with the next file).
    await db.schema
      .createTable('deconflict_files')
      .addColumn('peer', 'text', (c) => c.primaryKey().references('deconflict_peers.name').onDelete('cascade'))
      .addColumn('contact', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('entries', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('deconflict_entries')
      .addColumn('peer', 'text', (c) => c.notNull().references('deconflict_peers.name').onDelete('cascade'))
      .addColumn('digest', 'text', (c) => c.notNull())
      // A calendar date (YYYY-MM-DD) as written in the file.
      .addColumn('since', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('deconflict_entries_pk', ['peer', 'digest'])
      .execute();
    await db.schema.createIndex('deconflict_entries_digest').on('deconflict_entries').column('digest').execute();
    // The keyed hash of each of this agency's identifier keys, under the shared key `key_id`.
    await db.schema
      .createTable('deconflict_digests')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deconflict_digests_digest').on('deconflict_digests').column('digest').execute();
    // Which version of each report its keys were hashed from (the plan of the next run).
    await db.schema
      .createTable('deconflict_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    // Contract with triage: which agencies hold an identifier of the report or of its subject.
    await db.schema
      .createTable('deconflicted_external')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('agencies', sql`text[]`, (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
