import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted = ColumnType<Date, Date | string | undefined, Date | string>;

/** An agency whose signed deconfliction files are accepted, with its Ed25519 public key. */
export interface DeconflictPeersTable {
  name: string;
  /** SPKI DER, base64. */
  public_key: string;
  fingerprint: string;
  added_by: string | null;
  added_at: Defaulted;
}

/** The file last imported from a peer. */
export interface DeconflictFilesTable {
  peer: string;
  contact: string;
  issued_at: Timestamp;
  expires_at: Timestamp;
  key_id: string;
  entries: number;
  sha256: string;
  imported_at: Defaulted;
}

/** One keyed hash of a peer's file, with the date its identifier came under an active case there. */
export interface DeconflictEntriesTable {
  peer: string;
  digest: string;
  since: string;
}

/** The keyed hash of one of this agency's identifier keys. */
export interface DeconflictDigestsTable {
  key: string;
  digest: string;
  key_id: string;
}

/** Which version of each report its identifier keys were hashed from. */
export interface DeconflictReportsTable {
  report_id: string;
  version: number;
}

/** Contract with triage: the agencies holding an identifier of a report or of its subject. */
export interface DeconflictedExternalTable {
  report_id: string;
  agencies: string[];
  /** JSON array of ExternalMark. */
  detail: string;
  updated_at: Defaulted;
}

/** The deconfliction stage's tables. */
export interface DeconflictTables {
  deconflict_peers: DeconflictPeersTable;
  deconflict_files: DeconflictFilesTable;
  deconflict_entries: DeconflictEntriesTable;
  deconflict_digests: DeconflictDigestsTable;
  deconflict_reports: DeconflictReportsTable;
  deconflicted_external: DeconflictedExternalTable;
}
