import { pendingForStage, type PendingReport } from './reports.ts';
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import { bulkWrite, type Db } from './bulk.ts';

/** Reports to (re)extract hashes from: the given ids, all, or those changed since the last update. */
export async function pendingReports(db: Kysely<BantayDatabase>, opts: { ids?: string[]; all?: boolean; after?: string; limit: number }): Promise<PendingReport[]> {
  return pendingForStage(db, 'hashed_reports', opts);
}

/** One file hash as the store keeps it. */
export interface StoredFileHash {
  reportId: string;
  fileId: string;
  type: string;
  value: string;
  quality: number | null;
  userKey: string | null;
  espViral: boolean;
}

/** Replaces the stored hashes of these report versions, in one transaction with batched writes. */
export async function replaceFileHashes(store: Store, reports: { reportId: string; version: number; seenAt: Date | null }[], rows: StoredFileHash[]): Promise<void> {
  if (reports.length === 0) return;
  const ids = reports.map((r) => r.reportId);
  const meta = new Map(reports.map((r) => [r.reportId, r]));
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('file_hashes').where('report_id', 'in', ids).execute();
    await tx.deleteFrom('hashed_reports').where('report_id', 'in', ids).execute();
    await bulkWrite(tx, store.copy, 'file_hashes', ['report_id', 'file_id', 'hash_type', 'value', 'version', 'quality', 'user_key', 'seen_at', 'esp_viral'],
      rows.map((r) => { const m = meta.get(r.reportId)!; return [r.reportId, r.fileId, r.type, r.value, m.version, r.quality, r.userKey, m.seenAt, r.espViral]; }));
    await bulkWrite(tx, store.copy, 'hashed_reports', ['report_id', 'version'], reports.map((r) => [r.reportId, r.version]));
  });
}

/** A list as `bantay hashlist list` shows it. */
export interface HashListRow extends Omit<HashListMeta, 'pdqThreshold' | 'pdqQualityFloor'> {
  id: number;
  enabled: boolean;
  pdqThreshold: number;
  pdqQualityFloor: number;
  entryCount: number;
  contentHash: string;
  importedAt: string;
}

/** A list's descriptive fields for import. */
export interface HashListMeta {
  name: string;
  format: string;
  source: string | null;
  category: string | null;
  listDate: string | null;
  profile: string | null;
  pdqThreshold?: number;
  pdqQualityFloor?: number;
}

/** One entry for import (already normalised). */
export interface HashListEntryInput {
  type: string;
  value: string;
  category: string | null;
  series: string | null;
  victimIdentified: boolean | null;
  quality: number | null;
}

/** What an import did: created, replaced (content changed) or unchanged (same content: idempotent). */
export type ImportOutcome = 'created' | 'replaced' | 'unchanged';

/** Creates or replaces a named list with these entries; the same content again changes nothing. */
export async function saveHashList(store: Store, meta: HashListMeta, contentHash: string, entries: HashListEntryInput[]): Promise<{ outcome: ImportOutcome; id: number }> {
  return store.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('hash_lists').select(['id', 'content_hash', 'format']).where('name', '=', meta.name).executeTakeFirst();
    if (existing && existing.content_hash === contentHash && existing.format === meta.format) return { outcome: 'unchanged' as const, id: existing.id };
    const values = {
      name: meta.name, format: meta.format, source: meta.source, category: meta.category, list_date: meta.listDate, profile: meta.profile,
      entry_count: entries.length, content_hash: contentHash, imported_at: new Date().toISOString(),
      ...(meta.pdqThreshold !== undefined ? { pdq_threshold: meta.pdqThreshold } : {}),
      ...(meta.pdqQualityFloor !== undefined ? { pdq_quality_floor: meta.pdqQualityFloor } : {}),
    };
    let id: number;
    if (existing) {
      id = existing.id;
      await tx.updateTable('hash_lists').set(values).where('id', '=', id).execute();
      await tx.deleteFrom('hash_list_entries').where('list_id', '=', id).execute();
    } else {
      id = (await tx.insertInto('hash_lists').values(values).returning('id').executeTakeFirstOrThrow()).id;
    }
    await bulkWrite(tx, store.copy, 'hash_list_entries', ['list_id', 'hash_type', 'value', 'category', 'series', 'victim_identified', 'quality'],
      entries.map((e) => [id, e.type, e.value, e.category, e.series, e.victimIdentified, e.quality]));
    return { outcome: existing ? ('replaced' as const) : ('created' as const), id };
  });
}

