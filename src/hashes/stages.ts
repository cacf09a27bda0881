// The hash stage in the runtime's shape (src/runtime/stage.ts), as two stages:
//   hash-files   (keys: report ids)       the file hashes of each report's current version;
//   hash-signals (keys: r:<report>, v:<type>:<value>)  the signals of every report whose content
//                groups hold a changed report's hashes or a changed value (new, removed, listed).
// A new file touches its content group's viral and repeat signals and nothing else.
import { reportChanged } from '../store/pending.ts';
import { isDeepStrictEqual } from 'node:util';
import type { CybertipReport } from '../model/report.ts';
import type { Stage, StageStore } from '../runtime/stage.ts';
import type { PendingReport } from '../store/reports.ts';
import {
  allPdqValues,
  exactListMatchesOf,
  filesHolding,
  hashedReportsOf,
  hashRowsOfFiles,
  maxEnabledPdqThreshold,
  hashRowsOfReports,
  pendingReports,
  reportSignals,
  upsertReportSignals,
  writeFileHashes,
  type ExactListMatch,
  type FileRef,
  type ReportSignalRow,
  type StoredFileHash,
} from '../store/hashes.ts';
import { extractFileHashes } from './extract.ts';
import { nearPdq, pdqListEntriesNear } from './near.ts';
import { isPdqHex, PdqIndex } from './pdq.ts';
import {
  computeFileSignals,
  DEFAULT_VIRAL,
  rollUpReport,
  type FileSignal,
  type PdqListEntry,
  type ReportSignal,
  type SignalFileHash,
  type ViralConfig,
} from './signals.ts';

/** The plan of hash-files: the batch's current documents and the hashes they held before. */
export interface HashFilesPlan {
  reports: PendingReport[];
  before: Map<string, StoredFileHash[]>;
  /** Reports extracted before (their roll-up exists). */
  hashed: Set<string>;
}

/** What hash-files computes: each report's rows and what extraction set aside. */
export interface HashFilesOut {
  rows: Map<string, StoredFileHash[]>;
  empty: number;
  invalid: number;
}

const rowKey = (r: StoredFileHash & { seenAt?: Date | null }): string =>
  JSON.stringify([r.fileId, r.type, r.value, r.quality, r.userKey, r.espViral, r.seenAt instanceof Date ? r.seenAt.toISOString() : (r.seenAt ?? null)]);

/** hash-files: extracts and stores each report's file hashes; marks what the signals must redo. */
export function hashFilesStage(): Stage<HashFilesPlan, HashFilesOut> {
  return {
    name: 'hash-files',
    batch: 2000,
    async plan(store, keys) {
      const reports = await pendingReports(store.db, { ids: keys, limit: keys.length });
      const before = new Map<string, StoredFileHash[]>();
      for (const r of await hashRowsOfReports(store.db, keys)) (before.get(r.reportId) ?? before.set(r.reportId, []).get(r.reportId)!).push(r);
      return { reports, before, hashed: await hashedReportsOf(store.db, keys) };
    },
    compute(plan) {
      const out: HashFilesOut = { rows: new Map(), empty: 0, invalid: 0 };
      for (const p of plan.reports) {
        const r = extractFileHashes(p.doc as CybertipReport);
        out.empty += r.empty;
        out.invalid += r.invalid;
        out.rows.set(p.reportId, r.rows);
      }
      return out;
    },
    async write(target, plan, out) {
      const signals: string[] = [];
      for (const p of plan.reports) {
        const now = (out.rows.get(p.reportId) ?? []).map((r) => rowKey({ ...r, seenAt: p.seenAt })).sort();
        const was = (plan.before.get(p.reportId) ?? []).map((r) => rowKey(r)).sort();
        if (plan.hashed.has(p.reportId) && isDeepStrictEqual(now, was)) continue;
        signals.push(`r:${p.reportId}`);
        // A value the report no longer holds: its group lost a sighting (and maybe a bridge).
        const held = new Set((out.rows.get(p.reportId) ?? []).map((r) => `${r.type}:${r.value}`));
        for (const r of plan.before.get(p.reportId) ?? []) if (!held.has(`${r.type}:${r.value}`)) signals.push(`v:${r.type}:${r.value}`);
      }
      const rows = plan.reports.flatMap((p) => out.rows.get(p.reportId) ?? []);
      await writeFileHashes(
        target.db,
        target.copy,
        plan.reports.map((p) => ({ reportId: p.reportId, version: p.version, seenAt: p.seenAt })),
        rows,
      );
      return {
        written: rows.length,
        marks: { 'hash-signals': signals },
        stats: { reports: plan.reports.length, fileHashes: rows.length, emptyIgnored: out.empty, invalidIgnored: out.invalid },
      };
    },
  };
}

