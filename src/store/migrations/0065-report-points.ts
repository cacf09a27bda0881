import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Each report's own point for the map (owner: enrichment): where it came from (the ESP's
 * coordinates, an address, the ESP's estimated location, an IP address's city), how precise it is,
 * whose place it is, and either the PSGC town it is drawn at or its coordinates. Reports enriched
 * before have none until `bantay enrich` redoes them (the enrichment's data version changed).
 */
export const reportPoints: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('report_enrichment')
      .addColumn('point_source', 'text')
      .addColumn('point_precision', 'text')
      .addColumn('point_role', 'text')
      .addColumn('point_code', 'text')
      .addColumn('point_lat', 'double precision')
      .addColumn('point_lon', 'double precision')
      .execute();
  },
};
