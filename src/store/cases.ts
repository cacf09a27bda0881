// Case work rows: work items (assignee, status), notes, cases, referrals, settings, deconfliction.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import type { BulkCopy } from './copy-text.ts';
import { chunks, upsertRows, type Db as Conn } from './bulk.ts';
import { iso } from '../model/dates.ts';

type Db = Kysely<BantayDatabase>;

/** The work state of one report or subject. */
export interface WorkItem {
  kind: 'report' | 'subject';
  itemId: string;
  assigneeId: number | null;
  assignee: string | null;
  team: string | null;
  status: string;
  closeReason: string | null;
  held: boolean;
  assignedAt: string | null;
  updatedAt: string | null;
}

/** The work state of an item; a never-touched item is new and unassigned. */
export async function workItem(db: Db, kind: 'report' | 'subject', itemId: string): Promise<WorkItem> {
  const r = await db
    .selectFrom('work_items as w')
    .leftJoin('users as u', 'u.id', 'w.assignee_id')
    .select(['w.assignee_id', 'u.username', 'w.team', 'w.status', 'w.close_reason', 'w.held', 'w.assigned_at', 'w.updated_at'])
    .where('w.kind', '=', kind)
    .where('w.item_id', '=', itemId)
    .executeTakeFirst();
  if (!r)
    return { kind, itemId, assigneeId: null, assignee: null, team: null, status: 'new', closeReason: null, held: false, assignedAt: null, updatedAt: null };
  return {
    kind,
    itemId,
    assigneeId: r.assignee_id,
    assignee: r.username,
    team: r.team,
    status: r.status,
    closeReason: r.close_reason,
    held: r.held,
    assignedAt: iso(r.assigned_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Creates or changes an item's work state (only the given fields). */
export async function upsertWork(
  db: Db,
  kind: 'report' | 'subject',
  itemIds: string[],
  set: Partial<{ assigneeId: number | null; team: string | null; status: string; closeReason: string | null; held: boolean; firstViewed: boolean }>,
  at: Date,
): Promise<void> {
  if (itemIds.length === 0) return;
  const values: Record<string, unknown> = { updated_at: at };
  if (set.assigneeId !== undefined) {
    values.assignee_id = set.assigneeId;
    values.assigned_at = set.assigneeId === null ? null : at;
  }
  if (set.team !== undefined) values.team = set.team;
  if (set.status !== undefined) {
    values.status = set.status;
    if (set.status !== 'new' && set.status !== 'in_review') values.decided_at = at;
  }
  if (set.closeReason !== undefined) values.close_reason = set.closeReason;
  if (set.held !== undefined) values.held = set.held;
  if (set.firstViewed) values.first_viewed_at = at;
  const rows = itemIds.map((id) => ({ kind, item_id: id, ...values }));
  await db
    .insertInto('work_items')
    .values(rows as never)
    .onConflict((oc) => {
      const upd: Record<string, unknown> = {};
      for (const k of Object.keys(values)) {
        // The first look is kept once set.
        upd[k] = k === 'first_viewed_at' ? sql`coalesce(work_items.first_viewed_at, excluded.first_viewed_at)` : sql.ref(`excluded.${k}`);
      }
      return oc.columns(['kind', 'item_id']).doUpdateSet(upd as never);
    })
    .execute();
}

/** Hands the caller the first candidate still unassigned; concurrent callers never get the same one. */
export async function claimReport(db: Db, candidates: string[], userId: number, team: string | null, at: Date): Promise<string | undefined> {
  for (const id of candidates) {
    // An INSERT … ON CONFLICT … WHERE re-checks the row after taking its lock, so only one claimant wins.
    const r = await sql<{ item_id: string }>`
      insert into work_items (kind, item_id, assignee_id, team, status, assigned_at, updated_at)
      values ('report', ${id}, ${userId}, ${team}, 'in_review', ${at}, ${at})
      on conflict (kind, item_id) do update set assignee_id = excluded.assignee_id, team = coalesce(work_items.team, excluded.team),
        status = 'in_review', assigned_at = excluded.assigned_at, updated_at = excluded.updated_at
      where work_items.assignee_id is null and work_items.status in ('new', 'in_review') and not work_items.held
      returning item_id`.execute(db);
    if (r.rows.length > 0) return id;
  }
  return undefined;
}

/** A note on a report or subject. */
export interface Note {
  id: number;
  authorId: number;
  author: string | null;
  text: string;
  reportVersion: number | null;
  createdAt: string;
}

/** Adds a note. */
export async function insertNote(
  db: Db,
  n: { kind: 'report' | 'subject'; itemId: string; authorId: number; text: string; reportVersion: number | null },
): Promise<number> {
  const r = await db
    .insertInto('notes')
    .values({ kind: n.kind, item_id: n.itemId, author_id: n.authorId, text: n.text, report_version: n.reportVersion })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Every note on an item, oldest first. */
export async function notesOf(db: Db, kind: 'report' | 'subject', itemId: string): Promise<Note[]> {
  const rows = await db
    .selectFrom('notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.author_id', 'u.username', 'n.text', 'n.report_version', 'n.created_at'])
    .where('n.kind', '=', kind)
    .where('n.item_id', '=', itemId)
    .orderBy('n.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    authorId: r.author_id,
    author: r.username,
    text: r.text,
    reportVersion: r.report_version,
    createdAt: iso(r.created_at),
  }));
}

/** A case with its items. */
export interface CaseView {
  id: string;
  title: string;
  leadId: number;
  lead: string | null;
  status: string;
  closeReason: string | null;
  createdAt: string;
  closedAt: string | null;
  items: { kind: string; itemId: string; addedAt: string }[];
}

/** Stores a new case. */
export async function insertCase(db: Db, c: { id: string; title: string; leadId: number; createdBy: number }): Promise<void> {
  await db.insertInto('cases').values({ id: c.id, title: c.title, lead_id: c.leadId, created_by: c.createdBy }).execute();
}

/** Cases, newest first, optionally only those with a given status. */
export async function listCases(db: Db, status?: string, visibleTo?: VisibleTo): Promise<Omit<CaseView, 'items'>[]> {
  let q = db
    .selectFrom('cases as c')
    .leftJoin('users as u', 'u.id', 'c.lead_id')
    .select(['c.id', 'c.title', 'c.lead_id', 'u.username', 'c.status', 'c.close_reason', 'c.created_at', 'c.closed_at']);
  if (status) q = q.where('c.status', '=', status);
  // A case is visible to its lead and when one of its reports is (src/cases/access.ts).
  if (visibleTo) {
    q = q.where(sql<SqlBool>`(c.lead_id = ${visibleTo.userId} or exists (select 1 from case_items ci where ci.case_id = c.id and (
      (ci.kind = 'report' and ${reportVisibleSql(sql.ref('ci.item_id'), visibleTo)})
      or (ci.kind = 'subject' and exists (select 1 from link_subjects ls where ls.subject_id = ci.item_id and ${reportVisibleSql(sql.ref('ls.report_id'), visibleTo)})))))`);
  }
  const rows = await q.orderBy('c.created_at', 'desc').orderBy('c.id').execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    leadId: r.lead_id,
    lead: r.username,
    status: r.status,
    closeReason: r.close_reason,
    createdAt: iso(r.created_at),
    closedAt: iso(r.closed_at),
  }));
}

