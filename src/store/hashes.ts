import { pendingForStage, type PendingReport } from './reports.ts';
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import type { ContentGroupsTable } from './schema-hashes.ts';
import { bulkWrite, chunks, deleteByKeys, upsertRows, type Db } from './bulk.ts';
import type { BulkCopy } from './copy-text.ts';
import { iso } from '../model/dates.ts';

/** Reports to (re)extract hashes from: the given ids, all, or those changed since the last update. */
export async function pendingReports(
  db: Kysely<BantayDatabase>,
  opts: { ids?: string[]; all?: boolean; after?: string; limit: number },
): Promise<PendingReport[]> {
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
export async function replaceFileHashes(
  store: Store,
  reports: { reportId: string; version: number; seenAt: Date | null }[],
  rows: StoredFileHash[],
): Promise<void> {
  if (reports.length === 0) return;
  await store.db.transaction().execute((tx) => writeFileHashes(tx, store.copy, reports, rows));
}

/** Replaces the stored hashes of these report versions within the caller's transaction; new PDQ values join the slot index. */
export async function writeFileHashes(
  tx: Db,
  copy: BulkCopy | undefined,
  reports: { reportId: string; version: number; seenAt: Date | null }[],
  rows: StoredFileHash[],
): Promise<void> {
  if (reports.length === 0) return;
  const ids = reports.map((r) => r.reportId);
  const meta = new Map(reports.map((r) => [r.reportId, r]));
  for (const part of chunks(ids)) {
    await tx.deleteFrom('file_hashes').where('report_id', 'in', part).execute();
    await tx.deleteFrom('hashed_reports').where('report_id', 'in', part).execute();
  }
  await bulkWrite(
    tx,
    copy,
    'file_hashes',
    ['report_id', 'file_id', 'hash_type', 'value', 'version', 'quality', 'user_key', 'seen_at', 'esp_viral'],
    rows.map((r) => {
      const m = meta.get(r.reportId)!;
      return [r.reportId, r.fileId, r.type, r.value, m.version, r.quality, r.userKey, m.seenAt, r.espViral];
    }),
  );
  await bulkWrite(
    tx,
    copy,
    'hashed_reports',
    ['report_id', 'version'],
    reports.map((r) => [r.reportId, r.version]),
  );
  await addPdqSlots(
    tx,
    rows.filter((r) => r.type === 'pdq').map((r) => r.value),
  );
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
export async function saveHashList(
  store: Store,
  meta: HashListMeta,
  contentHash: string,
  entries: HashListEntryInput[],
): Promise<{ outcome: ImportOutcome; id: number }> {
  return store.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('hash_lists').select(['id', 'content_hash', 'format']).where('name', '=', meta.name).executeTakeFirst();
    if (existing && existing.content_hash === contentHash && existing.format === meta.format) return { outcome: 'unchanged' as const, id: existing.id };
    const values = {
      name: meta.name,
      format: meta.format,
      source: meta.source,
      category: meta.category,
      list_date: meta.listDate,
      profile: meta.profile,
      entry_count: entries.length,
      content_hash: contentHash,
      imported_at: new Date().toISOString(),
      ...(meta.pdqThreshold !== undefined ? { pdq_threshold: meta.pdqThreshold } : {}),
      ...(meta.pdqQualityFloor !== undefined ? { pdq_quality_floor: meta.pdqQualityFloor } : {}),
    };
    let id: number;
    if (existing) {
      id = existing.id;
      // What the old entries matched changes too: marked before they go.
      await markListMatches(tx, id);
      await tx.updateTable('hash_lists').set(values).where('id', '=', id).execute();
      await tx.deleteFrom('hash_list_entries').where('list_id', '=', id).execute();
    } else {
      id = (await tx.insertInto('hash_lists').values(values).returning('id').executeTakeFirstOrThrow()).id;
    }
    await bulkWrite(
      tx,
      store.copy,
      'hash_list_entries',
      ['list_id', 'hash_type', 'value', 'category', 'series', 'victim_identified', 'quality'],
      entries.map((e) => [id, e.type, e.value, e.category, e.series, e.victimIdentified, e.quality]),
    );
    await addPdqSlots(
      tx,
      entries.filter((e) => e.type === 'pdq').map((e) => e.value),
    );
    await markListMatches(tx, id);
    return { outcome: existing ? ('replaced' as const) : ('created' as const), id };
  });
}

