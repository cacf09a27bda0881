import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Stored enrichment of each report's current version: per-identifier detail plus the facts triage filters on. */
export const enrich: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('report_enrichment')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      // Which IP data and lists produced it, so that a data update can re-run exactly the stale rows.
      .addColumn('data_version', 'text', (c) => c.notNull())
      .addColumn('countries', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('ip_countries', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('phone_countries', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('carriers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('asns', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('ip_flags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('province_code', 'text')
      .addColumn('province_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('ip_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('ip_port_time_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('phone_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('doc', 'jsonb', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('report_enrichment_province').on('report_enrichment').column('province_code').execute();

    // MISP warninglists the agency imported: every linking and enrichment run uses the enabled ones.
    await db.schema
      .createTable('warninglists')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('version', 'bigint')
      .addColumn('entries', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('file', 'jsonb', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
