// The ruleset lifecycle: import (validated, versioned) as draft, shadow or live; test a candidate
// against the stored reports (how the queue would move) before it goes live; shadow scoring
// beside the live ruleset; promotion and rollback.
import type { Store } from '../store/database.ts';
import {
  getRuleset,
  insertRuleset,
  listRulesets,
  previousLive,
  rulesetWithStatus,
  scoresWithReceipt,
  setRulesetStatus,
  type RulesetRow,
} from '../store/triage.ts';
import { rulesetError, rulesetProblems, type CompiledRuleset, type Outcome, type Ruleset } from '../model/rule-engine.ts';
import { REPORT_FEATURES } from './features.ts';
import { DEFAULT_RULESET, ruleTextKey } from './default-rules.ts';
import { compileTriageRuleset, forEachScored, liveRuleset, refreshContexts, rulesetHash } from './score.ts';
import { computeFeatures, rescoreMarked, type ScoreSummary } from './rescore.ts';
import { notFound, conflict } from '../model/error.ts';

/** A ruleset's status. */
export type RulesetStatus = RulesetRow['status'];

/** The live ruleset's tier names, highest first, and its paused tier (the shipped ones before any is stored); nothing is written. */
export async function liveTierNames(store: Pick<Store, 'db'>): Promise<{ tiers: string[]; paused: string }> {
  const row = await rulesetWithStatus(store.db, 'live');
  let doc: Pick<Ruleset, 'tiers' | 'pausedTier'> = DEFAULT_RULESET;
  try {
    if (row) doc = JSON.parse(row.doc) as Ruleset;
  } catch {
    // A stored ruleset that does not parse names the shipped tiers rather than failing a read.
  }
  return { tiers: (doc.tiers ?? []).map((t) => t.name), paused: doc.pausedTier ?? 'PAUSED' };
}

/** Parses and validates ruleset JSON text; throws BAD_RULESET listing every problem. */
export function parseRuleset(text: string): Ruleset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw rulesetError([`not JSON: ${(err as Error).message}`]);
  }
  const problems = rulesetProblems(parsed, REPORT_FEATURES);
  if (problems.length) throw rulesetError(problems);
  return parsed as Ruleset;
}

/** Stores a validated ruleset as a new version (or finds the identical one) and sets its status. */
export async function importRuleset(
  store: Pick<Store, 'db'>,
  text: string,
  opts: { status?: RulesetStatus; comment?: string } = {},
): Promise<{ version: number; status: RulesetStatus; existing: boolean }> {
  const ruleset = parseRuleset(text);
  await liveRuleset(store); // the default becomes version 1 before anything else
  const doc = JSON.stringify({ ...ruleset, version: undefined }, null, 2);
  const hash = rulesetHash(doc);
  const same = (await listRulesets(store.db)).find((r) => r.contentHash === hash);
  const status = opts.status ?? 'draft';
  if (same) {
    if (status !== same.status && status !== 'draft') await setRulesetStatus(store.db, same.version, status);
    return { version: same.version, status: status === 'draft' ? same.status : status, existing: true };
  }
  const version = await insertRuleset(store.db, { name: ruleset.name, status: 'draft', doc, contentHash: hash, comment: opts.comment ?? null });
  if (status !== 'draft') await setRulesetStatus(store.db, version, status);
  return { version, status, existing: false };
}

/** The JSON text of a version (the live one by default), with its version number inside. */
export async function exportRuleset(store: Pick<Store, 'db'>, version?: number): Promise<string> {
  const row = await getRuleset(store.db, version ?? (await liveRuleset(store)).version);
  if (!row) throw notFound('NOT_FOUND', `no ruleset version ${String(version)}`);
  return `${JSON.stringify({ ...(JSON.parse(row.doc) as Ruleset), version: row.version }, null, 2)}\n`;
}

/** Every version with its status (newest first). */
export async function rulesetVersions(store: Pick<Store, 'db'>): Promise<Omit<RulesetRow, 'doc'>[]> {
  await liveRuleset(store);
  return (await listRulesets(store.db)).map(({ doc: _doc, ...r }) => r);
}

/** Moves a version to draft, shadow or live (a new live or shadow one retires the previous), then re-scores. */
export async function setStatus(
  store: Pick<Store, 'db' | 'copy'>,
  version: number,
  status: RulesetStatus,
  opts: { now?: Date } = {},
): Promise<ScoreSummary | null> {
  if (!(await changeStatus(store, version, status))) return null;
  return (await rescoreMarked(store, opts.now ?? new Date()))?.summary ?? null;
}