/** Every list, by name. */
export async function listHashLists(db: Kysely<BantayDatabase>): Promise<HashListRow[]> {
  const rows = await db.selectFrom('hash_lists').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    format: r.format,
    source: r.source,
    category: r.category,
    listDate: r.list_date,
    profile: r.profile,
    enabled: r.enabled,
    pdqThreshold: r.pdq_threshold,
    pdqQualityFloor: r.pdq_quality_floor,
    entryCount: r.entry_count,
    contentHash: r.content_hash,
    importedAt: iso(r.imported_at),
  }));
}

/** Enables or disables a list by name; false when no list has that name. */
export async function setHashListEnabled(db: Kysely<BantayDatabase>, name: string, enabled: boolean): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('hash_lists').set({ enabled }).where('name', '=', name).where('enabled', '!=', enabled).returning('id').executeTakeFirst();
    if (r) await markListMatches(tx, r.id);
    return r !== undefined || (await tx.selectFrom('hash_lists').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;
  });
}

/**
 * Marks for the signal stage what a list's entries touch: reports holding one of its values
 * exactly, and its PDQ values (the stage searches their near copies).
 */
async function markListMatches(tx: Db, listId: number): Promise<void> {
  await sql`insert into stage_pending (stage, key)
    select distinct 'hash-signals', 'r:' || f.report_id from hash_list_entries e join file_hashes f on f.value = e.value and f.hash_type = e.hash_type
    where e.list_id = ${listId}
    on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(tx);
  await sql`insert into stage_pending (stage, key)
    select distinct 'hash-signals', 'l:pdq:' || e.value from hash_list_entries e where e.list_id = ${listId} and e.hash_type = 'pdq'
    on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(tx);
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
  return rows.map((r) => ({
    reportId: r.report_id,
    fileId: r.file_id,
    type: r.hash_type,
    value: r.value,
    list: r.name,
    category: r.category ?? r.list_category,
    series: r.series,
    victimIdentified: r.victim_identified,
  }));
}

/** PDQ entries of enabled lists, with each list's threshold and quality floor. */
export async function enabledPdqEntries(
  db: Kysely<BantayDatabase>,
): Promise<{ value: string; list: string; category: string | null; series: string | null; quality: number | null; threshold: number; floor: number }[]> {
  const rows = await db
    .selectFrom('hash_list_entries as e')
    .innerJoin('hash_lists as l', 'l.id', 'e.list_id')
    .where('l.enabled', '=', true)
    .where('e.hash_type', '=', 'pdq')
    .select(['e.value', 'l.name', 'l.category as list_category', 'e.category', 'e.series', 'e.quality', 'l.pdq_threshold', 'l.pdq_quality_floor'])
    .execute();
  return rows.map((r) => ({
    value: r.value,
    list: r.name,
    category: r.category ?? r.list_category,
    series: r.series,
    quality: r.quality,
    threshold: r.pdq_threshold,
    floor: r.pdq_quality_floor,
  }));
}

/** Every stored file hash (for signal computation; read in one pass, ordered by report). */
export async function allFileHashes(db: Kysely<BantayDatabase>): Promise<(StoredFileHash & { seenAt: Date | null })[]> {
  const rows = await db
    .selectFrom('file_hashes')
    .select(['report_id', 'file_id', 'hash_type', 'value', 'quality', 'user_key', 'esp_viral', 'seen_at'])
    .orderBy('report_id')
    .orderBy('file_id')
    .execute();
  return rows.map((r) => ({
    reportId: r.report_id,
    fileId: r.file_id,
    type: r.hash_type,
    value: r.value,
    quality: r.quality,
    userKey: r.user_key,
    espViral: r.esp_viral,
    seenAt: r.seen_at,
  }));
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
    await bulkWrite(
      tx,
      store.copy,
      'report_hash_signals',
      ['report_id', 'novelty', 'known', 'viral', 'viral_key', 'new_files', 'evidence'],
      rows.map((r) => [r.reportId, r.novelty, r.known, r.viral, r.viralKey, r.newFiles, JSON.stringify(r.evidence)]),
    );
  });
}

