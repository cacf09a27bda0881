import type { ColumnType } from 'kysely';

/** A timestamp column: written as an ISO string or Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Contract with triage: a subject that receives or sends flagged payments. */
export interface PaymentSubjectFlagsTable {
  subject_id: string;
  /** The highest alert score among the subject's parties. */
  score: number;
  alerts: number;
  /** Party keys (for example `phone:+639171234567`) of the flagged parties. */
  parties: string[];
  /** The strongest reason, in words. */
  top_reason: string;
}

/** One payment record (idempotent by provider and txn_id). */
export interface PaymentTxnsTable {
  provider: string;
  txn_id: string;
  ts: Timestamp;
  /** The UTC offset the provider wrote, in minutes. */
  ts_offset: number;
  amount: number;
  currency: string;
  /** Converted with the rate table in use at ingest. */
  amount_php: number;
  amount_php_recorded: number | null;
  round: boolean;
  channel: string | null;
  sender_node: string;
  sender_customer: string | null;
  sender_name: string | null;
  sender_country: string | null;
  sender_phone: string | null;
  sender_email: string | null;
  sender_keys: string[];
  receiver_node: string;
  receiver_customer: string | null;
  receiver_name: string | null;
  receiver_country: string | null;
  receiver_phone: string | null;
  receiver_account: string | null;
  receiver_keys: string[];
  purpose: string | null;
  source: string | null;
  extra: ColumnType<unknown, string | null, string | null>;
  file: string;
  line: number;
  ingested_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A record set aside by ingest. */
export interface PaymentRejectsTable {
  source: string;
  line: number;
  reason: string;
  raw: string;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The agency's rate table (PHP for one unit). */
export interface PaymentRatesTable {
  currency: string;
  php: number;
  as_of: string;
  source: string;
}

/** A resolved party. */
export interface PaymentPartiesTable {
  party_id: string;
  label: string;
  country: string | null;
  keys: string[];
  customers: string[];
  sent: number;
  received: number;
}

/** Which party each record side (node) belongs to. */
export interface PaymentNodesTable {
  node: string;
  party_id: string;
}

/** A party's score in one role, with reasons and features. */
export interface PaymentScoresTable {
  party_id: string;
  role: string;
  score: number;
  alerted: boolean;
  reasons: ColumnType<unknown, string, string>;
  features: ColumnType<unknown, string, string>;
}

/** A party's identifier key found on a report (and that report's subject, if any). */
export interface PaymentPartyReportsTable {
  party_id: string;
  key: string;
  report_id: string;
  subject_id: string | null;
}

/** The payments stage's tables. */
export interface PaymentsTables {
  payment_subject_flags: PaymentSubjectFlagsTable;
  payment_txns: PaymentTxnsTable;
  payment_rejects: PaymentRejectsTable;
  payment_rates: PaymentRatesTable;
  payment_parties: PaymentPartiesTable;
  payment_nodes: PaymentNodesTable;
  payment_scores: PaymentScoresTable;
  payment_party_reports: PaymentPartyReportsTable;
}
