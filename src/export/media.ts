// The media table: one row per reported file with its names, hashes, whether the ESP viewed it
// (and what that means before police open it, domain.md §4.4), classification, annotations
// and the hash stage's signals (hash-list matches, viral, new). Metadata and hashes only.

import { normaliseHash } from '../hashes/normalize.ts';
import type { FileSignal } from '../hashes/signals.ts';
import { deriveEsp, type CybertipReport, type FileDetails } from '../model/report.ts';
import { utcOf, type Sheet } from './tabular.ts';

/** One row of the media table. */
export interface MediaRow {
  reportId: string;
  esp: string | null;
  fileId: string;
  fileName: string | null;
  originalFileName: string | null;
  md5: string[];
  sha1: string[];
  sha256: string[];
  pdq: string[];
  /** Other hash types (PhotoDNA, SHA-512…) as `type:value`, and values that did not normalise. */
  otherHashes: string[];
  viewedByEsp: boolean | null;
  /** What viewedByEsp means for viewing by law enforcement. */
  viewedMeaning: string;
  exifViewedByEsp: boolean | null;
  publiclyAvailable: boolean | null;
  industryClassification: string | null;
  relevance: string | null;
  /** fileAnnotations plus the older stand-alone potentialMeme flag. */
  tags: string[];
  uploadedUtc: string | null;
  /** The hash stage's novelty (new, repeat, known, viral, unhashed), or null when hashes have not run. */
  novelty: string | null;
  /** Hash-list matches, readable. */
  lists: string[];
  /** Recirculation evidence, readable. */
  viral: string | null;
  firstSeenReport: string | null;
}

/** Meaning of fileViewedByEsp = false, as domain.md §4.4 states it. */
export const NOT_VIEWED_MEANING =
  'Not viewed by the ESP: a warrant may be needed before law enforcement opens this file. In United States v. Wilson (9th Cir. 2021) police needed a warrant to open files the provider had flagged by hash but no employee had viewed; courts differ, and the Philippine position is unverified.';
/** Meaning of a missing fileViewedByEsp. */
export const NOT_STATED_MEANING =
  'The ESP did not say whether staff viewed this file: treat it as not viewed (a warrant may be needed before law enforcement opens it) until the ESP confirms.';
/** Meaning of fileViewedByEsp = true. */
export const VIEWED_MEANING = 'Viewed by ESP staff. The Wilson warrant question concerns files no one at the ESP viewed.';

/** What the viewed-by-ESP flag means for law enforcement (domain.md §4.4). */
export function viewedMeaning(viewed: boolean | undefined | null): string {
  return viewed === true ? VIEWED_MEANING : viewed === false ? NOT_VIEWED_MEANING : NOT_STATED_MEANING;
}

