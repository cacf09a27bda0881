import type { ColumnType } from 'kysely';

/** One row per report: the enrichment of its current version (see docs/enrichment.md). */
export interface ReportEnrichmentTable {
  report_id: string;
  version: number;
  /** IP data release and list fingerprint the row was computed with. */
  data_version: string;
  /** ISO 3166 alpha-2 codes from IPs, phones and addresses together. */
  countries: ColumnType<string[], string[] | undefined, string[]>;
  ip_countries: ColumnType<string[], string[] | undefined, string[]>;
  phone_countries: ColumnType<string[], string[] | undefined, string[]>;
  /** Network operators (ASN organisation names) of the report's public IPs. */
  carriers: ColumnType<string[], string[] | undefined, string[]>;
  asns: ColumnType<number[], number[] | undefined, number[]>;
  /** Union of IP classes seen: private, cgnat, vpn, proxy, relay, public-dns, cloud, reserved. */
  ip_flags: ColumnType<string[], string[] | undefined, string[]>;
  /** PSGC code of the most likely Philippine province (or HUC), null when none is known. */
  province_code: string | null;
  province_codes: ColumnType<string[], string[] | undefined, string[]>;
  /** PSGC code of the city or municipality of the most telling place (migration 0062). */
  municipality_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** The report's own point for the map (migration 0065): source, precision, whose place, and its town or coordinates. */
  point_source: ColumnType<string | null, string | null | undefined, string | null>;
  point_precision: ColumnType<string | null, string | null | undefined, string | null>;
  point_role: ColumnType<string | null, string | null | undefined, string | null>;
  point_code: ColumnType<string | null, string | null | undefined, string | null>;
  point_lat: ColumnType<number | null, number | null | undefined, number | null>;
  point_lon: ColumnType<number | null, number | null | undefined, number | null>;
  ip_count: ColumnType<number, number | undefined, number>;
  /** Public, non-shared IPs with a port and a time: what a subscriber request needs. */
  ip_port_time_count: ColumnType<number, number | undefined, number>;
  phone_count: ColumnType<number, number | undefined, number>;
  doc: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An imported MISP warninglist (the whole file kept, compiled when runs load it). */
export interface WarninglistsTable {
  name: string;
  type: string;
  description: string | null;
  version: ColumnType<string | null, number | null, number | null>;
  entries: number;
  content_hash: string;
  file: ColumnType<unknown, string, string>;
  source: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The enrichment stage's tables. */
export interface EnrichTables {
  report_enrichment: ReportEnrichmentTable;
  warninglists: WarninglistsTable;
}