/** The stored roll-up of some reports (all when ids is undefined). */
export async function reportSignals(db: Kysely<BantayDatabase>, ids?: string[]): Promise<ReportSignalRow[]> {
  const q = db.selectFrom('report_hash_signals').selectAll().orderBy('report_id');
  // In slices: a content group can reach more reports than one statement may bind (65,535).
  const rows = ids ? [] : await q.execute();
  for (const part of ids ? chunks([...ids].sort(), 5000) : []) for (const r of await q.where('report_id', 'in', part).execute()) rows.push(r);
  return rows.map((r) => ({
    reportId: r.report_id,
    novelty: r.novelty,
    known: r.known,
    viral: r.viral,
    viralKey: r.viral_key,
    newFiles: r.new_files,
    evidence: r.evidence,
  }));
}

/** Every place a value (or any of several spellings of it) occurs: report files and list entries (any list, enabled or not). */
export async function occurrences(
  db: Kysely<BantayDatabase>,
  value: string | string[],
): Promise<{
  files: { reportId: string; fileId: string; type: string }[];
  lists: { list: string; enabled: boolean; type: string; category: string | null; series: string | null; victimIdentified: boolean | null }[];
}> {
  const values = typeof value === 'string' ? [value] : value;
  const files = await db
    .selectFrom('file_hashes')
    .select(['report_id', 'file_id', 'hash_type'])
    .where('value', 'in', values)
    .orderBy('report_id')
    .orderBy('file_id')
    .execute();
  const lists = await db
    .selectFrom('hash_list_entries as e')
    .innerJoin('hash_lists as l', 'l.id', 'e.list_id')
    .select(['l.name', 'l.enabled', 'e.hash_type', 'l.category as list_category', 'e.category', 'e.series', 'e.victim_identified'])
    .where('e.value', 'in', values)
    .orderBy('l.name')
    .execute();
  return {
    files: files.map((r) => ({ reportId: r.report_id, fileId: r.file_id, type: r.hash_type })),
    lists: lists.map((r) => ({
      list: r.name,
      enabled: r.enabled,
      type: r.hash_type,
      category: r.category ?? r.list_category,
      series: r.series,
      victimIdentified: r.victim_identified,
    })),
  };
}

/** Stored PDQ hashes of report files (for near lookups of one query hash). */
export async function storedPdq(db: Kysely<BantayDatabase>): Promise<{ reportId: string; fileId: string; value: string }[]> {
  const rows = await db.selectFrom('file_hashes').select(['report_id', 'file_id', 'value']).where('hash_type', '=', 'pdq').execute();
  return rows.map((r) => ({ reportId: r.report_id, fileId: r.file_id, value: r.value }));
}

/** Counts for a status line: stored file hashes, reports hashed, lists. */
export async function hashStoreCounts(db: Kysely<BantayDatabase>): Promise<{ fileHashes: number; reports: number; lists: number }> {
  const r = await sql<{
    f: string;
    r: string;
    l: string;
  }>`select (select count(*) from file_hashes) as f, (select count(*) from hashed_reports) as r, (select count(*) from hash_lists) as l`.execute(db);
  const row = r.rows[0]!;
  return { fileHashes: Number(row.f), reports: Number(row.r), lists: Number(row.l) };
}

/** A file of a report. */
export interface FileRef {
  reportId: string;
  fileId: string;
}

type HashRowRaw = {
  report_id: string;
  file_id: string;
  hash_type: string;
  value: string;
  quality: number | null;
  user_key: string | null;
  esp_viral: boolean;
  seen_at: Date | null;
};
const toSignalRow = (r: HashRowRaw): StoredFileHash & { seenAt: Date | null } => ({
  reportId: r.report_id,
  fileId: r.file_id,
  type: r.hash_type,
  value: r.value,
  quality: r.quality,
  userKey: r.user_key,
  espViral: r.esp_viral,
  seenAt: r.seen_at,
});

/** The files holding any of these (type, value) hashes. */
export async function filesHolding(db: Db, values: { type: string; value: string }[]): Promise<FileRef[]> {
  const out: FileRef[] = [];
  for (const part of chunks(values, 5000)) {
    const rows = await sql<{ report_id: string; file_id: string }>`select distinct f.report_id, f.file_id
      from unnest(${part.map((v) => v.type)}::text[], ${part.map((v) => v.value)}::text[]) as q(t, v)
      join file_hashes f on f.value = q.v and f.hash_type = q.t`.execute(db);
    for (const r of rows.rows) out.push({ reportId: r.report_id, fileId: r.file_id });
  }
  return out;
}

