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
  },
};
