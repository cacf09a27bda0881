// Case work: assignment, status, notes, hold, next report, cases with deconfliction, referrals.
// Every change is written to the audit trail with who, when, from where and what.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/database.ts';
import type { UserRow } from '../store/accounts.ts';
import { activeUsers, userById } from '../store/accounts.ts';
import { WORKERS } from './roles.ts';
import { CLOSE_REASONS, STATUSES } from './statuses.ts';
import { liveSubjectId } from '../store/link.ts';
import {
  claimReport,
  deconflictionOf,
  getCase,
  getSetting,
  insertCase,
  insertCaseItems,
  insertNote,
  insertReferral,
  listAgencies,
  reportsOfCase,
  setCaseStatus,
  setSetting,
  upsertWork,
  workItem,
  type CaseView,
  type WorkItem,
} from '../store/cases.ts';
import { peekUndo, saveUndo, takeUndo, workStates } from '../store/case-work.ts';
import { appendAudit } from './audit.ts';
import { carefulItems } from './careful.ts';
import { visibleReports } from './access.ts';
import { deconflictReports } from '../triage/stages.ts';
import { forgetQueueCounts, nextCandidates, viralBatchReports, type QueueViewer } from './queue.ts';
import { config } from '../config/current.ts';
import { badInput, forbidden, notFound, conflict } from '../model/error.ts';

export { CLOSE_REASONS, STATUSES };

/** A signed-in person acting, and from where. */
export interface WorkActor {
  user: Pick<UserRow, 'id' | 'username' | 'role' | 'team'>;
  ip: string;
}

/** A subject cited by a name it no longer carries (subjects merged) is worked under its current name. */
async function live(store: Pick<Store, 'db'>, kind: 'report' | 'subject', itemId: string): Promise<string> {
  return kind === 'subject' ? liveSubjectId(store.db, itemId) : itemId;
}

/** The items with each subject under its current name. */
async function liveItems(
  store: Pick<Store, 'db'>,
  items: { kind: 'report' | 'subject'; itemId: string }[],
): Promise<{ kind: 'report' | 'subject'; itemId: string }[]> {
  return Promise.all(items.map(async (i) => ({ kind: i.kind, itemId: await live(store, i.kind, i.itemId) })));
}

const who = (a: WorkActor): { userId: number; username: string; ip: string } => ({ userId: a.user.id, username: a.user.username, ip: a.ip });
const isSupervisor = (a: WorkActor): boolean => a.user.role === 'supervisor' || a.user.role === 'admin';

/** The setting that opens the whole queue to every analyst (default true). */
export const OPEN_QUEUE_SETTING = 'queue.openToAllAnalysts';

// Every queue page and report view asks for the open-queue setting; a change made elsewhere (another
// process on the same database) is seen within cache.queueSettingSeconds, one made here at once.
const openQueueCache = new WeakMap<object, { value: boolean; until: number }>();

/** The viewer of the queue: the user and the agency's open-queue setting. */
export async function viewerOf(store: Pick<Store, 'db'>, user: Pick<UserRow, 'id' | 'role' | 'team'>): Promise<QueueViewer> {
  const hit = openQueueCache.get(store.db);
  if (hit && hit.until > Date.now()) return { user, openQueue: hit.value };
  const value = await getSetting(store.db, OPEN_QUEUE_SETTING, true);
  openQueueCache.set(store.db, { value, until: Date.now() + config().cache.queueSettingSeconds * 1000 });
  return { user, openQueue: value };
}

/** Opens or closes the whole queue to every analyst. */
export async function setOpenQueue(store: Pick<Store, 'db'>, open: boolean): Promise<void> {
  await setSetting(store.db, OPEN_QUEUE_SETTING, open);
  openQueueCache.delete(store.db);
}

/**
 * The active accounts a supervisor may assign work to: every worker when the queue is open to all
 * analysts (or for an admin, or a supervisor without a team), else the supervisor's own team.
 */
