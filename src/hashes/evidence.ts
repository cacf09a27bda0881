// A report's hash signals as shown to people (report view, exports, CLI): each file's stored signal
// with its content group's totals read now, so counts stay true without rewriting the roll-ups.
import type { Db } from '../store/bulk.ts';
import { contentGroupsOfValues, reportSignals, type ReportSignalRow } from '../store/hashes.ts';
import { expandSignal, type FileSignal, type StoredFileSignal } from './signals.ts';

/** A roll-up whose evidence holds every file's full signal (FileSignal[]). */
export interface ShownReportSignal extends Omit<ReportSignalRow, 'evidence'> {
  evidence: FileSignal[];
}

/** The roll-ups of some reports (all when ids is undefined), each file with its group's current totals. */
export async function readReportSignals(db: Db, ids?: string[]): Promise<ShownReportSignal[]> {
  const rows = await reportSignals(db, ids);
  const files = (r: ReportSignalRow): StoredFileSignal[] => (Array.isArray(r.evidence) ? (r.evidence as StoredFileSignal[]) : []);
  const keys = rows.flatMap((r) => files(r).flatMap((f) => (f.hashes[0] === undefined ? [] : [f.hashes[0]])));
  const groups = await contentGroupsOfValues(db, keys);
  return rows.map((r) => ({
    ...r,
    evidence: files(r).map((f) => expandSignal(r.reportId, f, f.hashes[0] === undefined ? undefined : groups.get(f.hashes[0]))),
  }));
}
