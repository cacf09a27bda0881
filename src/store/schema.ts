import type { ColumnType, Generated } from 'kysely';
import type { HashTables } from './schema-hashes.ts';
import type { LinkTables } from './schema-link.ts';
import type { EnrichTables } from './schema-enrich.ts';
import type { TriageTables } from './schema-triage.ts';
import type { PaymentsTables } from './schema-payments.ts';
import type { CasesTables } from './schema-cases.ts';
import type { ExportsTables } from './schema-exports.ts';
import type { TrendsTables } from './schema-trends.ts';
import type { ChildrenTables } from './schema-children.ts';
import type { GeoTables } from './schema-geo.ts';
import type { DeconflictTables } from './schema-deconflict.ts';
import type { RuntimeTables } from './schema-runtime.ts';

/** A timestamp column: written as an ISO string or Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One row per report number: the summary of its current version, for listing and filtering. */
export interface ReportsTable {
  report_id: string;
  id_source: string;
  current_version: number;
  version_count: number;
  received_at: Timestamp | null;
  incident_type: string;
  incident_time: Timestamp;
  referral: boolean | null;
  ncmec_priority: string | null;
  country: string | null;
  esp: string | null;
  annotations: string[];
  escalation: string | null;
  batched: boolean;
  file_count: number;
  reported_count: number;
  victim_count: number;
  first_ingested_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every distinct content a report number arrived with, with its raw XML kept compressed. */
export interface ReportVersionsTable {
  report_id: string;
  version: number;
  content_hash: string;
  received_at: Timestamp | null;
  ingested_at: ColumnType<Date, Date | string | undefined, never>;
  run_id: number | null;
  source: string;
  raw_gz: Uint8Array;
  raw_bytes: number;
  doc: ColumnType<unknown, string, string>;
}

/** Items set aside by ingest, with where they came from and why. */
export interface QuarantineTable {
  id: Generated<number>;
  fingerprint: string;
  run_id: number | null;
  source: string;
  entry: string | null;
  line: number | null;
  col: number | null;
  item_index: number | null;
  report_id: string | null;
  reason: string;
  raw_gz: Uint8Array | null;
  first_seen_at: ColumnType<Date, Date | string | undefined, never>;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  times_seen: ColumnType<number, number | undefined, number>;
  /** How many items of one file this entry stands for (repeats of one problem collapsed). */
  item_count: ColumnType<number, number | undefined, number>;
}

/** One row per `bantay ingest` run, with its summary. */
export interface IngestRunsTable {
  id: Generated<number>;
  started_at: ColumnType<Date, Date | string | undefined, never>;
  finished_at: Timestamp | null;
  paths: ColumnType<unknown, string, string>;
  status: string;
  summary: ColumnType<unknown, string | null, string>;
  pid: number | null;
  host: string | null;
  heartbeat_at: ColumnType<Date | null, Date | string | undefined, Date | string>;
  /** A temporary folder (an upload) the run reads; removed when the run is found interrupted. */
  temp_dir: string | null;
}

/** The whole database as Kysely sees it. */
export interface BantayDatabase
  extends
    HashTables,
    LinkTables,
    EnrichTables,
    TriageTables,
    PaymentsTables,
    CasesTables,
    ExportsTables,
    TrendsTables,
    ChildrenTables,
    GeoTables,
    DeconflictTables,
    RuntimeTables {
  reports: ReportsTable;
  report_versions: ReportVersionsTable;
  quarantine: QuarantineTable;
  ingest_runs: IngestRunsTable;
}
