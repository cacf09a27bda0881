import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Reports, their versions with raw XML, the quarantine and ingest runs. */
export const reports: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('id_source', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('version_count', 'integer', (c) => c.notNull())
      .addColumn('received_at', 'timestamptz')
      .addColumn('incident_type', 'text', (c) => c.notNull())
      .addColumn('incident_time', 'timestamptz', (c) => c.notNull())
      .addColumn('referral', 'boolean')
      .addColumn('ncmec_priority', 'text')
      .addColumn('country', 'text')
      .addColumn('esp', 'text')
      .addColumn('annotations', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('escalation', 'text')
      .addColumn('batched', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('file_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reported_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('victim_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_ingested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('reports_received_at').on('reports').column('received_at').execute();

    await db.schema
      .createTable('report_versions')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('received_at', 'timestamptz')
      .addColumn('ingested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('run_id', 'integer')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('raw_gz', 'bytea', (c) => c.notNull())
      .addColumn('raw_bytes', 'integer', (c) => c.notNull())
      .addColumn('doc', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_versions_pk', ['report_id', 'version'])
      .execute();

    await db.schema
      .createTable('quarantine')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
      .addColumn('run_id', 'integer')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('entry', 'text')
      .addColumn('line', 'integer')
      .addColumn('col', 'integer')
      .addColumn('item_index', 'integer')
      .addColumn('report_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('raw_gz', 'bytea')
      .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('times_seen', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();

    await db.schema
      .createTable('ingest_runs')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('finished_at', 'timestamptz')
      .addColumn('paths', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('summary', 'jsonb')
      .execute();
  },
};
