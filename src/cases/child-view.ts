// What a person sees of the children: a child is visible when one of its reports is (the subject
// rule, src/cases/access.ts), and shows only those reports, with a count of the others. Every view
// of one child is written to the audit trail.
import type { Store } from '../store/database.ts';
import { childReportRows, type ChildReportRow } from '../store/children.ts';
import { child, children, childSeenThrough, type Child } from '../children/run.ts';
import { visibleReports, visibleToOf, type Granted } from './access.ts';
import { appendAudit } from './audit.ts';
import type { QueueViewer } from './queue.ts';
import type { WorkActor } from './work.ts';

/** A child as one person may see it. */
export interface ChildSeen extends Child {
  /** Reports of the child the viewer may not see (left out of `reports`). */
  hiddenReports: number;
}

/** One child's page: the child and its visible reports with their triage tier and work status. */
export interface ChildPage extends ChildSeen {
  reportRows: ChildReportRow[];
}

// With a report hidden, every fact is drawn again from the visible reports alone (a hidden report
// must not lend the child a name, a place or a danger sign).
async function restrict(store: Pick<Store, 'db'>, c: Child, seen: ReadonlySet<string>, now: Date): Promise<ChildSeen> {
  const reports = c.reports.filter((id) => seen.has(id));
  const hiddenReports = c.reports.length - reports.length;
  if (hiddenReports === 0) return { ...c, hiddenReports };
  return { ...(await childSeenThrough(store, c, new Set(reports), now)), reports, hiddenReports };
}

/** Children in danger order that the viewer may see, each with only its visible reports. */
export async function childrenFor(
  store: Pick<Store, 'db'>,
  v: QueueViewer,
  opts: { limit: number; offset: number; status?: string; now?: Date },
): Promise<{ total: number; items: ChildSeen[] }> {
  const now = opts.now ?? new Date();
  const page = await children(store, { ...opts, now, ...visibleToOf(v) });
  const seen = await visibleReports(
    store,
    v,
    page.items.flatMap((c) => c.reports),
  );
  const items: ChildSeen[] = [];
  for (const c of page.items) items.push(await restrict(store, c, seen, now));
  return { total: page.total, items };
}

/** One child as the route's rule granted it (undefined when there is none: 404); audited as a view. */
export async function childPage(store: Pick<Store, 'db'>, a: WorkActor, grant: Granted, id: string, now = new Date()): Promise<ChildPage | undefined> {
  const c = await child(store, id, now);
  if (!c) return undefined;
  const seen = await restrict(store, c, new Set(grant.visible ?? []), now);
  await appendAudit(store, {
    action: 'view',
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    targetKind: 'child',
    targetId: c.id,
    detail: { reports: seen.reports.length, hiddenReports: seen.hiddenReports },
  });
  return { ...seen, reportRows: await childReportRows(store.db, seen.reports) };
}
