// Repository functions of the children stage: stale reports, their documents and context, the
// mentions and children written, the rescue steps, and the rescued-child contract with triage.
import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import type { Store } from './database.ts';
import { bulkWrite, chunks, type Db } from './bulk.ts';
import { reportVisibleSql, type VisibleTo } from './cases.ts';
import { iso } from '../model/dates.ts';

// What a report's mentions and facts depend on (hash known-ness stands for identification by list).
const INPUTS = sql<string>`concat_ws('|', 'k1', r.current_version, coalesce(r.received_at::text, '-'), coalesce(ls.subject_id, '-'),
  coalesce(e.municipality_code, e.province_code, '-'), coalesce(h.novelty, '-'), coalesce(h.known::text, '-'))`;
const JOINS = sql`from reports r
  left join link_subjects ls on ls.report_id = r.report_id
  left join report_enrichment e on e.report_id = r.report_id
  left join report_hash_signals h on h.report_id = r.report_id`;

/** Reports whose children are missing or were read from other inputs (report id order, after a key). */
export async function staleChildReports(db: Db, opts: { after?: string; limit: number; all?: boolean; ids?: string[] }): Promise<string[]> {
  const rows = await sql<{ report_id: string }>`select r.report_id ${JOINS}
    left join child_reports c on c.report_id = r.report_id
    where ${opts.after !== undefined ? sql`r.report_id > ${opts.after}` : sql`true`}
      and ${opts.ids ? sql`r.report_id = any(${opts.ids}::text[])` : sql`true`}
      and ${opts.all ? sql`true` : sql`(c.report_id is null or c.inputs is distinct from ${INPUTS})`}
    order by r.report_id limit ${opts.limit}`.execute(db);
  return rows.rows.map((r) => r.report_id);
}

/** A report as the children stage reads it. */
export interface ChildReportInput {
  reportId: string;
  inputs: string;
  receivedAt: string | null;
  subjectId: string | null;
  provinceCode: string | null;
  municipalityCode: string | null;
  novelty: string | null;
  evidence: unknown;
  doc: unknown;
}

/** The documents and context of the given reports. */
export async function childReportInputs(db: Db, ids: string[]): Promise<ChildReportInput[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{
    report_id: string;
    inputs: string;
    received_at: Date | string | null;
    subject_id: string | null;
    province_code: string | null;
    municipality_code: string | null;
    novelty: string | null;
    evidence: unknown;
    doc: unknown;
  }>`
    select r.report_id, ${INPUTS} as inputs, r.received_at, ls.subject_id, e.province_code, e.municipality_code, h.novelty, h.evidence, v.doc
    ${JOINS} join report_versions v on v.report_id = r.report_id and v.version = r.current_version
    where r.report_id = any(${ids}::text[])`.execute(db);
  return rows.rows.map((r) => ({
    reportId: r.report_id,
    inputs: r.inputs,
    receivedAt: iso(r.received_at),
    subjectId: r.subject_id,
    provinceCode: r.province_code,
    municipalityCode: r.municipality_code,
    novelty: r.novelty,
    evidence: r.evidence ?? null,
    doc: r.doc,
  }));
}

