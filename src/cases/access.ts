// Object-level access: the one place that decides whether a signed-in person may see or work a
// report, a subject, a case, a graph node, an export or a referral package.
//
// The rule is the queue's (docs/security.md "Authorisation"): supervisors and admins see every
// report; auditors none; an analyst sees every report while the agency keeps the queue open to all
// analysts (setting `openQueueToAllAnalysts`), and otherwise only reports assigned to them or to
// their team. Everything else follows from reports:
// - a subject is visible when at least one of its reports is; what it shows (reports, identifiers,
//   links, graph) comes from those reports only, with a count of the others;
// - a case is visible to its lead and when at least one of its reports is;
// - a whole-object output that must be complete (a subject's exports, a case's referral package)
//   needs every report to be visible.
// The queue applies the same rule in SQL (`conditions` in ./queue.ts; `visibleTo` in the store).
import type { Store } from '../store/database.ts';
import { caseLead, caseReportIds, reportHolders, type VisibleTo } from '../store/cases.ts';
import { liveSubjectId } from '../store/link.ts';
import { childReportIds } from '../store/children.ts';
import { reportsOfParties } from '../store/payments.ts';
import { targetReportIds } from '../export/target.ts';
import type { QueueViewer } from './queue.ts';
import { isBantayError } from '../model/error.ts';

/**
 * What a route touches, declared next to its roles so that the security tests can enumerate it:
 * - `none`: no report, subject or case (accounts, settings, rules, hash lists, uploads);
 * - `aggregate`: counts over all reports, no identifier and no content;
 * - `filtered`: a list the caller sees through the rule (queue, search, subject and case lists);
 * - `report`: the report `:id`; `reports`: every report named in the body (`reportIds`, `reportA`, `reportB`);
 * - `items`: every report or subject in the body's `items`;
 * - `subject`: the subject `:id` (at least one report visible); `subject-all`: every report of it;
 * - `case`: the case `:id` (its lead, or at least one report visible); `case-all`: every report of it;
 * - `child`: the child `:id` (at least one of its reports visible); `child-all`: every report of it.
 * - `party`: the payment party `:id` (one of the reports its keys reach is visible; parties that reach
 *   no report only to those who see every report).
 */
export const OBJECT_RULES = [
  'none',
  'aggregate',
  'filtered',
  'report',
  'reports',
  'items',
  'subject',
  'subject-all',
  'case',
  'case-all',
  'child',
  'child-all',
  'party',
] as const;
/** One object rule. */
export type ObjectRule = (typeof OBJECT_RULES)[number];

/** What a rule is applied to: the ids it names, read from the request by the API. */
export type AccessTarget =
  | { kind: 'report'; id: string }
  | { kind: 'reports'; ids: string[] }
  | { kind: 'items'; items: { kind: 'report' | 'subject'; itemId: string }[] }
  | { kind: 'subject'; id: string; complete: boolean }
  | { kind: 'case'; id: string; complete: boolean }
  | { kind: 'child'; id: string; complete: boolean }
  | { kind: 'party'; id: string };

/** A granted access: for a subject or case, the reports the caller may see and how many are hidden. */
export interface Granted {
  ok: true;
  /** The subject's current name (a retired name resolves to the subject it went to). */
  subjectId?: string;
  /** The reports of the subject or case the caller may see, in report order. */
  visible?: string[];
  /** How many reports of the subject or case the caller may not see. */
  hidden: number;
}

/** A refusal, with the reports that were not visible (for the audit trail). */
export interface Refused {
  ok: false;
  reason: string;
  denied: string[];
}

/** True when the viewer sees every report without looking at who holds it. */
export function seesAll(v: QueueViewer): boolean {
  return v.user.role === 'supervisor' || v.user.role === 'admin' || (v.user.role === 'analyst' && v.openQueue);
}

/** True when a report held as given is visible to the viewer (the queue's rule for one row). */
export function mayWork(v: QueueViewer, holder: { assigneeId: number | null; team: string | null } | undefined): boolean {
  if (v.user.role === 'auditor') return false;
  if (seesAll(v)) return true;
  if (!holder) return false;
  return holder.assigneeId === v.user.id || (holder.team !== null && holder.team === v.user.team);
}

