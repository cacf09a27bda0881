import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: written as an ISO string or Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Every identifier of every linked report (kind, normalised value, key, role, strength). */
export interface LinkIdentifiersTable {
  report_id: string;
  kind: string;
  value: string;
  key: string;
  role: string;
  strength: string;
  raw: string;
  at: Timestamp | null;
  note: string | null;
}

/** Which version of each report its identifiers were extracted from. */
export interface LinkReportsTable {
  report_id: string;
  version: number;
}

/** One shared identifier between two reports (report_a < report_b), strong or medium. */
export interface LinkEvidenceTable {
  report_a: string;
  report_b: string;
  key: string;
  kind: string;
  strength: string;
  detail: string;
  /** Bits of weak evidence (log2 m/u); null for strong and medium rows. */
  weight: number | null;
}

/** Which subject each linked report belongs to (reports in no subject have no row). */
export interface LinkSubjectsTable {
  report_id: string;
  subject_id: string;
}

/** A name a subject no longer carries, and the subject that took most of its reports. */
export interface LinkSubjectAliasesTable {
  alias: string;
  subject_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
}

/** Values over the hub cap: blocked from linking while their count stays over it. */
export interface LinkHubsTable {
  key: string;
  kind: string;
  value: string;
  report_count: number;
  since: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Why it links nothing (migration 0030). */
  reason: ColumnType<string, string | undefined, string>;
}

/** An agency's imported account-namespace file (migration 0031). */
export interface AccountNamespaceFilesTable {
  name: string;
  content_hash: string;
  /** The file as imported (JSON). */
  file: ColumnType<unknown, string, string>;
  source: string;
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Analysts' exclusions: exact values or `%` wildcard patterns, with why. */
export interface LinkExclusionsTable {
  pattern: string;
  comment: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Analysts' manual split (detach a report) and merge (join two reports) decisions. */
export interface LinkOverridesTable {
  id: Generated<number>;
  action: string;
  report_a: string;
  report_b: string | null;
  comment: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Tables of the identifier and linking stage (filled in by migration 0003-link). */
export interface LinkTables {
  link_identifiers: LinkIdentifiersTable;
  link_reports: LinkReportsTable;
  link_evidence: LinkEvidenceTable;
  link_subjects: LinkSubjectsTable;
  link_subject_aliases: LinkSubjectAliasesTable;
  link_hubs: LinkHubsTable;
  link_exclusions: LinkExclusionsTable;
  link_overrides: LinkOverridesTable;
  account_namespace_files: AccountNamespaceFilesTable;
}