export async function assignableUsers(store: Pick<Store, 'db'>, a: Pick<WorkActor, 'user'>): Promise<UserRow[]> {
  const v = await viewerOf(store, a.user);
  const team = !v.openQueue && a.user.role === 'supervisor' ? a.user.team : null;
  return activeUsers(store.db, WORKERS, team ?? undefined);
}

/** Assigns a report or subject to a person (or nobody); analysts may only take things for themselves. */
export async function assign(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  kind: 'report' | 'subject',
  cited: string,
  assigneeId: number | null,
  team?: string | null,
): Promise<void> {
  const itemId = await live(store, kind, cited);
  if (!isSupervisor(a) && assigneeId !== a.user.id) throw forbidden('FORBIDDEN', 'an analyst can only assign work to themselves');
  let assigneeTeam: string | null | undefined = team;
  if (assigneeId !== null) {
    const target = await userById(store.db, assigneeId);
    if (!target || target.disabled || (target.role !== 'analyst' && target.role !== 'supervisor' && target.role !== 'admin'))
      throw badInput('BAD_ASSIGNEE', 'no active analyst or supervisor with that id');
    if (assigneeTeam === undefined) assigneeTeam = target.team;
  }
  const before = await workItem(store.db, kind, itemId);
  if (!isSupervisor(a) && before.assigneeId !== null && before.assigneeId !== a.user.id)
    throw conflict('ALREADY_ASSIGNED', 'someone else has this; ask a supervisor to reassign it');
  await upsertWork(store.db, kind, [itemId], { assigneeId, ...(assigneeTeam !== undefined ? { team: assigneeTeam } : {}) }, new Date());
  forgetQueueCounts(store);
  await appendAudit(store, {
    ...who(a),
    action: before.assigneeId === null ? 'work.assign' : 'work.reassign',
    targetKind: kind,
    targetId: itemId,
    detail: { from: before.assigneeId, to: assigneeId, team: assigneeTeam ?? null },
  });
}

/** Refuses an analyst's change to an item someone else holds (supervisors change anything). */
async function assertMayChange(store: Pick<Store, 'db'>, a: WorkActor, kind: 'report' | 'subject', itemId: string): Promise<void> {
  if (isSupervisor(a)) return;
  const w = await workItem(store.db, kind, itemId);
  if (w.assigneeId !== null && w.assigneeId !== a.user.id) throw forbidden('NOT_YOURS', `${kind} ${itemId} is assigned to someone else`);
}

/**
 * Sets the status; closing needs one of the close reasons, and closing anything of a careful tier
 * (IMMEDIATE or HIGH) also needs `confirm` (else CONFIRM_REQUIRED, and nothing changes).
 */
export async function setStatus(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  kind: 'report' | 'subject',
  cited: string[],
  status: string,
  reason?: string | null,
  opts: { confirm?: boolean } = {},
): Promise<void> {
  const itemIds = await Promise.all(cited.map((id) => live(store, kind, id)));
  if (!(STATUSES as readonly string[]).includes(status)) throw badInput('BAD_STATUS', `status must be one of ${STATUSES.join(', ')}`);
  if (status === 'closed' && !(CLOSE_REASONS as readonly string[]).includes(reason ?? ''))
    throw badInput('CLOSE_REASON_REQUIRED', `closing needs a reason: ${CLOSE_REASONS.join(', ')}`);
  if (status !== 'closed' && reason) throw badInput('BAD_REASON', 'only closing takes a reason');
  for (const id of itemIds) await assertMayChange(store, a, kind, id);
  if (status === 'closed' && opts.confirm !== true) {
    const careful = await carefulItems(store, kind, itemIds);
    if (careful.length > 0) {
      const named =
        careful
          .slice(0, 5)
          .map((c) => `${c.itemId} (${c.tier})`)
          .join(', ') + (careful.length > 5 ? `, and ${careful.length - 5} more` : '');
      throw conflict(
        'CONFIRM_REQUIRED',
        `closing ${kind === 'report' ? 'a report' : 'a subject'} of the top tiers needs a second, explicit confirmation (confirm: true): ${named}`,
        { items: careful.slice(0, 100) },
      );
    }
  }
  const at = new Date();
  if (status === 'closed') {
    // What each item was before, so that this close can be undone (the person's last close only).
    const before = await workStates(store.db, kind, itemIds);
    await saveUndo(store.db, a.user.id, {
      kind,
      items: itemIds.map((id) => ({ itemId: id, status: before.get(id)?.status ?? 'new' })),
      reason: reason!,
      at: at.toISOString(),
    });
  }
  await upsertWork(store.db, kind, itemIds, { status, closeReason: status === 'closed' ? reason! : null }, at);
  forgetQueueCounts(store);
  for (const id of itemIds)
    await appendAudit(store, { ...who(a), action: 'work.status', targetKind: kind, targetId: id, detail: { status, reason: reason ?? null } });
}

