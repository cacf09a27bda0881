import type { ColumnType } from 'kysely';

/** A timestamp column: written as an ISO string or Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** A key a derived stage must recompute (migration 0040). */
export interface StagePendingTable {
  stage: string;
  key: string;
  /** Bigint, read as text: a newer mark of the same key has a larger one. */
  seq: ColumnType<string, string | number | undefined, string | number>;
  marked_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A job as users see it. */
export interface JobsTable {
  id: string;
  kind: string;
  params: ColumnType<unknown, string | undefined, string>;
  /** queued | running | completed | failed | cancelled. */
  state: string;
  progress: ColumnType<unknown, string | null | undefined, string | null>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  requested_by: number | null;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  worker: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  started_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** A file a job produced. */
export interface JobFilesTable {
  job_id: string;
  filename: string;
  content_type: string;
  bytes: Uint8Array;
}

/** One slot of a distinct PDQ value in the multi-index (slot * 65536 + the slot's 16 bits). */
export interface HashPdqSlotsTable {
  code: number;
  value: string;
}

/** The runtime's tables as Kysely sees them. */
export interface RuntimeTables {
  stage_pending: StagePendingTable;
  jobs: JobsTable;
  job_files: JobFilesTable;
  hash_pdq_slots: HashPdqSlotsTable;
}
