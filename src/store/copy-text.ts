/** Loads COPY text rows into a table within the current transaction. */
export type BulkCopy = (table: string, columns: string[], text: string) => Promise<void>;

/** A value COPY's text format can carry in one column. */
export type CopyValue = string | number | boolean | null | undefined | Date | Uint8Array | readonly string[];

// COPY text format: backslash escapes for the separators, \N for NULL, and bytea as \\x-hex
// (the backslash itself escaped once for COPY).
function field(v: CopyValue): string {
  if (typeof v === 'string') return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  // A text[] literal: every element double-quoted, with its quotes and backslashes escaped.
  return field(`{${v.map((e) => `"${e.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`);
}

/** Rows encoded as PostgreSQL COPY text (tab-separated, one row a line). */
export function copyText(rows: CopyValue[][]): string {
  let out = '';
  for (const row of rows) out += `${row.map(field).join('\t')}\n`;
  return out;
}
