import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** A boundary layer an agency imported (bantay geo import). */
export interface GeoLayersTable {
  name: string;
  level: string;
  source: string;
  key_property: string;
  features: number;
  rejected: Json;
  content_hash: string;
  imported_at: Timestamp;
}

/** One boundary of a layer, keyed by PSGC code. */
export interface GeoFeaturesTable {
  layer: string;
  code: string;
  name: string;
  geometry: Json;
  centre: Json;
}

/** The geo tables. */
export interface GeoTables {
  geo_layers: GeoLayersTable;
  geo_features: GeoFeaturesTable;
}
