// "Why are these two reports linked?": the path of links between them and, for each step, the
// shared identifiers with their strength (domain.md §11: explain every link).

import type { Store } from '../store/database.ts';
import { evidenceRows, subjectMembership } from '../store/link.ts';
import { activePairs, linkRule, pairEvidence } from './rules.ts';
import { loadOverrides } from './run.ts';
import { shortestPath } from './subjects.ts';

/** One step of the path: two directly linked reports and what they share. */
export interface WhyStep {
  from: string;
  to: string;
  /** How the step holds: "strong identifier", "two medium identifiers", "weak evidence together" or "manual merge". */
  rule: string;
  /** Each shared identifier; weak ones with the bits they add (log2 m/u). */
  shared: { kind: string; value: string; strength: string; bits?: number }[];
}

/** The explanation of a link between two reports. */
export interface WhyLinked {
  a: string;
  b: string;
  linked: boolean;
  subjectA: string | null;
  subjectB: string | null;
  /** Reports from a to b, both included; empty when not linked. */
  path: string[];
  steps: WhyStep[];
}

/** Explains whether and how two reports are linked. */
export async function whyLinked(store: Pick<Store, 'db'>, a: string, b: string): Promise<WhyLinked> {
  const membership = await subjectMembership(store.db);
  const subjectA = membership.get(a) ?? null;
  const subjectB = membership.get(b) ?? null;
  const base = { a, b, subjectA, subjectB };
  if (subjectA === null || subjectA !== subjectB) return { ...base, linked: false, path: [], steps: [] };
  // Only the links inside the shared subject matter: load that subject's evidence alone.
  const members = [...membership].filter(([, s]) => s === subjectA).map(([r]) => r);
  const memberSet = new Set(members);
  const rows = (await evidenceRows(store.db, members)).filter((r) => memberSet.has(r.reportA) && memberSet.has(r.reportB));
  const overrides = await loadOverrides(store);
  const split = new Set(overrides.flatMap((o) => (o.action === 'split' ? [o.a] : [])));
  const cut = new Set(overrides.flatMap((o) => (o.action === 'cut' ? [[o.a, o.b].sort().join(' ')] : [])));
  const merges = overrides.flatMap((o): [string, string][] => (o.action === 'merge' ? [[o.a, o.b]] : []));
  const pairs = activePairs(rows.map(pairEvidence)).filter(([x, y]) => !split.has(x) && !split.has(y) && !cut.has([x, y].sort().join(' ')));
  const path = shortestPath([...pairs, ...merges], a, b) ?? [];
  const steps: WhyStep[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const [x, y] = [path[i]!, path[i + 1]!];
    const [lo, hi] = x < y ? [x, y] : [y, x];
    const own = rows.filter((r) => r.reportA === lo && r.reportB === hi);
    const shared = own.map((r) => ({
      kind: r.kind,
      value: r.detail,
      strength: r.strength,
      ...(r.weight !== null ? { bits: Math.round(r.weight * 10) / 10 } : {}),
    }));
    const automatic = pairs.some(([p, q]) => p === lo && q === hi);
    const rule = (automatic && linkRule(own.map(pairEvidence))) || 'manual merge';
    steps.push({ from: x, to: y, rule, shared });
  }
  return { ...base, linked: path.length > 0, path, steps };
}