/** The plan of hash-signals: the complete content groups around the changed keys, and the reports they reach. */
export interface HashSignalsPlan {
  /** Reports whose every file is in `files` (changed reports): their stored evidence is not reused. */
  whole: Set<string>;
  /** Every report to roll up again. */
  reports: string[];
  files: SignalFileHash[];
  exact: ExactListMatch[];
  pdqEntries: PdqListEntry[];
  stored: Map<string, ReportSignalRow>;
}

/** What hash-signals computes: the roll-ups that changed, and which of them change a score. */
export interface HashSignalsOut {
  rows: ReportSignalRow[];
  rescore: string[];
}

const valueKey = (type: string, value: string): string => `${type}:${value}`;

/**
 * PDQ near copies already looked up in this run: the stored values do not change while the signals
 * stage runs (the files stage ran before it), and neighbouring batches share content groups.
 */
class NearCache {
  private readonly known = new Map<string, string[]>();
  private index: PdqIndex<string> | null | undefined;
  /** The stored PDQ values within the threshold of any of these values. */
  async of(store: StageStore, values: string[], threshold: number): Promise<string[]> {
    const key = (v: string): string => `${threshold}:${v}`;
    // Bounded: a rebuild of millions of reports must not keep every value's neighbours.
    if (this.known.size > 200_000) this.known.clear();
    const missing = values.filter((v) => !this.known.has(key(v)));
    const found = new Map<string, string[]>(missing.map((v) => [v, []]));
    // A bulk load asks for most values at once: then one pass over the stored values into a
    // multi-index in memory is cheaper than probing the database value by value (and bounded).
    if (missing.length >= BULK_PROBES && this.index === undefined && threshold < 64) {
      const all = await allPdqValues(store.db, MAX_PDQ_IN_MEMORY);
      this.index = all ? new PdqIndex<string>() : null;
      for (const v of all ?? []) this.index!.add(v, v);
    }
    if (this.index && missing.length >= BULK_PROBES) {
      for (const v of missing)
        if (isPdqHex(v))
          found.set(
            v,
            this.index.query(v, threshold).map((h) => h.item),
          );
    } else {
      for (const n of await nearPdq(store.db, missing, threshold)) found.get(n.query)?.push(n.value);
    }
    for (const [v, list] of found) this.known.set(key(v), list);
    return [...new Set(values.flatMap((v) => this.known.get(key(v)) ?? []))];
  }
}

// From this many values a lookup goes through the in-memory index (up to this many stored values).
const BULK_PROBES = 1000;
const MAX_PDQ_IN_MEMORY = 500_000;

/**
 * Every file in the content groups of the seed values: the files holding them, every hash of those
 * files, and PDQ near copies, until nothing new is reached. Groups come out complete, so their
 * counts, windows and first sightings equal a computation over the whole store.
 */
async function closeGroups(
  store: StageStore,
  seeds: { type: string; value: string }[],
  threshold: number,
  seedThreshold: number,
  near: NearCache,
): Promise<SignalFileHash[]> {
  // Two sets: a value's holders are fetched once, and a PDQ value's near copies are looked up once
  // (a near copy's own near copies too: nearness is followed transitively, as the grouping does).
  const fetched = new Set<string>();
  const searched = new Set<string>();
  const seenFiles = new Set<string>();
  const rows: SignalFileHash[] = [];
  let frontier = seeds;
  let first = true;
  while (frontier.length > 0) {
    const search = [...new Set(frontier.filter((v) => v.type === 'pdq' && !searched.has(v.value)).map((v) => v.value))];
    for (const v of search) searched.add(v);
    const copies = await near.of(store, search, first ? seedThreshold : threshold);
    const probe = [...frontier, ...copies.map((v) => ({ type: 'pdq', value: v }))].filter((v) => {
      const k = valueKey(v.type, v.value);
      if (fetched.has(k)) return false;
      fetched.add(k);
      return true;
    });
    const files = (await filesHolding(store.db, probe)).filter((f) => {
      const k = `${f.reportId}\u0000${f.fileId}`;
      if (seenFiles.has(k)) return false;
      seenFiles.add(k);
      return true;
    });
    const next = new Map<string, { type: string; value: string }>();
    for (const r of await hashRowsOfFiles(store.db, files)) {
      rows.push(r);
      if (!fetched.has(valueKey(r.type, r.value)) || (r.type === 'pdq' && !searched.has(r.value)))
        next.set(valueKey(r.type, r.value), { type: r.type, value: r.value });
    }
    frontier = [...next.values()];
    first = false;
  }
  return rows;
}

