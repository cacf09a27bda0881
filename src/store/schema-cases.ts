import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Contract with triage: a report held by an active case (deconfliction). */
export interface DeconflictedReportsTable {
  report_id: string;
  case_id: string;
  since: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An account: role admin, supervisor, analyst or auditor. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  team: string | null;
  locale: Defaulted<string>;
  password_hash: string;
  totp_secret: string | null;
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  disabled: Defaulted<boolean>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A signed-in session; id is the SHA-256 of the cookie's token. */
export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

/** Every login attempt, for throttling per account and per address. */
export interface LoginAttemptsTable {
  id: Generated<string>;
  username: string;
  ip: string;
  at: Timestamp;
  ok: boolean;
}

/** A sign-in throttling counter: an account (`user:NAME`, with back-off) or an address (`ip:ADDR`, per window). */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_at: Timestamp | null;
  last_at: Timestamp;
  locked_until: Timestamp | null;
}

/** Work state of a report or subject: assignee, team, status. */
export interface WorkItemsTable {
  kind: string;
  item_id: string;
  assignee_id: number | null;
  team: string | null;
  status: Defaulted<string>;
  close_reason: string | null;
  held: Defaulted<boolean>;
  assigned_at: Timestamp | null;
  first_viewed_at: Timestamp | null;
  decided_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An analyst's note on a report or subject (kept across report versions). */
export interface NotesTable {
  id: Generated<string>;
  kind: string;
  item_id: string;
  report_version: number | null;
  author_id: number;
  text: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A case grouping subjects and reports under a lead investigator. */
export interface CasesTable {
  id: string;
  title: string;
  lead_id: number;
  status: Defaulted<string>;
  close_reason: string | null;
  created_by: number;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  closed_at: Timestamp | null;
}

/** A report or subject in a case. */
export interface CaseItemsTable {
  case_id: string;
  kind: string;
  item_id: string;
  added_by: number;
  added_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A partner agency reports can be referred or endorsed to. */
export interface PartnerAgenciesTable {
  code: string;
  name: string;
  purpose: string;
  enabled: Defaulted<boolean>;
}

/** A referral or endorsement, with what was sent. */
export interface ReferralsTable {
  id: Generated<string>;
  kind: string;
  item_id: string;
  agency_code: string;
  kind_of_referral: string;
  sent_by: number;
  sent_at: ColumnType<Date, Date | string | undefined, never>;
  sent: string;
  comment: string | null;
}

/** Agency settings (JSON values). */
export interface SettingsTable {
  key: string;
  value: string;
}

/** The append-only audit trail, each entry chained to the previous by hash. */
export interface AuditLogTable {
  seq: ColumnType<string, number | string, never>;
  at: string;
  user_id: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
  /** HMAC-SHA-256 chaining this entry with the key outside the database; null before migration 0012. */
  mac: ColumnType<string | null, string | null | undefined, never>;
  /** Which key made the MAC (a fingerprint, not the key). */
  key_id: ColumnType<string | null, string | null | undefined, never>;
}

/** The server and case-work tables. */
export interface CasesTables {
  deconflicted_reports: DeconflictedReportsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  login_throttle: LoginThrottleTable;
  work_items: WorkItemsTable;
  notes: NotesTable;
  cases: CasesTable;
  case_items: CaseItemsTable;
  partner_agencies: PartnerAgenciesTable;
  referrals: ReferralsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}
