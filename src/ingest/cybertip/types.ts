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
      /** The source bytes, when they are not the UTF-8 of `raw` (bytes the encoding cannot decode). */
      rawBytes?: Uint8Array;
      /**
       * Set on items that are not reports (a stray element, a stray value, a bad character between
       * reports): items of one file with the same key are one quarantine entry with a count.
       */
      repeatKey?: string;
      /** How many items this one stands for (repeats collapsed into it); 1 when absent. */
      count?: number;
    };