/** Replaces the facts, mentions and mention keys of these reports. */
export async function writeChildReports(
  store: Pick<Store, 'db' | 'copy'>,
  rows: { reportId: string; inputs: string; facts: unknown; mentions: { mention: number; doc: unknown; keys: string[] }[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  await store.db.transaction().execute(async (tx) => {
    for (const ids of chunks(rows.map((r) => r.reportId))) {
      await tx.deleteFrom('child_mention_keys').where('report_id', 'in', ids).execute();
      await tx.deleteFrom('child_mentions').where('report_id', 'in', ids).execute();
      await tx.deleteFrom('child_reports').where('report_id', 'in', ids).execute();
    }
    await bulkWrite(
      tx,
      store.copy,
      'child_reports',
      ['report_id', 'inputs', 'facts'],
      rows.map((r) => [r.reportId, r.inputs, JSON.stringify(r.facts)]),
    );
    await bulkWrite(
      tx,
      store.copy,
      'child_mentions',
      ['report_id', 'mention', 'doc'],
      rows.flatMap((r) => r.mentions.map((m) => [r.reportId, m.mention, JSON.stringify(m.doc)])),
    );
    await bulkWrite(
      tx,
      store.copy,
      'child_mention_keys',
      ['key', 'report_id', 'mention'],
      rows.flatMap((r) => r.mentions.flatMap((m) => [...new Set(m.keys)].map((k) => [k, r.reportId, m.mention]))),
    );
  });
}

/** Every stored mention (a rebuild regroups them all). */
export async function allMentions<T>(db: Db): Promise<T[]> {
  const rows = await db.selectFrom('child_mentions').select('doc').orderBy('report_id').orderBy('mention').execute();
  return rows.map((r) => r.doc as T);
}

/**
 * One step of gathering what a change may regroup: the mentions of these reports, of these
 * children, or meeting under these keys; and the children those mentions (or the reports' former
 * mentions) belonged to.
 */
export async function relatedMentions<T>(db: Db, q: { reports: string[]; children: string[]; keys: string[] }): Promise<{ mentions: T[]; children: string[] }> {
  const mentions = await sql<{ doc: unknown }>`select m.doc from child_mentions m where m.report_id = any(${q.reports}::text[])
    or exists (select 1 from child_members cm where cm.report_id = m.report_id and cm.mention = m.mention and cm.child_id = any(${q.children}::text[]))
    or exists (select 1 from child_mention_keys k where k.report_id = m.report_id and k.mention = m.mention and k.key = any(${q.keys}::text[]))`.execute(db);
  const docs = mentions.rows.map((r) => r.doc as T & { reportId: string; mention: number });
  const children = await sql<{ child_id: string }>`select distinct cm.child_id from child_members cm
    where cm.report_id = any(${q.reports}::text[]) or (cm.report_id || ':' || cm.mention) = any(${docs.map((d) => `${d.reportId}:${d.mention}`)}::text[])`.execute(
    db,
  );
  return { mentions: docs, children: children.rows.map((r) => r.child_id) };
}

/** The stored facts of the given reports. */
export async function childFacts<T>(db: Db, ids: string[]): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const part of chunks(ids)) {
    const rows = await db.selectFrom('child_reports').select(['report_id', 'facts']).where('report_id', 'in', part).execute();
    for (const r of rows) out.set(r.report_id, r.facts as T);
  }
  return out;
}

/** Current membership (`report_id:mention` → child id), of every child or of the given ones. */
export async function childMembership(db: Db, childIds?: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of childIds ? chunks(childIds) : [undefined]) {
    let q = db.selectFrom('child_members').select(['child_id', 'report_id', 'mention']);
    if (part) q = q.where('child_id', 'in', part);
    for (const r of await q.execute()) out.set(`${r.report_id}:${r.mention}`, r.child_id);
  }
  return out;
}

/** Payment flags of subjects and the newest payment touching their parties. */
export async function subjectPayments(db: Db, subjectIds: string[]): Promise<Map<string, { score: number; alerts: number; lastPaymentAt: string | null }>> {
  const out = new Map<string, { score: number; alerts: number; lastPaymentAt: string | null }>();
  for (const part of chunks(subjectIds)) {
    const rows = await sql<{ subject_id: string; score: number; alerts: number; last: Date | string | null }>`
      select f.subject_id, f.score, f.alerts,
        (select max(t.ts) from payment_party_reports pr join payment_nodes n on n.party_id = pr.party_id
          join payment_txns t on t.sender_node = n.node or t.receiver_node = n.node where pr.subject_id = f.subject_id) as last
      from payment_subject_flags f where f.subject_id = any(${part}::text[])`.execute(db);
    for (const r of rows.rows) out.set(r.subject_id, { score: Number(r.score), alerts: r.alerts, lastPaymentAt: iso(r.last) });
  }
  return out;
}

