// Rulesets (src/model/rule-engine.ts) as words an analyst can read; kept structural so it never goes stale.

/** A condition tree as the engine stores it (loosely typed: the page shows whatever comes). */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { feature: string; op: string; value?: unknown }
  | { count: string; where?: Condition; op: string; value: number };

/** One rule. */
export interface Rule {
  id: string;
  description: string;
  source?: string;
  when: Condition;
  effect: { add?: string; value?: number; per?: string; max?: number; floor?: string; cap?: string; pause?: boolean };
  enabled?: boolean;
}

/** A ruleset. */
export interface Ruleset {
  name?: string;
  description?: string;
  version?: number | string;
  scores?: Record<string, { min: number; max: number; description?: string }>;
  tiers?: Array<{ name: string; min: number; description?: string }>;
  rules: Rule[];
  [k: string]: unknown;
}

const OPS: Record<string, string> = {
  '=': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  in: 'in',
  notIn: 'not in',
  has: 'has',
  hasAny: 'has any of',
  hasAll: 'has all of',
  matches: 'matches',
  present: 'is present',
  absent: 'is absent',
  true: 'is true',
  false: 'is false',
};

function val(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map((x) => String(x)).join(', ')}]`;
  if (typeof v === 'string') return v.length > 60 ? `“${v.slice(0, 57)}…”` : `“${v}”`;
  return String(v);
}

/** A condition in one line of words (English operators; feature names as written in the ruleset). */
export function conditionText(c: Condition): string {
  if ('all' in c) return c.all.length === 1 && c.all[0] ? conditionText(c.all[0]) : `(${c.all.map(conditionText).join(' AND ')})`;
  if ('any' in c) return c.any.length === 1 && c.any[0] ? conditionText(c.any[0]) : `(${c.any.map(conditionText).join(' OR ')})`;
  if ('not' in c) return `NOT ${conditionText(c.not)}`;
  if ('count' in c) return `count of ${c.count}${c.where ? ` where ${conditionText(c.where)}` : ''} ${OPS[c.op] ?? c.op} ${c.value}`;
  return `${c.feature} ${OPS[c.op] ?? c.op}${c.value !== undefined ? ` ${val(c.value)}` : ''}`;
}

/** A rule's effect in words. */
export function effectText(e: Rule['effect']): string {
  if (e.add) return `${(e.value ?? 0) >= 0 ? '+' : ''}${e.value ?? 0} ${e.add}${e.per ? ` × ${e.per}` : ''}${e.max !== undefined ? ` (max ${e.max})` : ''}`;
  if (e.floor) return `at least ${e.floor}`;
  if (e.cap) return `at most ${e.cap}`;
  if (e.pause) return 'pause';
  return JSON.stringify(e);
}

/** Finds the ruleset in the rules endpoint's answer (`{ruleset}`, `{live}`, `{current}` or the ruleset itself). */
export function rulesetOf(raw: unknown): Ruleset | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  // A stored version keeps its ruleset as JSON text (`doc`).
  if (typeof o.doc === 'string') {
    try {
      return rulesetOf(JSON.parse(o.doc));
    } catch {
      return undefined;
    }
  }
  for (const k of ['ruleset', 'live', 'current']) {
    const v = o[k];
    if (v && typeof v === 'object' && Array.isArray((v as Ruleset).rules)) return v as Ruleset;
    if (v && typeof v === 'object') {
      const inner = rulesetOf(v);
      if (inner) return inner;
    }
    if (typeof v === 'string') {
      try {
        const parsed = rulesetOf(JSON.parse(v));
        if (parsed) return parsed;
      } catch {
        /* not JSON */
      }
    }
  }
  return Array.isArray(o.rules) ? (o as unknown as Ruleset) : undefined;
}
