// A generic, pure rules engine: a ruleset (JSON data) is validated against a catalogue of typed
// features, compiled once into closures, then evaluated over plain feature records. No database,
// no clock: the triage stage and the payments stage each bring their own catalogue and rules. It
// lives in src/model so that both may import it (payments runs before triage).
// The API is documented at the top of docs/triage.md; keep it stable.
import { BantayError, badInput } from './error.ts';

/** The type of a feature a rule may test. `list` is a list of records with their own catalogue. */
export type FeatureType = 'number' | 'boolean' | 'string' | 'strings' | 'list';

/** What a feature is: its type, a sentence for the rule author, and for lists the items' catalogue. */
export interface FeatureSpec {
  type: FeatureType;
  description: string;
  items?: FeatureCatalogue;
}

/** The features a ruleset may use, by name (names may contain dots, e.g. `subject.reports`). */
export type FeatureCatalogue = Record<string, FeatureSpec>;

/** A feature's value; null or undefined means unknown, and an unknown value never satisfies a test. */
export type FeatureValue = number | boolean | string | string[] | FeatureRecord[] | null | undefined;

/** One record of features (a report, a subject, a payment party...). */
export interface FeatureRecord {
  [name: string]: FeatureValue;
}

/** Comparison operators of a leaf condition. */
export type CompareOp =
  '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'notIn' | 'has' | 'hasAny' | 'hasAll' | 'matches' | 'present' | 'absent' | 'true' | 'false';

/** A scalar a condition compares with. */
export type ConditionValue = number | string | boolean | (number | string)[];

/** A condition tree over features. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { feature: string; op: CompareOp; value?: ConditionValue }
  | { count: string; where?: Condition; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number };

/** What a rule does when it fires. */
export type Effect =
  /** Adds `value` (times the numeric feature `per`, capped at `max`) to a named score. */
  | { add: string; value: number; per?: string; max?: number }
  /**
   * The outcome's tier is at least this tier (the combined score is raised to the tier's minimum).
   * `first` (only on a floor to the highest tier) also orders the item ahead of every item of that
   * tier no such floor lifted: a child at immediate risk before the rest, whatever the points.
   */
  | { floor: string; first?: boolean }
  /** The outcome's tier is at most this tier (the combined score is lowered under the next tier). */
  | { cap: string }
  /** The item is paused (e.g. held by an active case): tier `pausedTier`, ordered last. */
  | { pause: true };

/** One rule: a named, sourced condition with an effect. */
export interface Rule {
  id: string;
  description: string;
  /** The published criterion (or agency decision) the rule comes from. */
  source: string;
  when: Condition;
  effect: Effect;
  /** A disabled rule is kept in the ruleset but never fires. */
  enabled?: boolean;
  /**
   * Ids of rules whose condition, when it holds, outweighs this rule: its effect is not applied
   * and the explanation names what outweighed it (e.g. a label against strong contrary evidence).
   */
  outweighedBy?: string[];
  /** The largest magnitude an `add` value may take (a bounded weight); checked at import and kept by calibration. */
  bound?: number;
  /** The message catalogue key of the rule's text (the web app shows it in the user's language); without it the description is shown as written. */
  textKey?: string;
}

/** A score the rules add to, with its bounds. */
export interface ScoreSpec {
  min: number;
  max: number;
  /** Where the score starts (default min). */
  base?: number;
  description?: string;
}

/** A tier: every outcome whose combined score is at least `min` (the last tier catches the rest). */
export interface TierSpec {
  name: string;
  min: number;
  description?: string;
}

/** A ruleset as JSON: scores, how they combine, tiers from highest to lowest, and rules. */
export interface Ruleset {
  name: string;
  description?: string;
  /** Assigned by the store at import; informational inside the JSON. */
  version?: number;
  scores: Record<string, ScoreSpec>;
  /** Weights of each score in the combined score. */
  combine: Record<string, number>;
  tiers: TierSpec[];
  /** The tier a paused outcome gets (default PAUSED). */
  pausedTier?: string;
  rules: Rule[];
  /** How the weights were fitted to outcomes, when they were (`bantay rules calibrate`); not used in evaluation. */
  calibration?: RulesetCalibration;
}

/** One rule's weight before and after a calibration, and the outcomes that support it. */
export interface CalibratedWeight {
  id: string;
  from: number;
  to: number;
  /** Labelled outcomes on which the rule applied. */
  support: number;
  /** False when the weight was kept (too little support, or not an additive rule). */
  fitted: boolean;
}

