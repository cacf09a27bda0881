// The linking stage over the store: extract identifiers of new or changed reports, redo the
// evidence of only the keys they touch, then recluster (in memory; subjects are small). A full
// rebuild runs the same steps over everything and gives the same subjects.

import type { Store } from '../store/database.ts';
import {
  addExclusion, addOverride, clearDerived, evidenceRows, existingReports, keysMatching, keysOfReports, linkPendingReports, listExclusions,
  listOverrides, replaceEvidence, replaceIdentifiers, replaceSubjects, retiredSubjectNames, rowsForKeys, sharedRows, subjectMembership,
  type EvidenceRow, type IdentifierRow,
} from '../store/link.ts';
import type { CybertipReport } from '../model/report.ts';
import type { WarninglistSet } from '../enrich/warninglists.ts';
import { extractIdentifiers } from './identifiers.ts';
import { enrichmentRow, enrichSetup, runExtractOptions, runWarninglists } from './enrichment.ts';
import { replaceEnrichment, type EnrichmentRow } from '../store/enrichment.ts';
import { activePairs, DEFAULT_LINK_PARAMS, evidenceForKey, exclusionMatcher, type Evidence, type Hub, type KeyRow, type LinkParams } from './rules.ts';
import { components, keepSubjectNames, type Override } from './subjects.ts';
import { guardContexts } from './guard.ts';

/** Options of a linking run. */
export interface LinkRunOptions {
  /** Re-extract and relink everything (same result as the incremental runs that led here). */
  rebuild?: boolean;
  /** Only these report ids (re-extracted even when unchanged). */
  reportIds?: string[];
  params?: Partial<LinkParams>;
  warninglists?: WarninglistSet;
  /** Reports per extraction batch. */
  batchSize?: number;
  onProgress?: (done: number) => void;
}

/** What a linking run did. */
export interface LinkRunSummary {
  reportsExtracted: number;
  identifiers: number;
  keysRelinked: number;
  evidence: number;
  hubs: number;
  subjects: number;
  reportsInSubjects: number;
  ms: number;
}

const LINKABLE = ['strong', 'medium'];
// Above this many affected keys a run recomputes all evidence in one pass (same result).
const WHOLE_PASS_KEYS = 20_000;

/** Runs linking: incremental by default (new or changed reports), or a full rebuild. */
export async function runLink(store: Pick<Store, 'db' | 'copy'>, opts: LinkRunOptions = {}): Promise<LinkRunSummary> {
  const t0 = Date.now();
  const params = { ...DEFAULT_LINK_PARAMS, ...opts.params };
  const batchSize = opts.batchSize ?? 2000;
  // A rebuild keeps the subjects' names: they are read before everything derived is cleared.
  const named = opts.rebuild ? await subjectMembership(store.db) : undefined;
  if (opts.rebuild) await clearDerived(store.db);
  const warninglists = await runWarninglists(store, opts.warninglists);
  const enrich = enrichSetup(warninglists);
  const extract = await runExtractOptions(store, warninglists, enrich);

  // 1. Extraction, a batch at a time; the keys the batch held before and holds now are affected.
  const affected = new Set<string>();
  let extracted = 0;
  let identifiers = 0;
  let after: string | undefined;
  for (;;) {
    const idsLeft = opts.rebuild ? undefined : opts.reportIds; // a rebuild always covers every report
    const batch = await linkPendingReports(store.db, { ...(idsLeft ? { ids: idsLeft } : {}), ...(after !== undefined ? { after } : {}), limit: batchSize });
    if (batch.length === 0) break;
    const ids = batch.map((r) => r.reportId);
    if (!opts.rebuild) for (const k of await keysOfReports(store.db, ids, LINKABLE)) affected.add(k);
    const rows: IdentifierRow[] = [];
    const enriched: EnrichmentRow[] = [];
    for (const r of batch) {
      const ids = extractIdentifiers(r.doc as CybertipReport, extract);
      // Enrichment reads the same identifiers, so it is stored in the same pass.
      enriched.push(enrichmentRow(enrich, r.reportId, r.version, r.doc as CybertipReport, ids));
      for (const id of ids) {
        // Ordinary file hashes are content, not identity, and the hash stage stores them
        // (file_hashes): kept out of this table, where they would be two rows in three.
        if (id.kind === 'file-hash' && id.strength === 'weak') continue;
        rows.push({ reportId: r.reportId, kind: id.kind, value: id.value, key: id.key, role: id.role, strength: id.strength, raw: id.raw, at: id.at ?? null, note: id.note ?? null });
        if (!opts.rebuild && LINKABLE.includes(id.strength)) affected.add(id.key);
      }
      // A report that arrives after a later one cited it: the citation key now has its target.
      if (!opts.rebuild) affected.add(`report:${r.reportId}`);
    }
    await replaceIdentifiers(store, batch.map((r) => ({ reportId: r.reportId, version: r.version })), rows);
    await replaceEnrichment(store, enriched);
    extracted += batch.length;
    identifiers += rows.length;
    opts.onProgress?.(extracted);
    after = ids[ids.length - 1];
    if (batch.length < batchSize) break;
  }

  // 2. Evidence for the affected keys (all shared keys on a rebuild). When a run touches many
  // keys (a first run, a large import), one pass over the shared keys is cheaper than looking
  // the keys up in chunks, and gives the same evidence.
  const whole = opts.rebuild === true || affected.size > WHOLE_PASS_KEYS;
  const keyRows = whole ? await sharedRows(store.db, LINKABLE) : await rowsForKeys(store.db, [...affected], LINKABLE);
  const byKey = new Map<string, KeyRow[]>();
  for (const r of keyRows) (byKey.get(r.key) ?? byKey.set(r.key, []).get(r.key)!).push(r);
  if (!whole) for (const k of affected) if (!byKey.has(k)) byKey.set(k, []);
  const { evidence, hubs } = await decide(store, byKey, params);
  await replaceEvidence(store, whole ? 'all' : [...byKey.keys()], evidence.map(toRow), hubs);

  // 3. Subjects from every active link, after the analysts' decisions.
  const subjects = await recluster(store, named);
  return {
    reportsExtracted: extracted,
    identifiers,
    keysRelinked: whole ? affected.size || byKey.size : byKey.size,
    evidence: evidence.length,
    hubs: hubs.length,
    subjects: new Set(subjects.values()).size,
    reportsInSubjects: subjects.size,
    ms: Date.now() - t0,
  };
}

