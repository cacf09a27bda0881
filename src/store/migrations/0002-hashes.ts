import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** The hash store, known-hash lists and per-report hash signals. */
export const hashes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('file_hashes')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('hash_type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('quality', 'integer')
      .addColumn('user_key', 'text')
      .addColumn('seen_at', 'timestamptz')
      .addColumn('esp_viral', 'boolean', (c) => c.notNull().defaultTo(false))
      .addPrimaryKeyConstraint('file_hashes_pk', ['report_id', 'file_id', 'hash_type', 'value'])
      .execute();
    // Lookup by value (the `bantay hash` command and list matching) is the hot path.
    await db.schema.createIndex('file_hashes_value').on('file_hashes').columns(['value', 'hash_type']).execute();

    // Which version of each report the hash store holds, so an update redoes only what changed
    // (a report with no hashes has no file_hashes rows to say so).
    await db.schema
      .createTable('hashed_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('hash_lists')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('category', 'text')
      .addColumn('list_date', 'text')
      .addColumn('profile', 'text')
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('pdq_threshold', 'integer', (c) => c.notNull().defaultTo(31))
      .addColumn('pdq_quality_floor', 'integer', (c) => c.notNull().defaultTo(50))
      .addColumn('entry_count', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('hash_list_entries')
      .addColumn('list_id', 'integer', (c) => c.notNull().references('hash_lists.id').onDelete('cascade'))
      .addColumn('hash_type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('category', 'text')
      .addColumn('series', 'text')
      .addColumn('victim_identified', 'boolean')
      .addColumn('quality', 'integer')
      .addPrimaryKeyConstraint('hash_list_entries_pk', ['list_id', 'hash_type', 'value'])
      .execute();
    await db.schema.createIndex('hash_list_entries_value').on('hash_list_entries').columns(['value', 'hash_type']).execute();

    await db.schema
      .createTable('report_hash_signals')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('novelty', 'text', (c) => c.notNull())
      .addColumn('known', 'boolean', (c) => c.notNull())
      .addColumn('viral', 'boolean', (c) => c.notNull())
      .addColumn('new_files', 'integer', (c) => c.notNull())
      .addColumn('evidence', 'jsonb', (c) => c.notNull())
      .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('report_hash_signals_novelty').on('report_hash_signals').column('novelty').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['report_hash_signals', 'hash_list_entries', 'hash_lists', 'hashed_reports', 'file_hashes'])
      await db.schema.dropTable(t).ifExists().execute();
  },
};