/** Every stored hash of these files. */
export async function hashRowsOfFiles(db: Db, files: FileRef[]): Promise<(StoredFileHash & { seenAt: Date | null })[]> {
  const out: (StoredFileHash & { seenAt: Date | null })[] = [];
  for (const part of chunks(files, 5000)) {
    const rows = await sql<HashRowRaw>`select f.report_id, f.file_id, f.hash_type, f.value, f.quality, f.user_key, f.esp_viral, f.seen_at
      from unnest(${part.map((f) => f.reportId)}::text[], ${part.map((f) => f.fileId)}::text[]) as q(r, fi)
      join file_hashes f on f.report_id = q.r and f.file_id = q.fi`.execute(db);
    for (const r of rows.rows) out.push(toSignalRow(r));
  }
  return out;
}

/** Every stored hash of these reports. */
export async function hashRowsOfReports(db: Db, reportIds: string[]): Promise<(StoredFileHash & { seenAt: Date | null })[]> {
  const out: (StoredFileHash & { seenAt: Date | null })[] = [];
  for (const part of chunks(reportIds, 5000)) {
    const rows = await sql<HashRowRaw>`select report_id, file_id, hash_type, value, quality, user_key, esp_viral, seen_at
      from file_hashes where report_id = any(${part}::text[])`.execute(db);
    for (const r of rows.rows) out.push(toSignalRow(r));
  }
  return out;
}

/** The PDQ values stored under any of these slot codes (multi-index candidates), with which probe found each. */
export async function pdqSlotCandidates(db: Db, probes: { code: number; query: number }[]): Promise<{ query: number; value: string }[]> {
  const out: { query: number; value: string }[] = [];
  for (const part of chunks(probes, 50_000)) {
    const rows = await sql<{ query: number; value: string }>`select distinct q.query, s.value
      from unnest(${part.map((p) => p.code)}::int[], ${part.map((p) => p.query)}::int[]) as q(code, query)
      join hash_pdq_slots s on s.code = q.code`.execute(db);
    for (const r of rows.rows) out.push(r);
  }
  return out;
}

/** Adds PDQ values to the slot index (values already there are left as they are). */
export async function addPdqSlots(db: Db, values: string[]): Promise<void> {
  for (const part of chunks([...new Set(values)].filter((v) => /^[0-9a-f]{64}$/.test(v)).sort(), 5000)) {
    await sql`insert into hash_pdq_slots (code, value)
      select k * 65536 + ('x' || substr(v, 1 + 4 * k, 4))::bit(16)::int, v from unnest(${part}::text[]) v, generate_series(0, 15) k
      on conflict do nothing`.execute(db);
  }
}

/** Exact matches of these files' hashes against enabled lists. */
export async function exactListMatchesOf(db: Db, files: FileRef[]): Promise<ExactListMatch[]> {
  const out: ExactListMatch[] = [];
  for (const part of chunks(files, 5000)) {
    const rows = await sql<{
      report_id: string;
      file_id: string;
      hash_type: string;
      value: string;
      name: string;
      list_category: string | null;
      category: string | null;
      series: string | null;
      victim_identified: boolean | null;
    }>`
      select f.report_id, f.file_id, f.hash_type, f.value, l.name, l.category as list_category, e.category, e.series, e.victim_identified
      from unnest(${part.map((f) => f.reportId)}::text[], ${part.map((f) => f.fileId)}::text[]) as q(r, fi)
      join file_hashes f on f.report_id = q.r and f.file_id = q.fi
      join hash_list_entries e on e.value = f.value and e.hash_type = f.hash_type
      join hash_lists l on l.id = e.list_id
      where l.enabled`.execute(db);
    for (const r of rows.rows)
      out.push({
        reportId: r.report_id,
        fileId: r.file_id,
        type: r.hash_type,
        value: r.value,
        list: r.name,
        category: r.category ?? r.list_category,
        series: r.series,
        victimIdentified: r.victim_identified,
      });
  }
  return out;
}

/** PDQ entries of enabled lists holding exactly one of these values. */
export async function enabledPdqEntriesOf(
  db: Db,
  values: string[],
): Promise<{ value: string; list: string; category: string | null; series: string | null; quality: number | null; threshold: number; floor: number }[]> {
  const out: { value: string; list: string; category: string | null; series: string | null; quality: number | null; threshold: number; floor: number }[] = [];
  for (const part of chunks(values, 5000)) {
    const rows = await db
      .selectFrom('hash_list_entries as e')
      .innerJoin('hash_lists as l', 'l.id', 'e.list_id')
      .where('l.enabled', '=', true)
      .where('e.hash_type', '=', 'pdq')
      .where('e.value', 'in', part)
      .select(['e.value', 'l.name', 'l.category as list_category', 'e.category', 'e.series', 'e.quality', 'l.pdq_threshold', 'l.pdq_quality_floor'])
      .execute();
    for (const r of rows)
      out.push({
        value: r.value,
        list: r.name,
        category: r.category ?? r.list_category,
        series: r.series,
        quality: r.quality,
        threshold: r.pdq_threshold,
        floor: r.pdq_quality_floor,
      });
  }
  return out;
}