/** The record a calibration leaves in the ruleset it drafts. */
export interface RulesetCalibration {
  fromVersion: number;
  at: string;
  /** Labelled outcomes used, by outcome. */
  outcomes: Record<string, number>;
  method: string;
  weights: CalibratedWeight[];
  /** Cross-validated measures before (the ruleset it started from) and after (the fitted weights). */
  crossValidated: { folds: number; before: Record<string, number>; after: Record<string, number> };
}

/** A rule that fired, with what it contributed and the evidence it saw. */
export interface FiredRule {
  rule: string;
  description: string;
  source: string;
  /** The effect in words, e.g. `harm +40`, `floor IMMEDIATE`, `cap LOW`, `pause`. */
  effect: string;
  /** Points added to a score (add effects); null for floor, cap, pause and an outweighed rule. */
  contribution: number | null;
  /** The features and values that made the rule fire, in words (and what outweighed it). */
  evidence: string;
  /** The rules that outweighed this one (its effect was not applied); absent when it applied. */
  outweighedBy?: string[];
}

/** The evaluation of one record. */
export interface Outcome {
  scores: Record<string, number>;
  /** The combined score after floors and caps, rounded to 0.1. */
  score: number;
  tier: string;
  /** 0 for the highest tier; the paused tier ranks after every other. */
  tierRank: number;
  /** A `first` floor applied: ordered ahead of the rest of its tier (never when paused). */
  first: boolean;
  paused: boolean;
  fired: FiredRule[];
}

/** A ruleset compiled for fast evaluation. */
export interface CompiledRuleset {
  ruleset: Ruleset;
  /** Tier names from highest to lowest, then the paused tier. */
  tierNames: string[];
  evaluate(record: FeatureRecord): Outcome;
}

/** Why a ruleset is invalid (BAD_RULESET): readable messages with the JSON path of each problem, also in details.problems. */
export function rulesetError(problems: string[]): BantayError {
  return badInput('BAD_RULESET', `invalid ruleset:\n  ${problems.join('\n  ')}`, { problems });
}