function hashesOf(f: FileDetails): Pick<MediaRow, 'md5' | 'sha1' | 'sha256' | 'pdq' | 'otherHashes'> {
  const out: Pick<MediaRow, 'md5' | 'sha1' | 'sha256' | 'pdq' | 'otherHashes'> = { md5: [], sha1: [], sha256: [], pdq: [], otherHashes: [] };
  const pairs = [
    ...f.originalFileHashes.map((h) => ({ type: h.hashType, value: h.value })),
    ...f.details
      .filter((d) => (d.type ?? '').toUpperCase() === 'HASH')
      .flatMap((d) => d.pairs.filter((p) => !/quality/i.test(p.name)).map((p) => ({ type: p.name, value: p.value }))),
  ];
  const seen = new Set<string>();
  for (const p of pairs) {
    const n = normaliseHash(p.type, p.value);
    const key = n ? `${n.type}:${n.value}` : `raw:${p.type}:${p.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!n) out.otherHashes.push(`${p.type}: ${p.value} (not a valid hash of that type)`);
    else if (n.type === 'md5' || n.type === 'sha1' || n.type === 'sha256' || n.type === 'pdq') out[n.type].push(n.value);
    else out.otherHashes.push(`${n.type}: ${n.value}`);
  }
  return out;
}

function listText(s: FileSignal): string[] {
  return s.known.map((k) => {
    const parts = [
      k.category && `category ${k.category}`,
      k.series && `series ${k.series}`,
      k.victimIdentified === true ? 'victim identified' : null,
      k.match === 'pdq' ? `PDQ distance ${k.distance}` : `exact ${k.type}`,
    ].filter(Boolean);
    return `${k.list} (${parts.join(', ')})`;
  });
}

function viralText(s: FileSignal): string | null {
  const v = s.viral;
  const parts: string[] = [];
  if (v.espFlag) parts.push('flagged viral or meme by the ESP');
  if (v.window) parts.push(`${v.window.reports} reports from ${v.window.users} users between ${v.window.from.slice(0, 10)} and ${v.window.to.slice(0, 10)}`);
  else if (v.reports > 1) parts.push(`seen in ${v.reports} reports from ${v.users} users`);
  return parts.length ? parts.join('; ') : null;
}

/** The media rows of some reports; `signals` holds the hash stage's per-file signals by report id. */
export function mediaRows(reports: CybertipReport[], signals: Map<string, FileSignal[]> = new Map()): MediaRow[] {
  const rows: MediaRow[] = [];
  for (const report of reports) {
    const esp = deriveEsp(report);
    const sig = new Map((signals.get(report.reportId) ?? []).map((s) => [s.fileId, s]));
    for (const f of report.files) {
      const s = sig.get(f.fileId);
      const tags = [...f.fileAnnotations];
      if (f.potentialMeme && !tags.includes('potentialMeme')) tags.push('potentialMeme');
      rows.push({
        reportId: report.reportId,
        esp,
        fileId: f.fileId,
        fileName: f.fileName ?? null,
        originalFileName: f.originalFileName ?? null,
        ...hashesOf(f),
        viewedByEsp: f.fileViewedByEsp ?? null,
        viewedMeaning: viewedMeaning(f.fileViewedByEsp),
        exifViewedByEsp: f.exifViewedByEsp ?? null,
        publiclyAvailable: f.publiclyAvailable ?? null,
        industryClassification: f.industryClassification ?? null,
        relevance: f.fileRelevance ?? null,
        tags,
        uploadedUtc: utcOf(f.uploadedToEspTimestamp),
        novelty: s?.novelty ?? (signals.has(report.reportId) ? 'unhashed' : null),
        lists: s ? listText(s) : [],
        viral: s ? viralText(s) : null,
        firstSeenReport: s?.firstSeenReport ?? null,
      });
    }
  }
  return rows;
}

const yesNo = (b: boolean | null, none = 'not stated'): string => (b === null ? none : b ? 'yes' : 'no');

/** The rows as a sheet for CSV or XLSX. */
export function mediaSheet(rows: MediaRow[], opts: { title?: string } = {}): Sheet {
  const notes = [
    'Metadata and hashes only: Bantay never holds imagery.',
    `Viewed by ESP = no: ${NOT_VIEWED_MEANING}`,
    'Novelty (hash stage): known = on an enabled hash list; viral = recirculating across reports and users or flagged so by the ESP; repeat = seen in an earlier report; new = no list match and no earlier sighting; unhashed = no usable hash. Empty when `bantay hashes` has not run.',
    "Classification: the ESP's industry classification (A1, A2, B1, B2; Industry Hash Sharing MOU members only). Tags: the ESP's fileAnnotations.",
  ];
  return {
    title: opts.title ?? 'Media',
    headers: [
      'Report',
      'ESP',
      'File ID',
      'File name',
      'Original file name',
      'MD5',
      'SHA-1',
      'SHA-256',
      'PDQ',
      'Other hashes',
      'Viewed by ESP',
      'What it means',
      'EXIF viewed by ESP',
      'Publicly available',
      'Classification',
      'Relevance',
      'Tags',
      'Uploaded (UTC)',
      'Novelty',
      'Hash lists',
      'Viral',
      'First seen in report',
    ],
    widths: [12, 14, 10, 24, 24, 34, 42, 66, 66, 40, 10, 60, 10, 10, 10, 14, 24, 22, 10, 36, 36, 14],
    rows: rows.map((r) => [
      r.reportId,
      r.esp,
      r.fileId,
      r.fileName,
      r.originalFileName,
      r.md5.join(' '),
      r.sha1.join(' '),
      r.sha256.join(' '),
      r.pdq.join(' '),
      r.otherHashes.join('; '),
      yesNo(r.viewedByEsp),
      r.viewedMeaning,
      yesNo(r.exifViewedByEsp),
      yesNo(r.publiclyAvailable),
      r.industryClassification,
      r.relevance,
      r.tags.join(', '),
      r.uploadedUtc,
      r.novelty,
      r.lists.join('; '),
      r.viral,
      r.firstSeenReport,
    ]),
    notes,
  };
}
