// Repository functions of the identifier and linking stage. Decisions live in src/link; this
// module only reads and writes rows, in batches (COPY on the embedded backend, multi-row INSERT
// of at most 1,000 rows on the server): never a round trip per row.

import { pendingForStage, type PendingReport } from './reports.ts';
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import { bulkWrite, chunks, type Db } from './bulk.ts';
import type { BulkCopy } from './copy-text.ts';
import { reportVisibleSql, type VisibleTo } from './cases.ts';
import { iso } from '../model/dates.ts';

/** One identifier row as stored. */
export interface IdentifierRow {
  reportId: string;
  kind: string;
  value: string;
  key: string;
  role: string;
  strength: string;
  raw: string;
  /** UTC ISO or null. */
  at: string | null;
  note: string | null;
}

/** One evidence row as stored (reportA < reportB). */
export interface EvidenceRow {
  reportA: string;
  reportB: string;
  key: string;
  kind: string;
  strength: string;
  detail: string;
  /** Bits of weak evidence; null for strong and medium rows. */
  weight: number | null;
}

/** Reports to extract identifiers from: the given ids, all, or those whose current version was not extracted. */
export async function linkPendingReports(
  db: Kysely<BantayDatabase>,
  opts: { ids?: string[]; all?: boolean; after?: string; limit: number },
): Promise<PendingReport[]> {
  return pendingForStage(db, 'link_reports', opts);
}

/** The distinct keys the given reports hold now, of the given strengths. */
export async function keysOfReports(db: Db, reportIds: string[], strengths: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const ids of chunks(reportIds)) {
    const rows = await db.selectFrom('link_identifiers').select('key').distinct().where('report_id', 'in', ids).where('strength', 'in', strengths).execute();
    for (const r of rows) out.add(r.key);
  }
  return [...out];
}

/** Replaces the identifiers of these report versions (one transaction, batched writes). */
export async function replaceIdentifiers(
  store: Pick<Store, 'db' | 'copy'>,
  reports: { reportId: string; version: number }[],
  rows: IdentifierRow[],
): Promise<void> {
  if (reports.length === 0) return;
  await store.db.transaction().execute((tx) => writeIdentifiers(tx, store.copy, reports, rows));
}

/** Replaces the identifiers of these report versions within the caller's transaction. */
export async function writeIdentifiers(
  tx: Db,
  copy: BulkCopy | undefined,
  reports: { reportId: string; version: number }[],
  rows: IdentifierRow[],
): Promise<void> {
  if (reports.length === 0) return;
  for (const ids of chunks(reports.map((r) => r.reportId))) {
    await tx.deleteFrom('link_identifiers').where('report_id', 'in', ids).execute();
    await tx.deleteFrom('link_reports').where('report_id', 'in', ids).execute();
  }
  await bulkWrite(
    tx,
    copy,
    'link_identifiers',
    ['report_id', 'kind', 'value', 'key', 'role', 'strength', 'raw', 'at', 'note'],
    rows.map((r) => [r.reportId, r.kind, r.value, r.key, r.role, r.strength, r.raw, r.at, r.note]),
  );
  await bulkWrite(
    tx,
    copy,
    'link_reports',
    ['report_id', 'version'],
    reports.map((r) => [r.reportId, r.version]),
  );
}

/** Which of these reports have had their identifiers extracted (any version). */
export async function linkedReportsOf(db: Db, reportIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ids of chunks(reportIds, 5000)) {
    for (const r of (await sql<{ report_id: string }>`select report_id from link_reports where report_id = any(${ids}::text[])`.execute(db)).rows)
      out.add(r.report_id);
  }
  return out;
}

function toIdentifierRow(r: {
  report_id: string;
  kind: string;
  value: string;
  key: string;
  role: string;
  strength: string;
  raw: string;
  at: Date | null;
  note: string | null;
}): IdentifierRow {
  return { reportId: r.report_id, kind: r.kind, value: r.value, key: r.key, role: r.role, strength: r.strength, raw: r.raw, at: iso(r.at), note: r.note };
}