/** Moves a version to draft, shadow or live without re-scoring; whether every report must now be re-scored (the `rescore` mark says so too). */
export async function changeStatus(store: Pick<Store, 'db'>, version: number, status: RulesetStatus): Promise<boolean> {
  const row = await getRuleset(store.db, version);
  if (!row) throw notFound('NOT_FOUND', `no ruleset version ${version}`);
  compileTriageRuleset(JSON.parse(row.doc));
  await setRulesetStatus(store.db, version, status);
  return status === 'live' || status === 'shadow';
}

/** Makes the previous live version live again and re-scores every report. */
export async function rollback(store: Pick<Store, 'db' | 'copy'>, opts: { now?: Date } = {}): Promise<{ from: number; to: number; summary: ScoreSummary }> {
  const live = await liveRuleset(store);
  const prev = await previousLive(store.db, live.version);
  if (!prev) throw conflict('CONFLICT', `version ${live.version} is the only one that was ever live: nothing to roll back to`);
  const summary = (await setStatus(store, prev.version, 'live', opts))!;
  return { from: live.version, to: prev.version, summary };
}

/** Where a report stands in one order. */
export interface Standing {
  score: number;
  tier: string;
  /** Ahead of the rest of its tier (a `first` floor applied). */
  first: boolean;
  paused: boolean;
  receivedAt: string | null;
}

/** Where an outcome puts its report in the queue order. */
export function standingOf(o: Outcome, receivedAt: string | null): Standing {
  return { score: o.score, tier: o.tier, first: o.first, paused: o.paused, receivedAt };
}

/** How a queue would change from one scoring to another. */
export interface QueueChange {
  reports: number;
  /** Places a report must move by, more than, to count as moved (default 1% of the queue). */
  threshold: number;
  /** Reports that rise by more than `threshold` places. */
  movedUp: number;
  /** Reports that fall by more than `threshold` places. */
  movedDown: number;
  /** Reports that move, but by `threshold` places or fewer. */
  movedSlightly: number;
  unchanged: number;
  tiersBefore: Record<string, number>;
  tiersAfter: Record<string, number>;
  /** "FROM→TO": reports that change tier. */
  tierChanges: Record<string, number>;
  /** The largest moves, up first. */
  biggestMoves: { reportId: string; from: number; to: number; tierFrom: string; tierTo: string }[];
}

/** Report ids in queue order (paused last, first in tier, score down, oldest first, report id). */
export function queueOrder(m: Map<string, Standing>): string[] {
  return [...m.entries()]
    .sort(
      ([a, x], [b, y]) =>
        Number(x.paused) - Number(y.paused) ||
        Number(y.first) - Number(x.first) ||
        y.score - x.score ||
        (x.receivedAt ?? '\uffff').localeCompare(y.receivedAt ?? '\uffff') ||
        (a < b ? -1 : a > b ? 1 : 0),
    )
    .map(([id]) => id);
}

/** The default move threshold: 1% of the queue (a report crossing one percent of the queue has moved). */
export function defaultMoveThreshold(reports: number): number {
  return Math.floor(reports / 100);
}

/** Compares two scorings of the same reports: tier changes, and moves by more than `threshold` places. */
export function compareQueues(before: Map<string, Standing>, after: Map<string, Standing>, opts: { top?: number; threshold?: number } = {}): QueueChange {
  const top = opts.top ?? 10;
  const threshold = opts.threshold ?? defaultMoveThreshold(after.size);
  const posBefore = new Map(queueOrder(before).map((id, i) => [id, i + 1]));
  const posAfter = new Map(queueOrder(after).map((id, i) => [id, i + 1]));
  const tally = (m: Map<string, Standing>): Record<string, number> => {
    const t: Record<string, number> = {};
    for (const s of m.values()) t[s.tier] = (t[s.tier] ?? 0) + 1;
    return t;
  };
  const change: QueueChange = {
    reports: after.size,
    threshold,
    movedUp: 0,
    movedDown: 0,
    movedSlightly: 0,
    unchanged: 0,
    tiersBefore: tally(before),
    tiersAfter: tally(after),
    tierChanges: {},
    biggestMoves: [],
  };
  const moves: QueueChange['biggestMoves'] = [];
  for (const [id, to] of posAfter) {
    const from = posBefore.get(id) ?? before.size + 1;
    if (from - to > threshold) change.movedUp++;
    else if (to - from > threshold) change.movedDown++;
    else if (to !== from) change.movedSlightly++;
    else change.unchanged++;
    const tf = before.get(id)?.tier ?? '(unscored)';
    const tt = after.get(id)!.tier;
    if (tf !== tt) change.tierChanges[`${tf}→${tt}`] = (change.tierChanges[`${tf}→${tt}`] ?? 0) + 1;
    if (from !== to) moves.push({ reportId: id, from, to, tierFrom: tf, tierTo: tt });
  }
  moves.sort((a, b) => b.from - b.to - (a.from - a.to) || (a.reportId < b.reportId ? -1 : 1));
  const up = moves.filter((m) => m.to < m.from).slice(0, top);
  const down = moves
    .filter((m) => m.to > m.from)
    .reverse()
    .slice(0, top);
  change.biggestMoves = [...up, ...down];
  return change;
}