const NUM_OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const OPS_BY_TYPE: Record<Exclude<FeatureType, 'list'>, Set<string>> = {
  number: new Set([...NUM_OPS, 'in', 'notIn', 'present', 'absent']),
  boolean: new Set(['=', '!=', 'true', 'false', 'present', 'absent']),
  string: new Set(['=', '!=', 'in', 'notIn', 'matches', 'present', 'absent', '<', '<=', '>', '>=']),
  strings: new Set(['has', 'hasAny', 'hasAll', 'matches', 'present', 'absent']),
};
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkCondition(c: unknown, cat: FeatureCatalogue, path: string, out: string[], depth = 0): void {
  if (depth > 32) return void out.push(`${path}: conditions nested deeper than 32`);
  if (!isObj(c)) return void out.push(`${path}: a condition must be an object with all, any, not, feature or count`);
  const keys = Object.keys(c);
  if ('all' in c || 'any' in c) {
    const k = 'all' in c ? 'all' : 'any';
    if (keys.length !== 1) out.push(`${path}: "${k}" stands alone (found ${keys.join(', ')})`);
    const list = c[k];
    if (!Array.isArray(list) || list.length === 0) return void out.push(`${path}.${k}: must be a non-empty array of conditions`);
    list.forEach((x, i) => checkCondition(x, cat, `${path}.${k}[${i}]`, out, depth + 1));
    return;
  }
  if ('not' in c) {
    if (keys.length !== 1) out.push(`${path}: "not" stands alone (found ${keys.join(', ')})`);
    return checkCondition(c.not, cat, `${path}.not`, out, depth + 1);
  }
  if ('count' in c) {
    const name = c.count;
    const spec = typeof name === 'string' ? cat[name] : undefined;
    if (!spec || spec.type !== 'list')
      return void out.push(
        `${path}.count: "${String(name)}" is not a list feature (lists: ${
          Object.entries(cat)
            .filter(([, s]) => s.type === 'list')
            .map(([n]) => n)
            .join(', ') || 'none'
        })`,
      );
    if (typeof c.op !== 'string' || !NUM_OPS.has(c.op)) out.push(`${path}.op: a count compares with one of ${[...NUM_OPS].join(' ')}`);
    if (typeof c.value !== 'number' || !Number.isFinite(c.value)) out.push(`${path}.value: a count compares with a number`);
    if (c.where !== undefined) checkCondition(c.where, spec.items ?? {}, `${path}.where`, out, depth + 1);
    for (const k of keys) if (!['count', 'where', 'op', 'value'].includes(k)) out.push(`${path}: unknown key "${k}"`);
    return;
  }
  if ('feature' in c) {
    const name = c.feature;
    const spec = typeof name === 'string' ? cat[name] : undefined;
    if (!spec) return void out.push(`${path}.feature: unknown feature "${String(name)}"`);
    if (spec.type === 'list') return void out.push(`${path}.feature: "${String(name)}" is a list; test it with {"count": ...}`);
    const op = c.op;
    if (typeof op !== 'string' || !OPS_BY_TYPE[spec.type].has(op))
      return void out.push(
        `${path}.op: "${String(op)}" does not apply to ${spec.type} feature "${String(name)}" (use one of ${[...OPS_BY_TYPE[spec.type]].join(' ')})`,
      );
    const v = c.value;
    const unary = op === 'present' || op === 'absent' || op === 'true' || op === 'false';
    if (unary) {
      if (v !== undefined) out.push(`${path}.value: "${op}" takes no value`);
    } else if (op === 'in' || op === 'notIn' || op === 'hasAny' || op === 'hasAll') {
      if (!Array.isArray(v) || v.length === 0) out.push(`${path}.value: "${op}" takes a non-empty array`);
    } else if (op === 'matches') {
      if (typeof v !== 'string') out.push(`${path}.value: "matches" takes a regular expression as a string`);
      else {
        try {
          new RegExp(v, 'i');
        } catch (err) {
          out.push(`${path}.value: not a regular expression: ${(err as Error).message}`);
        }
      }
    } else if (spec.type === 'number' && typeof v !== 'number') out.push(`${path}.value: ${spec.type} feature "${name as string}" compares with a number`);
    else if (spec.type === 'boolean' && typeof v !== 'boolean') out.push(`${path}.value: boolean feature "${name as string}" compares with true or false`);
    else if ((spec.type === 'string' || spec.type === 'strings') && typeof v !== 'string')
      out.push(`${path}.value: ${spec.type} feature "${name as string}" compares with a string`);
    for (const k of keys) if (!['feature', 'op', 'value'].includes(k)) out.push(`${path}: unknown key "${k}"`);
    return;
  }
  out.push(`${path}: a condition must have one of all, any, not, feature, count (found ${keys.join(', ') || 'nothing'})`);
}