/** Every linkable identifier row holding one of the given keys. */
export async function rowsForKeys(db: Db, keys: string[], strengths: string[]): Promise<IdentifierRow[]> {
  const out: IdentifierRow[] = [];
  for (const ks of chunks(keys)) {
    const rows = await db.selectFrom('link_identifiers').selectAll().where('key', 'in', ks).where('strength', 'in', strengths).execute();
    for (const r of rows) out.push(toIdentifierRow(r));
  }
  return out;
}

/** Which of these report ids are stored. */
export async function existingReports(db: Db, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const c of chunks(ids)) {
    const rows = await db.selectFrom('reports').select('report_id').where('report_id', 'in', c).execute();
    for (const r of rows) out.add(r.report_id);
  }
  return out;
}

/**
 * Identifiers matching a search (any of these keys, or a bare screen name, user id or group id
 * equal to the text after `esp:`), with the subject of the report holding each; at most `limit`.
 */
export async function identifierMatches(
  db: Db,
  keys: string[],
  text: string,
  limit: number,
): Promise<{ kind: string; value: string; report_id: string; subject_id: string | null }[]> {
  const lower = text.toLowerCase();
  return db
    .selectFrom('link_identifiers as i')
    .leftJoin('link_subjects as s', 's.report_id', 'i.report_id')
    .select(['i.kind', 'i.value', 'i.report_id', 's.subject_id'])
    .where((eb) =>
      eb.or([
        ...(keys.length ? [eb('i.key', 'in', keys)] : []),
        // Written exactly as the partial index link_identifiers_handle (migration 0007) so that it is used.
        sql<SqlBool>`(i.kind in ('screen-name', 'esp-user-id', 'group-id') and split_part(i.value, ':', 2) in (${lower}, ${text}))`,
      ]),
    )
    .limit(limit)
    .execute();
}

/** A stored hub entry: a key on too many reports (or failing the guard) links nothing, for a reason. */
export interface HubRow {
  key: string;
  kind: string;
  value: string;
  reportCount: number;
  reason: string;
}

/** Replaces the evidence and hub entries of the given keys (all when keys is 'all'). */
export async function replaceEvidence(store: Pick<Store, 'db' | 'copy'>, keys: string[] | 'all', evidence: EvidenceRow[], hubs: HubRow[]): Promise<void> {
  await store.db.transaction().execute((tx) => writeEvidence(tx, store.copy, keys, evidence, hubs));
}

/** Replaces the evidence and hub entries of the given keys within the caller's transaction. */
export async function writeEvidence(tx: Db, copy: BulkCopy | undefined, keys: string[] | 'all', evidence: EvidenceRow[], hubs: HubRow[]): Promise<void> {
  // A hub that stays a hub keeps its "since"; the others are dropped, which lifts the block.
  const kept = new Map<string, Date>();
  if (keys === 'all') {
    for (const h of await tx.selectFrom('link_hubs').select(['key', 'since']).execute()) kept.set(h.key, h.since);
    await tx.deleteFrom('link_evidence').execute();
    await tx.deleteFrom('link_hubs').execute();
  } else {
    for (const ks of chunks(keys)) {
      for (const h of await tx.selectFrom('link_hubs').select(['key', 'since']).where('key', 'in', ks).execute()) kept.set(h.key, h.since);
      await tx.deleteFrom('link_evidence').where('key', 'in', ks).execute();
      await tx.deleteFrom('link_hubs').where('key', 'in', ks).execute();
    }
  }
  await bulkWrite(
    tx,
    copy,
    'link_evidence',
    ['report_a', 'report_b', 'key', 'kind', 'strength', 'detail', 'weight'],
    evidence.map((e) => [e.reportA, e.reportB, e.key, e.kind, e.strength, e.detail, e.weight]),
  );
  const now = new Date();
  await bulkWrite(
    tx,
    copy,
    'link_hubs',
    ['key', 'kind', 'value', 'report_count', 'since', 'reason'],
    hubs.map((h) => [h.key, h.kind, h.value, h.reportCount, kept.get(h.key) ?? now, h.reason]),
  );
}

