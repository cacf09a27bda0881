import type { Store } from '../store/database.ts';
import type { CybertipReport } from '../model/report.ts';
import { allFileHashes, enabledPdqEntries, exactListMatches, hashedReportIds, pendingReports, replaceFileHashes, replaceReportSignals } from '../store/hashes.ts';
import { extractFileHashes } from './extract.ts';
import { computeSignals, type ReportSignal, type ViralConfig } from './signals.ts';

/** What an update did. */
export interface UpdateSummary {
  reportsExtracted: number;
  fileHashes: number;
  emptyIgnored: number;
  invalidIgnored: number;
  reportsSignalled: number;
  novelty: Record<string, number>;
  seconds: number;
}

const PAGE = 2000;

/**
 * Fills the hash store from the reports' current versions: the given ids, all reports, or (by
 * default) only those whose current version the store does not hold; then recomputes every
 * report's signals (viral and first-seen depend on all reports, so they are global).
 */
export async function updateHashes(store: Store, opts: { ids?: string[]; all?: boolean; viral?: ViralConfig } = {}): Promise<UpdateSummary> {
  const started = Date.now();
  const s: UpdateSummary = { reportsExtracted: 0, fileHashes: 0, emptyIgnored: 0, invalidIgnored: 0, reportsSignalled: 0, novelty: {}, seconds: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await pendingReports(store.db, { ...(opts.ids ? { ids: opts.ids } : {}), ...(opts.all ? { all: true } : {}), ...(after !== undefined ? { after } : {}), limit: PAGE });
    if (page.length === 0) break;
    const rows = [];
    for (const p of page) {
      const r = extractFileHashes(p.doc as CybertipReport);
      s.emptyIgnored += r.empty;
      s.invalidIgnored += r.invalid;
      rows.push(...r.rows);
    }
    await replaceFileHashes(store, page, rows);
    s.reportsExtracted += page.length;
    s.fileHashes += rows.length;
    after = page[page.length - 1]!.reportId;
    if (page.length < PAGE) break;
  }
  const signals = await recomputeSignals(store, opts.viral);
  s.reportsSignalled = signals.length;
  for (const r of signals) s.novelty[r.novelty] = (s.novelty[r.novelty] ?? 0) + 1;
  s.seconds = (Date.now() - started) / 1000;
  return s;
}

/** Recomputes and stores every hashed report's signal roll-up; returns it. */
export async function recomputeSignals(store: Store, viral?: ViralConfig): Promise<ReportSignal[]> {
  const [reportIds, files, exact, pdqEntries] = await Promise.all([hashedReportIds(store.db), allFileHashes(store.db), exactListMatches(store.db), enabledPdqEntries(store.db)]);
  const signals = computeSignals({ reportIds, files, exact, pdqEntries, ...(viral ? { viral } : {}) });
  await replaceReportSignals(store, signals.map((r) => ({ reportId: r.reportId, novelty: r.novelty, known: r.known, viral: r.viral, viralKey: r.viralKey, newFiles: r.newFiles, evidence: r.files })));
  return signals;
}
