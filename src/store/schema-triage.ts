import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: written as an ISO string or Date, read back as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Every ruleset ever imported: draft, shadow, live or retired; the version is its number. */
export interface TriageRulesetsTable {
  version: Generated<number>;
  name: string;
  /** draft | shadow | live | retired. */
  status: string;
  /** The ruleset JSON as text. */
  doc: string;
  content_hash: string;
  comment: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  /** When it last became live (rollback picks the previous live one by this). */
  live_at: Timestamp | null;
}

/** The document features of each report's current version (JSON of DocFeatures). */
export interface TriageFeaturesTable {
  report_id: string;
  version: number;
  features: string;
}

/** Scores of the shadow ruleset, side by side with the live ones; analysts never see them. */
export interface TriageShadowScoresTable {
  report_id: string;
  ruleset_version: number;
  harm: number;
  actionability: number;
  score: number;
  tier: string;
  tier_rank: number;
  /** A `first` floor applied: ordered ahead of the rest of its tier. */
  first_in_tier: ColumnType<boolean, boolean | undefined, boolean>;
  paused: boolean;
  /** JSON array of FiredRule. */
  reasons: string;
}

/** The live score of each report, with its reasons and the inputs it was computed from. */
export interface TriageScoresTable extends TriageShadowScoresTable {
  /** Fingerprint of what the score depended on (version, subject, signals, enrichment, payments, cases). */
  inputs: string;
  received_at: Timestamp | null;
  preservation_deadline: Timestamp | null;
  scored_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A report's scoring context (JSON of everything but its document features) as of `inputs`. */
export interface TriageContextTable {
  report_id: string;
  /** Fingerprint of the inputs the context was read from (the same the score stores). */
  inputs: string;
  context: string;
}

/** The triage stage's tables. */
export interface TriageTables {
  triage_rulesets: TriageRulesetsTable;
  triage_features: TriageFeaturesTable;
  triage_context: TriageContextTable;
  triage_scores: TriageScoresTable;
  triage_shadow_scores: TriageShadowScoresTable;
}