/** What an undo put back. */
export interface UndoneClose {
  kind: 'report' | 'subject';
  /** Items reopened with the status they had before the close. */
  reopened: { itemId: string; status: string }[];
  /** Items left as they are: changed since the close (no longer closed with that reason). */
  skipped: string[];
}

/**
 * Undoes the caller's last close: every item of it that is still closed with the same reason gets
 * back the status it had. An undo is used once; a second finds nothing (NOTHING_TO_UNDO).
 */
export async function undoLastClose(store: Pick<Store, 'db'>, a: WorkActor): Promise<UndoneClose> {
  const last = await takeUndo(store.db, a.user.id);
  if (!last) throw conflict('NOTHING_TO_UNDO', 'there is no close of yours to undo');
  const now = await workStates(
    store.db,
    last.kind,
    last.items.map((i) => i.itemId),
  );
  // Only what the caller may still see (the queue may have been closed to other teams since).
  const seen =
    last.kind === 'report'
      ? await visibleReports(
          store,
          await viewerOf(store, a.user),
          last.items.map((i) => i.itemId),
        )
      : undefined;
  const reopened: { itemId: string; status: string }[] = [];
  const skipped: string[] = [];
  for (const i of last.items) {
    const w = now.get(i.itemId);
    if (w?.status === 'closed' && w.closeReason === last.reason && (!seen || seen.has(i.itemId))) reopened.push(i);
    else skipped.push(i.itemId);
  }
  for (const status of new Set(reopened.map((i) => i.status))) {
    await upsertWork(
      store.db,
      last.kind,
      reopened.filter((i) => i.status === status).map((i) => i.itemId),
      { status, closeReason: null },
      new Date(),
    );
  }
  forgetQueueCounts(store);
  for (const i of reopened)
    await appendAudit(store, {
      ...who(a),
      action: 'work.undo',
      targetKind: last.kind,
      targetId: i.itemId,
      detail: { status: i.status, undid: { reason: last.reason, at: last.at } },
    });
  return { kind: last.kind, reopened, skipped };
}

/** The caller's last close that an undo would put back, if any. */
export async function lastClose(
  store: Pick<Store, 'db'>,
  a: Pick<WorkActor, 'user'>,
): Promise<{ kind: 'report' | 'subject'; itemIds: string[]; reason: string; at: string } | undefined> {
  const u = await peekUndo(store.db, a.user.id);
  return u && { kind: u.kind, itemIds: u.items.map((i) => i.itemId), reason: u.reason, at: u.at };
}

/**
 * Closes the open reports of one viral batch that the actor sees in the queue (an analyst: those
 * unassigned or their own; paused reports stay open); returns the closed report ids.
 */
