// One table shape written two ways: CSV (RFC 4180, UTF-8 with a byte-order mark so that Excel
// reads accents) and XLSX (exceljs). Notes (attribution, warnings) follow the rows in both.

import ExcelJS from 'exceljs';
import { toUtcIso } from '../model/report.ts';

/** A cell: text, a number, or empty. */
export type Cell = string | number | null | undefined;

/** A table ready to write. */
export interface Sheet {
  /** Sheet name in the workbook (at most 31 characters are kept). */
  title: string;
  headers: string[];
  /** Column widths in characters for XLSX (default 16). */
  widths?: number[];
  rows: Cell[][];
  /** Lines written after the rows: attribution, what a column means, warnings. */
  notes: string[];
}

// A cell starting with = + - @ (or a tab or carriage return) is run as a formula by spreadsheet
// programs opening the CSV; prefixing an apostrophe keeps it text (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

function csvCell(c: Cell): string {
  if (c === null || c === undefined) return '';
  let s = String(c);
  if (typeof c === 'string' && FORMULA_START.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (RFC 4180 quoting, spreadsheet formulas defused), without its line end. */
export function csvLine(cells: Cell[]): string {
  return cells.map(csvCell).join(',');
}

/** The sheet as CSV bytes: header, rows, then a blank line and one line per note. */
export function toCsv(sheet: Sheet): Uint8Array {
  const lines = [sheet.headers, ...sheet.rows].map(csvLine);
  if (sheet.notes.length > 0) lines.push('');
  for (const n of sheet.notes) lines.push(csvCell(n));
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

/** The sheet as an XLSX workbook: bold frozen header with a filter, the rows, then the notes. */
export async function toXlsx(sheet: Sheet, opts: { created?: Date } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Bantay';
  if (opts.created) {
    wb.created = opts.created;
    wb.modified = opts.created;
  }
  const ws = wb.addWorksheet(sheet.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.headers.map((h, i) => ({ header: h, width: sheet.widths?.[i] ?? 16 }));
  ws.getRow(1).font = { bold: true };
  // Cells are written as values, never formulas, so spreadsheet injection does not apply here.
  for (const r of sheet.rows) ws.addRow(r.map((c) => (c === undefined ? null : c)));
  if (sheet.rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.headers.length } };
  if (sheet.notes.length > 0) {
    ws.addRow([]);
    for (const n of sheet.notes) ws.addRow([n]).font = { italic: true };
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A written time as UTC; whole seconds print without a fraction (`2026-02-27T21:00:00Z`), as carriers' forms expect. */
export function utcOf(t: string | undefined): string | null {
  if (!t) return null;
  try {
    return toUtcIso(t).replace(/\.000Z$/, 'Z');
  } catch {
    return null;
  }
}