/** The stored evidence and hub entries of these keys. */
export async function evidenceOfKeys(db: Db, keys: string[]): Promise<{ evidence: EvidenceRow[]; hubs: HubRow[] }> {
  const evidence: EvidenceRow[] = [];
  const hubs: HubRow[] = [];
  for (const ks of chunks(keys, 5000)) {
    for (const r of (
      await sql<{
        report_a: string;
        report_b: string;
        key: string;
        kind: string;
        strength: string;
        detail: string;
        weight: number | null;
      }>`select report_a, report_b, key, kind, strength, detail, weight from link_evidence where key = any(${ks}::text[])`.execute(db)
    ).rows) {
      evidence.push({ reportA: r.report_a, reportB: r.report_b, key: r.key, kind: r.kind, strength: r.strength, detail: r.detail, weight: r.weight });
    }
    for (const r of (
      await sql<{
        key: string;
        kind: string;
        value: string;
        report_count: number;
        reason: string;
      }>`select key, kind, value, report_count, reason from link_hubs where key = any(${ks}::text[])`.execute(db)
    ).rows) {
      hubs.push({ key: r.key, kind: r.kind, value: r.value, reportCount: r.report_count, reason: r.reason });
    }
  }
  return { evidence, hubs };
}

/** Every evidence row (for clustering), optionally only those touching the given reports. */
export async function evidenceRows(db: Db, reportIds?: string[]): Promise<EvidenceRow[]> {
  const map = (r: { report_a: string; report_b: string; key: string; kind: string; strength: string; detail: string; weight: number | null }): EvidenceRow => ({
    reportA: r.report_a,
    reportB: r.report_b,
    key: r.key,
    kind: r.kind,
    strength: r.strength,
    detail: r.detail,
    weight: r.weight,
  });
  if (!reportIds) return (await db.selectFrom('link_evidence').selectAll().execute()).map(map);
  const out: EvidenceRow[] = [];
  for (const ids of chunks(reportIds)) {
    const rows = await db
      .selectFrom('link_evidence')
      .selectAll()
      .where((eb) => eb.or([eb('report_a', 'in', ids), eb('report_b', 'in', ids)]))
      .execute();
    for (const r of rows) out.push(map(r));
  }
  return out;
}

/**
 * Writes the subject of some reports within the caller's transaction: `set` (report → subject)
 * replaces their rows, `unset` leaves no subject; retired names point to their successors (see
 * below; the link stage moves their case work with src/store/cases.ts moveSubjectWork).
 */
export async function writeSubjectChanges(
  tx: Transaction<BantayDatabase>,
  copy: BulkCopy | undefined,
  set: [string, string][],
  unset: string[],
  renames: { from: string; to: string }[],
): Promise<void> {
  for (const ids of chunks([...unset, ...set.map(([r]) => r)], 5000)) await sql`delete from link_subjects where report_id = any(${ids}::text[])`.execute(tx);
  await bulkWrite(tx, copy, 'link_subjects', ['report_id', 'subject_id'], set);
  if (renames.length > 0) await retireSubjectNames(tx, renames);
}

/** The subject of each of these reports that has one. */
export async function subjectsOfReports(db: Db, reportIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ids of chunks(reportIds, 5000)) {
    for (const r of (
      await sql<{ report_id: string; subject_id: string }>`select report_id, subject_id from link_subjects where report_id = any(${ids}::text[])`.execute(db)
    ).rows)
      out.set(r.report_id, r.subject_id);
  }
  return out;
}

/** The members (report → subject) of these subjects. */
export async function membersOfSubjects(db: Db, subjectIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ids of chunks(subjectIds, 5000)) {
    for (const r of (
      await sql<{ report_id: string; subject_id: string }>`select report_id, subject_id from link_subjects where subject_id = any(${ids}::text[])`.execute(db)
    ).rows)
      out.set(r.report_id, r.subject_id);
  }
  return out;
}

/** Which of these names a live subject carries. */
export async function liveSubjectNames(db: Db, names: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ns of chunks(names, 5000)) {
    for (const r of (await sql<{ subject_id: string }>`select distinct subject_id from link_subjects where subject_id = any(${ns}::text[])`.execute(db)).rows)
      out.add(r.subject_id);
  }
  return out;
}

/** Records names that went, each pointing to the subject that took it over (older aliases too). */
async function retireSubjectNames(tx: Transaction<BantayDatabase>, renames: { from: string; to: string }[]): Promise<void> {
  for (const part of chunks(renames, 500)) {
    const pairs = sql.join(part.map((r) => sql`(${r.from}, ${r.to})`));
    const moved = sql`(values ${pairs}) as m(from_id, to_id)`;
    await sql`update link_subject_aliases a set subject_id = m.to_id from ${moved} where a.subject_id = m.from_id`.execute(tx);
    await sql`insert into link_subject_aliases (alias, subject_id) select from_id, to_id from ${moved}
      on conflict (alias) do update set subject_id = excluded.subject_id, at = now()`.execute(tx);
  }
}