export async function closeViralBatch(store: Pick<Store, 'db'>, a: WorkActor, key: string, reason: string, limit = 5000): Promise<string[]> {
  const ids = await viralBatchReports(store, key, await viewerOf(store, a.user), { limit, workable: !isSupervisor(a) });
  // A viral batch's close is confirmed by its own preview (the batch, its size and its reports).
  if (ids.length > 0) await setStatus(store, a, 'report', ids, 'closed', reason, { confirm: true });
  else if (!(CLOSE_REASONS as readonly string[]).includes(reason))
    throw badInput('CLOSE_REASON_REQUIRED', `closing needs a reason: ${CLOSE_REASONS.join(', ')}`);
  return ids;
}

/** Puts an item on hold (skipped by "next report") or releases it. */
export async function setHold(store: Pick<Store, 'db'>, a: WorkActor, kind: 'report' | 'subject', cited: string, held: boolean): Promise<void> {
  const itemId = await live(store, kind, cited);
  await upsertWork(store.db, kind, [itemId], { held }, new Date());
  forgetQueueCounts(store);
  await appendAudit(store, { ...who(a), action: held ? 'work.hold' : 'work.release', targetKind: kind, targetId: itemId });
}

/** Adds a note (kept by report number, so a new version of the report never loses it). */
export async function addNote(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  kind: 'report' | 'subject',
  cited: string,
  text: string,
  reportVersion: number | null,
): Promise<number> {
  const itemId = await live(store, kind, cited);
  const t = text.trim();
  if (!t) throw badInput('EMPTY_NOTE', 'a note needs some text');
  const id = await insertNote(store.db, { kind, itemId, authorId: a.user.id, text: t, reportVersion });
  await appendAudit(store, { ...who(a), action: 'work.note', targetKind: kind, targetId: itemId, detail: { noteId: id, length: t.length } });
  return id;
}

/** Hands the caller the top unassigned report under a lock; undefined when nothing is left. */
export async function nextReport(store: Pick<Store, 'db'>, a: WorkActor): Promise<string | undefined> {
  const v = await viewerOf(store, a.user);
  for (let round = 0; round < 5; round++) {
    const candidates = await nextCandidates(store, v, 8);
    if (candidates.length === 0) return undefined;
    const got = await claimReport(store.db, candidates, a.user.id, a.user.team, new Date());
    if (got) {
      forgetQueueCounts(store);
      await appendAudit(store, { ...who(a), action: 'work.next', targetKind: 'report', targetId: got });
      return got;
    }
  }
  return undefined;
}

/** Records a view of a report or subject (and its first look, for timing); `work` spares a read the caller made. */
export async function recordView(store: Pick<Store, 'db'>, a: WorkActor, kind: 'report' | 'subject', itemId: string, work?: WorkItem): Promise<void> {
  if (kind === 'report') {
    const w = work ?? (await workItem(store.db, kind, itemId));
    if (w.updatedAt === null || w.assigneeId === a.user.id) await upsertWork(store.db, kind, [itemId], { firstViewed: true }, new Date());
  }
  await appendAudit(store, { ...who(a), action: 'view', targetKind: kind, targetId: itemId });
}

