// The subjects page: subjects ranked like `bantay suspects`, only those with a report the caller
// may see (src/cases/access.ts), each with its work state.
import type { Store } from '../store/database.ts';
import { workStates } from '../store/case-work.ts';
import { rankSuspects } from '../triage/suspects.ts';
import { visibleReports } from './access.ts';
import type { QueueViewer } from './queue.ts';

/** One row of the subjects page. */
export interface SuspectRow {
  subjectId: string;
  tier: string;
  score: number;
  reportCount: number;
  /** Reports of the subject the caller may not see. */
  hiddenReports: number;
  esps: string[];
  reasons: { rule: string; effect: string; evidence: string; description: string }[];
  status: string;
  assignee: string | null;
}

/** A page of ranked suspects the viewer may see, optionally of one tier. */
export async function suspectList(
  store: Pick<Store, 'db'>,
  v: QueueViewer,
  q: { limit: number; offset: number; tier?: string | undefined },
): Promise<{ total: number; items: SuspectRow[] }> {
  const ranked = (await rankSuspects(store)).filter((s) => !q.tier || s.tier === q.tier);
  const seen = await visibleReports(
    store,
    v,
    ranked.flatMap((s) => s.reports),
  );
  const mine = ranked.map((s) => ({ s, visible: s.reports.filter((r) => seen.has(r)).length })).filter((x) => x.visible > 0);
  const page = mine.slice(q.offset, q.offset + q.limit);
  const work = await workStates(
    store.db,
    'subject',
    page.map((x) => x.s.subjectId),
  );
  return {
    total: mine.length,
    items: page.map(({ s, visible }) => ({
      subjectId: s.subjectId,
      tier: s.tier,
      score: s.score,
      reportCount: s.reports.length,
      hiddenReports: s.reports.length - visible,
      esps: s.esps,
      reasons: s.reasons,
      status: work.get(s.subjectId)?.status ?? 'new',
      assignee: work.get(s.subjectId)?.assignee ?? null,
    })),
  };
}
