// What an export covers: one report, a subject (its reports) or a case (its report ids, supplied
// by the caller so that exports do not depend on how cases are stored).

import type { Store } from '../store/database.ts';
import type { CybertipReport } from '../model/report.ts';
import { compareReportIds } from '../link/subjects.ts';
import { liveSubjectId } from '../store/link.ts';

/** The thing being exported. For a case, `reportIds` lists its reports (the caller reads the case). */
export type ExportTarget =
  | { kind: 'report'; id: string }
  | { kind: 'subject'; id: string }
  | { kind: 'case'; id: string; reportIds: string[] };

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

/** Thrown when a target does not exist: the CLI prints it, the API answers 404. */
export class ExportNotFoundError extends Error {
  override name = 'ExportNotFoundError';
}

/** The report ids a target covers (a subject's from the link stage's membership). */
export async function targetReportIds(store: Pick<Store, 'db'>, t: ExportTarget): Promise<string[]> {
  if (t.kind === 'report') return [t.id];
  if (t.kind === 'case') return [...new Set(t.reportIds)].sort(compareReportIds);
  const rows = await store.db.selectFrom('link_subjects').select('report_id').where('subject_id', '=', await liveSubjectId(store.db, t.id)).execute();
  if (rows.length === 0) {
    // A report in no multi-report subject is a subject of its own (`S-` + its id, as the link stage names subjects).
    const single = await store.db.selectFrom('reports').select('report_id').where('report_id', '=', t.id.replace(/^S-/, '')).executeTakeFirst();
    if (single) return [single.report_id];
    throw new ExportNotFoundError(`no subject ${t.id} (run \`bantay link\` first, or see \`bantay subjects\`)`);
  }
  return rows.map((r) => r.report_id).sort(compareReportIds);
}

/** The current canonical documents of some reports, in the order given (one query). */
export async function currentDocuments(store: Pick<Store, 'db'>, ids: string[]): Promise<Map<string, CybertipReport>> {
  const out = new Map<string, CybertipReport>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await store.db
      .selectFrom('reports as r')
      .innerJoin('report_versions as v', (j) => j.onRef('v.report_id', '=', 'r.report_id').onRef('v.version', '=', 'r.current_version'))
      .select(['r.report_id', 'v.doc'])
      .where('r.report_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.report_id, (typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc) as CybertipReport);
  }
  return out;
}

/** Resolves a target to its reports; throws ExportNotFoundError when none of them exists. */
export async function resolveTarget(store: Pick<Store, 'db'>, t: ExportTarget): Promise<ResolvedTarget> {
  const ids = await targetReportIds(store, t);
  const docs = await currentDocuments(store, ids);
  const reports = ids.flatMap((id) => docs.get(id) ?? []);
  if (reports.length === 0) throw new ExportNotFoundError(t.kind === 'report' ? `no report ${t.id}` : `${targetLabel(t)} holds no stored report`);
  return { target: t, reports, missing: ids.filter((id) => !docs.has(id)) };
}