/** A child row to store. */
export interface ChildRow {
  childId: string;
  doc: unknown;
  status: string;
  ongoing: number;
  youth: number;
  identified: boolean;
  lastSeen: string | null;
  members: { reportId: string; mention: number }[];
}

/** Replaces the given children (and drops `removed`), moving rescue steps of renamed children. */
export async function replaceChildren(
  store: Pick<Store, 'db' | 'copy'>,
  removed: string[],
  rows: ChildRow[],
  renames: { from: string; to: string }[],
): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    const ids = [...new Set([...removed, ...rows.map((r) => r.childId)])];
    for (const part of chunks(ids)) {
      await tx.deleteFrom('children').where('child_id', 'in', part).execute();
      await tx.deleteFrom('child_members').where('child_id', 'in', part).execute();
    }
    for (const part of chunks(rows.flatMap((r) => r.members.map((m) => `${m.reportId}:${m.mention}`)))) {
      await sql`delete from child_members where report_id || ':' || mention = any(${part}::text[])`.execute(tx);
    }
    // A child whose earliest report changed keeps its rescue history under its new id.
    for (const r of renames) {
      await tx.updateTable('child_rescue_steps').set({ child_id: r.to }).where('child_id', '=', r.from).execute();
      await tx.updateTable('rescued_child_reports').set({ child_id: r.to }).where('child_id', '=', r.from).execute();
    }
    // A child gone without heir (its reports no longer name it) no longer holds reports back.
    for (const part of chunks(removed)) await tx.deleteFrom('rescued_child_reports').where('child_id', 'in', part).execute();
    await bulkWrite(
      tx,
      store.copy,
      'children',
      ['child_id', 'doc', 'status', 'ongoing', 'youth', 'identified', 'last_seen'],
      rows.map((r) => [r.childId, JSON.stringify(r.doc), r.status, r.ongoing, r.youth, r.identified, r.lastSeen]),
    );
    await bulkWrite(
      tx,
      store.copy,
      'child_members',
      ['child_id', 'report_id', 'mention'],
      rows.flatMap((r) => r.members.map((m) => [r.childId, m.reportId, m.mention])),
    );
  });
}

/** A child as stored. */
export interface StoredChild {
  childId: string;
  doc: unknown;
  status: string;
}

const RESTING = sql`c.status in ('rescued', 'aftercare')`;

/**
 * Children in danger order (docs/children.md §3): those not yet rescued first; then the number of
 * signs of ongoing abuse (recent report, livestream, escalation, payments still flowing); then the
 * youngest; then those no list has identified; then the most recently seen.
 */