/** The name a subject carries now: itself, or the subject a retired name points to. */
export async function liveSubjectId(db: Db, id: string): Promise<string> {
  const row = await db.selectFrom('link_subject_aliases').select('subject_id').where('alias', '=', id).executeTakeFirst();
  return row?.subject_id ?? id;
}

/** Every retired subject name. */
export async function retiredSubjectNames(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('link_subject_aliases').select('alias').execute()).map((r) => r.alias));
}

/** Whether the link stage has processed any report. */
export async function linkHasRun(db: Db): Promise<boolean> {
  return (await db.selectFrom('link_reports').select('report_id').limit(1).execute()).length > 0;
}

/** Subject membership: report id → subject id. */
export async function subjectMembership(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('link_subjects').select(['report_id', 'subject_id']).execute();
  return new Map(rows.map((r) => [r.report_id, r.subject_id]));
}

/** The subject a report belongs to, or null. */
export async function subjectOfReport(db: Db, reportId: string): Promise<string | null> {
  const row = await db.selectFrom('link_subjects').select('subject_id').where('report_id', '=', reportId).executeTakeFirst();
  return row?.subject_id ?? null;
}

/** Identifiers of the given reports (all strengths). */
export async function identifiersOfReports(db: Db, reportIds: string[]): Promise<IdentifierRow[]> {
  const out: IdentifierRow[] = [];
  for (const ids of chunks(reportIds)) {
    const rows = await db.selectFrom('link_identifiers').selectAll().where('report_id', 'in', ids).execute();
    for (const r of rows) out.push(toIdentifierRow(r));
  }
  return out;
}

/** The hub list, largest first, each with why it links nothing. */
export async function listHubs(db: Db): Promise<{ key: string; kind: string; value: string; reportCount: number; since: string; reason: string }[]> {
  const rows = await db.selectFrom('link_hubs').selectAll().orderBy('report_count', 'desc').orderBy('key').execute();
  return rows.map((r) => ({ key: r.key, kind: r.kind, value: r.value, reportCount: r.report_count, since: iso(r.since), reason: r.reason }));
}

/**
 * Linkable rows of these namespaced kinds whose value after `namespace:` is one of the given bare
 * values: the same id or handle in every account namespace (index link_identifiers_bare).
 */
export async function rowsForBareValues(db: Db, kinds: readonly string[], bares: string[], strengths: string[]): Promise<IdentifierRow[]> {
  const out: IdentifierRow[] = [];
  const bare = sql<string>`substr(value, strpos(value, ':') + 1)`;
  // The kinds are written as literals so that the partial index's predicate is seen by the planner.
  const ofKinds = sql<boolean>`kind in (${sql.join(kinds.map((k) => sql.lit(k)))})`;
  for (const bs of chunks(bares)) {
    const rows = await db.selectFrom('link_identifiers').selectAll().where(ofKinds).where(bare, 'in', bs).where('strength', 'in', strengths).execute();
    for (const r of rows) out.push(toIdentifierRow(r));
  }
  return out;
}

/** Adds or updates an exclusion pattern. */
export async function addExclusion(db: Db, pattern: string, comment: string): Promise<void> {
  await db
    .insertInto('link_exclusions')
    .values({ pattern, comment })
    .onConflict((oc) => oc.column('pattern').doUpdateSet({ comment }))
    .execute();
}

