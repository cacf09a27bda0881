import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Maps at the level people act on: the city or municipality of each report (owner: enrichment)
 * and the boundary layers an agency imports (owner: geo), one row per feature keyed by PSGC code,
 * with the features set aside and why.
 */
export const geo: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('report_enrichment').addColumn('municipality_code', 'text').execute();
    await db.schema.createIndex('report_enrichment_municipality').on('report_enrichment').column('municipality_code').execute();
    await db.schema
      .createTable('geo_layers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('key_property', 'text', (c) => c.notNull())
      .addColumn('features', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'jsonb', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('geo_features')
      .addColumn('layer', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('geometry', 'jsonb', (c) => c.notNull())
      .addColumn('centre', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('geo_features_pk', ['layer', 'code'])
      .execute();
  },
};