/** Every list, by name. */
export async function listHashLists(db: Kysely<BantayDatabase>): Promise<HashListRow[]> {
  const rows = await db.selectFrom('hash_lists').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, format: r.format, source: r.source, category: r.category, listDate: r.list_date, profile: r.profile,
    enabled: r.enabled, pdqThreshold: r.pdq_threshold, pdqQualityFloor: r.pdq_quality_floor, entryCount: r.entry_count,
    contentHash: r.content_hash, importedAt: new Date(r.imported_at).toISOString(),
  }));
}

/** Enables or disables a list by name; false when no list has that name. */
export async function setHashListEnabled(db: Kysely<BantayDatabase>, name: string, enabled: boolean): Promise<boolean> {
  const r = await db.updateTable('hash_lists').set({ enabled }).where('name', '=', name).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** An exact match of a stored file hash against an enabled list entry. */
export interface ExactListMatch {
  reportId: string;
  fileId: string;
  type: string;
  value: string;
  list: string;
  category: string | null;
  series: string | null;
  victimIdentified: boolean | null;
}

/** Exact matches between stored file hashes and entries of enabled lists (one join, in the database). */
export async function exactListMatches(db: Kysely<BantayDatabase>): Promise<ExactListMatch[]> {
  const rows = await db
    .selectFrom('file_hashes as f')
    .innerJoin('hash_list_entries as e', (j) => j.onRef('e.value', '=', 'f.value').onRef('e.hash_type', '=', 'f.hash_type'))
    .innerJoin('hash_lists as l', 'l.id', 'e.list_id')
    .where('l.enabled', '=', true)
    .select(['f.report_id', 'f.file_id', 'f.hash_type', 'f.value', 'l.name', 'l.category as list_category', 'e.category', 'e.series', 'e.victim_identified'])
    .execute();
  return rows.map((r) => ({ reportId: r.report_id, fileId: r.file_id, type: r.hash_type, value: r.value, list: r.name, category: r.category ?? r.list_category, series: r.series, victimIdentified: r.victim_identified }));
}

/** PDQ entries of enabled lists, with each list's threshold and quality floor. */
export async function enabledPdqEntries(db: Kysely<BantayDatabase>): Promise<{ value: string; list: string; category: string | null; series: string | null; quality: number | null; threshold: number; floor: number }[]> {
  const rows = await db
    .selectFrom('hash_list_entries as e')
    .innerJoin('hash_lists as l', 'l.id', 'e.list_id')
    .where('l.enabled', '=', true)
    .where('e.hash_type', '=', 'pdq')
    .select(['e.value', 'l.name', 'l.category as list_category', 'e.category', 'e.series', 'e.quality', 'l.pdq_threshold', 'l.pdq_quality_floor'])
    .execute();
  return rows.map((r) => ({ value: r.value, list: r.name, category: r.category ?? r.list_category, series: r.series, quality: r.quality, threshold: r.pdq_threshold, floor: r.pdq_quality_floor }));
}

/** Every stored file hash (for signal computation; read in one pass, ordered by report). */
export async function allFileHashes(db: Kysely<BantayDatabase>): Promise<(StoredFileHash & { seenAt: Date | null })[]> {
  const rows = await db.selectFrom('file_hashes').select(['report_id', 'file_id', 'hash_type', 'value', 'quality', 'user_key', 'esp_viral', 'seen_at']).orderBy('report_id').orderBy('file_id').execute();
  return rows.map((r) => ({ reportId: r.report_id, fileId: r.file_id, type: r.hash_type, value: r.value, quality: r.quality, userKey: r.user_key, espViral: r.esp_viral, seenAt: r.seen_at }));
}

/** Ids of every report the hash store has seen (with or without hashes). */
export async function hashedReportIds(db: Kysely<BantayDatabase>): Promise<string[]> {
  return (await db.selectFrom('hashed_reports').select('report_id').orderBy('report_id').execute()).map((r) => r.report_id);
}

/** A report's hash signal roll-up as stored. */
export interface ReportSignalRow {
  reportId: string;
  novelty: string;
  known: boolean;
  viral: boolean;
  /** The viral batch key (see ReportSignal.viralKey); null when not viral. */
  viralKey: string | null;
  newFiles: number;
  evidence: unknown;
}

/** Replaces every report's signal roll-up in one transaction. */
export async function replaceReportSignals(store: Store, rows: ReportSignalRow[]): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('report_hash_signals').execute();
    await bulkWrite(tx, store.copy, 'report_hash_signals', ['report_id', 'novelty', 'known', 'viral', 'viral_key', 'new_files', 'evidence'],
      rows.map((r) => [r.reportId, r.novelty, r.known, r.viral, r.viralKey, r.newFiles, JSON.stringify(r.evidence)]));
  });
}