/** Removes an exclusion; whether it existed. */
export async function removeExclusion(db: Db, pattern: string): Promise<boolean> {
  const r = await db.deleteFrom('link_exclusions').where('pattern', '=', pattern).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every exclusion. */
export async function listExclusions(db: Db): Promise<{ pattern: string; comment: string; createdAt: string }[]> {
  const rows = await db.selectFrom('link_exclusions').selectAll().orderBy('pattern').execute();
  return rows.map((r) => ({ pattern: r.pattern, comment: r.comment, createdAt: iso(r.created_at) }));
}

/** Records an analyst's split or merge. */
export async function addOverride(db: Db, o: { action: string; reportA: string; reportB: string | null; comment: string | null }): Promise<void> {
  await db.insertInto('link_overrides').values({ action: o.action, report_a: o.reportA, report_b: o.reportB, comment: o.comment }).execute();
}

/** Every analyst decision, oldest first. */
export async function listOverrides(db: Db): Promise<{ id: number; action: string; reportA: string; reportB: string | null; comment: string | null }[]> {
  const rows = await db.selectFrom('link_overrides').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, action: r.action, reportA: r.report_a, reportB: r.report_b, comment: r.comment }));
}

/** Keys of linkable identifiers matching a `%` pattern on their value or bare key (for retroactive exclusions). */
export async function keysMatching(db: Db, pattern: string, strengths: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('link_identifiers')
    .select('key')
    .distinct()
    .where('strength', 'in', strengths)
    .where((eb) =>
      eb.or([
        eb('value', 'ilike', pattern),
        eb(sql<string>`substr(key, strpos(key, ':') + 1)`, 'ilike', pattern),
        eb(sql<string>`split_part(value, '|', 1)`, 'ilike', pattern),
      ]),
    )
    .execute();
  return rows.map((r) => r.key);
}

/**
 * Marks every linkable key, every weak key of the given kinds (those whose evidence adds up), and
 * every key that has evidence or a hub entry, for the evidence stage: a full rebuild.
 */
export async function markAllLinkKeys(db: Db, weakKinds: readonly string[]): Promise<void> {
  await sql`insert into stage_pending (stage, key)
    select 'link-evidence', key from link_identifiers
      where strength in ('strong', 'medium') or (strength = 'weak' and kind = any(${[...weakKinds]}::text[]))
    union select 'link-evidence', key from link_evidence union select 'link-evidence', key from link_hubs
    on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
}

/** How many subjects there are and how many reports they hold. */
export async function subjectCounts(db: Db): Promise<{ subjects: number; reports: number }> {
  const r = await sql<{ s: number; r: number }>`select count(distinct subject_id)::int as s, count(*)::int as r from link_subjects`.execute(db);
  return { subjects: r.rows[0]?.s ?? 0, reports: r.rows[0]?.r ?? 0 };
}

/** Subjects with at least `minReports` reports, largest first, a page at a time (with `visibleTo`: those with a report the caller may see). */
export async function listSubjects(
  db: Db,
  q: { limit: number; offset: number; minReports: number; visibleTo?: VisibleTo },
): Promise<{ total: number; items: { id: string; reportCount: number }[] }> {
  let base = db
    .selectFrom('link_subjects as ls')
    .select(['ls.subject_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('ls.subject_id')
    .having(sql`count(*)`, '>=', q.minReports);
  if (q.visibleTo) base = base.having(sql<SqlBool>`bool_or(${reportVisibleSql(sql.ref('ls.report_id'), q.visibleTo)})`);
  const total = await db
    .selectFrom(base.as('s'))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const rows = await base.orderBy('n', 'desc').orderBy('ls.subject_id').limit(q.limit).offset(q.offset).execute();
  return { total: total.n, items: rows.map((r) => ({ id: r.subject_id, reportCount: r.n })) };
}

/** The listing rows of some reports for a subject view: received, type, ESP, status, assignee. */
export async function subjectReportRows(
  db: Db,
  reportIds: string[],
): Promise<Map<string, { receivedAt: string | null; incidentType: string | null; esp: string | null; status: string; assignee: string | null }>> {
  const out = new Map<string, { receivedAt: string | null; incidentType: string | null; esp: string | null; status: string; assignee: string | null }>();
  for (const ids of chunks(reportIds)) {
    const rows = await db
      .selectFrom('reports as r')
      .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
      .leftJoin('users as u', 'u.id', 'w.assignee_id')
      .select(['r.report_id', 'r.received_at', 'r.incident_type', 'r.esp', 'w.status', 'u.username'])
      .where('r.report_id', 'in', ids)
      .execute();
    for (const r of rows)
      out.set(r.report_id, { receivedAt: iso(r.received_at), incidentType: r.incident_type, esp: r.esp, status: r.status ?? 'new', assignee: r.username });
  }
  return out;
}