/** Opens a case with a lead investigator and its first items; subjects in it pause their reports. */
export async function createCase(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  c: { title: string; leadId: number; items?: { kind: 'report' | 'subject'; itemId: string }[] },
): Promise<CaseView> {
  if (!isSupervisor(a)) throw forbidden('FORBIDDEN', 'only supervisors open cases');
  const lead = await userById(store.db, c.leadId);
  if (!lead || lead.disabled) throw badInput('BAD_LEAD', 'no active account with that id');
  if (!c.title.trim()) throw badInput('BAD_TITLE', 'a case needs a title');
  const id = `C-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
  await insertCase(store.db, { id, title: c.title.trim(), leadId: c.leadId, createdBy: a.user.id });
  await insertCaseItems(store.db, id, await liveItems(store, c.items ?? []), a.user.id);
  await deconflictReports(store, await reportsOfCase(store.db, id));
  forgetQueueCounts(store);
  await appendAudit(store, {
    ...who(a),
    action: 'case.create',
    targetKind: 'case',
    targetId: id,
    detail: { title: c.title, leadId: c.leadId, items: c.items ?? [] },
  });
  return (await getCase(store.db, id))!;
}

/** Adds reports or subjects to an active case (their reports are deconflicted). */
export async function addToCase(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  caseId: string,
  items: { kind: 'report' | 'subject'; itemId: string }[],
): Promise<CaseView> {
  if (!isSupervisor(a)) throw forbidden('FORBIDDEN', 'only supervisors change cases');
  const c = await getCase(store.db, caseId);
  if (!c) throw notFound('NOT_FOUND', `no case ${caseId}`);
  if (c.status !== 'active') throw conflict('CASE_CLOSED', `case ${caseId} is closed`);
  await insertCaseItems(store.db, caseId, await liveItems(store, items), a.user.id);
  await deconflictReports(store, await reportsOfCase(store.db, caseId));
  forgetQueueCounts(store);
  await appendAudit(store, { ...who(a), action: 'case.add', targetKind: 'case', targetId: caseId, detail: { items } });
  return (await getCase(store.db, caseId))!;
}

/** Closes a case: its reports leave deconfliction (unless another active case holds them). */
export async function closeCase(store: Pick<Store, 'db'>, a: WorkActor, caseId: string, reason: string): Promise<CaseView> {
  if (!isSupervisor(a)) throw forbidden('FORBIDDEN', 'only supervisors close cases');
  if (!reason.trim()) throw badInput('CLOSE_REASON_REQUIRED', 'closing a case needs a reason');
  const held = await reportsOfCase(store.db, caseId);
  if (!(await setCaseStatus(store.db, caseId, 'closed', reason.trim(), new Date()))) throw notFound('NOT_FOUND', `no case ${caseId}`);
  await deconflictReports(store, held);
  forgetQueueCounts(store);
  await appendAudit(store, { ...who(a), action: 'case.close', targetKind: 'case', targetId: caseId, detail: { reason } });
  return (await getCase(store.db, caseId))!;
}

/** Refuses a referral to an agency that is not an enabled partner, or of an item someone else holds; returns the item's current id. */
export async function assertMayRefer(store: Pick<Store, 'db'>, a: WorkActor, kind: 'report' | 'subject', cited: string, agencyCode: string): Promise<string> {
  const agency = (await listAgencies(store.db)).find((x) => x.code === agencyCode);
  if (!agency || !agency.enabled) throw badInput('BAD_AGENCY', `no enabled partner agency ${agencyCode}`);
  const itemId = await live(store, kind, cited);
  // A referral sets the status: the same ownership rule as a status change.
  await assertMayChange(store, a, kind, itemId);
  return itemId;
}

/** Refers or endorses a report or subject to a partner agency, recording exactly what was sent. */
export async function refer(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  r: { kind: 'report' | 'subject'; itemId: string; agency: string; type: 'referral' | 'endorsement'; sent: unknown; comment?: string | null },
): Promise<number> {
  const itemId = await assertMayRefer(store, a, r.kind, r.itemId, r.agency);
  const id = await insertReferral(store.db, {
    kind: r.kind,
    itemId,
    agency: r.agency,
    type: r.type,
    sentBy: a.user.id,
    sent: r.sent,
    comment: r.comment ?? null,
  });
  await upsertWork(store.db, r.kind, [itemId], { status: 'referred' }, new Date());
  forgetQueueCounts(store);
  await appendAudit(store, {
    ...who(a),
    action: `work.${r.type}`,
    targetKind: r.kind,
    targetId: itemId,
    detail: { referralId: id, agency: r.agency, sent: r.sent },
  });
  return id;
}

/** The deconfliction mark of one report, if any (visible to everyone). */
export async function deconflictionMark(store: Pick<Store, 'db'>, reportId: string): Promise<{ caseId: string; since: string } | null> {
  return (await deconflictionOf(store.db, [reportId])).get(reportId) ?? null;
}
