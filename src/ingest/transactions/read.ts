// Streams the records of a transactions file (CSV with a header row, or JSON Lines), one at a
// time with its line number; a record that cannot be read is yielded with why, never thrown, so
// the rest of the file still loads.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse, type CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { escapeHostileChars, hostileChar } from '../../model/text-safety.ts';

/** One record of a file: its fields as text, or why it could not be read. */
export type RawRecord =
  { line: number; fields: Record<string, string>; raw?: undefined; error?: undefined } | { line: number; error: string; raw: string; fields?: undefined };

/** The columns that make a CSV header (or a JSON Lines record) a transactions file's (../shared/spec/transactions.md). */
export const REQUIRED_COLUMNS = ['txn_id', 'timestamp', 'amount', 'currency'] as const;

/** Whether a header (or a first record's keys) names a transactions file: every required column, in any case and order. */
export function isTransactionsHeader(columns: string[]): boolean {
  const have = new Set(columns.map((c) => c.trim().toLowerCase()));
  return REQUIRED_COLUMNS.every((c) => have.has(c));
}

/** The columns of a CSV text's header row (its first record), or [] when it has none. */
export function csvHeader(head: string): string[] {
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  try {
    const rows = parseSync(firstLine, { relax_quotes: true, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch {
    return [];
  }
}

/** The format of a file: by its extension, else by its first character. */
export function detectFormat(path: string, firstChunk: string): 'csv' | 'jsonl' {
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  if (/\.csv$/i.test(path)) return 'csv';
  return firstChunk
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'jsonl'
    : 'csv';
}

async function firstChunk(path: string): Promise<string> {
  const s = createReadStream(path, { start: 0, end: 255, encoding: 'utf8' });
  let out = '';
  for await (const c of s) out += String(c);
  return out;
}

/**
 * A record whose fields hold a character no stored text may hold (NUL, a lone surrogate) is
 * refused, naming the column; the raw text is kept with the character escaped (`\u0000`).
 */
function refuseHostile(rec: RawRecord): RawRecord {
  // A parser's message may quote the input.
  if (rec.fields === undefined)
    return hostileChar(rec.raw + rec.error) ? { ...rec, error: escapeHostileChars(rec.error), raw: escapeHostileChars(rec.raw) } : rec;
  for (const [k, v] of Object.entries(rec.fields)) {
    const h = hostileChar(k) ?? hostileChar(v);
    if (h) {
      const column = escapeHostileChars(k);
      return {
        line: rec.line,
        error: `column ${column} holds a character that cannot be stored (${h.code}); the row is set aside, its raw text kept with the character escaped`,
        raw: escapeHostileChars(JSON.stringify(rec.fields)),
      };
    }
  }
  return rec;
}

/** Every record of a file, in order. */
export async function* readTransactionRecords(path: string): AsyncGenerator<RawRecord> {
  const format = detectFormat(path, await firstChunk(path));
  for await (const rec of format === 'jsonl' ? readJsonLines(path) : readCsv(path)) yield refuseHostile(rec);
}

async function* readJsonLines(path: string): AsyncGenerator<RawRecord> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const t = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (t.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (err) {
      yield { line, error: `not JSON: ${err instanceof Error ? err.message : String(err)}`, raw: t };
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      yield { line, error: 'not a JSON object', raw: t };
      continue;
    }
    const fields: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === null || x === undefined) continue;
      fields[k.trim().toLowerCase()] = typeof x === 'object' ? JSON.stringify(x) : String(x);
    }
    yield { line, fields };
  }
}

async function* readCsv(path: string): AsyncGenerator<RawRecord> {
  const skipped: RawRecord[] = [];
  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const e = err as (CsvError & { lines?: number }) | undefined;
      skipped.push({ line: e?.lines ?? 0, error: `unreadable CSV: ${e?.message ?? 'malformed record'}`, raw: raw ?? '' });
      return undefined;
    },
  });
  createReadStream(path)
    .on('error', (err) => parser.destroy(err))
    .pipe(parser);
  for await (const item of parser as AsyncIterable<{ record: Record<string, string | undefined>; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(item.record)) if (v !== undefined && v !== '') fields[k] = v;
    yield { line: item.info.lines, fields };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
