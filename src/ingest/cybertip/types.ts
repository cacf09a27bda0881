import type { CybertipReport } from '../../model/report.ts';

/** Where input came from. */
export interface SourceRef {
  /** The file on disk (as given or as found while walking a folder). */
  path: string;
  /** The entry name inside a zip archive, when the input is one. */
  entry?: string;
  /** The base file name (of the entry, inside a zip); a bare report takes its id from its leading digits. */
  name: string;
}

/** Where a report starts in its file. */
export interface Position {
  /** 1-based line of the report's start tag. */
  line: number;
  /** 1-based column of the `<` of the report's start tag. */
  column: number;
  /** The report's index in the file, 0-based (every element directly inside <cybertipReports> counts). */
  index: number;
}

/** A report read, or something set aside with its reason. */
export type ReaderItem =
  | { kind: 'report'; report: CybertipReport; raw: string; position: Position }
  | {
      kind: 'rejected';
      /** Null when the whole file is set aside before any report starts. */
      position: Position | null;
      reason: string;
      reportId?: string;
      /** The source text of the report set aside, at most limits.maxReportBytes bytes of UTF-8. */
      raw?: string;
    };
