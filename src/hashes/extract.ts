import type { CybertipReport } from '../model/report.ts';
import { isEmptyFileHash, normaliseHash, type HashType } from './normalize.ts';

/** One normalised hash of one file, ready for the hash store. */
export interface FileHashRow {
  reportId: string;
  fileId: string;
  type: HashType;
  value: string;
  quality: number | null;
  userKey: string | null;
  espViral: boolean;
}

/** What extraction found besides the rows: values dropped and why, for the evidence trail. */
export interface ExtractResult {
  rows: FileHashRow[];
  /** Empty-file hashes seen (kept out of the store: never evidence). */
  empty: number;
  /** Values that did not normalise (wrong length, not hex). */
  invalid: number;
}

// The uploader: the first reported person's ESP identifier, else screen name, else first email.
// Lowercased so that one account spelled two ways is one user for the viral rule.
function userKeyOf(report: CybertipReport): string | null {
  const p = report.reportedPersons[0];
  if (!p) return null;
  const k = p.espIdentifier ?? p.screenName ?? p.person?.emails[0]?.address;
  const t = k?.trim().toLowerCase();
  return t ? `${report.incident.platform ?? ''}|${t}` : null;
}

const QUALITY_NAME = /quality/i;

/** Every normalised hash of every file of a canonical report (empty-file hashes left out, counted). */
export function extractFileHashes(report: CybertipReport): ExtractResult {
  const rows: FileHashRow[] = [];
  let empty = 0;
  let invalid = 0;
  const userKey = userKeyOf(report);
  const batchedViral = (report.incident.batchedReason ?? '').toUpperCase().includes('VIRAL');
  for (const file of report.files) {
    const espViral = batchedViral || file.potentialMeme === true || file.fileAnnotations.some((a) => a === 'viral' || a === 'potentialMeme');
    const seen = new Set<string>();
    let quality: number | null = null;
    const candidates: { type: string; value: string }[] = file.originalFileHashes.map((h) => ({ type: h.hashType, value: h.value }));
    for (const d of file.details) {
      if ((d.type ?? '').toUpperCase() !== 'HASH') continue;
      for (const p of d.pairs) {
        if (QUALITY_NAME.test(p.name)) {
          const q = Number(p.value);
          if (Number.isFinite(q)) quality = q;
          continue;
        }
        candidates.push({ type: p.name, value: p.value });
      }
    }
    for (const c of candidates) {
      if (isEmptyFileHash(c.value)) {
        empty++;
        continue;
      }
      const n = normaliseHash(c.type, c.value);
      if (!n) {
        invalid++;
        continue;
      }
      const key = `${n.type}:${n.value}`;
      if (seen.has(key)) continue; // the same hash in originalFileHash and details is one hash
      seen.add(key);
      rows.push({ reportId: report.reportId, fileId: file.fileId, type: n.type, value: n.value, quality: null, userKey, espViral });
    }
    if (quality !== null) for (const r of rows) if (r.fileId === file.fileId && r.type === 'pdq') r.quality = quality;
  }
  return { rows, empty, invalid };
}
