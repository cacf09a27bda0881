import type { ColumnType } from 'kysely';

/** A date column: written as YYYY-MM-DD, read back as a Date (midnight UTC) or string. */
type Day = ColumnType<Date | string, string, string>;

/** The fingerprint of the inputs a report's trend keys were computed from. */
export interface TrendReportsTable {
  report_id: string;
  inputs: string;
}

/** One series a report counts toward on its (Manila) day. */
export interface TrendReportKeysTable {
  report_id: string;
  dim: string;
  key: string;
  day: Day;
}

/** Daily count of one series, kept in step with trend_report_keys (and payments for corridors). */
export interface TrendDailyTable {
  dim: string;
  key: string;
  day: Day;
  n: number;
}

/** The stage's watermarks (e.g. the last payment stored that corridors counted). */
export interface TrendStateTable {
  name: string;
  value: string;
}

/** An alert: an episode of a series above its baseline. */
export interface TrendAlertsTable {
  id: string;
  dim: string;
  key: string;
  period: string;
  start_day: Day;
  fired_day: Day;
  end_day: Day;
  observed: number;
  expected: number;
  score: number;
  p: number;
  detail: ColumnType<unknown, string, string>;
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The trends stage's tables. */
export interface TrendsTables {
  trend_reports: TrendReportsTable;
  trend_report_keys: TrendReportKeysTable;
  trend_daily: TrendDailyTable;
  trend_state: TrendStateTable;
  trend_alerts: TrendAlertsTable;
}
