// Ids for bare <report> files, which carry no report number of their own.

import { createHash } from 'node:crypto';
import { normalizeReportNumber } from './values.ts';

/** The report number in a file name's leading digits (`123456789.xml`, `123456789_x.xml.gz`), or null when it has none. */
export function idFromFileName(name: string): string | null {
  const m = /^\d+/.exec(name);
  return m ? normalizeReportNumber(m[0]) : null;
}

/** A stable id derived from the report's source text: `h` + the first 16 hex digits of its SHA-256. */
export function idFromContent(raw: string): string {
  return `h${createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 16)}`;
}
