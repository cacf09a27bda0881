import type { Store } from '../store/database.ts';
import { enabledPdqEntries, occurrences, reportSignals, storedPdq } from '../store/hashes.ts';
import { isEmptyFileHash } from './normalize.ts';
import { isPdqHex, PdqIndex, PDQ_THRESHOLD } from './pdq.ts';

/** Everything known about one hash: where it occurs exactly and, for a PDQ, near copies. */
export interface HashLookup {
  query: string;
  value: string;
  /** True for an empty-file hash: it is reported, never matched. */
  emptyFile: boolean;
  reports: { reportId: string; fileId: string; type: string; novelty: string | null }[];
  lists: { list: string; enabled: boolean; type: string; category: string | null; series: string | null; victimIdentified: boolean | null }[];
  /** PDQ near copies within the threshold (exact ones excluded), when the query is 64 hex. */
  near: {
    reports: { reportId: string; fileId: string; value: string; distance: number }[];
    lists: { list: string; value: string; category: string | null; distance: number }[];
  };
}

/** Looks a hash up in every report and every list (`bantay hash HASH`). */
export async function lookupHash(store: Store, query: string, threshold: number = PDQ_THRESHOLD): Promise<HashLookup> {
  const value = query.trim().toLowerCase().replace(/^0x/, '');
  const out: HashLookup = { query, value, emptyFile: isEmptyFileHash(value), reports: [], lists: [], near: { reports: [], lists: [] } };
  if (out.emptyFile) return out; // never evidence: not matched against anything
  // Hex hashes are stored lowercase; PhotoDNA (base64) keeps its case, so both spellings are asked.
  const occ = await occurrences(store.db, [...new Set([value, query.trim()])]);
  const novelty = new Map((await reportSignals(store.db, [...new Set(occ.files.map((f) => f.reportId))])).map((r) => [r.reportId, r.novelty]));
  out.reports = occ.files.map((f) => ({ ...f, novelty: novelty.get(f.reportId) ?? null }));
  out.lists = occ.lists;
  if (isPdqHex(value)) {
    // A one-off query: building an index costs about what a scan does, so scan.
    const files = new PdqIndex<{ reportId: string; fileId: string; value: string }>();
    for (const f of await storedPdq(store.db)) files.add(f.value, f);
    for (const h of files.scan(value, threshold)) if (h.distance > 0) out.near.reports.push({ ...h.item, distance: h.distance });
    const lists = new PdqIndex<{ list: string; value: string; category: string | null; threshold: number }>();
    for (const e of await enabledPdqEntries(store.db)) lists.add(e.value, e);
    for (const h of lists.scan(value, 256))
      if (h.distance > 0 && h.distance <= h.item.threshold)
        out.near.lists.push({ list: h.item.list, value: h.item.value, category: h.item.category, distance: h.distance });
    out.near.reports.sort((a, b) => a.distance - b.distance);
    out.near.lists.sort((a, b) => a.distance - b.distance);
  }
  return out;
}
