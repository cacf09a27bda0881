import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: written as an ISO string or Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Every normalised hash of every file of every report's current version. */
export interface FileHashesTable {
  report_id: string;
  file_id: string;
  hash_type: string;
  value: string;
  /** The report's version these rows came from, so an update knows what changed. */
  version: number;
  /** PDQ quality when the report gives one, else null. */
  quality: number | null;
  /** Who posted the file (the first reported person's ESP id, screen name or email), for the viral rule. */
  user_key: string | null;
  /** When the report says the incident happened, for the viral window. */
  seen_at: Timestamp | null;
  /** The ESP marked the file (potentialMeme, viral annotation) or the report (batched as viral). */
  esp_viral: boolean;
}

/** The report version the hash store last extracted. */
export interface HashedReportsTable {
  report_id: string;
  version: number;
}

/** A named known-hash list (a "bank"). */
export interface HashListsTable {
  id: Generated<number>;
  name: string;
  format: string;
  source: string | null;
  category: string | null;
  /** The date the list itself carries (export date), when it says. */
  list_date: string | null;
  /** The category profile of VICS files (US, CA, UK...), when given. */
  profile: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  pdq_threshold: ColumnType<number, number | undefined, number>;
  pdq_quality_floor: ColumnType<number, number | undefined, number>;
  entry_count: number;
  /** SHA-256 of the normalised entries: a re-import with the same content is a no-op. */
  content_hash: string;
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One hash of one list. */
export interface HashListEntriesTable {
  list_id: number;
  hash_type: string;
  value: string;
  category: string | null;
  series: string | null;
  victim_identified: boolean | null;
  quality: number | null;
}

/** The per-report roll-up of the hash signals, recomputed by `bantay hashes update`. */
export interface ReportHashSignalsTable {
  report_id: string;
  /** new | repeat | known | viral | unhashed: how new the report's newest file is. */
  novelty: string;
  known: boolean;
  viral: boolean;
  /** The viral batch (representative hash of the viral content, e.g. md5:<hex>), null when not viral. */
  viral_key: ColumnType<string | null, string | null | undefined, string | null>;
  new_files: number;
  evidence: ColumnType<unknown, string, string>;
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A content group's totals (see src/hashes/signals.ts groupContent); its id is its smallest `type:value` hash. */
export interface ContentGroupsTable {
  id: string;
  reports: number;
  users: number;
  first_report: string;
  window_from: string | null;
  window_to: string | null;
  window_reports: number | null;
  window_users: number | null;
  viral_key: string | null;
}

/** The content group of each stored hash value. */
export interface ContentGroupValuesTable {
  hash_type: string;
  value: string;
  group_id: string;
}

/** The hash tables as Kysely sees them. */
export interface HashTables {
  file_hashes: FileHashesTable;
  hashed_reports: HashedReportsTable;
  hash_lists: HashListsTable;
  hash_list_entries: HashListEntriesTable;
  report_hash_signals: ReportHashSignalsTable;
  content_groups: ContentGroupsTable;
  content_group_values: ContentGroupValuesTable;
}
