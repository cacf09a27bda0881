// Calibration from the agency's own outcomes: the additive weights of the live ruleset are fitted
// to what analysts decided (a CSV of `reportId,outcome`, or the decisions recorded in case work),
// bounded, sign-kept and pulled towards the published weights; the result is stored as a DRAFT
// that goes live only through the ruleset lifecycle (test, shadow, live). Caps, floors, pauses,
// tiers and conditions are never fitted: the queue's explanation stays rule by rule.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Store } from '../store/database.ts';
import { newestReceivedAt } from '../store/reports.ts';
import { reportDecisions, type ReportDecision } from '../store/cases.ts';
import {
  compileRuleset,
  type CalibratedWeight,
  type CompiledRuleset,
  type FeatureRecord,
  type Outcome,
  type Rule,
  type Ruleset,
} from '../model/rule-engine.ts';
import { assembleFeatures, REPORT_FEATURES } from './features.ts';
import { fitOrdinal, type FitSample, type FitScore } from './fit.ts';
import { importRuleset, queueOrder, standingOf, type Standing } from './rulesets.ts';
import { forEachScored, liveRuleset, refreshContexts } from './score.ts';
import { computeFeatures } from './rescore.ts';

/** What an analyst's work on a report came to, from least to most worth working. */
export const OUTCOMES = ['noise', 'no-action', 'actionable', 'urgent'] as const;
/** One outcome. */
export type OutcomeLabel = (typeof OUTCOMES)[number];

/** A row of an outcomes file that was set aside, with the reason. */
export interface RejectedOutcome {
  line: number;
  text: string;
  reason: string;
}

/** Outcomes read from a file: the valid ones by report, and the rows set aside. */
export interface OutcomeFile {
  outcomes: Map<string, OutcomeLabel>;
  rejected: RejectedOutcome[];
}

/** Reads a `reportId,outcome` CSV (an optional header row); bad rows are set aside with a reason, never fatal. */
export function parseOutcomes(text: string): OutcomeFile {
  const outcomes = new Map<string, OutcomeLabel>();
  const firstLine = new Map<string, number>();
  const rejected: RejectedOutcome[] = [];
  let records: { record: string[]; line: number; raw: string }[];
  try {
    // csv-parse's typings give string[][] whatever the options; with info and raw each record is this.
    const rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        const line = typeof err?.lines === 'number' ? err.lines : 0;
        rejected.push({ line, text: (raw ?? '').trim().slice(0, 200), reason: `not CSV: ${err?.message ?? 'unreadable row'}` });
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    records = rows.map((r) => ({ record: r.record, line: r.info.lines, raw: r.raw.trim() }));
  } catch (err) {
    return { outcomes, rejected: [...rejected, { line: 0, text: '', reason: `not CSV: ${(err as Error).message}` }] };
  }
  records.forEach(({ record, line, raw }, i) => {
    const [id = '', outcome = '', ...rest] = record;
    const set = (reason: string): void => void rejected.push({ line, text: raw.slice(0, 200), reason });
    if (i === 0 && id.toLowerCase() === 'reportid' && outcome.toLowerCase() === 'outcome') return;
    if (rest.some((x) => x !== '')) return set(`${record.length} columns; expected reportId,outcome`);
    if (id === '') return set('no report id');
    if (id.length > 200) return set('the report id is longer than 200 characters');
    const label = outcome.toLowerCase().replace(/[_\s]+/g, '-');
    if (!(OUTCOMES as readonly string[]).includes(label)) return set(`unknown outcome "${outcome.slice(0, 40)}" (one of ${OUTCOMES.join(', ')})`);
    const seen = firstLine.get(id);
    if (seen !== undefined) return set(`report ${id} already has an outcome (line ${seen}); the first is kept`);
    firstLine.set(id, line);
    outcomes.set(id, label as OutcomeLabel);
  });
  return { outcomes, rejected };
}

/**
 * The outcome case work recorded for a report, the strongest first: escalated is urgent; a
 * referral, an endorsement, a case or a close as referred to another agency is actionable; a
 * close as no action, no nexus or insufficient information is no-action; a close as duplicate is noise
 * (DOJ-OOC counts viral duplicates as noise). Undecided work gives no outcome.
 */
export function outcomeOfDecision(d: ReportDecision): OutcomeLabel | null {
  if (d.statuses.includes('escalated')) return 'urgent';
  if (d.referred || d.inCase || d.statuses.includes('referred') || d.closeReasons.includes('referred_to_other_agency')) return 'actionable';
  if (d.closeReasons.includes('no_action') || d.closeReasons.includes('no_nexus') || d.closeReasons.includes('insufficient_information')) return 'no-action';
  if (d.closeReasons.includes('duplicate')) return 'noise';
  return null;
}