/** Checks a ruleset against a feature catalogue; returns every problem found (empty when valid). */
export function rulesetProblems(input: unknown, cat: FeatureCatalogue): string[] {
  const out: string[] = [];
  if (!isObj(input)) return ['the ruleset must be a JSON object'];
  const r = input;
  if (typeof r.name !== 'string' || r.name.trim() === '') out.push('name: a non-empty string is required');
  const scores = r.scores;
  if (!isObj(scores) || Object.keys(scores).length === 0) out.push('scores: an object naming at least one score is required');
  else {
    for (const [n, s] of Object.entries(scores)) {
      if (!ID.test(n)) out.push(`scores.${n}: a score name is letters, digits, - _ .`);
      if (!isObj(s) || typeof s.min !== 'number' || typeof s.max !== 'number' || s.min >= s.max) out.push(`scores.${n}: needs numbers min < max`);
      else if (s.base !== undefined && (typeof s.base !== 'number' || s.base < s.min || s.base > s.max))
        out.push(`scores.${n}.base: a number between min and max`);
    }
  }
  const scoreNames = new Set(isObj(scores) ? Object.keys(scores) : []);
  if (!isObj(r.combine) || Object.keys(r.combine).length === 0) out.push('combine: an object of score weights is required');
  else
    for (const [n, w] of Object.entries(r.combine)) {
      if (!scoreNames.has(n)) out.push(`combine.${n}: not a score of this ruleset`);
      if (typeof w !== 'number' || !Number.isFinite(w)) out.push(`combine.${n}: a weight is a number`);
    }
  const tierNames = new Set<string>();
  if (!Array.isArray(r.tiers) || r.tiers.length === 0) out.push('tiers: a non-empty array from the highest tier to the lowest is required');
  else {
    let last = Infinity;
    r.tiers.forEach((t, i) => {
      if (!isObj(t) || typeof t.name !== 'string' || !ID.test(t.name) || typeof t.min !== 'number')
        return void out.push(`tiers[${i}]: needs a name and a number min`);
      if (tierNames.has(t.name)) out.push(`tiers[${i}]: duplicate tier "${t.name}"`);
      tierNames.add(t.name);
      if (t.min >= last) out.push(`tiers[${i}]: min ${t.min} must be below the tier above (${last})`);
      last = t.min;
    });
  }
  const topTier = Array.isArray(r.tiers) && isObj(r.tiers[0]) ? String(r.tiers[0].name) : undefined;
  const paused = r.pausedTier ?? 'PAUSED';
  if (typeof paused !== 'string' || !ID.test(paused)) out.push('pausedTier: a tier name');
  else if (tierNames.has(paused)) out.push(`pausedTier: "${paused}" must not also be a scored tier`);
  if (!Array.isArray(r.rules)) out.push('rules: an array is required');
  else {
    const ids = new Set<string>();
    const allIds = new Set(r.rules.map((x) => (isObj(x) && typeof x.id === 'string' ? x.id : '')).filter((x) => x !== ''));
    r.rules.forEach((rule, i) => {
      const p = `rules[${i}]`;
      if (!isObj(rule)) return void out.push(`${p}: a rule is an object`);
      const id = rule.id;
      if (typeof id !== 'string' || !ID.test(id)) out.push(`${p}.id: letters, digits, - _ . (up to 80)`);
      else if (ids.has(id)) out.push(`${p}.id: duplicate rule id "${id}"`);
      else ids.add(id);
      const at = typeof id === 'string' ? `${p} (${id})` : p;
      if (typeof rule.description !== 'string' || rule.description.trim() === '') out.push(`${at}.description: required`);
      if (typeof rule.source !== 'string' || rule.source.trim() === '') out.push(`${at}.source: required (the published criterion or agency decision)`);
      if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean') out.push(`${at}.enabled: true or false`);
      if (rule.textKey !== undefined && (typeof rule.textKey !== 'string' || !/^[A-Za-z0-9_.-]{1,120}$/.test(rule.textKey)))
        out.push(`${at}.textKey: a catalogue key (letters, digits, _ . -)`);
      if (rule.outweighedBy !== undefined) {
        const ow = rule.outweighedBy;
        if (!Array.isArray(ow) || ow.length === 0) out.push(`${at}.outweighedBy: a non-empty array of rule ids`);
        else
          ow.forEach((o, k) => {
            if (typeof o !== 'string' || !allIds.has(o)) out.push(`${at}.outweighedBy[${k}]: "${String(o)}" is not a rule of this ruleset`);
            else if (o === id) out.push(`${at}.outweighedBy[${k}]: a rule cannot outweigh itself`);
          });
      }
      checkCondition(rule.when, cat, `${at}.when`, out);
      const e = rule.effect;
      if (!isObj(e)) return void out.push(`${at}.effect: one of {add, value}, {floor}, {cap}, {pause: true}`);
      if (rule.bound !== undefined && !('add' in e)) out.push(`${at}.bound: only an {add} effect has a weight to bound`);
      if ('add' in e) {
        if (typeof e.add !== 'string' || !scoreNames.has(e.add))
          out.push(`${at}.effect.add: "${String(e.add)}" is not a score (${[...scoreNames].join(', ')})`);
        if (typeof e.value !== 'number' || !Number.isFinite(e.value)) out.push(`${at}.effect.value: a number`);
        if (e.per !== undefined && (typeof e.per !== 'string' || cat[e.per]?.type !== 'number'))
          out.push(`${at}.effect.per: "${String(e.per)}" is not a number feature`);
        if (e.max !== undefined && typeof e.max !== 'number') out.push(`${at}.effect.max: a number`);
        if (rule.bound !== undefined) {
          if (typeof rule.bound !== 'number' || !(rule.bound > 0)) out.push(`${at}.bound: a positive number`);
          else if (typeof e.value === 'number' && Math.abs(e.value) > rule.bound)
            out.push(`${at}.effect.value: ${e.value} is beyond the rule's bound of ${rule.bound}`);
        }
      } else if ('floor' in e || 'cap' in e) {
        const t = 'floor' in e ? e.floor : e.cap;
        if (typeof t !== 'string' || !tierNames.has(t)) out.push(`${at}.effect: "${String(t)}" is not a tier (${[...tierNames].join(', ')})`);
        const first = 'floor' in e ? e.first : undefined;
        if (first !== undefined && typeof first !== 'boolean') out.push(`${at}.effect.first: true or false`);
        // Ahead of its tier only where that cannot also lift it past a higher tier.
        else if (first === true && t !== topTier) out.push(`${at}.effect.first: only on a floor to the highest tier (${topTier ?? 'none'})`);
      } else if ('pause' in e) {
        if (e.pause !== true) out.push(`${at}.effect.pause: must be true`);
      } else out.push(`${at}.effect: one of {add, value}, {floor}, {cap}, {pause: true}`);
    });
  }
  return out;
}