/** The stored roll-up of some reports (all when ids is undefined). */
export async function reportSignals(db: Kysely<BantayDatabase>, ids?: string[]): Promise<ReportSignalRow[]> {
  let q = db.selectFrom('report_hash_signals').selectAll().orderBy('report_id');
  if (ids) q = q.where('report_id', 'in', ids.length ? ids : ['']);
  const rows = await q.execute();
  return rows.map((r) => ({ reportId: r.report_id, novelty: r.novelty, known: r.known, viral: r.viral, viralKey: r.viral_key, newFiles: r.new_files, evidence: typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence }));
}

/** Every place a value (or any of several spellings of it) occurs: report files and list entries (any list, enabled or not). */
export async function occurrences(db: Kysely<BantayDatabase>, value: string | string[]): Promise<{ files: { reportId: string; fileId: string; type: string }[]; lists: { list: string; enabled: boolean; type: string; category: string | null; series: string | null; victimIdentified: boolean | null }[] }> {
  const values = typeof value === 'string' ? [value] : value;
  const files = await db.selectFrom('file_hashes').select(['report_id', 'file_id', 'hash_type']).where('value', 'in', values).orderBy('report_id').orderBy('file_id').execute();
  const lists = await db
    .selectFrom('hash_list_entries as e')
    .innerJoin('hash_lists as l', 'l.id', 'e.list_id')
    .select(['l.name', 'l.enabled', 'e.hash_type', 'l.category as list_category', 'e.category', 'e.series', 'e.victim_identified'])
    .where('e.value', 'in', values)
    .orderBy('l.name')
    .execute();
  return {
    files: files.map((r) => ({ reportId: r.report_id, fileId: r.file_id, type: r.hash_type })),
    lists: lists.map((r) => ({ list: r.name, enabled: r.enabled, type: r.hash_type, category: r.category ?? r.list_category, series: r.series, victimIdentified: r.victim_identified })),
  };
}

/** Stored PDQ hashes of report files (for near lookups of one query hash). */
export async function storedPdq(db: Kysely<BantayDatabase>): Promise<{ reportId: string; fileId: string; value: string }[]> {
  const rows = await db.selectFrom('file_hashes').select(['report_id', 'file_id', 'value']).where('hash_type', '=', 'pdq').execute();
  return rows.map((r) => ({ reportId: r.report_id, fileId: r.file_id, value: r.value }));
}

/** Counts for a status line: stored file hashes, reports hashed, lists. */
export async function hashStoreCounts(db: Kysely<BantayDatabase>): Promise<{ fileHashes: number; reports: number; lists: number }> {
  const r = await sql<{ f: string; r: string; l: string }>`select (select count(*) from file_hashes) as f, (select count(*) from hashed_reports) as r, (select count(*) from hash_lists) as l`.execute(db);
  const row = r.rows[0]!;
  return { fileHashes: Number(row.f), reports: Number(row.r), lists: Number(row.l) };
}
