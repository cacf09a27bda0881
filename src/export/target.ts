// What an export covers: one report, a subject (its reports) or a case (its report ids, supplied
// by the caller so that exports do not depend on how cases are stored).

import type { Store } from '../store/database.ts';
import type { CybertipReport } from '../model/report.ts';
import { compareReportIds } from '../link/subjects.ts';
import { existingReports, liveSubjectId, membersOfSubjects } from '../store/link.ts';
import { currentDocuments } from '../store/reports.ts';
import { notFound } from '../model/error.ts';

/** The thing being exported. For a case, `reportIds` lists its reports (the caller reads the case). */
export type ExportTarget = { kind: 'report'; id: string } | { kind: 'subject'; id: string } | { kind: 'case'; id: string; reportIds: string[] };

/** The target with its reports' current canonical documents, in report-id order. */
export interface ResolvedTarget {
  target: ExportTarget;
  reports: CybertipReport[];
  /** Ids asked for that the database does not hold (a case may name a report not yet ingested). */
  missing: string[];
}

/** A readable label of a target, e.g. `report 200000001`. */
export function targetLabel(t: ExportTarget): string {
  return `${t.kind} ${t.id}`;
}

/** The report ids a target covers (a subject's from the link stage's membership). */
export async function targetReportIds(store: Pick<Store, 'db'>, t: ExportTarget): Promise<string[]> {
  if (t.kind === 'report') return [t.id];
  if (t.kind === 'case') return [...new Set(t.reportIds)].sort(compareReportIds);
  const members = [...(await membersOfSubjects(store.db, [await liveSubjectId(store.db, t.id)])).keys()];
  if (members.length === 0) {
    // A report in no multi-report subject is a subject of its own (`S-` + its id, as the link stage names subjects).
    const single = t.id.replace(/^S-/, '');
    if ((await existingReports(store.db, [single])).has(single)) return [single];
    throw notFound('NOT_FOUND', `no subject ${t.id} (run \`bantay link\` first, or see \`bantay subjects\`)`);
  }
  return members.sort(compareReportIds);
}

/** Resolves a target to its reports; throws NOT_FOUND when none of them exists. */
export async function resolveTarget(store: Pick<Store, 'db'>, t: ExportTarget): Promise<ResolvedTarget> {
  const ids = await targetReportIds(store, t);
  const docs = await currentDocuments(store.db, ids);
  const reports = ids.flatMap((id) => docs.get(id) ?? []);
  if (reports.length === 0) throw notFound('NOT_FOUND', t.kind === 'report' ? `no report ${t.id}` : `${targetLabel(t)} holds no stored report`);
  return { target: t, reports, missing: ids.filter((id) => !docs.has(id)) };
}