/** Validates a ruleset and returns it typed; throws BAD_RULESET listing every problem. */
export function validateRuleset(input: unknown, cat: FeatureCatalogue): Ruleset {
  const problems = rulesetProblems(input, cat);
  if (problems.length > 0) throw rulesetError(problems);
  return input as Ruleset;
}

type Test = (r: FeatureRecord) => boolean;

const fmt = (v: FeatureValue | ConditionValue): string => {
  if (v === null || v === undefined) return 'unknown';
  if (Array.isArray(v))
    return `[${(v as unknown[])
      .slice(0, 5)
      .map((x) => (typeof x === 'object' ? '…' : String(x)))
      .join(', ')}${v.length > 5 ? ', …' : ''}]`;
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  return String(v);
};

function compareNum(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function compileLeaf(c: { feature: string; op: CompareOp; value?: ConditionValue }): Test {
  const name = c.feature;
  const v = c.value;
  switch (c.op) {
    case 'present':
      return (r) => {
        const x = r[name];
        return x !== null && x !== undefined && !(Array.isArray(x) && x.length === 0);
      };
    case 'absent':
      return (r) => {
        const x = r[name];
        return x === null || x === undefined || (Array.isArray(x) && x.length === 0);
      };
    case 'true':
      return (r) => r[name] === true;
    case 'false':
      return (r) => r[name] === false;
    case 'in': {
      const set = new Set(v as (string | number)[]);
      return (r) => {
        const x = r[name];
        return (typeof x === 'string' || typeof x === 'number') && set.has(x);
      };
    }
    case 'notIn': {
      const set = new Set(v as (string | number)[]);
      return (r) => {
        const x = r[name];
        return (typeof x === 'string' || typeof x === 'number') && !set.has(x);
      };
    }
    case 'has':
      return (r) => {
        const x = r[name];
        return Array.isArray(x) && (x as string[]).includes(v as string);
      };
    case 'hasAny': {
      const set = new Set(v as string[]);
      return (r) => {
        const x = r[name];
        return Array.isArray(x) && (x as string[]).some((s) => set.has(s));
      };
    }
    case 'hasAll': {
      const want = v as string[];
      return (r) => {
        const x = r[name];
        return Array.isArray(x) && want.every((s) => (x as string[]).includes(s));
      };
    }
    case 'matches': {
      const re = new RegExp(v as string, 'i');
      return (r) => {
        const x = r[name];
        return typeof x === 'string' ? re.test(x) : Array.isArray(x) && (x as string[]).some((s) => typeof s === 'string' && re.test(s));
      };
    }
    default: {
      const op = c.op;
      if (typeof v === 'number')
        return (r) => {
          const x = r[name];
          return typeof x === 'number' && !Number.isNaN(x) && compareNum(op, x, v);
        };
      if (typeof v === 'boolean')
        return (r) => {
          const x = r[name];
          return typeof x === 'boolean' && (op === '=' ? x === v : x !== v);
        };
      const s = v as string;
      return (r) => {
        const x = r[name];
        if (typeof x !== 'string') return false;
        return compareNum(op, x < s ? -1 : x > s ? 1 : 0, 0);
      };
    }
  }
}

function compileCondition(c: Condition): Test {
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    if (parts.length === 1) return parts[0]!;
    return (r) => {
      for (const p of parts) if (!p(r)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (r) => {
      for (const p of parts) if (p(r)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (r) => !inner(r);
  }
  if ('count' in c) {
    const list = c.count;
    const where = c.where ? compileCondition(c.where) : undefined;
    const { op, value } = c;
    return (r) => {
      const xs = r[list];
      let n = 0;
      if (Array.isArray(xs)) for (const x of xs as FeatureRecord[]) if (!where || where(x)) n++;
      return compareNum(op, n, value);
    };
  }
  return compileLeaf(c);
}

const tests = new WeakMap<Condition, Test>();
function testOf(c: Condition): Test {
  let t = tests.get(c);
  if (!t) tests.set(c, (t = compileCondition(c)));
  return t;
}

// The evidence of a rule that fired: the leaves that held, with the values seen. Only run for
// rules that fired, so it may be slower than the compiled test.
function evidenceOf(c: Condition, r: FeatureRecord, out: string[]): void {
  if ('all' in c) {
    for (const x of c.all) evidenceOf(x, r, out);
    return;
  }
  if ('any' in c) {
    for (const x of c.any) if (testOf(x)(r)) evidenceOf(x, r, out);
    return;
  }
  if ('not' in c) {
    out.push(`not (${describeCondition(c.not)})`);
    return;
  }
  if ('count' in c) {
    const xs = Array.isArray(r[c.count]) ? (r[c.count] as FeatureRecord[]) : [];
    const where = c.where ? testOf(c.where) : undefined;
    const hits = xs.filter((x) => !where || where(x));
    const ids = hits
      .map((x) => x.id)
      .filter((id): id is string => typeof id === 'string')
      .slice(0, 5);
    out.push(
      `${hits.length} ${c.count}${c.where ? ` where ${describeCondition(c.where)}` : ''}${ids.length ? ` (${ids.join(', ')}${hits.length > ids.length ? ', …' : ''})` : ''}`,
    );
    return;
  }
  const x = r[c.feature];
  if (c.op === 'has' || c.op === 'hasAny' || c.op === 'hasAll') {
    const want = Array.isArray(c.value) ? c.value.map(String) : [String(c.value)];
    const seen = Array.isArray(x) ? (x as string[]).filter((s) => want.includes(s)) : [];
    out.push(`${c.feature} has ${seen.join(', ')}`);
  } else if (c.op === 'matches') {
    const re = new RegExp(c.value as string, 'i');
    const texts = typeof x === 'string' ? [x] : Array.isArray(x) ? (x as string[]) : [];
    const m = texts.map((t) => re.exec(t)).find((m) => m !== null);
    out.push(`${c.feature} mentions ${JSON.stringify(m ? m[0] : '')}`);
  } else if (c.op === 'true' || c.op === 'present') out.push(c.op === 'true' ? c.feature : `${c.feature} = ${fmt(x)}`);
  else if (c.op === 'false' || c.op === 'absent') out.push(`${c.feature} ${c.op === 'false' ? 'is false' : 'unknown'}`);
  else out.push(`${c.feature} = ${fmt(x)}`);
}

/** A condition in words, e.g. `victims.minAge < 5 and annotations has sextortion`. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.map((x) => ('any' in x ? `(${describeCondition(x)})` : describeCondition(x))).join(' and ');
  if ('any' in c) return c.any.map((x) => ('all' in x ? `(${describeCondition(x)})` : describeCondition(x))).join(' or ');
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  if ('count' in c) return `count of ${c.count}${c.where ? ` where ${describeCondition(c.where)}` : ''} ${c.op} ${c.value}`;
  if (c.value === undefined) return `${c.feature} ${c.op}`;
  return `${c.feature} ${c.op} ${fmt(c.value)}`;
}

/** An effect in words. */
export function describeEffect(e: Effect, contribution?: number): string {
  if ('add' in e) {
    const n = contribution ?? e.value;
    return `${e.add} ${n >= 0 ? '+' : ''}${Math.round(n * 10) / 10}${e.per ? ` (${e.value} per ${e.per}${e.max !== undefined ? `, max ${e.max}` : ''})` : ''}`;
  }
  if ('floor' in e) return `floor ${e.floor}${e.first ? ', first' : ''}`;
  if ('cap' in e) return `cap ${e.cap}`;
  return 'pause';
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

// A rule whose condition held but which stronger evidence outweighed: kept in the explanation,
// with the evidence of both sides, and nothing applied.
function outweighed(rule: Rule, by: Rule[], record: FeatureRecord): FiredRule {
  const own: string[] = [];
  evidenceOf(rule.when, record, own);
  const against = by.map((b) => {
    const ev: string[] = [];
    evidenceOf(b.when, record, ev);
    return `${b.id} (${ev.join('; ')})`;
  });
  return {
    rule: rule.id,
    description: rule.description,
    source: rule.source,
    effect: `outweighed (${describeEffect(rule.effect)})`,
    contribution: null,
    evidence: `${own.join('; ')}; outweighed by ${against.join(', ')}`,
    outweighedBy: by.map((b) => b.id),
  };
}

/** Compiles a validated ruleset once; evaluate() is then a pure function of one record. */
export function compileRuleset(input: Ruleset, cat: FeatureCatalogue): CompiledRuleset {
  const ruleset = validateRuleset(input, cat);
  const scoreNames = Object.keys(ruleset.scores);
  const tiers = ruleset.tiers;
  const pausedTier = ruleset.pausedTier ?? 'PAUSED';
  const enabled = ruleset.rules.filter((r) => r.enabled !== false);
  const position = new Map(enabled.map((r, i) => [r.id, i]));
  const rules = enabled.map((rule) => ({
    rule,
    test: compileCondition(rule.when),
    // A disabled rule outweighs nothing.
    outweighers: (rule.outweighedBy ?? []).map((id) => position.get(id)).filter((i): i is number => i !== undefined),
  }));
  const tierIndex = new Map(tiers.map((t, i) => [t.name, i]));
  const weights = Object.entries(ruleset.combine);
  const tierOf = (score: number): number => {
    for (let i = 0; i < tiers.length - 1; i++) if (score >= tiers[i]!.min) return i;
    return tiers.length - 1;
  };
  return {
    ruleset,
    tierNames: [...tiers.map((t) => t.name), pausedTier],
    evaluate(record: FeatureRecord): Outcome {
      const scores: Record<string, number> = {};
      for (const n of scoreNames) scores[n] = ruleset.scores[n]!.base ?? ruleset.scores[n]!.min;
      const fired: FiredRule[] = [];
      let floor = -1;
      let cap = -1;
      let paused = false;
      let first = false;
      // Every condition first, so that a rule can be outweighed by one listed after it.
      const held = rules.map((r) => r.test(record));
      for (let i = 0; i < rules.length; i++) {
        if (!held[i]) continue;
        const { rule, outweighers } = rules[i]!;
        const e = rule.effect;
        const by = outweighers.filter((j) => held[j]);
        if (by.length > 0) {
          fired.push(
            outweighed(
              rule,
              by.map((j) => rules[j]!.rule),
              record,
            ),
          );
          continue;
        }
        let contribution: number | null = null;
        if ('add' in e) {
          let n = e.value;
          if (e.per) {
            const x = record[e.per];
            n = typeof x === 'number' && Number.isFinite(x) ? e.value * x : 0;
          }
          if (e.max !== undefined) n = e.value >= 0 ? Math.min(n, e.max) : Math.max(n, e.max);
          if (n === 0) continue;
          scores[e.add]! += n;
          contribution = round1(n);
        } else if ('floor' in e) {
          const i = tierIndex.get(e.floor)!;
          floor = floor === -1 ? i : Math.min(floor, i);
          if (e.first === true) first = true;
        } else if ('cap' in e) cap = Math.max(cap, tierIndex.get(e.cap)!);
        else paused = true;
        const ev: string[] = [];
        evidenceOf(rule.when, record, ev);
        fired.push({
          rule: rule.id,
          description: rule.description,
          source: rule.source,
          effect: describeEffect(e, contribution ?? undefined),
          contribution,
          evidence: ev.join('; '),
        });
      }
      let combined = 0;
      for (const n of scoreNames) {
        const s = ruleset.scores[n]!;
        scores[n] = round1(Math.min(s.max, Math.max(s.min, scores[n]!)));
      }
      for (const [n, w] of weights) combined += w * scores[n]!;
      // A cap lowers first and a floor raises last, so a noise rule never hides a child in danger.
      if (cap > 0) combined = Math.min(combined, tiers[cap - 1]!.min - 0.1);
      if (floor !== -1) combined = Math.max(combined, tiers[floor]!.min);
      combined = round1(combined);
      if (paused) return { scores, score: combined, tier: pausedTier, tierRank: tiers.length, first: false, paused, fired };
      const t = tierOf(combined);
      return { scores, score: combined, tier: tiers[t]!.name, tierRank: t, first, paused, fired };
    },
  };
}
