import type { ColumnType } from 'kysely';

/** Contract with triage: a report held by an active case (deconfliction). */
export interface DeconflictedReportsTable {
  report_id: string;
  case_id: string;
  since: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The server and case-work tables. */
export interface CasesTables {
  deconflicted_reports: DeconflictedReportsTable;
}