/** The filter a list query applies for this viewer: `{ visibleTo }` for a closed-queue analyst, else nothing. */
export function visibleToOf(v: QueueViewer): { visibleTo?: VisibleTo } {
  return seesAll(v) ? {} : { visibleTo: { userId: v.user.id, team: v.user.team } };
}

/** The reports of a list that the viewer may see (one query for a closed queue, none otherwise). */
export async function visibleReports(store: Pick<Store, 'db'>, v: QueueViewer, reportIds: string[]): Promise<Set<string>> {
  if (v.user.role === 'auditor') return new Set();
  if (seesAll(v)) return new Set(reportIds);
  const holders = await reportHolders(store.db, reportIds);
  return new Set(reportIds.filter((id) => mayWork(v, holders.get(id))));
}

/** The one authorisation decision for a report, reports, items, a subject, a case or a child. */
export async function authorise(store: Pick<Store, 'db'>, v: QueueViewer, t: AccessTarget): Promise<Granted | Refused> {
  if (t.kind === 'report' || t.kind === 'reports') {
    const ids = t.kind === 'report' ? [t.id] : [...new Set(t.ids)];
    const seen = await visibleReports(store, v, ids);
    const denied = ids.filter((id) => !seen.has(id));
    return denied.length === 0
      ? { ok: true, hidden: 0 }
      : {
          ok: false,
          reason:
            denied.length === 1
              ? `report ${denied[0]} is not assigned to you or your team`
              : `${denied.length} of these reports are not assigned to you or your team`,
          denied,
        };
  }
  if (t.kind === 'items') {
    const denied: string[] = [];
    for (const i of t.items) {
      const d = await authorise(store, v, i.kind === 'report' ? { kind: 'report', id: i.itemId } : { kind: 'subject', id: i.itemId, complete: false });
      if (!d.ok) for (const x of d.denied) denied.push(x);
    }
    return denied.length === 0 ? { ok: true, hidden: 0 } : { ok: false, reason: 'some of these items are not assigned to you or your team', denied };
  }
  if (t.kind === 'subject') {
    const subjectId = await liveSubjectId(store.db, t.id);
    let ids: string[];
    try {
      ids = await targetReportIds(store, { kind: 'subject', id: subjectId });
    } catch (err) {
      // A subject that does not exist is refused like one the caller may not see: no existence oracle.
      if (isBantayError(err, 'NOT_FOUND')) ids = [];
      else throw err;
    }
    return containerDecision(store, v, `subject ${subjectId}`, ids, t.complete, false, { subjectId });
  }
  // A child follows its reports, as a subject does; an unknown child is refused like a hidden one.
  if (t.kind === 'child') return containerDecision(store, v, `child ${t.id}`, await childReportIds(store.db, t.id), t.complete, false, {});
  if (t.kind === 'party') {
    const ids = [...new Set((await reportsOfParties(store.db, [t.id])).map((r) => r.reportId))];
    return containerDecision(store, v, `payment party ${t.id}`, ids, false, false, {});
  }
  const ids = (await caseReportIds(store.db, t.id)) ?? [];
  const lead = await caseLead(store.db, t.id);
  return containerDecision(store, v, `case ${t.id}`, ids, t.complete, lead !== undefined && lead === v.user.id, {});
}

async function containerDecision(
  store: Pick<Store, 'db'>,
  v: QueueViewer,
  label: string,
  ids: string[],
  complete: boolean,
  lead: boolean,
  extra: { subjectId?: string },
): Promise<Granted | Refused> {
  const seen = await visibleReports(store, v, ids);
  const visible = ids.filter((id) => seen.has(id));
  const denied = ids.filter((id) => !seen.has(id));
  if (v.user.role === 'auditor') return { ok: false, reason: `${label} is not open to auditors`, denied: ids };
  if (complete && denied.length > 0)
    return {
      ok: false,
      reason: `${denied.length} of the ${ids.length} reports of ${label} are not assigned to you or your team; the whole ${label.split(' ')[0]} is needed for this`,
      denied,
    };
  // An empty container exists for supervisors (the handler answers 404); for a closed-queue analyst it is refused.
  if (visible.length === 0 && !lead && !(seesAll(v) && ids.length === 0))
    return { ok: false, reason: `no report of ${label} is assigned to you or your team`, denied };
  return { ok: true, ...extra, visible, hidden: denied.length };
}