/** The outcomes recorded in case work, by report. */
export async function recordedOutcomes(store: Pick<Store, 'db'>): Promise<Map<string, OutcomeLabel>> {
  const out = new Map<string, OutcomeLabel>();
  for (const d of await reportDecisions(store.db)) {
    const o = outcomeOfDecision(d);
    if (o) out.set(d.reportId, o);
  }
  return out;
}

/** How a calibration is bounded and checked. */
export interface CalibrateOptions {
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** A rule applied to fewer labelled reports keeps its weight (default 20). */
  minSupport?: number;
  /** L2 strength around the published weights, in logits (default 1: a prior of one logit's spread). */
  l2?: number;
  /** A weight may grow to this many times its published size (default 2). */
  maxFactor?: number;
  /** A rule that raises harm keeps at least this share of its weight (default 0.5): calibration can halve a protection, never remove it. */
  keepProtective?: number;
  /** Scoring time (default: the newest report's receipt, as evaluate does). */
  now?: Date;
  comment?: string;
}

/** Urgent recall at twice the urgent count and the noise share in the top tenth, over labelled reports. */
export interface OutcomeMetrics {
  urgentInTopTwiceUrgent: number;
  noiseInTop10Percent: number;
}

/** What a calibration did. */
export interface CalibrationReport {
  fromVersion: number;
  /** The stored draft's version (null when nothing could be fitted). */
  draftVersion: number | null;
  asOf: string;
  outcomes: Record<OutcomeLabel, number>;
  /** Outcomes whose report is not in the database. */
  unknownReports: string[];
  weights: (CalibratedWeight & { score: string; byOutcome: Record<OutcomeLabel, number> })[];
  crossValidated: { folds: number; before: OutcomeMetrics; after: OutcomeMetrics };
  scale: number;
  notes: string[];
}

const LEVEL: Record<OutcomeLabel, number> = { noise: 0, 'no-action': 1, actionable: 2, urgent: 3 };

/** Measures a queue order of labelled reports. */
export function outcomeMetrics(order: string[], outcomes: Map<string, OutcomeLabel>): OutcomeMetrics {
  const urgent = order.filter((id) => outcomes.get(id) === 'urgent');
  const top = new Set(order.slice(0, 2 * urgent.length));
  const tenth = order.slice(0, Math.max(1, Math.ceil(order.length / 10)));
  return {
    urgentInTopTwiceUrgent: urgent.length ? urgent.filter((id) => top.has(id)).length / urgent.length : 1,
    noiseInTop10Percent: order.length ? tenth.filter((id) => outcomes.get(id) === 'noise').length / tenth.length : 0,
  };
}

/** A rule whose weight may be fitted: additive, enabled, on a score that counts in the combined score. */
function fittable(rule: Rule, ruleset: Ruleset): boolean {
  const e = rule.effect;
  return rule.enabled !== false && 'add' in e && e.value !== 0 && (ruleset.combine[e.add] ?? 0) > 0;
}

/** The bounds of a rule's weight: its sign kept, at most maxFactor times larger, protections at least keepProtective of it, within its bound. */
export function weightBounds(rule: Rule, ruleset: Ruleset, opts: { maxFactor: number; keepProtective: number }): [number, number] {
  const e = rule.effect as { add: string; value: number };
  const v = e.value;
  const score = ruleset.scores[e.add]!;
  const cap = Math.min(rule.bound ?? Infinity, score.max - score.min);
  const protective = v > 0 && e.add === protectiveScore(ruleset);
  if (v > 0) return [protective ? Math.min(v, opts.keepProtective * v) : 0, Math.min(cap, opts.maxFactor * v)];
  return [Math.max(-cap, opts.maxFactor * v), 0];
}

// The score that says how likely a child is in danger: the ruleset's first score (harm by default).
function protectiveScore(ruleset: Ruleset): string {
  return Object.keys(ruleset.scores)[0]!;
}

/** The ruleset with new additive weights (a `max` scales with its weight, so a per-rule keeps its shape). */
export function withWeights(ruleset: Ruleset, weights: Map<string, number>): Ruleset {
  return {
    ...ruleset,
    rules: ruleset.rules.map((r) => {
      const w = weights.get(r.id);
      const e = r.effect;
      if (w === undefined || !('add' in e)) return r;
      const value = Math.round(w * 10) / 10;
      const max = e.max !== undefined && e.value !== 0 ? Math.round(((e.max * value) / e.value) * 10) / 10 : e.max;
      return { ...r, effect: { ...e, value, ...(max !== undefined ? { max } : {}) } };
    }),
  };
}

/** One labelled report: its features and level. */
interface Labelled {
  id: string;
  record: FeatureRecord;
  receivedAt: string | null;
  outcome: OutcomeLabel;
}

