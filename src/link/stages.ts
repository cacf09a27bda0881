// The linking stage in the runtime's shape (src/runtime/stage.ts), as three stages:
//   identifiers   (keys: report ids)        identifiers and enrichment of each current version;
//   link-evidence (keys: identifier keys)    the shared-identifier evidence and hubs of each key;
//   subjects      (keys: report ids)        the subjects of the components those reports are in,
//                                            and of the subjects they were in.
// New identifiers touch the components they join or split, and nothing else.
import { reportChanged } from '../store/pending.ts';
import { isDeepStrictEqual } from 'node:util';
import type { CybertipReport } from '../model/report.ts';
import type { Stage, StageStore } from '../runtime/stage.ts';
import { writeEnrichment, type EnrichmentRow } from '../store/enrichment.ts';
import { moveSubjectWork } from '../store/cases.ts';
import {
  evidenceOfKeys,
  evidenceRows,
  existingReports,
  identifiersOfReports,
  linkedReportsOf,
  linkPendingReports,
  listExclusions,
  listOverrides,
  liveSubjectNames,
  membersOfSubjects,
  retiredSubjectNames,
  rowsForKeys,
  subjectsOfReports,
  writeEvidence,
  writeIdentifiers,
  writeSubjectChanges,
  type EvidenceRow,
  type IdentifierRow,
} from '../store/link.ts';
import type { PendingReport } from '../store/reports.ts';
import { extractIdentifiers, type ExtractOptions } from './identifiers.ts';
import { enrichmentRow, type EnrichSetup } from './enrichment.ts';
import {
  activePairs,
  DEFAULT_LINK_PARAMS,
  evidenceForKey,
  exclusionMatcher,
  isLinkable,
  pairEvidence,
  weakKindOf,
  type Evidence,
  type Hub,
  type KeyContext,
  type LinkParams,
} from './rules.ts';
import { guardContexts } from './guard.ts';
import { components, keepSubjectNames, type Override, type SubjectRename } from './subjects.ts';
import { internal } from '../model/error.ts';

/** Strengths that can link. */
export const LINKABLE = ['strong', 'medium'];

/** Strengths the evidence stage reads: the linkable ones, and weak ones of the kinds that add up (rules.ts WEAK_KINDS). */
export const EVIDENCE_STRENGTHS = [...LINKABLE, 'weak'];

// Whether a stored row is evidence the rules read: linkable, or weak of a kind that adds up.
const counts = (r: { key: string; strength: string }): boolean => isLinkable(r.strength) || (r.strength === 'weak' && weakKindOf(r.key) !== undefined);

// Suffixed names (S-<report>-2 …) a subjects plan checks against the live ones.
const SUFFIXES = 9;

/** The plan of identifiers: the batch's documents and what they held before. */
export interface IdentifiersPlan {
  reports: PendingReport[];
  before: IdentifierRow[];
  linked: Set<string>;
}

/** What identifiers computes. */
export interface IdentifiersOut {
  rows: IdentifierRow[];
  enrichment: EnrichmentRow[];
}