function toRow(e: Evidence): EvidenceRow {
  return { reportA: e.a, reportB: e.b, key: e.key, kind: e.kind, strength: e.strength, detail: e.detail };
}

async function decide(store: Pick<Store, 'db'>, byKey: Map<string, KeyRow[]>, params: LinkParams): Promise<{ evidence: Evidence[]; hubs: Hub[] }> {
  const excluded = exclusionMatcher(await listExclusions(store.db));
  const cited = [...byKey.keys()].filter((k) => k.startsWith('report:')).map((k) => k.slice('report:'.length));
  const exists = await existingReports(store.db, cited);
  // The hub guard's look-ups (may add keys holding the same id or handle in another namespace).
  const contexts = await guardContexts(store.db, byKey, params);
  const evidence: Evidence[] = [];
  const hubs: Hub[] = [];
  for (const [key, rows] of byKey) {
    const out = evidenceForKey(key, rows, params, excluded, { ...contexts.get(key), citedExists: key.startsWith('report:') && exists.has(key.slice('report:'.length)) });
    evidence.push(...out.evidence);
    if (out.hub) hubs.push(out.hub);
  }
  return { evidence, hubs };
}

/** The analysts' decisions as the clustering reads them. */
export async function loadOverrides(store: Pick<Store, 'db'>): Promise<Override[]> {
  return (await listOverrides(store.db)).flatMap((o): Override[] => {
    if (o.action === 'split') return [{ action: 'split', a: o.reportA }];
    if ((o.action === 'merge' || o.action === 'cut') && o.reportB) return [{ action: o.action, a: o.reportA, b: o.reportB }];
    return [];
  });
}

/**
 * Recomputes subjects from the stored evidence and decisions, keeping the names they had
 * (`previous`: report → name before; the stored membership by default); returns report → subject.
 */
export async function recluster(store: Pick<Store, 'db' | 'copy'>, previous?: Map<string, string>): Promise<Map<string, string>> {
  const rows = await evidenceRows(store.db);
  const pairs = activePairs(rows.map((r) => ({ a: r.reportA, b: r.reportB, strength: r.strength })));
  const fresh = components(pairs, await loadOverrides(store));
  const { membership, renames } = keepSubjectNames(fresh, previous ?? (await subjectMembership(store.db)), await retiredSubjectNames(store.db));
  await replaceSubjects(store, membership, renames);
  return membership;
}

/** Adds an exclusion and applies it retroactively: the keys it matches are relinked now. */
export async function excludeValue(store: Pick<Store, 'db' | 'copy'>, pattern: string, comment: string, params: Partial<LinkParams> = {}): Promise<{ keys: number }> {
  if (!comment.trim()) throw new Error('an exclusion needs a comment saying why');
  await addExclusion(store.db, pattern, comment);
  return { keys: await relinkKeys(store, await keysMatching(store.db, pattern, LINKABLE), params) };
}

/** Relinks the given keys (after an exclusion or a parameter change) and reclusters. */
export async function relinkKeys(store: Pick<Store, 'db' | 'copy'>, keys: string[], params: Partial<LinkParams> = {}): Promise<number> {
  const byKey = new Map<string, KeyRow[]>(keys.map((k) => [k, []]));
  for (const r of await rowsForKeys(store.db, keys, LINKABLE)) byKey.get(r.key)!.push(r);
  const { evidence, hubs } = await decide(store, byKey, { ...DEFAULT_LINK_PARAMS, ...params });
  await replaceEvidence(store, keys, evidence.map(toRow), hubs);
  await recluster(store);
  return keys.length;
}

/** Records a manual split (the report leaves its subject) or merge (two reports join) and reclusters. */
export async function manualDecision(store: Pick<Store, 'db' | 'copy'>, o: Override, comment?: string): Promise<void> {
  await addOverride(store.db, { action: o.action, reportA: o.a, reportB: o.action === 'split' ? null : o.b, comment: comment ?? null });
  await recluster(store);
}
