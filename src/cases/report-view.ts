// What an analyst sees of one report (GET /api/reports/:id): its summary and current document,
// score with every reason, identifiers with their enrichment, files with their hash signals,
// versions, links, subject, this agency's and other agencies' deconfliction marks, and the work
// on it. Reading it is recorded (recordView). The caller has checked that the viewer may see it.
import type { Store } from '../store/database.ts';
import { getReport } from '../store/reports.ts';
import { notesOf, referralsOf, workItem, type WorkItem } from '../store/cases.ts';
import { getEnrichment } from '../store/enrichment.ts';
import { readReportSignals } from '../hashes/evidence.ts';
import { identifierEnrichment, type EnrichmentDoc } from '../enrich/report-enrichment.ts';
import { IP_DATA_ATTRIBUTION } from '../enrich/ip-geo.ts';
import { reportLinks } from '../link/query.ts';
import { externalMarks } from '../deconflict/run.ts';
import { reportScore } from '../triage/queue.ts';
import { deconflictionMark, recordView, type WorkActor } from './work.ts';

// Each file with its hash signal (known, viral, repeat, new, unhashed) from the hash stage's evidence.
function filesWithSignals(files: unknown, evidence: unknown): unknown[] {
  if (!Array.isArray(files)) return [];
  const byId = new Map(
    (Array.isArray(evidence) ? (evidence as { fileId: string; novelty: string; known: unknown[]; firstSeenReport: string | null }[]) : []).map((f) => [
      f.fileId,
      f,
    ]),
  );
  return files.map((f: { fileId?: string }) => {
    const sig = f.fileId !== undefined ? byId.get(f.fileId) : undefined;
    return sig ? { ...f, signal: sig.novelty, knownMatches: sig.known, firstSeenReport: sig.firstSeenReport } : f;
  });
}

/** The work block of a report or subject view: status, assignee, hold, notes and referrals. */
export async function workView(store: Pick<Store, 'db'>, kind: 'report' | 'subject', id: string, work?: WorkItem) {
  const [w, notes, referrals] = await Promise.all([work ?? workItem(store.db, kind, id), notesOf(store.db, kind, id), referralsOf(store.db, kind, id)]);
  return { status: w.status, closeReason: w.closeReason, assignee: w.assignee, assigneeId: w.assigneeId, team: w.team, held: w.held, notes, referrals };
}

/** One report as the analyst sees it, the view recorded; undefined when there is no such report. */
export async function reportView(store: Pick<Store, 'db' | 'copy'>, actor: WorkActor, id: string) {
  // Independent reads run together: on a server each takes its own pooled connection.
  // The work state is read once, before the view is recorded: the view changes only its timestamps.
  const [r, mark, w, external] = await Promise.all([
    getReport(store.db, id),
    deconflictionMark(store, id),
    workItem(store.db, 'report', id),
    externalMarks(store, [id]),
  ]);
  if (!r) return undefined;
  const [, links, enrichment, score, signals, work] = await Promise.all([
    recordView(store, actor, 'report', id, w),
    reportLinks(store, id),
    getEnrichment(store.db, id),
    reportScore(store, id, { position: false }),
    readReportSignals(store.db, [id]),
    workView(store, 'report', id, w),
  ]);
  const { versions, ...summary } = r;
  const current = versions[versions.length - 1];
  const doc = (current?.report ?? null) as { files?: unknown[] } | null;
  const enrichDoc = enrichment?.doc as EnrichmentDoc | undefined;
  return {
    summary: { ...summary, provinceCode: enrichment?.provinceCode ?? null },
    report: doc,
    score: score ?? null,
    identifiers: links.identifiers.map((i) => ({ ...i, enrichment: (enrichDoc && identifierEnrichment(enrichDoc, i)) ?? null })),
    enrichment: enrichment ? { ...enrichment, attribution: IP_DATA_ATTRIBUTION } : null,
    files: filesWithSignals(doc?.files, signals[0]?.evidence),
    versions: versions.map(({ report: _r, raw: _x, ...v }) => v),
    links: links.linked.map((l) => ({ reportId: l.reportId, reasons: l.shared })),
    subject: links.subject,
    deconfliction: mark,
    externalDeconfliction: external.get(id) ?? [],
    work,
  };
}