export async function listChildren(
  db: Db,
  opts: { now: Date; recentDays: number; limit: number; offset: number; status?: string; visibleTo?: VisibleTo },
): Promise<{ total: number; items: StoredChild[] }> {
  const recent = new Date(opts.now.getTime() - opts.recentDays * 86_400_000).toISOString();
  const status = opts.status ? sql`c.status = ${opts.status}` : sql`true`;
  // With `visibleTo`, a child is listed when one of its reports is (the subject rule, src/cases/access.ts).
  const where = opts.visibleTo
    ? sql`${status} and exists (select 1 from child_members vm where vm.child_id = c.child_id and ${reportVisibleSql(sql.ref('vm.report_id'), opts.visibleTo)})`
    : status;
  const [n, rows] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n from children c where ${where}`.execute(db),
    sql<{ child_id: string; doc: unknown; status: string }>`select c.child_id, c.doc, c.status from children c where ${where}
      order by ${RESTING} asc, c.ongoing + (c.last_seen >= ${recent}::timestamptz)::int desc, c.youth desc, c.identified asc, c.last_seen desc nulls last, c.child_id
      limit ${opts.limit} offset ${opts.offset}`.execute(db),
  ]);
  return {
    total: n.rows[0]?.n ?? 0,
    items: rows.rows.map((r) => ({ childId: r.child_id, doc: r.doc, status: r.status })),
  };
}

/** One child, or undefined. */
export async function getChild(db: Db, id: string): Promise<StoredChild | undefined> {
  const r = await db.selectFrom('children').select(['child_id', 'doc', 'status']).where('child_id', '=', id).executeTakeFirst();
  return r ? { childId: r.child_id, doc: r.doc, status: r.status } : undefined;
}

/** The reports that name or imply a child (report id order); none for an unknown child. */
export async function childReportIds(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom('child_members').select('report_id').distinct().where('child_id', '=', id).orderBy('report_id').execute();
  return rows.map((r) => r.report_id);
}

/** A report as a child's page lists it: when it came, its triage tier and score, its work status. */
export interface ChildReportRow {
  reportId: string;
  receivedAt: string | null;
  incidentType: string | null;
  tier: string | null;
  score: number | null;
  status: string;
}

/** Those rows for some reports, in the order given. */
export async function childReportRows(db: Db, ids: string[]): Promise<ChildReportRow[]> {
  const byId = new Map<string, ChildReportRow>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('reports as r')
      .leftJoin('triage_scores as s', 's.report_id', 'r.report_id')
      .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
      .select(['r.report_id', 'r.received_at', 'r.incident_type', 's.tier', 's.score', 'w.status'])
      .where('r.report_id', 'in', part)
      .execute();
    for (const r of rows)
      byId.set(r.report_id, {
        reportId: r.report_id,
        receivedAt: iso(r.received_at),
        incidentType: r.incident_type,
        tier: r.tier,
        score: r.score === null ? null : Number(r.score),
        status: r.status ?? 'new',
      });
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One rescue step. */
export interface RescueStepRow {
  id: number;
  childId: string;
  step: string;
  at: string;
  userId: number | null;
  username: string | null;
  note: string;
}

/** The rescue steps of some children, oldest first. */
export async function rescueSteps(db: Db, childIds: string[]): Promise<RescueStepRow[]> {
  const out: RescueStepRow[] = [];
  for (const part of chunks(childIds)) {
    const rows = await db.selectFrom('child_rescue_steps').selectAll().where('child_id', 'in', part).orderBy('at').orderBy('id').execute();
    for (const r of rows) out.push({ id: r.id, childId: r.child_id, step: r.step, at: iso(r.at), userId: r.user_id, username: r.username, note: r.note });
  }
  return out;
}

/** Records a step and the child's new status, in one transaction. */
export async function addRescueStep(db: Kysely<BantayDatabase>, s: Omit<RescueStepRow, 'id'>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('child_rescue_steps')
      .values({ child_id: s.childId, step: s.step, at: s.at, user_id: s.userId, username: s.username, note: s.note })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('children').set({ status: s.step, updated_at: new Date() }).where('child_id', '=', s.childId).execute();
    return r.id;
  });
}

/**
 * Rewrites the rescued-child rows of one child: its reports received up to the rescue, and later
 * ones that brought no new material (a file first seen there, on no list). `since` null clears them.
 * Returns the reports it held before or holds now.
 */
export async function setRescuedReports(db: Db, childId: string, since: string | null): Promise<string[]> {
  const before = await db.selectFrom('rescued_child_reports').select('report_id').where('child_id', '=', childId).execute();
  await db.deleteFrom('rescued_child_reports').where('child_id', '=', childId).execute();
  if (since === null) return before.map((r) => r.report_id);
  const r = await sql<{ report_id: string }>`insert into rescued_child_reports (report_id, child_id, since)
    select distinct m.report_id, ${childId}, ${since}::timestamptz from child_members m
    join reports r on r.report_id = m.report_id
    left join report_hash_signals h on h.report_id = m.report_id
    where m.child_id = ${childId} and (r.received_at <= ${since}::timestamptz or coalesce(h.new_files, 0) = 0)
    on conflict (report_id) do nothing returning report_id`.execute(db);
  // Every report that left or joined (or stayed): their scores read it.
  return [...new Set([...before.map((x) => x.report_id), ...r.rows.map((x) => x.report_id)])];
}
