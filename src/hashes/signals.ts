// Signals per file and per report: known (a list says so), viral (recirculating across reports
// and users, or flagged so by the ESP), repeat (seen before, not viral) and new (no list match,
// no earlier sighting). Exact hashes and PDQ near copies (<= 31) count as the same content.
import type { ContentGroupRow, ExactListMatch, StoredFileHash } from '../store/hashes.ts';
import { PdqIndex, PDQ_QUALITY_FLOOR, PDQ_THRESHOLD } from './pdq.ts';

/** How new a file (or, rolled up, a report) is; ordered from newest to least new. */
export type Novelty = 'new' | 'repeat' | 'known' | 'viral' | 'unhashed';

/** Newest first: a report is as new as its newest file. */
export const NOVELTY_ORDER: readonly Novelty[] = ['new', 'repeat', 'known', 'viral', 'unhashed'];

/** The viral rule's parameters. */
export interface ViralConfig {
  /** At least this many distinct reports... */
  minReports: number;
  /** ...from at least this many distinct users... */
  minUsers: number;
  /** ...within a window of this many days. */
  windowDays: number;
  /** PDQ distance at which two report files are the same content (for recirculation). */
  pdqThreshold: number;
}

/** Defaults: 5 reports from 3 users within 30 days; PDQ 31. */
export const DEFAULT_VIRAL: ViralConfig = { minReports: 5, minUsers: 3, windowDays: 30, pdqThreshold: PDQ_THRESHOLD };

/** One stored file hash with what the signals need. */
export interface SignalFileHash extends StoredFileHash {
  seenAt: Date | null;
}

/** A list match of one file. */
export interface KnownEvidence {
  list: string;
  category: string | null;
  series: string | null;
  victimIdentified: boolean | null;
  type: string;
  value: string;
  /** 0 for an exact match; the PDQ distance for a near one. */
  distance: number;
  match: 'exact' | 'pdq';
}

/** Recirculation evidence of one file. */
export interface ViralEvidence {
  /** The ESP marked it (potentialMeme / viral annotation, or a viral batched report). */
  espFlag: boolean;
  /** Distinct reports carrying the same content anywhere (exact or PDQ near). */
  reports: number;
  users: number;
  /** The densest window that met the rule, when one did. */
  window: { from: string; to: string; reports: number; users: number } | null;
  /** When the file is viral: its content's batch key (see ReportSignal.viralKey). */
  key?: string;
}

/** One file's signal with its evidence. */
export interface FileSignal {
  fileId: string;
  novelty: Novelty;
  hashes: string[];
  known: KnownEvidence[];
  viral: ViralEvidence;
  /** The report where this content was first seen (earliest incident time, then report id). */
  firstSeenReport: string | null;
}

/**
 * A file's signal as a report's roll-up stores it: what decides its novelty and batch, without the
 * totals its content group shares (read from content_groups when shown), so that a new sighting
 * of the content rewrites the group's row and not every member's roll-up.
 */
export interface StoredFileSignal {
  fileId: string;
  novelty: Novelty;
  hashes: string[];
  known: KnownEvidence[];
  viral: {
    espFlag: boolean;
    /** The content met the viral rule (its group has a window). */
    recirculating: boolean;
    key?: string;
  };
  /** This report is the content's first sighting. */
  firstSeen: boolean;
}

/** The stored form of a file's signal (see StoredFileSignal). */
export function storedSignal(reportId: string, f: FileSignal): StoredFileSignal {
  const viral: StoredFileSignal['viral'] = { espFlag: f.viral.espFlag, recirculating: f.viral.window !== null };
  if (f.viral.key !== undefined) viral.key = f.viral.key;
  return { fileId: f.fileId, novelty: f.novelty, hashes: f.hashes, known: f.known, viral, firstSeen: f.firstSeenReport === reportId };
}

/** A stored file signal with its content group's totals (undefined when the group is not stored yet). */
export function expandSignal(reportId: string, f: StoredFileSignal, group: GroupTotals | undefined): FileSignal {
  const viral: ViralEvidence = {
    espFlag: f.viral.espFlag,
    reports: group?.reports ?? 1,
    users: group?.users ?? 0,
    window: group?.window ?? null,
  };
  if (f.viral.key !== undefined) viral.key = f.viral.key;
  return { fileId: f.fileId, novelty: f.novelty, hashes: f.hashes, known: f.known, viral, firstSeenReport: group?.first ?? (f.firstSeen ? reportId : null) };
}

/** A report's roll-up. */
export interface ReportSignal {
  reportId: string;
  novelty: Novelty;
  known: boolean;
  viral: boolean;
  /**
   * The viral batch the report belongs to: the representative hash (`md5:<hex>`, ...) of its most
   * reported viral content, shared by every report carrying that content or a PDQ near copy; null
   * when the report is not viral.
   */
  viralKey: string | null;
  newFiles: number;
  files: FileSignal[];
}