/** Upserts report signal roll-ups; a row whose content is unchanged keeps its computed_at. Returns rows changed. */
export async function upsertReportSignals(db: Db, copy: BulkCopy | undefined, rows: ReportSignalRow[]): Promise<number> {
  return (
    await upsertRows(
      db,
      copy,
      'report_hash_signals',
      ['report_id', 'novelty', 'known', 'viral', 'viral_key', 'new_files', 'evidence'],
      ['report_id'],
      rows.map((r) => [r.reportId, r.novelty, r.known, r.viral, r.viralKey, r.newFiles, JSON.stringify(r.evidence)]),
      { touch: 'computed_at' },
    )
  ).length;
}

/** The distinct (type, value) hashes these reports hold now. */
export async function valuesOfReports(db: Db, reportIds: string[]): Promise<{ type: string; value: string }[]> {
  const out = new Map<string, { type: string; value: string }>();
  for (const part of chunks(reportIds, 5000)) {
    const rows = await sql<{
      hash_type: string;
      value: string;
    }>`select distinct hash_type, value from file_hashes where report_id = any(${part}::text[])`.execute(db);
    for (const r of rows.rows) out.set(`${r.hash_type}:${r.value}`, { type: r.hash_type, value: r.value });
  }
  return [...out.values()];
}

/** Which of these reports the hash store has extracted (any version). */
export async function hashedReportsOf(db: Db, reportIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(reportIds, 5000)) {
    for (const r of (await sql<{ report_id: string }>`select report_id from hashed_reports where report_id = any(${part}::text[])`.execute(db)).rows)
      out.add(r.report_id);
  }
  return out;
}

/** The largest PDQ threshold of an enabled list (-1 when none). */
export async function maxEnabledPdqThreshold(db: Db): Promise<number> {
  const r = await sql<{ max: number | null }>`select max(pdq_threshold)::int as max from hash_lists where enabled`.execute(db);
  return r.rows[0]?.max ?? -1;
}

/** How many reports have each novelty. */
export async function noveltyCounts(db: Db): Promise<Record<string, number>> {
  const rows = await sql<{ novelty: string; n: number }>`select novelty, count(*)::int as n from report_hash_signals group by novelty`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.novelty, r.n]));
}

/** Every distinct PDQ value of the slot index (report files and lists), or undefined when there are more than `max`. */
export async function allPdqValues(db: Db, max: number): Promise<string[] | undefined> {
  // Slot 0 holds every value exactly once.
  const rows = (await sql<{ value: string }>`select value from hash_pdq_slots where code < 65536 limit ${max + 1}`.execute(db)).rows;
  return rows.length > max ? undefined : rows.map((r) => r.value);
}

/** A content group's totals as stored (see src/hashes/signals.ts GroupTotals). */
export interface ContentGroupRow {
  /** The group's name: its smallest `type:value` hash (stable while the group's hashes are). */
  id: string;
  /** Distinct reports carrying the content. */
  reports: number;
  /** Distinct users among them. */
  users: number;
  /** The densest window that met the viral rule, when one did. */
  window: { from: string; to: string; reports: number; users: number } | null;
  /** The report where the content was first seen (earliest incident time, then report id). */
  first: string;
  /** The batch key when the group is viral (a window, or a file the ESP flagged); null otherwise. */
  key: string | null;
}

type GroupRaw = ContentGroupsTable;
const toGroup = (r: GroupRaw): ContentGroupRow => ({
  id: r.id,
  reports: r.reports,
  users: r.users,
  window: r.window_from === null ? null : { from: r.window_from, to: r.window_to!, reports: r.window_reports!, users: r.window_users! },
  first: r.first_report,
  key: r.viral_key,
});

