// The hash stage in the runtime's shape (src/runtime/stage.ts), as two stages:
//   hash-files   (keys: report ids)       the file hashes of each report's current version;
//   hash-signals (keys: r:<report>, v:<type>:<value> removed, l:pdq:<value> listed)  the totals of
//                the content groups around them (content_groups), and the roll-ups that changed.
// A new file updates its content group's row; a member's roll-up is rewritten only when something
// it holds changes (its file's novelty, batch key or first sighting), never for a count.
import { pendingOf, reportChanged } from '../store/pending.ts';
import { isDeepStrictEqual } from 'node:util';
import type { CybertipReport } from '../model/report.ts';
import type { Stage, StageStore } from '../runtime/stage.ts';
import type { PendingReport } from '../store/reports.ts';
import {
  allPdqValues,
  contentGroupsById,
  contentGroupsOfValues,
  exactListMatchesOf,
  filesHolding,
  groupIdsOfValues,
  hashedReportsOf,
  hashRowsOfFiles,
  maxEnabledPdqThreshold,
  hashRowsOfReports,
  pendingReports,
  reportSignals,
  reportsInSeveralViralGroups,
  upsertReportSignals,
  valuesOfGroups,
  writeContentGroups,
  writeFileHashes,
  type ContentGroupRow,
  type ExactListMatch,
  type FileRef,
  type ReportSignalRow,
  type StoredFileHash,
} from '../store/hashes.ts';
import { extractFileHashes } from './extract.ts';
import { nearPdq, pdqListEntriesNear } from './near.ts';
import { isPdqHex, PdqIndex } from './pdq.ts';
import {
  DEFAULT_VIRAL,
  expandSignal,
  fileKey,
  fileSignal,
  groupContent,
  knownMatches,
  rollUpReport,
  storedSignal,
  type FileSignal,
  type Grouping,
  type PdqListEntry,
  type ReportSignal,
  type SignalFileHash,
  type StoredFileSignal,
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

/** The plan of hash-signals: the content groups around the changed keys, and the reports whose roll-up may change. */
export interface HashSignalsPlan {
  /** Reports whose every file is in `files` (changed reports): their stored evidence is not reused. */
  whole: Set<string>;
  /** Every report to roll up again (the candidates): the others' roll-ups hold nothing that changed. */
  reports: string[];
  /** Every file hash of the affected groups, as narrow rows. */
  files: SignalFileHash[];
  /** The groups' new totals and each file's group. */
  grouping: Grouping;
  /** The groups met before this batch (dropped when merged away or emptied). */
  oldGroups: string[];
  /** Hashes met that no file holds any more. */
  unheld: { type: string; value: string }[];
  exact: ExactListMatch[];
  pdqEntries: PdqListEntry[];
  stored: Map<string, ReportSignalRow>;
  /** The stored groups of the candidates' other files (by their first hash), for their roll-up. */
  keptGroups: Map<string, ContentGroupRow>;
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

/** The files of the content groups around some hashes, and what the store said of their groups before. */
interface Region {
  rows: SignalFileHash[];
  /** The stored group of each hash met (before this batch). */
  groupOf: Map<string, string>;
  /** Every hash met. */
  met: Set<string>;
}

/**
 * Every file in the content groups of the seed values: a hash with a stored group brings every
 * hash of that group (the group already holds its PDQ near copies); a hash without one is searched
 * for PDQ near copies; the files holding any of them, and those files' other hashes, until nothing
 * new is reached. Groups come out complete, so their totals equal a computation over the whole
 * store, at a cost in proportion to the groups, not to the store.
 */
async function closeRegion(store: StageStore, seeds: { type: string; value: string }[], threshold: number, near: NearCache): Promise<Region> {
  const met = new Set<string>();
  const groupOf = new Map<string, string>();
  const groupsMet = new Set<string>();
  const seenFiles = new Set<string>();
  const rows: SignalFileHash[] = [];
  let frontier = seeds;
  while (frontier.length > 0) {
    const probe = frontier.filter((v) => {
      const k = valueKey(v.type, v.value);
      if (met.has(k)) return false;
      met.add(k);
      return true;
    });
    const ids = await groupIdsOfValues(store.db, probe);
    for (const [k, id] of ids) groupOf.set(k, id);
    const fresh = [...new Set(ids.values())].filter((id) => !groupsMet.has(id));
    for (const id of fresh) groupsMet.add(id);
    for (const v of await valuesOfGroups(store.db, fresh)) {
      const k = valueKey(v.type, v.value);
      groupOf.set(k, v.groupId);
      if (met.has(k)) continue;
      met.add(k);
      probe.push({ type: v.type, value: v.value });
    }
    const next = new Map<string, { type: string; value: string }>();
    const search = probe.filter((v) => v.type === 'pdq' && !groupOf.has(valueKey(v.type, v.value))).map((v) => v.value);
    for (const v of await near.of(store, search, threshold)) if (!met.has(valueKey('pdq', v))) next.set(valueKey('pdq', v), { type: 'pdq', value: v });
    const files = (await filesHolding(store.db, probe)).filter((f) => {
      const k = fileKey(f.reportId, f.fileId);
      if (seenFiles.has(k)) return false;
      seenFiles.add(k);
      return true;
    });
    for (const r of await hashRowsOfFiles(store.db, files)) {
      rows.push(r);
      if (!met.has(valueKey(r.type, r.value))) next.set(valueKey(r.type, r.value), { type: r.type, value: r.value });
    }
    frontier = [...next.values()];
  }
  return { rows, groupOf, met };
}

/**
 * The reports whose roll-up may change: changed reports, and members of a group whose files'
 * signals move (the group crosses the viral rule or stops, its batch key changes, the first
 * sighting moves to or from the report), and members of a viral group whose report count moved
 * that hold another viral group (their batch is the group more reports carry).
 */
async function candidates(store: StageStore, whole: Set<string>, g: Grouping, region: Region, oldGroups: Map<string, ContentGroupRow>): Promise<Set<string>> {
  const out = new Set(whole);
  const counted = new Set<string>();
  const keyedInRegion = new Map<string, Set<string>>();
  for (const [fk, hs] of g.byFile) {
    const reportId = hs[0]!.reportId;
    const now = g.groupOfFile.get(fk)!;
    if (now.key !== null) (keyedInRegion.get(reportId) ?? keyedInRegion.set(reportId, new Set()).get(reportId)!).add(now.id);
    if (out.has(reportId)) continue;
    const oldId = region.groupOf.get(valueKey(hs[0]!.type, hs[0]!.value));
    const old = oldId === undefined ? undefined : oldGroups.get(oldId);
    if (!old || (old.window === null) !== (now.window === null) || old.key !== now.key || (old.first === reportId) !== (now.first === reportId))
      out.add(reportId);
    else if (now.key !== null && old.reports !== now.reports) counted.add(reportId);
  }
  const check = [...counted].filter((id) => !out.has(id));
  for (const id of check) if ((keyedInRegion.get(id)?.size ?? 0) > 1) out.add(id);
  for (const id of await reportsInSeveralViralGroups(store.db, check)) out.add(id);
  return out;
}

// What of a roll-up a score reads (src/store/triage.ts scoringRows): a change elsewhere (counts in
// the evidence) is stored but re-scores nothing.
function scoringPart(r: Pick<ReportSignalRow, 'novelty' | 'known' | 'viral' | 'newFiles' | 'evidence'>): unknown {
  const categories = new Set<string>();
  if (r.known) for (const f of storedFiles(r.evidence)) for (const k of f.known) if (k.category !== null) categories.add(k.category);
  return [r.novelty, r.known, r.viral, r.newFiles, [...categories].sort()];
}

const toRow = (s: ReportSignal): ReportSignalRow => ({
  reportId: s.reportId,
  novelty: s.novelty,
  known: s.known,
  viral: s.viral,
  viralKey: s.viralKey,
  newFiles: s.newFiles,
  evidence: s.files.map((f) => storedSignal(s.reportId, f)),
});

/** hash-signals: recomputes the content groups around the changed keys, and the roll-ups they change. */
export function hashSignalsStage(viral: ViralConfig = DEFAULT_VIRAL): Stage<HashSignalsPlan, HashSignalsOut> {
  let near = new NearCache();
  return {
    name: 'hash-signals',
    batch: 5000,
    // The in-memory PDQ index of a bulk load would otherwise stay for every later stage of the pass.
    finish() {
      near = new NearCache();
    },
    async plan(store, keys) {
      const whole = new Set(keys.filter((k) => k.startsWith('r:')).map((k) => k.slice(2)));
      // v:<type>:<value>: a hash a report no longer holds (its group lost a sighting, maybe a bridge);
      // l:pdq:<value>: a listed PDQ value (a list imported or toggled), reaching files within the list's threshold.
      const seeds: { type: string; value: string }[] = [];
      const listed: string[] = [];
      for (const k of keys) {
        if (!k.startsWith('v:') && !k.startsWith('l:')) continue;
        const colon = k.indexOf(':', 2);
        const v = { type: k.slice(2, colon), value: k.slice(colon + 1) };
        if (k.startsWith('l:')) listed.push(v.value);
        else seeds.push(v);
      }
      for (const r of await hashRowsOfReports(store.db, [...whole])) seeds.push({ type: r.type, value: r.value });
      const reached =
        listed.length > 0 ? new Set(await near.of(store, listed, Math.max(viral.pdqThreshold, await maxEnabledPdqThreshold(store.db)))) : new Set<string>();
      for (const v of reached) seeds.push({ type: 'pdq', value: v });
      const region = await closeRegion(store, seeds, viral.pdqThreshold, near);
      const grouping = groupContent(region.rows, viral);
      const oldIds = [...new Set(region.groupOf.values())];
      const oldGroups = await contentGroupsById(store.db, oldIds);
      const cands = await candidates(store, whole, grouping, region, oldGroups);
      for (const f of region.rows) if (f.type === 'pdq' && reached.has(f.value)) cands.add(f.reportId);
      // A report still marked for this stage (a later batch of a bulk load or rebuild) is rolled up
      // whole in its own batch: not here, so that one batch never holds the roll-ups of every group's members.
      for (const k of await pendingOf(
        store.db,
        'hash-signals',
        [...cands].filter((id) => !whole.has(id)).map((id) => `r:${id}`),
      ))
        cands.delete(k.slice(2));
      const reports = [...cands].sort();
      const mine = region.rows.filter((f) => cands.has(f.reportId));
      const refs = new Map<string, FileRef>();
      for (const f of mine) refs.set(fileKey(f.reportId, f.fileId), { reportId: f.reportId, fileId: f.fileId });
      const held = new Set(region.rows.map((f) => valueKey(f.type, f.value)));
      const unheld = [...region.met]
        .filter((k) => region.groupOf.has(k) && !held.has(k))
        .map((k) => ({ type: k.slice(0, k.indexOf(':')), value: k.slice(k.indexOf(':') + 1) }));
      const [exact, pdqEntries, stored] = await Promise.all([
        exactListMatchesOf(store.db, [...refs.values()]),
        pdqListEntriesNear(store.db, [...new Set(mine.filter((f) => f.type === 'pdq').map((f) => f.value))]),
        reportSignals(store.db, reports),
      ]);
      // The other files of a report reached through one of its files keep their stored signals; their
      // groups did not change, and their totals (for the batch) are read from the stored groups.
      const keptKeys: string[] = [];
      for (const s of stored)
        if (!whole.has(s.reportId))
          for (const f of storedFiles(s.evidence)) if (!refs.has(fileKey(s.reportId, f.fileId)) && f.hashes[0] !== undefined) keptKeys.push(f.hashes[0]);
      return {
        whole,
        reports,
        files: mine,
        grouping,
        oldGroups: oldIds,
        unheld,
        exact,
        pdqEntries,
        stored: new Map(stored.map((s) => [s.reportId, s])),
        keptGroups: await contentGroupsOfValues(store.db, keptKeys),
      };
    },
    compute(plan) {
      const known = knownMatches(plan.files, plan.exact, plan.pdqEntries);
      const fresh = new Map<string, FileSignal[]>();
      const wanted = new Set(plan.reports);
      for (const [fk, hs] of plan.grouping.byFile) {
        const reportId = hs[0]!.reportId;
        if (!wanted.has(reportId)) continue;
        const signal = fileSignal(hs[0]!.fileId, reportId, hs, plan.grouping.groupOfFile.get(fk)!, known.get(fk) ?? []);
        (fresh.get(reportId) ?? fresh.set(reportId, []).get(reportId)!).push(signal);
      }
      const out: HashSignalsOut = { rows: [], rescore: [] };
      for (const id of plan.reports) {
        const mine = fresh.get(id) ?? [];
        const stored = plan.stored.get(id);
        const redone = new Set(mine.map((f) => f.fileId));
        const kept =
          plan.whole.has(id) || !stored
            ? []
            : storedFiles(stored.evidence)
                .filter((f) => !redone.has(f.fileId))
                .map((f) => expandSignal(id, f, f.hashes[0] === undefined ? undefined : plan.keptGroups.get(f.hashes[0])));
        const row = toRow(rollUpReport(id, [...mine, ...kept]));
        if (stored && isDeepStrictEqual(JSON.parse(JSON.stringify(row)), JSON.parse(JSON.stringify(stored)))) continue;
        out.rows.push(row);
        if (!stored || !isDeepStrictEqual(scoringPart(row), scoringPart(stored))) out.rescore.push(id);
      }
      return out;
    },
    async write(target, plan, out) {
      const ids = new Set(plan.grouping.groups.map((g) => g.id));
      const groups = await writeContentGroups(target.db, target.copy, {
        groups: plan.grouping.groups,
        drop: plan.oldGroups.filter((id) => !ids.has(id)),
        values: [...plan.grouping.groupOfValue].map(([k, g]) => ({ type: k.slice(0, k.indexOf(':')), value: k.slice(k.indexOf(':') + 1), groupId: g.id })),
        unheld: plan.unheld,
      });
      const written = await upsertReportSignals(target.db, target.copy, out.rows);
      return { written, marks: reportChanged(out.rescore), stats: { signalled: out.rows.length, groups } };
    },
  };
}

// A roll-up's stored files (an evidence that is not a list holds none).
const storedFiles = (evidence: unknown): StoredFileSignal[] => (Array.isArray(evidence) ? (evidence as StoredFileSignal[]) : []);