// The additive pieces of one evaluation, per score: for each fitted rule that applied, the
// multiplier of its weight (its `per` factor, 1 for most rules), and the points of everything else.
function sampleOf(o: Outcome, ruleset: Ruleset, column: Map<string, number>, level: number): FitSample {
  const byId = new Map(ruleset.rules.map((r) => [r.id, r]));
  const names = Object.keys(ruleset.scores);
  const parts = names.map((n) => ({ x: [] as [number, number][], offset: ruleset.scores[n]!.base ?? ruleset.scores[n]!.min }));
  for (const f of o.fired) {
    if (f.contribution === null) continue;
    const e = byId.get(f.rule)!.effect as { add: string; value: number };
    const part = parts[names.indexOf(e.add)]!;
    const j = column.get(f.rule);
    if (j === undefined) part.offset += f.contribution;
    else part.x.push([j, f.contribution / e.value]);
  }
  return { parts, level };
}

// One logit per tier step at least: the published tiers are where the queue's meaning changes.
function minScaleOf(ruleset: Ruleset): number {
  const mins = ruleset.tiers.map((t) => t.min);
  const span = Math.max(...mins) - Math.min(...mins);
  return span > 0 && mins.length > 1 ? (mins.length - 1) / span : 0;
}

// The scores as the engine combines and clamps them.
const scoresOf = (ruleset: Ruleset): FitScore[] =>
  Object.entries(ruleset.scores).map(([n, s]) => ({ weight: ruleset.combine[n] ?? 0, min: s.min, max: s.max }));

/**
 * What one outcome of each level weighs: every level present carries the same total, so that a
 * handful of urgent outcomes counts as much as thousands of noise ones (cost-sensitive weighting
 * for rare events, King & Zeng 2001); the weights sum to the number of outcomes.
 */
export function balancedWeights(levels: number[], count: number): number[] {
  const n = new Array<number>(count).fill(0);
  for (const l of levels) n[l]!++;
  const present = n.filter((x) => x > 0).length;
  return n.map((x) => (x > 0 ? levels.length / (present * x) : 0));
}

// A report's fold: stable across runs, independent of the order outcomes arrive in.
const foldOf = (id: string, folds: number): number => createHash('sha256').update(id).digest().readUInt32BE(0) % folds;

function orderOf(compiled: CompiledRuleset, items: Labelled[]): string[] {
  const standings = new Map(items.map((l) => [l.id, standingOf(compiled.evaluate(l.record), l.receivedAt)]));
  return queueOrder(standings);
}

/**
 * Fits the live ruleset's additive weights to outcomes and stores the result as a draft; prints
 * nothing. Outcomes default to those recorded in case work.
 */