/** The stored group of each of these hashes (by `type:value`); a hash without one is absent. */
export async function groupIdsOfValues(db: Db, values: { type: string; value: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(values, 5000)) {
    const rows = await sql<{ hash_type: string; value: string; group_id: string }>`select g.hash_type, g.value, g.group_id
      from unnest(${part.map((v) => v.type)}::text[], ${part.map((v) => v.value)}::text[]) as q(t, v)
      join content_group_values g on g.hash_type = q.t and g.value = q.v`.execute(db);
    for (const r of rows.rows) out.set(`${r.hash_type}:${r.value}`, r.group_id);
  }
  return out;
}

/** Every hash of these groups. */
export async function valuesOfGroups(db: Db, ids: string[]): Promise<{ type: string; value: string; groupId: string }[]> {
  const out: { type: string; value: string; groupId: string }[] = [];
  for (const part of chunks(ids, 5000)) {
    const rows = await sql<{ hash_type: string; value: string; group_id: string }>`select hash_type, value, group_id
      from content_group_values where group_id = any(${part}::text[])`.execute(db);
    for (const r of rows.rows) out.push({ type: r.hash_type, value: r.value, groupId: r.group_id });
  }
  return out;
}

/** The stored totals of these groups. */
export async function contentGroupsById(db: Db, ids: string[]): Promise<Map<string, ContentGroupRow>> {
  const out = new Map<string, ContentGroupRow>();
  for (const part of chunks(ids, 5000)) {
    for (const r of (await sql<GroupRaw>`select * from content_groups where id = any(${part}::text[])`.execute(db)).rows) out.set(r.id, toGroup(r));
  }
  return out;
}

/** The stored totals of the groups holding these hashes (`type:value`), by hash. */
export async function contentGroupsOfValues(db: Db, keys: string[]): Promise<Map<string, ContentGroupRow>> {
  const values = [...new Set(keys)].map((k) => ({ type: k.slice(0, k.indexOf(':')), value: k.slice(k.indexOf(':') + 1) }));
  const ids = await groupIdsOfValues(db, values);
  const groups = await contentGroupsById(db, [...new Set(ids.values())]);
  const out = new Map<string, ContentGroupRow>();
  for (const [k, id] of ids) {
    const g = groups.get(id);
    if (g) out.set(k, g);
  }
  return out;
}

/**
 * Writes what one hash-signals batch recomputed: the totals of its groups (rows whose content is
 * unchanged are left alone), drops groups that merged away or lost every file, and points each
 * hash at its group (hashes no file holds any more are dropped).
 */
export async function writeContentGroups(
  db: Db,
  copy: BulkCopy | undefined,
  w: { groups: ContentGroupRow[]; drop: string[]; values: { type: string; value: string; groupId: string }[]; unheld: { type: string; value: string }[] },
): Promise<number> {
  if (w.drop.length > 0) await deleteByKeys(db, 'content_groups', 'id', w.drop);
  for (const part of chunks(w.unheld, 5000))
    await sql`delete from content_group_values g using unnest(${part.map((v) => v.type)}::text[], ${part.map((v) => v.value)}::text[]) as q(t, v)
      where g.hash_type = q.t and g.value = q.v`.execute(db);
  const changed = await upsertRows(
    db,
    copy,
    'content_groups',
    ['id', 'reports', 'users', 'first_report', 'window_from', 'window_to', 'window_reports', 'window_users', 'viral_key'],
    ['id'],
    w.groups.map((g) => [
      g.id,
      g.reports,
      g.users,
      g.first,
      g.window?.from ?? null,
      g.window?.to ?? null,
      g.window?.reports ?? null,
      g.window?.users ?? null,
      g.key,
    ]),
  );
  await upsertRows(
    db,
    copy,
    'content_group_values',
    ['hash_type', 'value', 'group_id'],
    ['hash_type', 'value'],
    w.values.map((v) => [v.type, v.value, v.groupId]),
  );
  return changed.length;
}

/** Which of these reports hold files in more than one viral group (their batch depends on the groups' report counts). */
export async function reportsInSeveralViralGroups(db: Db, reportIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(reportIds, 5000)) {
    const rows = await sql<{ report_id: string }>`select f.report_id from file_hashes f
      join content_group_values v on v.hash_type = f.hash_type and v.value = f.value
      join content_groups g on g.id = v.group_id
      where f.report_id = any(${part}::text[]) and g.viral_key is not null
      group by f.report_id having count(distinct g.id) > 1`.execute(db);
    for (const r of rows.rows) out.add(r.report_id);
  }
  return out;
}