/** Scores every stored report with a ruleset in memory (nothing is written; contexts refreshed first). */
export async function scoreInMemory(store: Pick<Store, 'db'>, ruleset: Ruleset, opts: { now?: Date } = {}): Promise<Map<string, Standing>> {
  return (await standingsInMemory(store, [compileTriageRuleset(ruleset)], opts))[0]!;
}

// Several rulesets in one pass over the stored reports: the read is most of the cost.
async function standingsInMemory(store: Pick<Store, 'db'>, rulesets: CompiledRuleset[], opts: { now?: Date }): Promise<Map<string, Standing>[]> {
  const out = rulesets.map(() => new Map<string, Standing>());
  await forEachScored(store, rulesets, { now: (opts.now ?? new Date()).getTime() }, (chunk) => {
    for (const s of chunk) {
      s.outcomes.forEach((o, k) => out[k]!.set(s.row.reportId, standingOf(o, s.facts.doc.receivedAt)));
    }
  });
  return out;
}

/**
 * How the queue would change if a candidate ruleset went live (stored reports, nothing written).
 * "Before" is the live queue as stored (what analysts see); a database never scored is scored
 * with the live ruleset in memory instead.
 */
export async function testRuleset(
  store: Pick<Store, 'db' | 'copy'>,
  text: string,
  opts: { now?: Date; threshold?: number } = {},
): Promise<QueueChange & { liveVersion: number; before: 'stored' | 'computed' }> {
  const candidate = parseRuleset(text);
  await computeFeatures(store); // a database never scored still needs document features
  await refreshContexts(store);
  const live = await liveRuleset(store);
  const stored = await scoresWithReceipt(store.db, 'triage_scores');
  const compare = opts.threshold === undefined ? {} : { threshold: opts.threshold };
  if (stored.size === 0) {
    const [before, after] = await standingsInMemory(store, [live.compiled, compileTriageRuleset(candidate)], opts);
    return { liveVersion: live.version, before: 'computed', ...compareQueues(before!, after!, compare) };
  }
  const [after] = await standingsInMemory(store, [compileTriageRuleset(candidate)], opts);
  return { liveVersion: live.version, before: 'stored', ...compareQueues(stored, after!, compare) };
}

/** The shadow ruleset's differences from the live scores (as stored by the last scoring run). */
export async function shadowDiff(store: Pick<Store, 'db'>): Promise<(QueueChange & { liveVersion: number; shadowVersion: number }) | null> {
  const shadow = await rulesetWithStatus(store.db, 'shadow');
  if (!shadow) return null;
  const live = await liveRuleset(store);
  return {
    liveVersion: live.version,
    shadowVersion: shadow.version,
    ...compareQueues(await scoresWithReceipt(store.db, 'triage_scores'), await scoresWithReceipt(store.db, 'triage_shadow_scores')),
  };
}

/** What the app shows of the rules: the live ruleset, every version with its status, and each live rule's text key (null: the agency's own wording). */
export async function rulesView(
  store: Pick<Store, 'db'>,
): Promise<{ live: Ruleset; versions: Omit<RulesetRow, 'doc'>[]; textKeys: Record<string, string | null> }> {
  const live = JSON.parse(await exportRuleset(store)) as Ruleset;
  return { live, versions: await rulesetVersions(store), textKeys: Object.fromEntries((live.rules ?? []).map((r) => [r.id, ruleTextKey(r)])) };
}
