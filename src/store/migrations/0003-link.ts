import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Identifiers, links, subjects, hub values and exclusions. */
export const link: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('link_identifiers')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('strength', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz')
      .addColumn('note', 'text')
      .execute();
    // Lookup by key (which reports share a value) is the hot path; by report for replacement.
    await db.schema.createIndex('link_identifiers_key').on('link_identifiers').columns(['key', 'report_id']).execute();
    await db.schema.createIndex('link_identifiers_report').on('link_identifiers').column('report_id').execute();

    await db.schema
      .createTable('link_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('link_evidence')
      .addColumn('report_a', 'text', (c) => c.notNull())
      .addColumn('report_b', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('strength', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('link_evidence_pk', ['report_a', 'report_b', 'key'])
      .execute();
    await db.schema.createIndex('link_evidence_key').on('link_evidence').column('key').execute();
    await db.schema.createIndex('link_evidence_b').on('link_evidence').column('report_b').execute();

    await db.schema
      .createTable('link_subjects')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('link_subjects_subject').on('link_subjects').column('subject_id').execute();

    await db.schema
      .createTable('link_hubs')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('link_exclusions')
      .addColumn('pattern', 'text', (c) => c.primaryKey())
      .addColumn('comment', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('link_overrides')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('report_a', 'text', (c) => c.notNull())
      .addColumn('report_b', 'text')
      .addColumn('comment', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