/** A PDQ list entry with its list's thresholds. */
export interface PdqListEntry {
  value: string;
  list: string;
  category: string | null;
  series: string | null;
  quality: number | null;
  threshold: number;
  floor: number;
}

/** An exact list match, keyed by report and file (as the store's join returns it). */
export type ExactMatch = ExactListMatch;

// Union-find over content groups, so that exact equality and PDQ nearness both join content.
class Groups {
  private parent: number[] = [];
  make(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const DAY = 86_400_000;

// The densest window of `days` over sightings, by distinct reports; whether it meets the rule.
function viralWindow(sightings: { reportId: string; user: string | null; t: number }[], cfg: ViralConfig): ViralEvidence['window'] {
  const s = [...sightings].sort((a, b) => a.t - b.t);
  const reports = new Map<string, number>();
  const users = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string, d: number): void => {
    const n = (m.get(k) ?? 0) + d;
    if (n === 0) m.delete(k);
    else m.set(k, n);
  };
  let best: ViralEvidence['window'] = null;
  let lo = 0;
  for (let hi = 0; hi < s.length; hi++) {
    const h = s[hi]!;
    inc(reports, h.reportId, 1);
    if (h.user) inc(users, h.user, 1);
    while (h.t - s[lo]!.t > cfg.windowDays * DAY) {
      const l = s[lo++]!;
      inc(reports, l.reportId, -1);
      if (l.user) inc(users, l.user, -1);
    }
    if (reports.size >= cfg.minReports && users.size >= cfg.minUsers && (!best || reports.size > best.reports)) {
      best = { from: new Date(s[lo]!.t).toISOString(), to: new Date(h.t).toISOString(), reports: reports.size, users: users.size };
    }
  }
  return best;
}

/** The inputs of a signal computation: file hashes (complete content groups) and list matches. */
export interface SignalInput {
  files: SignalFileHash[];
  exact: ExactMatch[];
  pdqEntries: PdqListEntry[];
  viral?: ViralConfig;
}

/** One file's signal with the report it belongs to. */
export interface ReportFileSignal {
  reportId: string;
  signal: FileSignal;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A content group's totals: what every file of the group shares (stored in content_groups). */
export type GroupTotals = ContentGroupRow;

/** Files grouped by content: each file's hashes and the totals of its group. */
export interface Grouping {
  /** Each file's hashes, by `report\u0000file`. */
  byFile: Map<string, SignalFileHash[]>;
  /** Each file's group, by `report\u0000file`. */
  groupOfFile: Map<string, GroupTotals>;
  /** Every group's totals. */
  groups: GroupTotals[];
  /** Each hash's group, by `type:value`. */
  groupOfValue: Map<string, GroupTotals>;
}

/** The key of a file in a Grouping. */
export const fileKey = (reportId: string, fileId: string): string => `${reportId}\u0000${fileId}`;

/**
 * Groups files by content: exact equality of any hash, and PDQ nearness (transitively). Each
 * content group must be complete (every file holding any hash of the group, with all its hashes),
 * so that counts, windows and first sightings are the same as over the whole store.
 */
export function groupContent(files: SignalFileHash[], cfg: ViralConfig = DEFAULT_VIRAL): Grouping {
  // 1. Content groups: one per distinct (type, value); PDQ values within the threshold joined.
  const groups = new Groups();
  const groupOf = new Map<string, number>();
  for (const f of files) {
    const k = `${f.type}:${f.value}`;
    if (!groupOf.has(k)) groupOf.set(k, groups.make());
  }
  // Hashes of one file are the same content: join them (an MD5 and its PDQ are one file).
  const byFile = new Map<string, SignalFileHash[]>();
  for (const f of files) {
    const fk = fileKey(f.reportId, f.fileId);
    const list = byFile.get(fk);
    if (list) list.push(f);
    else byFile.set(fk, [f]);
  }
  for (const hs of byFile.values())
    for (let i = 1; i < hs.length; i++) groups.union(groupOf.get(`${hs[0]!.type}:${hs[0]!.value}`)!, groupOf.get(`${hs[i]!.type}:${hs[i]!.value}`)!);
  const pdqValues = [...groupOf.keys()].filter((k) => k.startsWith('pdq:')).map((k) => k.slice(4));
  if (pdqValues.length > 0 && cfg.pdqThreshold >= 0) {
    const idx = new PdqIndex<number>();
    for (const v of pdqValues) idx.add(v, groupOf.get(`pdq:${v}`)!);
    for (const v of pdqValues) for (const hit of idx.query(v, cfg.pdqThreshold)) groups.union(groupOf.get(`pdq:${v}`)!, hit.item);
  }
  const rootOf = (type: string, value: string): number => groups.find(groupOf.get(`${type}:${value}`)!);
  // 2. Sightings per group root: which reports, which users, when.
  const sightings = new Map<number, Map<string, { reportId: string; user: string | null; t: number }>>();
  for (const f of files) {
    const root = rootOf(f.type, f.value);
    let m = sightings.get(root);
    if (!m) sightings.set(root, (m = new Map()));
    // User and time are the report's (every row of a report carries the same), so any row stands for it.
    if (!m.has(f.reportId)) m.set(f.reportId, { reportId: f.reportId, user: f.userKey, t: f.seenAt ? f.seenAt.getTime() : Number.NaN });
  }
  const info = new Map<number, GroupTotals>();
  for (const [root, m] of sightings) {
    const all = [...m.values()];
    const timed = all.filter((s) => !Number.isNaN(s.t));
    const first = [...all].sort(
      (a, b) => (Number.isNaN(a.t) ? Infinity : a.t) - (Number.isNaN(b.t) ? Infinity : b.t) || (a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0),
    )[0]!.reportId;
    info.set(root, {
      id: '',
      reports: all.length,
      users: new Set(all.map((s) => s.user).filter((u) => u !== null)).size,
      window: all.length >= cfg.minReports ? viralWindow(timed, cfg) : null,
      first,
      key: null,
    });
  }
  for (const [k, g] of groupOf) {
    const t = info.get(groups.find(g))!;
    if (t.id === '' || k < t.id) t.id = k;
  }
  // 2b. A viral group's key: its hash carried by the most reports (md5 first on a tie, then the smallest
  // value), so one batch keeps one stable name whichever report or near copy is looked at.
  const viralRoots = new Set<number>();
  for (const [root, t] of info) if (t.window) viralRoots.add(root);
  for (const f of files) if (f.espViral) viralRoots.add(rootOf(f.type, f.value));
  const keyReports = new Map<string, Set<string>>();
  for (const f of files) {
    const k = `${f.type}:${f.value}`;
    if (!viralRoots.has(rootOf(f.type, f.value))) continue;
    let set = keyReports.get(k);
    if (!set) keyReports.set(k, (set = new Set()));
    set.add(f.reportId);
  }
  for (const [k, reports] of keyReports) {
    const t = info.get(groups.find(groupOf.get(k)!))!;
    if (t.key === null || betterKey(k, reports.size, t.key, keyReports.get(t.key)!.size)) t.key = k;
  }
  const groupOfFile = new Map<string, GroupTotals>();
  for (const [fk, hs] of byFile) groupOfFile.set(fk, info.get(rootOf(hs[0]!.type, hs[0]!.value))!);
  const groupOfValue = new Map<string, GroupTotals>();
  for (const [k, g] of groupOf) groupOfValue.set(k, info.get(groups.find(g))!);
  return { byFile, groupOfFile, groups: [...info.values()], groupOfValue };
}

/** The list matches of each file (by `report\u0000file`): exact from the database join, PDQ near through one index. */
export function knownMatches(files: SignalFileHash[], exact: ExactMatch[], pdqEntries: PdqListEntry[]): Map<string, KnownEvidence[]> {
  const known = new Map<string, KnownEvidence[]>();
  const addKnown = (reportId: string, fileId: string, e: KnownEvidence): void => {
    const k = fileKey(reportId, fileId);
    const list = known.get(k);
    if (list) list.push(e);
    else known.set(k, [e]);
  };
  for (const m of exact)
    addKnown(m.reportId, m.fileId, {
      list: m.list,
      category: m.category,
      series: m.series,
      victimIdentified: m.victimIdentified,
      type: m.type,
      value: m.value,
      distance: 0,
      match: 'exact',
    });
  const listEntries = pdqEntries.filter((e) => e.quality === null || e.quality >= e.floor);
  if (listEntries.length > 0) {
    const idx = new PdqIndex<PdqListEntry>();
    for (const e of listEntries) idx.add(e.value, e);
    const maxT = Math.max(...listEntries.map((e) => e.threshold));
    // Recirculating files share PDQ values: each distinct value is queried once.
    const cache = new Map<string, ReturnType<typeof idx.query>>();
    for (const f of files) {
      if (f.type !== 'pdq') continue;
      let hits = cache.get(f.value);
      if (!hits) cache.set(f.value, (hits = idx.query(f.value, maxT)));
      for (const hit of hits) {
        const e = hit.item;
        if (hit.distance === 0 || hit.distance > e.threshold) continue; // exact ones come from the join
        if (f.quality !== null && f.quality < e.floor) continue;
        addKnown(f.reportId, f.fileId, {
          list: e.list,
          category: e.category,
          series: e.series,
          victimIdentified: null,
          type: 'pdq',
          value: e.value,
          distance: hit.distance,
          match: 'pdq',
        });
      }
    }
  }
  return known;
}

/** A file's signal from its hashes, its group's totals and its list matches. */
export function fileSignal(fileId: string, reportId: string, hs: SignalFileHash[], group: GroupTotals, known: KnownEvidence[]): FileSignal {
  const k = [...known].sort((a, b) => byText(a.list, b.list) || byText(a.type, b.type) || byText(a.value, b.value) || a.distance - b.distance);
  const espFlag = hs.some((h) => h.espViral);
  const viral: ViralEvidence = { espFlag, reports: group.reports, users: group.users, window: group.window };
  if ((espFlag || group.window) && group.key !== null) viral.key = group.key;
  const novelty: Novelty = k.length > 0 ? 'known' : espFlag || group.window ? 'viral' : group.first === reportId ? 'new' : 'repeat';
  return { fileId, novelty, hashes: [...new Set(hs.map((h) => `${h.type}:${h.value}`))].sort(), known: k, viral, firstSeenReport: group.first };
}

/**
 * The signal of every file in `files`. Each content group must be complete (every file holding
 * any hash of the group, with all its hashes), so that counts, windows and first sightings are
 * the same as over the whole store.
 */
export function computeFileSignals(input: SignalInput): ReportFileSignal[] {
  const g = groupContent(input.files, input.viral ?? DEFAULT_VIRAL);
  const known = knownMatches(input.files, input.exact, input.pdqEntries);
  const out: ReportFileSignal[] = [];
  for (const [fk, hs] of g.byFile) {
    const [reportId, fileId] = fk.split('\u0000') as [string, string];
    out.push({ reportId, signal: fileSignal(fileId, reportId, hs, g.groupOfFile.get(fk)!, known.get(fk) ?? []) });
  }
  return out;
}

/** A report's roll-up from the signals of its files (files in file-id order). */
export function rollUpReport(reportId: string, files: FileSignal[]): ReportSignal {
  const sorted = [...files].sort((a, b) => byText(a.fileId, b.fileId));
  let novelty: Novelty = 'unhashed';
  for (const f of sorted) if (NOVELTY_ORDER.indexOf(f.novelty) < NOVELTY_ORDER.indexOf(novelty)) novelty = f.novelty;
  // A report's batch: the viral content among its files that the most reports carry.
  let batch: { key: string; reports: number } | undefined;
  for (const f of sorted) {
    if ((!f.viral.espFlag && f.viral.window === null) || f.viral.key === undefined) continue;
    if (!batch || f.viral.reports > batch.reports || (f.viral.reports === batch.reports && f.viral.key < batch.key))
      batch = { key: f.viral.key, reports: f.viral.reports };
  }
  return {
    reportId,
    novelty,
    known: sorted.some((f) => f.known.length > 0),
    viral: sorted.some((f) => f.viral.espFlag || f.viral.window !== null),
    viralKey: batch?.key ?? null,
    newFiles: sorted.filter((f) => f.novelty === 'new').length,
    files: sorted,
  };
}

/**
 * Computes every report's signals from the stored file hashes and list matches. `reportIds`
 * lists every hashed report, so that reports without any usable hash roll up as `unhashed`.
 */
export function computeSignals(input: SignalInput & { reportIds: string[] }): ReportSignal[] {
  const perReport = new Map<string, FileSignal[]>();
  for (const { reportId, signal } of computeFileSignals(input)) (perReport.get(reportId) ?? perReport.set(reportId, []).get(reportId)!).push(signal);
  return input.reportIds.map((reportId) => rollUpReport(reportId, perReport.get(reportId) ?? []));
}

// Hash types in the order a batch key prefers them: MD5 first, the hash ESPs, NCMEC and lists share most.
const KEY_TYPE_ORDER = ['md5', 'sha1', 'sha256', 'sha512', 'sha384', 'sha224', 'photodna', 'pdq'];

function typeRank(key: string): number {
  const i = KEY_TYPE_ORDER.indexOf(key.slice(0, key.indexOf(':')));
  return i === -1 ? KEY_TYPE_ORDER.length : i;
}

// Whether hash `a` (carried by `na` reports) names a group better than `b` (carried by `nb`).
function betterKey(a: string, na: number, b: string, nb: number): boolean {
  if (na !== nb) return na > nb;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb;
  return a < b;
}

/** The default PDQ quality floor, re-exported for callers configuring lists. */
export const DEFAULT_QUALITY_FLOOR = PDQ_QUALITY_FLOOR;
