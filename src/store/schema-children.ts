import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** What the children stage read from a report (fingerprint and facts). */
export interface ChildReportsTable {
  report_id: string;
  inputs: string;
  facts: Json;
}

/** One child a report names or implies. */
export interface ChildMentionsTable {
  report_id: string;
  mention: number;
  doc: Json;
}

/** A key a mention may meet others under. */
export interface ChildMentionKeysTable {
  key: string;
  report_id: string;
  mention: number;
}

/** A child across reports, with the columns the danger order reads. */
export interface ChildrenTable {
  child_id: string;
  doc: Json;
  status: string;
  ongoing: number;
  youth: number;
  identified: boolean;
  last_seen: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Which mentions form which child. */
export interface ChildMembersTable {
  child_id: string;
  report_id: string;
  mention: number;
}

/** One step of a child's rescue workflow (also in the audit trail). */
export interface ChildRescueStepsTable {
  id: Generated<number>;
  child_id: string;
  step: string;
  at: Timestamp;
  user_id: number | null;
  username: string | null;
  note: string;
}

/** Contract with triage: a report of a rescued child that brought no new material. */
export interface RescuedChildReportsTable {
  report_id: string;
  child_id: string;
  since: Timestamp;
}

/** The children stage's tables. */
export interface ChildrenTables {
  child_reports: ChildReportsTable;
  child_mentions: ChildMentionsTable;
  child_mention_keys: ChildMentionKeysTable;
  children: ChildrenTable;
  child_members: ChildMembersTable;
  child_rescue_steps: ChildRescueStepsTable;
  rescued_child_reports: RescuedChildReportsTable;
}