// What of a roll-up a score reads (src/store/triage.ts scoringRows): a change elsewhere (counts in
// the evidence) is stored but re-scores nothing.
function scoringPart(r: Pick<ReportSignalRow, 'novelty' | 'known' | 'viral' | 'newFiles' | 'evidence'>): unknown {
  const categories = new Set<string>();
  if (r.known) for (const f of r.evidence as FileSignal[]) for (const k of f.known) if (k.category !== null) categories.add(k.category);
  return [r.novelty, r.known, r.viral, r.newFiles, [...categories].sort()];
}

const toRow = (s: ReportSignal): ReportSignalRow => ({
  reportId: s.reportId,
  novelty: s.novelty,
  known: s.known,
  viral: s.viral,
  viralKey: s.viralKey,
  newFiles: s.newFiles,
  evidence: s.files,
});

/** hash-signals: recomputes the signals of the reports whose content groups changed. */
export function hashSignalsStage(viral: ViralConfig = DEFAULT_VIRAL): Stage<HashSignalsPlan, HashSignalsOut> {
  const near = new NearCache();
  return {
    name: 'hash-signals',
    batch: 5000,
    async plan(store, keys) {
      const whole = new Set(keys.filter((k) => k.startsWith('r:')).map((k) => k.slice(2)));
      const seeds: { type: string; value: string }[] = [];
      for (const k of keys) {
        if (!k.startsWith('v:')) continue;
        const colon = k.indexOf(':', 2);
        seeds.push({ type: k.slice(2, colon), value: k.slice(colon + 1) });
      }
      for (const r of await hashRowsOfReports(store.db, [...whole])) seeds.push({ type: r.type, value: r.value });
      // A listed PDQ value (a list imported or toggled) reaches report files within the list's own threshold.
      const seedThreshold = Math.max(viral.pdqThreshold, keys.some((k) => k.startsWith('v:pdq:')) ? await maxEnabledPdqThreshold(store.db) : -1);
      const files = await closeGroups(store, seeds, viral.pdqThreshold, seedThreshold, near);
      const refs = new Map<string, FileRef>();
      for (const f of files) refs.set(`${f.reportId}\u0000${f.fileId}`, { reportId: f.reportId, fileId: f.fileId });
      const reports = [...new Set([...whole, ...files.map((f) => f.reportId)])].sort();
      const [exact, pdqEntries, stored] = await Promise.all([
        exactListMatchesOf(store.db, [...refs.values()]),
        pdqListEntriesNear(store.db, [...new Set(files.filter((f) => f.type === 'pdq').map((f) => f.value))]),
        reportSignals(store.db, reports),
      ]);
      return { whole, reports, files, exact, pdqEntries, stored: new Map(stored.map((s) => [s.reportId, s])) };
    },
    compute(plan) {
      const fresh = new Map<string, FileSignal[]>();
      for (const { reportId, signal } of computeFileSignals({ files: plan.files, exact: plan.exact, pdqEntries: plan.pdqEntries, viral })) {
        (fresh.get(reportId) ?? fresh.set(reportId, []).get(reportId)!).push(signal);
      }
      const out: HashSignalsOut = { rows: [], rescore: [] };
      for (const id of plan.reports) {
        const mine = fresh.get(id) ?? [];
        const stored = plan.stored.get(id);
        // A report reached through one of its files keeps the stored signals of its other files:
        // their groups did not change.
        const redone = new Set(mine.map((f) => f.fileId));
        const kept = plan.whole.has(id) || !stored ? [] : (stored.evidence as FileSignal[]).filter((f) => !redone.has(f.fileId));
        const row = toRow(rollUpReport(id, [...mine, ...kept]));
        if (stored && isDeepStrictEqual(JSON.parse(JSON.stringify(row)), JSON.parse(JSON.stringify(stored)))) continue;
        out.rows.push(row);
        if (!stored || !isDeepStrictEqual(scoringPart(row), scoringPart(stored))) out.rescore.push(id);
      }
      return out;
    },
    async write(target, _plan, out) {
      const written = await upsertReportSignals(target.db, target.copy, out.rows);
      return { written, marks: reportChanged(out.rescore), stats: { signalled: out.rows.length } };
    },
  };
}