// The rows of each key the rules read, in a form that compares equal when the rules would see the same.
function keyRows(rows: IdentifierRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (!counts(r)) continue;
    (out.get(r.key) ?? out.set(r.key, []).get(r.key)!).push(JSON.stringify([r.reportId, r.kind, r.value, r.strength, r.at, r.note]));
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** identifiers: extracts identifiers (with the run's namespaces, warninglists and region hints) and enrichment; marks the keys whose holders changed. */
export function identifiersStage(setup: { extract: ExtractOptions; enrich: EnrichSetup }): Stage<IdentifiersPlan, IdentifiersOut> {
  return {
    name: 'identifiers',
    batch: 2000,
    async plan(store, keys) {
      const [reports, before, linked] = await Promise.all([
        linkPendingReports(store.db, { ids: keys, limit: keys.length }),
        identifiersOfReports(store.db, keys),
        linkedReportsOf(store.db, keys),
      ]);
      return { reports, before, linked };
    },
    compute(plan) {
      const out: IdentifiersOut = { rows: [], enrichment: [] };
      for (const r of plan.reports) {
        const ids = extractIdentifiers(r.doc as CybertipReport, setup.extract);
        // Enrichment reads the same identifiers, so it is stored in the same pass.
        out.enrichment.push(enrichmentRow(setup.enrich, r.reportId, r.version, r.doc as CybertipReport, ids));
        for (const id of ids) {
          // Ordinary file hashes are content, not identity, and the hash stage stores them
          // (file_hashes): kept out of this table, where they would be two rows in three.
          if (id.kind === 'file-hash' && id.strength === 'weak') continue;
          out.rows.push({
            reportId: r.reportId,
            kind: id.kind,
            value: id.value,
            key: id.key,
            role: id.role,
            strength: id.strength,
            raw: id.raw,
            at: id.at ?? null,
            note: id.note ?? null,
          });
        }
      }
      return out;
    },
    async write(target, plan, out) {
      await writeIdentifiers(
        target.db,
        target.copy,
        plan.reports.map((r) => ({ reportId: r.reportId, version: r.version })),
        out.rows,
      );
      const enriched = await writeEnrichment(target.db, target.copy, out.enrichment);
      const was = keyRows(plan.before);
      const now = keyRows(out.rows);
      const keys: string[] = [];
      for (const k of new Set([...was.keys(), ...now.keys()])) if (!isDeepStrictEqual(was.get(k), now.get(k))) keys.push(k);
      const changed = new Set(keys);
      const both = [...plan.before, ...out.rows];
      const holding = new Set<string>();
      for (const row of both) if (changed.has(row.key)) holding.add(row.reportId);
      // The hub guard decides a key by what its holders share besides it: a report whose keys
      // changed may now vouch (or no longer vouch) for every other key it holds, so those are decided again.
      for (const row of both)
        if (holding.has(row.reportId) && counts(row) && !changed.has(row.key)) {
          changed.add(row.key);
          keys.push(row.key);
        }
      // A report that arrives after a later one cited it: the citation key now has its target.
      for (const r of plan.reports) if (!plan.linked.has(r.reportId)) keys.push(`report:${r.reportId}`);
      return {
        written: out.rows.length,
        marks: { ...reportChanged(enriched), 'link-evidence': keys, 'payments-join': holding, 'external-deconfliction': plan.reports.map((r) => r.reportId) },
        stats: { reports: plan.reports.length, identifiers: out.rows.length },
      };
    },
  };
}

/** The plan of link-evidence: every linkable row of the batch's keys and what they linked before. */
export interface EvidencePlan {
  /** The marked keys, and those holding the same id or handle in another namespace (the guard counts them together). */
  keys: string[];
  rows: Map<string, IdentifierRow[]>;
  citedExists: Set<string>;
  /** What the hub guard knows of each key beyond its rows. */
  contexts: Map<string, KeyContext>;
  excluded: (value: string, key: string) => string | undefined;
  before: { evidence: EvidenceRow[]; hubs: Hub[] };
}

/** What link-evidence computes. */
export interface EvidenceOut {
  /** Keys whose evidence or hub entry changed. */
  changed: string[];
  evidence: EvidenceRow[];
  hubs: Hub[];
  /** Reports on either side of a pair that appeared or went. */
  touched: Set<string>;
}

const evidenceRow = (e: Evidence): EvidenceRow => ({
  reportA: e.a,
  reportB: e.b,
  key: e.key,
  kind: e.kind,
  strength: e.strength,
  detail: e.detail,
  weight: e.weight,
});

/** link-evidence: applies the link rules to every report holding each key. */
export function linkEvidenceStage(params: LinkParams): Stage<EvidencePlan, EvidenceOut> {
  return {
    name: 'link-evidence',
    batch: 5000,
    async plan(store, marked) {
      const rows = new Map<string, IdentifierRow[]>(marked.map((k) => [k, []]));
      for (const r of await rowsForKeys(store.db, marked, EVIDENCE_STRENGTHS)) if (counts(r)) rows.get(r.key)!.push(r);
      // The hub guard's look-ups; they add the keys holding the same id or handle in another namespace.
      const contexts = await guardContexts(store.db, rows, params);
      const keys = [...rows.keys()];
      const cited = keys.filter((k) => k.startsWith('report:')).map((k) => k.slice('report:'.length));
      const [exists, exclusions, before] = await Promise.all([existingReports(store.db, cited), listExclusions(store.db), evidenceOfKeys(store.db, keys)]);
      return { keys, rows, citedExists: exists, contexts, excluded: exclusionMatcher(exclusions), before };
    },
    compute(plan) {
      const oldBy = new Map<string, string[]>();
      const add = (m: Map<string, string[]>, k: string, v: string): void => void (m.get(k) ?? m.set(k, []).get(k)!).push(v);
      for (const e of plan.before.evidence) add(oldBy, e.key, JSON.stringify([e.reportA, e.reportB, e.kind, e.strength, e.detail, e.weight]));
      for (const h of plan.before.hubs) add(oldBy, h.key, JSON.stringify(['hub', h.kind, h.value, h.reportCount, h.reason]));
      const out: EvidenceOut = { changed: [], evidence: [], hubs: [], touched: new Set() };
      for (const key of plan.keys) {
        const o = evidenceForKey(key, plan.rows.get(key) ?? [], params, plan.excluded, {
          ...plan.contexts.get(key),
          citedExists: key.startsWith('report:') && plan.citedExists.has(key.slice('report:'.length)),
        });
        const now = [
          ...o.evidence.map((e) => JSON.stringify([e.a, e.b, e.kind, e.strength, e.detail, e.weight])),
          ...(o.hub ? [JSON.stringify(['hub', o.hub.kind, o.hub.value, o.hub.reportCount, o.hub.reason])] : []),
        ].sort();
        if (isDeepStrictEqual(now, (oldBy.get(key) ?? []).sort())) continue;
        out.changed.push(key);
        for (const e of o.evidence) out.evidence.push(evidenceRow(e));
        if (o.hub) out.hubs.push(o.hub);
        for (const e of o.evidence) out.touched.add(e.a).add(e.b);
      }
      const changed = new Set(out.changed);
      for (const e of plan.before.evidence) if (changed.has(e.key)) out.touched.add(e.reportA).add(e.reportB);
      return out;
    },
    async write(target, _plan, out) {
      if (out.changed.length > 0) await writeEvidence(target.db, target.copy, out.changed, out.evidence, out.hubs);
      return {
        written: out.evidence.length,
        marks: { subjects: out.touched },
        stats: { keys: out.changed.length, evidence: out.evidence.length, hubs: out.hubs.length },
      };
    },
  };
}

/** The plan of subjects: a closed part of the link graph and what it was before. */
export interface SubjectsPlan {
  nodes: Set<string>;
  pairs: [string, string][];
  overrides: Override[];
  previous: Map<string, string>;
  used: Set<string>;
}

/** What subjects computes. */
export interface SubjectsOut {
  set: [string, string][];
  unset: string[];
  renames: SubjectRename[];
  /** Reports whose subject (name or membership) changed. */
  moved: string[];
  /** Members of every subject whose membership changed. */
  rescore: string[];
}

/** The analysts' decisions as the clustering reads them. */
export function overridesOf(rows: { action: string; reportA: string; reportB: string | null }[]): Override[] {
  return rows.flatMap((o): Override[] => {
    if (o.action === 'split') return [{ action: 'split', a: o.reportA }];
    if ((o.action === 'merge' || o.action === 'cut') && o.reportB) return [{ action: o.action, a: o.reportA, b: o.reportB }];
    return [];
  });
}

/**
 * The part of the link graph around the seeds that subjects depend on: the components the seeds
 * are in now (following active links and manual merges) and every subject any of those reports was
 * in. Components and former subjects are complete, so clustering it alone gives what clustering
 * everything would give for these reports.
 */
async function closeComponents(
  store: StageStore,
  seeds: string[],
  merges: Map<string, string[]>,
  params: LinkParams,
): Promise<{ nodes: Set<string>; rows: EvidenceRow[]; previous: Map<string, string> }> {
  const nodes = new Set<string>();
  const previous = new Map<string, string>();
  const rows = new Map<string, EvidenceRow>();
  let frontier = [...new Set(seeds)];
  while (frontier.length > 0) {
    for (const n of frontier) nodes.add(n);
    const next = new Set<string>();
    // Every report of every former subject of the frontier.
    const was = await subjectsOfReports(store.db, frontier);
    for (const [r, s] of was) previous.set(r, s);
    for (const [r, s] of await membersOfSubjects(store.db, [...new Set(was.values())])) {
      previous.set(r, s);
      if (!nodes.has(r)) next.add(r);
    }
    // Every active link of the frontier: a pair's rows all come with either of its reports.
    const found = await evidenceRows(store.db, frontier);
    for (const e of found) rows.set(`${e.reportA}\u0000${e.reportB}\u0000${e.key}`, e);
    for (const [a, b] of activePairs(found.map(pairEvidence), params)) {
      if (!nodes.has(a)) next.add(a);
      if (!nodes.has(b)) next.add(b);
    }
    for (const n of frontier) for (const m of merges.get(n) ?? []) if (!nodes.has(m)) next.add(m);
    frontier = [...next];
  }
  return { nodes, rows: [...rows.values()], previous };
}

/** subjects: reclusters the components around changed links, keeping subject names. */
export function subjectsStage(params: LinkParams = DEFAULT_LINK_PARAMS): Stage<SubjectsPlan, SubjectsOut> {
  return {
    name: 'subjects',
    batch: 5000,
    async plan(store, keys) {
      const overrides = overridesOf(await listOverrides(store.db));
      const merges = new Map<string, string[]>();
      for (const o of overrides) {
        if (o.action !== 'merge') continue;
        (merges.get(o.a) ?? merges.set(o.a, []).get(o.a)!).push(o.b);
        (merges.get(o.b) ?? merges.set(o.b, []).get(o.b)!).push(o.a);
      }
      const { nodes, rows, previous } = await closeComponents(store, keys, merges, params);
      const pairs = activePairs(rows.filter((e) => nodes.has(e.reportA) && nodes.has(e.reportB)).map(pairEvidence), params);
      const mine = overrides.filter((o) => nodes.has(o.a) && (o.action === 'split' || nodes.has(o.b)));
      // Names that stay out of reach: retired ones, and live ones of subjects elsewhere (every name
      // the clustering could give here: S-<member>, then S-<member>-2 … -<SUFFIXES>).
      const candidates = [...nodes].flatMap((m) => [`S-${m}`, ...Array.from({ length: SUFFIXES - 1 }, (_, k) => `S-${m}-${k + 2}`)]);
      const live = await liveSubjectNames(store.db, candidates);
      const used = await retiredSubjectNames(store.db);
      const ours = new Set(previous.values());
      for (const n of live) if (!ours.has(n)) used.add(n);
      return { nodes, pairs, overrides: mine, previous, used };
    },
    compute(plan) {
      const fresh = components(plan.pairs, plan.overrides);
      const { membership, renames } = keepSubjectNames(fresh, plan.previous, plan.used);
      const inherited = new Set(plan.previous.values());
      for (const name of new Set(membership.values())) {
        const m = /^S-(.*)-(\d+)$/.exec(name);
        // A suffix beyond those the plan checked could be live elsewhere: stop rather than give one name to two subjects.
        if (!inherited.has(name) && m && plan.nodes.has(m[1]!) && Number(m[2]) > SUFFIXES)
          throw internal(`subject name ${name} was not checked against the live names`);
      }
      const out: SubjectsOut = { set: [], unset: [], renames, moved: [], rescore: [] };
      const changedSubjects = new Set<string>();
      for (const n of plan.nodes) {
        const before = plan.previous.get(n);
        const after = membership.get(n);
        if (before === after) continue;
        out.moved.push(n);
        if (after === undefined) out.unset.push(n);
        else out.set.push([n, after]);
        if (before !== undefined) changedSubjects.add(before);
        if (after !== undefined) changedSubjects.add(after);
      }
      for (const n of plan.nodes) {
        const b = plan.previous.get(n);
        const a = membership.get(n);
        if ((b !== undefined && changedSubjects.has(b)) || (a !== undefined && changedSubjects.has(a))) out.rescore.push(n);
      }
      return out;
    },
    async write(target, _plan, out) {
      if (out.moved.length > 0 || out.renames.length > 0) await writeSubjectChanges(target.db, target.copy, out.set, out.unset, out.renames);
      // Names that went take the analysts' work on them along to their successors, in the same transaction.
      if (out.renames.length > 0) await moveSubjectWork(target.db, out.renames);
      return {
        written: out.moved.length,
        marks: { ...reportChanged(out.rescore), deconfliction: out.moved, 'payments-join': out.moved },
        stats: { moved: out.moved.length, renamed: out.renames.length },
      };
    },
  };
}
