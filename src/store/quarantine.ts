import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { gunzipSync, gzipSync } from 'node:zlib';
import { replaceHostileChars } from '../model/text-safety.ts';
import { gunzipText, gzipText } from './compress.ts';
import type { BantayDatabase } from './schema.ts';
import { iso } from '../model/dates.ts';

/** Something ingest set aside, with where it was and why. */
export interface QuarantineInput {
  source: string;
  entry?: string | undefined;
  line?: number | null | undefined;
  column?: number | null | undefined;
  index?: number | null | undefined;
  reportId?: string | undefined;
  reason: string;
  raw?: string | undefined;
  /** The raw bytes, when they are not the UTF-8 of `raw` (bytes the encoding could not decode); kept instead of `raw`. */
  rawBytes?: Uint8Array | undefined;
  /** How many items of the file this one stands for (repeats collapsed); 1 when absent. */
  count?: number | undefined;
}

/** A quarantined item as `bantay quarantine list` shows it. */
export interface QuarantineRow {
  id: number;
  source: string;
  entry: string | null;
  line: number | null;
  column: number | null;
  index: number | null;
  reportId: string | null;
  reason: string;
  firstSeenAt: string;
  lastSeenAt: string;
  timesSeen: number;
  /** How many items of the file this entry stands for (repeats of one problem collapsed into it). */
  count: number;
  hasRaw: boolean;
}

// The same problem at the same place is one entry however often the file is re-ingested.
function fingerprint(q: QuarantineInput): string {
  return createHash('sha256')
    .update([q.source, q.entry ?? '', q.line ?? '', q.column ?? '', q.index ?? '', q.reportId ?? '', q.reason].join('\u0000'))
    .digest('hex');
}

/** Records quarantined items; an item already recorded is counted again, not duplicated. */
export async function addQuarantine(db: Kysely<BantayDatabase>, items: QuarantineInput[], runId: number | null): Promise<void> {
  if (items.length === 0) return;
  const seen = new Set<string>();
  const rows = [];
  for (const q of items) {
    const fp = fingerprint(q);
    if (seen.has(fp)) continue;
    seen.add(fp);
    // Text columns cannot hold NUL or lone surrogates (a reason may quote the input); the raw is kept as bytes.
    rows.push({
      fingerprint: fp,
      run_id: runId,
      source: replaceHostileChars(q.source),
      entry: q.entry === undefined ? null : replaceHostileChars(q.entry),
      line: q.line ?? null,
      col: q.column ?? null,
      item_index: q.index ?? null,
      report_id: q.reportId === undefined ? null : replaceHostileChars(q.reportId),
      reason: replaceHostileChars(q.reason),
      raw_gz: q.rawBytes !== undefined ? gzipSync(q.rawBytes, { level: 6 }) : q.raw === undefined ? null : gzipText(q.raw),
      item_count: q.count ?? 1,
    });
  }
  await db
    .insertInto('quarantine')
    .values(rows)
    .onConflict((oc) =>
      oc.column('fingerprint').doUpdateSet((eb) => ({
        last_seen_at: sql`now()`,
        times_seen: sql`${eb.ref('quarantine.times_seen')} + 1`,
        run_id: eb.ref('excluded.run_id'),
        item_count: eb.ref('excluded.item_count'),
      })),
    )
    .execute();
}

/** Quarantined items, newest first. */
export async function listQuarantine(db: Kysely<BantayDatabase>, opts: { limit?: number; runId?: number } = {}): Promise<QuarantineRow[]> {
  let q = db
    .selectFrom('quarantine')
    .select([
      'id',
      'source',
      'entry',
      'line',
      'col',
      'item_index',
      'report_id',
      'reason',
      'first_seen_at',
      'last_seen_at',
      'times_seen',
      'item_count',
      sql<boolean>`raw_gz is not null`.as('has_raw'),
    ])
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(1, Math.min(opts.limit ?? 100, 100_000)));
  if (opts.runId !== undefined) q = q.where('run_id', '=', opts.runId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    source: r.source,
    entry: r.entry,
    line: r.line,
    column: r.col,
    index: r.item_index,
    reportId: r.report_id,
    reason: r.reason,
    firstSeenAt: iso(r.first_seen_at),
    lastSeenAt: iso(r.last_seen_at),
    timesSeen: r.times_seen,
    count: r.item_count,
    hasRaw: r.has_raw,
  }));
}

/** The raw text kept with a quarantined item, if any (bytes that are not UTF-8 read as U+FFFD; quarantinedRawBytes has them as they were). */
export async function quarantinedRaw(db: Kysely<BantayDatabase>, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('quarantine').select('raw_gz').where('id', '=', id).executeTakeFirst();
  return row?.raw_gz ? gunzipText(row.raw_gz) : undefined;
}

/** The raw bytes kept with a quarantined item, exactly as they were in the file, if any. */
export async function quarantinedRawBytes(db: Kysely<BantayDatabase>, id: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('quarantine').select('raw_gz').where('id', '=', id).executeTakeFirst();
  return row?.raw_gz ? gunzipSync(row.raw_gz) : undefined;
}