/** One case with its items, or undefined. */
export async function getCase(db: Db, id: string): Promise<CaseView | undefined> {
  const c = (await listCases(db)).find((x) => x.id === id);
  if (!c) return undefined;
  const items = await db.selectFrom('case_items').select(['kind', 'item_id', 'added_at']).where('case_id', '=', id).orderBy('added_at').execute();
  return { ...c, items: items.map((i) => ({ kind: i.kind, itemId: i.item_id, addedAt: iso(i.added_at) })) };
}

/** Adds items to a case (already present ones are kept). */
export async function insertCaseItems(db: Db, caseId: string, items: { kind: 'report' | 'subject'; itemId: string }[], addedBy: number): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('case_items')
    .values(items.map((i) => ({ case_id: caseId, kind: i.kind, item_id: i.itemId, added_by: addedBy })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Changes a case's status. */
export async function setCaseStatus(db: Db, id: string, status: string, closeReason: string | null, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('cases')
    .set({ status, close_reason: closeReason, closed_at: status === 'closed' ? at : null })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Marks for the deconfliction stage every report a case holds (directly or through a subject) or holds deconflicted now. */
export async function markAllDeconfliction(db: Db): Promise<void> {
  await sql`insert into stage_pending (stage, key)
    select 'deconfliction', item_id from case_items where kind = 'report'
    union select 'deconfliction', s.report_id from case_items ci join link_subjects s on s.subject_id = ci.item_id where ci.kind = 'subject'
    union select 'deconfliction', report_id from deconflicted_reports
    on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
}

/** The active cases holding each of these reports, directly or through its subject, with when each case opened. */
export async function activeCasesOf(db: Conn, reportIds: string[]): Promise<{ reportId: string; caseId: string; createdAt: Date }[]> {
  if (reportIds.length === 0) return [];
  const r = await sql<{ report_id: string; case_id: string; created_at: Date }>`
    select ci.item_id as report_id, c.id as case_id, c.created_at from case_items ci join cases c on c.id = ci.case_id
      where c.status = 'active' and ci.kind = 'report' and ci.item_id = any(${reportIds}::text[])
    union all
    select s.report_id, c.id, c.created_at from link_subjects s join case_items ci on ci.kind = 'subject' and ci.item_id = s.subject_id
      join cases c on c.id = ci.case_id
      where c.status = 'active' and s.report_id = any(${reportIds}::text[])`.execute(db);
  return r.rows.map((x) => ({ reportId: x.report_id, caseId: x.case_id, createdAt: new Date(x.created_at) }));
}

/** Writes deconfliction marks within the caller's transaction: `set` (report → case) keeps its "since" when the case is the same; `unset` lifts marks. */
export async function putDeconfliction(db: Conn, copy: BulkCopy | undefined, set: [string, string][], unset: string[]): Promise<string[]> {
  const lifted =
    unset.length === 0
      ? []
      : (await sql<{ report_id: string }>`delete from deconflicted_reports where report_id = any(${unset}::text[]) returning report_id`.execute(db)).rows.map(
          (r) => r.report_id,
        );
  return [...lifted, ...(await upsertRows(db, copy, 'deconflicted_reports', ['report_id', 'case_id'], ['report_id'], set, { touch: 'since' }))];
}

/** The reports a case concerns: its report items, the reports of its subject items, and the reports it holds deconflicted. */
export async function reportsOfCase(db: Conn, caseId: string, items: { kind: 'report' | 'subject'; itemId: string }[] = []): Promise<string[]> {
  const subjects = items.filter((i) => i.kind === 'subject').map((i) => i.itemId);
  const r = await sql<{ report_id: string }>`
    select item_id as report_id from case_items where case_id = ${caseId} and kind = 'report'
    union select s.report_id from case_items ci join link_subjects s on s.subject_id = ci.item_id where ci.case_id = ${caseId} and ci.kind = 'subject'
    union select report_id from deconflicted_reports where case_id = ${caseId}
    union select s.report_id from link_subjects s where s.subject_id = any(${subjects}::text[])`.execute(db);
  return [...new Set([...r.rows.map((x) => x.report_id), ...items.filter((i) => i.kind === 'report').map((i) => i.itemId)])];
}

/** The deconfliction marks of some reports. */
export async function deconflictionOf(db: Db, reportIds: string[]): Promise<Map<string, { caseId: string; since: string }>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db.selectFrom('deconflicted_reports').selectAll().where('report_id', 'in', reportIds).execute();
  return new Map(rows.map((r) => [r.report_id, { caseId: r.case_id, since: iso(r.since) }]));
}

/** A partner agency. */
export interface Agency {
  code: string;
  name: string;
  purpose: string;
  enabled: boolean;
}

/** The configured partner agencies. */
export async function listAgencies(db: Db): Promise<Agency[]> {
  return (await db.selectFrom('partner_agencies').selectAll().orderBy('code').execute()).map((a) => ({
    code: a.code,
    name: a.name,
    purpose: a.purpose,
    enabled: a.enabled,
  }));
}

/** Adds or changes a partner agency. */
export async function upsertAgency(db: Db, a: Agency): Promise<void> {
  await db
    .insertInto('partner_agencies')
    .values(a)
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: a.name, purpose: a.purpose, enabled: a.enabled }))
    .execute();
}

/** A referral or endorsement as recorded. */
export interface Referral {
  id: number;
  kind: string;
  itemId: string;
  agency: string;
  type: string;
  sentBy: number;
  sentAt: string;
  sent: unknown;
  comment: string | null;
}

/** Records a referral with what was sent. */
export async function insertReferral(
  db: Db,
  r: { kind: string; itemId: string; agency: string; type: string; sentBy: number; sent: unknown; comment: string | null },
): Promise<number> {
  const row = await db
    .insertInto('referrals')
    .values({
      kind: r.kind,
      item_id: r.itemId,
      agency_code: r.agency,
      kind_of_referral: r.type,
      sent_by: r.sentBy,
      sent: JSON.stringify(r.sent),
      comment: r.comment,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Referrals of an item. */
export async function referralsOf(db: Db, kind: string, itemId: string): Promise<Referral[]> {
  const rows = await db.selectFrom('referrals').selectAll().where('kind', '=', kind).where('item_id', '=', itemId).orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    itemId: r.item_id,
    agency: r.agency_code,
    type: r.kind_of_referral,
    sentBy: r.sent_by,
    sentAt: iso(r.sent_at),
    sent: JSON.parse(r.sent) as unknown,
    comment: r.comment,
  }));
}

/**
 * Carries the analysts' work on subject names that went over to the names that took them over,
 * within the caller's transaction: notes, referrals and case membership move; an assignment and
 * status move unless the new name already has its own.
 */
export async function moveSubjectWork(db: Conn, renames: { from: string; to: string }[]): Promise<void> {
  for (const part of chunks(renames, 500)) {
    const pairs = sql.join(part.map((r) => sql`(${r.from}, ${r.to})`));
    const moved = sql`(values ${pairs}) as m(from_id, to_id)`;
    await sql`update notes n set item_id = m.to_id from ${moved} where n.kind = 'subject' and n.item_id = m.from_id`.execute(db);
    await sql`update referrals r set item_id = m.to_id from ${moved} where r.kind = 'subject' and r.item_id = m.from_id`.execute(db);
    await sql`insert into case_items (case_id, kind, item_id, added_by, added_at)
      select ci.case_id, 'subject', m.to_id, ci.added_by, ci.added_at from case_items ci join ${moved} on ci.item_id = m.from_id
      where ci.kind = 'subject' on conflict do nothing`.execute(db);
    await sql`delete from case_items ci using ${moved} where ci.kind = 'subject' and ci.item_id = m.from_id`.execute(db);
    // Of several names merging into one, the most recently worked one's state moves; the others stay under
    // their old names (never deleted; the audit trail has their history).
    await sql`update work_items w set item_id = m.to_id from (
        select distinct on (m.to_id) m.from_id, m.to_id from ${moved}
        join work_items x on x.kind = 'subject' and x.item_id = m.from_id
        order by m.to_id, x.updated_at desc nulls last) m
      where w.kind = 'subject' and w.item_id = m.from_id
        and not exists (select 1 from work_items x where x.kind = 'subject' and x.item_id = m.to_id)`.execute(db);
  }
}

/** A setting's JSON value, or the fallback. */
export async function getSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.value) as T) : fallback;
}

/** Stores a setting. */
export async function setSetting(db: Db, key: string, value: unknown): Promise<void> {
  const v = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: v })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: v }))
    .execute();
}

/** Open items per assignee, by status, for the workload view. */
export async function workload(db: Db): Promise<{ userId: number; username: string; team: string | null; byStatus: Record<string, number>; open: number }[]> {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('work_items as w', 'w.assignee_id', 'u.id')
    .select(['u.id', 'u.username', 'u.team', 'w.status', sql<number>`count(w.item_id)::int`.as('n')])
    .where('u.disabled', '=', false)
    .where('u.role', 'in', ['analyst', 'supervisor'])
    .groupBy(['u.id', 'u.username', 'u.team', 'w.status'])
    .execute();
  const by = new Map<number, { userId: number; username: string; team: string | null; byStatus: Record<string, number>; open: number }>();
  for (const r of rows) {
    const e = by.get(r.id) ?? { userId: r.id, username: r.username, team: r.team, byStatus: {}, open: 0 };
    by.set(r.id, e);
    if (r.status) {
      e.byStatus[r.status] = r.n;
      if (r.status !== 'closed') e.open += r.n;
    }
  }
  return [...by.values()].sort((a, b) => b.open - a.open || a.username.localeCompare(b.username));
}

/** Every report a case holds: its reports and every report of its subjects (undefined: no such case). */
export async function caseReportIds(db: Db, caseId: string): Promise<string[] | undefined> {
  const c = await getCase(db, caseId);
  if (!c) return undefined;
  const ids = new Set(c.items.filter((i) => i.kind === 'report').map((i) => i.itemId));
  const subjects = c.items.filter((i) => i.kind === 'subject').map((i) => i.itemId);
  if (subjects.length)
    for (const r of await db.selectFrom('link_subjects').select('report_id').where('subject_id', 'in', subjects).execute()) ids.add(r.report_id);
  return [...ids].sort();
}

/** What case work decided about one report, directly or through its subject. */
export interface ReportDecision {
  reportId: string;
  /** Work statuses recorded on the report and on its subject. */
  statuses: string[];
  /** Close reasons recorded on the report and on its subject. */
  closeReasons: string[];
  /** A referral or endorsement was sent for the report or its subject. */
  referred: boolean;
  /** The report or its subject is in a case (open or closed). */
  inCase: boolean;
  /** The latest of these decisions (UTC ISO). */
  decidedAt: string | null;
}

/** A UTC time window [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * Every report that case work decided something about: status, close reason, referral, case;
 * optionally only reports received in a window, or whose latest decision falls in one.
 */
export async function reportDecisions(db: Db, f: { received?: TimeWindow; decided?: TimeWindow } = {}): Promise<ReportDecision[]> {
  const received = f.received
    ? sql`where report_id in (select report_id from reports where received_at >= ${f.received.from} and received_at < ${f.received.to})`
    : sql``;
  const decided = f.decided ? sql`having max(at) >= ${f.decided.from} and max(at) < ${f.decided.to}` : sql``;
  const rows = await sql<{
    report_id: string;
    statuses: string[] | null;
    close_reasons: string[] | null;
    referred: boolean;
    in_case: boolean;
    decided_at: Date | string | null;
  }>`
    with decided as (
      select w.item_id as report_id, w.status, w.close_reason, false as referred, false as in_case, coalesce(w.decided_at, w.updated_at) as at
        from work_items w where w.kind = 'report' and (w.status not in ('new', 'in_review') or w.close_reason is not null)
      -- A decision on a subject is a decision on each of its reports.
      union all select ls.report_id, w.status, w.close_reason, false, false, coalesce(w.decided_at, w.updated_at)
        from work_items w join link_subjects ls on ls.subject_id = w.item_id
        where w.kind = 'subject' and (w.status not in ('new', 'in_review') or w.close_reason is not null)
      union all select f.item_id, null, null, true, false, f.sent_at from referrals f where f.kind = 'report'
      union all select ls.report_id, null, null, true, false, f.sent_at from referrals f join link_subjects ls on ls.subject_id = f.item_id where f.kind = 'subject'
      union all select c.item_id, null, null, false, true, c.added_at from case_items c where c.kind = 'report'
      union all select ls.report_id, null, null, false, true, c.added_at from case_items c join link_subjects ls on ls.subject_id = c.item_id where c.kind = 'subject'
    )
    select report_id, array_agg(distinct status) filter (where status is not null) as statuses,
      array_agg(distinct close_reason) filter (where close_reason is not null) as close_reasons,
      bool_or(referred) as referred, bool_or(in_case) as in_case, max(at) as decided_at
    from decided ${received} group by report_id ${decided} order by report_id`.execute(db);
  return rows.rows.map((r) => ({
    reportId: r.report_id,
    statuses: r.statuses ?? [],
    closeReasons: r.close_reasons ?? [],
    referred: r.referred,
    inCase: r.in_case,
    decidedAt: iso(r.decided_at),
  }));
}

/** Who holds each of some reports (assignee and team); reports nobody has worked are absent. */
export async function reportHolders(db: Db, reportIds: string[]): Promise<Map<string, { assigneeId: number | null; team: string | null }>> {
  const out = new Map<string, { assigneeId: number | null; team: string | null }>();
  for (let i = 0; i < reportIds.length; i += 1000) {
    const rows = await db
      .selectFrom('work_items')
      .select(['item_id', 'assignee_id', 'team'])
      .where('kind', '=', 'report')
      .where('item_id', 'in', reportIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.item_id, { assigneeId: r.assignee_id, team: r.team });
  }
  return out;
}

/** The lead investigator of a case, or undefined when there is no such case. */
export async function caseLead(db: Db, caseId: string): Promise<number | undefined> {
  return (await db.selectFrom('cases').select('lead_id').where('id', '=', caseId).executeTakeFirst())?.lead_id;
}

/** Whom a list is filtered for: an analyst of a closed queue sees reports assigned to them or to their team. */
export interface VisibleTo {
  userId: number;
  team: string | null;
}

/** The SQL form of the access rule for one report id expression (src/cases/access.ts is the rule). */
export function reportVisibleSql(reportId: Expression<string>, v: VisibleTo): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from work_items vw where vw.kind = 'report' and vw.item_id = ${reportId}
    and (vw.assignee_id = ${v.userId} or (vw.team is not null and vw.team = ${v.team ?? ''})))`;
}