export async function calibrate(
  store: Pick<Store, 'db' | 'copy'>,
  given: Map<string, OutcomeLabel> | undefined,
  opts: CalibrateOptions = {},
): Promise<CalibrationReport> {
  const folds = Math.max(2, opts.folds ?? 5);
  const minSupport = opts.minSupport ?? 20;
  const bounds = { maxFactor: opts.maxFactor ?? 2, keepProtective: opts.keepProtective ?? 0.5 };
  const l2 = opts.l2 ?? 1;
  const outcomes = given ?? (await recordedOutcomes(store));
  const now = opts.now ?? (await newestReceivedAt(store.db)) ?? new Date();
  const live = await liveRuleset(store);
  const ruleset = live.compiled.ruleset;
  await computeFeatures(store);
  await refreshContexts(store);

  const labelled: Labelled[] = [];
  const ids = [...outcomes.keys()].sort();
  await forEachScored(store, [], { now: now.getTime(), ids }, (chunk) => {
    for (const s of chunk)
      labelled.push({
        id: s.row.reportId,
        record: assembleFeatures(s.facts, now.getTime()),
        receivedAt: s.facts.doc.receivedAt,
        outcome: outcomes.get(s.row.reportId)!,
      });
  });
  const found = new Set(labelled.map((l) => l.id));
  const unknownReports = ids.filter((id) => !found.has(id));
  const count = (xs: { outcome: OutcomeLabel }[]): Record<OutcomeLabel, number> => {
    const c: Record<OutcomeLabel, number> = { noise: 0, 'no-action': 0, actionable: 0, urgent: 0 };
    for (const x of xs) c[x.outcome]++;
    return c;
  };
  const notes: string[] = [];

  // Which rules apply to which labelled reports, under the live weights.
  const evaluations = labelled.map((l) => live.compiled.evaluate(l.record));
  const support = new Map<string, OutcomeLabel[]>();
  evaluations.forEach((o, i) => {
    for (const f of o.fired) if (f.contribution !== null) (support.get(f.rule) ?? support.set(f.rule, []).get(f.rule)!).push(labelled[i]!.outcome);
  });
  const fitted = ruleset.rules.filter((r) => fittable(r, ruleset) && (support.get(r.id)?.length ?? 0) >= minSupport);
  const column = new Map(fitted.map((r, j) => [r.id, j]));
  const prior = fitted.map((r) => (r.effect as { value: number }).value);
  const box = fitted.map((r) => weightBounds(r, ruleset, bounds));
  const samples = evaluations.map((o, i) => sampleOf(o, ruleset, column, LEVEL[labelled[i]!.outcome]));
  const scores = scoresOf(ruleset);
  const minScale = minScaleOf(ruleset);
  const fit = (rows: FitSample[]): Map<string, number> => {
    const r = fitOrdinal({
      samples: rows,
      levels: OUTCOMES.length,
      scores,
      prior,
      lower: box.map((b) => b[0]),
      upper: box.map((b) => b[1]),
      l2,
      levelWeights: balancedWeights(
        rows.map((x) => x.level),
        OUTCOMES.length,
      ),
      minScale,
    });
    return new Map(fitted.map((rule, j) => [rule.id, r.scale > 0 ? r.weights[j]! : prior[j]!]));
  };

  const before = outcomeMetrics(orderOf(live.compiled, labelled), outcomes);
  // Cross-validation: each fold scored by weights fitted on the others, the held-out scores pooled.
  const pooled = new Map<string, Standing>();
  for (let k = 0; k < folds; k++) {
    const train = samples.filter((_, i) => foldOf(labelled[i]!.id, folds) !== k);
    const test = labelled.filter((l) => foldOf(l.id, folds) === k);
    if (test.length === 0) continue;
    const compiled = compileRuleset(withWeights(ruleset, fit(train)), REPORT_FEATURES);
    for (const l of test) pooled.set(l.id, standingOf(compiled.evaluate(l.record), l.receivedAt));
  }
  const after = outcomeMetrics(queueOrder(pooled), outcomes);

  const all = fitOrdinal({
    samples,
    levels: OUTCOMES.length,
    scores,
    prior,
    lower: box.map((b) => b[0]),
    upper: box.map((b) => b[1]),
    l2,
    levelWeights: balancedWeights(
      samples.map((x) => x.level),
      OUTCOMES.length,
    ),
    minScale,
  });
  if (labelled.length === 0) notes.push('no labelled report is in the database: nothing to fit');
  else if (fitted.length === 0) notes.push(`no rule applies to ${minSupport} or more labelled reports: every weight is kept`);
  if (labelled.length > 0 && all.scale === 0) notes.push('the outcomes hold a single kind (or none): they cannot order the queue, every weight is kept');
  else if (minScale > 0 && all.scale <= minScale * (1 + 1e-9))
    notes.push('the live scores order these outcomes poorly: the fit started from one logit per tier step');
  const usable = all.scale > 0;
  const weights = new Map(fitted.map((r, j) => [r.id, usable ? all.weights[j]! : prior[j]!]));
  const draft = withWeights(ruleset, weights);
  const rows: CalibrationReport['weights'] = ruleset.rules
    .filter((r) => 'add' in r.effect)
    .map((r) => {
      const from = (r.effect as { value: number }).value;
      const to = (draft.rules.find((d) => d.id === r.id)!.effect as { value: number }).value;
      const outs = support.get(r.id) ?? [];
      return {
        id: r.id,
        score: (r.effect as { add: string }).add,
        from,
        to,
        support: outs.length,
        fitted: column.has(r.id) && usable,
        byOutcome: count(outs.map((o) => ({ outcome: o }))),
      };
    });
  const report: CalibrationReport = {
    fromVersion: live.version,
    draftVersion: null,
    asOf: now.toISOString(),
    outcomes: count(labelled),
    unknownReports,
    weights: rows,
    crossValidated: { folds, before, after },
    scale: all.scale,
    notes,
  };
  if (!usable || fitted.length === 0) return report;
  const calibrated: Ruleset = {
    ...draft,
    description: `${ruleset.description ?? ruleset.name} Weights calibrated on ${labelled.length} outcomes from v${live.version}.`,
    calibration: {
      fromVersion: live.version,
      at: new Date().toISOString(),
      outcomes: report.outcomes,
      method: `all-threshold ordinal logistic fit over applied rules, scores clamped as the engine does, outcome levels weighted equally; L2 ${l2} around the published weights; signs kept, at most ×${bounds.maxFactor}, protections at least ×${bounds.keepProtective}; rules applied to fewer than ${minSupport} labelled reports kept`,
      weights: rows.map(({ id, from, to, support: n, fitted: f }) => ({ id, from, to, support: n, fitted: f })),
      crossValidated: { folds, before: { ...before }, after: { ...after } },
    },
  };
  const stored = await importRuleset(store, JSON.stringify(calibrated), {
    status: 'draft',
    comment: opts.comment ?? `calibrated on ${labelled.length} outcomes from v${live.version}`,
  });
  report.draftVersion = stored.version;
  return report;
}
