// The linking stage over the store: extract identifiers of new or changed reports, redo the
// evidence of only the keys they touch, then recluster the components those keys join or split
// (src/link/stages.ts). A full rebuild marks every report and key and runs the same stages: it
// gives the same subjects and never empties the tables on the way.

import type { Store } from '../store/database.ts';
import { addExclusion, addOverride, keysMatching, listOverrides, markAllLinkKeys, subjectCounts } from '../store/link.ts';
import { markAllReports, markPending } from '../store/pending.ts';
import type { WarninglistSet } from '../enrich/warninglists.ts';
import { runStage, type StageRun, type StageStore } from '../runtime/stage.ts';
import { enrichSetup, runExtractOptions, runWarninglists } from './enrichment.ts';
import { DEFAULT_LINK_PARAMS, WEAK_KINDS, type LinkParams } from './rules.ts';
import { EVIDENCE_STRENGTHS, identifiersStage, linkEvidenceStage, overridesOf, subjectsStage } from './stages.ts';
import type { Override } from './subjects.ts';
import { badInput } from '../model/error.ts';

/** Options of a linking run. */
export interface LinkRunOptions {
  /** Re-extract and relink everything (same result as the incremental runs that led here). */
  rebuild?: boolean;
  /** Only these report ids (re-extracted even when unchanged). */
  reportIds?: string[];
  params?: Partial<LinkParams>;
  warninglists?: WarninglistSet;
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

/** The three linking stages, set up for a run (warninglists read once). */
export async function linkStages(
  store: Pick<Store, 'db'>,
  opts: { params?: Partial<LinkParams>; warninglists?: WarninglistSet } = {},
): Promise<[ReturnType<typeof identifiersStage>, ReturnType<typeof linkEvidenceStage>, ReturnType<typeof subjectsStage>]> {
  const warninglists = await runWarninglists(store, opts.warninglists);
  const enrich = enrichSetup(warninglists);
  // The agency's namespace files and the offline IP country are read for every run.
  const extract = await runExtractOptions(store, warninglists, enrich);
  const params = { ...DEFAULT_LINK_PARAMS, ...opts.params };
  return [identifiersStage({ extract, enrich }), linkEvidenceStage(params), subjectsStage(params)];
}

/** Runs linking over what is marked: incremental by default (new or changed reports), or a full rebuild. */
export async function runLink(store: StageStore, opts: LinkRunOptions = {}): Promise<LinkRunSummary> {
  const t0 = Date.now();
  if (opts.rebuild) {
    await markAllReports(store.db, 'identifiers');
    // Every key and every subject too: a rebuild after a parameter change must redo what no identifier change reaches.
    await markAllLinkKeys(store.db, WEAK_KINDS);
    await markAllReports(store.db, 'subjects', '', 'link_reports');
  } else if (opts.reportIds) {
    await markPending(store.db, 'identifiers', opts.reportIds);
  }
  const [identifiers, evidence, subjects] = await linkStages(store, opts);
  const a = await runStage(store, identifiers, opts.onProgress ? { onProgress: (p) => opts.onProgress!(p.done) } : {});
  const b = await runStage(store, evidence);
  await runStage(store, subjects);
  return summary(store, [a, b], Date.now() - t0);
}

async function summary(store: StageStore, [a, b]: StageRun[], ms: number): Promise<LinkRunSummary> {
  const counts = await subjectCounts(store.db);
  return {
    reportsExtracted: a!.stats.reports ?? 0,
    identifiers: a!.stats.identifiers ?? 0,
    keysRelinked: b!.keys,
    evidence: b!.stats.evidence ?? 0,
    hubs: b!.stats.hubs ?? 0,
    subjects: counts.subjects,
    reportsInSubjects: counts.reports,
    ms,
  };
}

/** The analysts' decisions as the clustering reads them. */
export async function loadOverrides(store: Pick<Store, 'db'>): Promise<Override[]> {
  return overridesOf(await listOverrides(store.db));
}

/** Reclusters around the given reports (all reports in a subject when none are given) from the stored evidence and decisions. */
export async function recluster(store: StageStore, reportIds?: string[]): Promise<StageRun> {
  if (reportIds) await markPending(store.db, 'subjects', reportIds);
  else await markAllReports(store.db, 'subjects', '', 'link_reports');
  return runStage(store, subjectsStage());
}

/** Adds an exclusion and applies it retroactively: the keys it matches are relinked now. */
export async function excludeValue(store: StageStore, pattern: string, comment: string, params: Partial<LinkParams> = {}): Promise<{ keys: number }> {
  if (!comment.trim()) throw badInput('NOTE_REQUIRED', 'an exclusion needs a comment saying why');
  await addExclusion(store.db, pattern, comment);
  return { keys: await relinkKeys(store, await keysMatching(store.db, pattern, EVIDENCE_STRENGTHS), params) };
}

/** Relinks the given keys (after an exclusion or a parameter change) and reclusters what they touch. */
export async function relinkKeys(store: StageStore, keys: string[], params: Partial<LinkParams> = {}): Promise<number> {
  await markPending(store.db, 'link-evidence', keys);
  await runStage(store, linkEvidenceStage({ ...DEFAULT_LINK_PARAMS, ...params }));
  await runStage(store, subjectsStage({ ...DEFAULT_LINK_PARAMS, ...params }));
  return keys.length;
}

/** Records a manual split, cut or merge and marks the reports it concerns for reclustering. */
export async function recordDecision(store: StageStore, o: Override, comment?: string): Promise<string[]> {
  await addOverride(store.db, { action: o.action, reportA: o.a, reportB: o.action === 'split' ? null : o.b, comment: comment ?? null });
  const reports = o.action === 'split' ? [o.a] : [o.a, o.b];
  await markPending(store.db, 'subjects', reports);
  return reports;
}

/** Records a manual split (the report leaves its subject) or merge (two reports join) and reclusters. */
export async function manualDecision(store: StageStore, o: Override, comment?: string): Promise<void> {
  await recordDecision(store, o, comment);
  await runStage(store, subjectsStage());
}
