// Subjects are connected groups of linked reports (domain.md §11), after the analysts' manual
// decisions: a split report keeps none of its automatic links, a cut removes one direct link,
// a merge adds a link. Decisions are stored apart from the derived links, so every later run
// (incremental or rebuild) applies them again.

/** An analyst's decision on subjects. */
export type Override = { action: 'split'; a: string } | { action: 'cut'; a: string; b: string } | { action: 'merge'; a: string; b: string };

/** Connected components (size ≥ 2) of the active pairs after overrides; report id → subject id. */
export function components(pairs: Iterable<[string, string]>, overrides: Override[] = []): Map<string, string> {
  const split = new Set<string>();
  const cut = new Set<string>();
  const merges: [string, string][] = [];
  for (const o of overrides) {
    if (o.action === 'split') split.add(o.a);
    else if (o.action === 'cut') cut.add(pairKey(o.a, o.b));
    else merges.push([o.a, o.b]);
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    // Path compression keeps later finds near constant time.
    let c = x;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const union = (a: string, b: string): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const [a, b] of pairs) {
    if (split.has(a) || split.has(b) || cut.has(pairKey(a, b))) continue;
    union(a, b);
  }
  // Manual merges win over splits: the analyst joined these two on purpose.
  for (const [a, b] of merges) union(a, b);
  const members = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    const list = members.get(r) ?? [];
    list.push(x);
    members.set(r, list);
  }
  const out = new Map<string, string>();
  for (const list of members.values()) {
    if (list.length < 2) continue;
    list.sort(compareReportIds);
    // A stable id: the subject is named after its earliest report, so re-runs keep the name.
    const id = `S-${list[0]!}`;
    for (const r of list) out.set(r, id);
  }
  return out;
}

/** A subject name that went, and the subject that took most of its reports. */
export interface SubjectRename {
  from: string;
  to: string;
}

/**
 * Keeps subject names across runs: each new group takes the previous name that most of that
 * name's reports went to (a merged subject keeps the name of the larger part; the smaller part's
 * name is returned as a rename); a group that inherits no name is named after its earliest report
 * whose `S-` name was never used (else `S-<earliest>-2`, `-3`, …). `retired` holds names that
 * point elsewhere already and are never reused.
 */
export function keepSubjectNames(
  fresh: Map<string, string>,
  previous: ReadonlyMap<string, string>,
  retired: ReadonlySet<string>,
): { membership: Map<string, string>; renames: SubjectRename[] } {
  const groups = new Map<string, string[]>();
  for (const [r, g] of fresh) (groups.get(g) ?? groups.set(g, []).get(g)!).push(r);
  for (const list of groups.values()) list.sort(compareReportIds);
  // For each previous name: how many of its reports each new group holds.
  const shares = new Map<string, Map<string, number>>();
  for (const [r, g] of fresh) {
    const old = previous.get(r);
    if (old === undefined) continue;
    const by = shares.get(old) ?? shares.set(old, new Map()).get(old)!;
    by.set(g, (by.get(g) ?? 0) + 1);
  }
  const firstOf = (g: string): string => groups.get(g)![0]!;
  const heirGroup = new Map<string, string>();
  const won = new Map<string, { name: string; count: number }[]>();
  for (const [old, by] of shares) {
    let best: [string, number] | undefined;
    for (const [g, n] of by) if (!best || n > best[1] || (n === best[1] && compareReportIds(firstOf(g), firstOf(best[0])) < 0)) best = [g, n];
    heirGroup.set(old, best![0]);
    (won.get(best![0]) ?? won.set(best![0], []).get(best![0])!).push({ name: old, count: best![1] });
  }
  const used = new Set<string>([...retired, ...previous.values()]);
  const final = new Map<string, string>();
  for (const [g, names] of won) {
    names.sort((a, b) => b.count - a.count || compareReportIds(a.name.slice(2), b.name.slice(2)));
    final.set(g, names[0]!.name);
  }
  const ordered = [...groups.keys()].sort((a, b) => compareReportIds(firstOf(a), firstOf(b)));
  for (const g of ordered) {
    if (final.has(g)) continue;
    const members = groups.get(g)!;
    let name = members.map((m) => `S-${m}`).find((n) => !used.has(n));
    for (let k = 2; name === undefined; k++) if (!used.has(`S-${members[0]!}-${k}`)) name = `S-${members[0]!}-${k}`;
    used.add(name);
    final.set(g, name);
  }
  const membership = new Map<string, string>();
  for (const [r, g] of fresh) membership.set(r, final.get(g)!);
  const renames: SubjectRename[] = [];
  for (const [old, g] of heirGroup) if (final.get(g) !== old) renames.push({ from: old, to: final.get(g)! });
  return { membership, renames: renames.sort((a, b) => compareReportIds(a.from.slice(2), b.from.slice(2))) };
}

/** Orders report numbers numerically when both are digits, else as text. */
export function compareReportIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** The shortest path of active links between two reports (breadth-first), or undefined. */
export function shortestPath(pairs: Iterable<[string, string]>, from: string, to: string): string[] | undefined {
  const adj = new Map<string, string[]>();
  for (const [a, b] of pairs) {
    (adj.get(a) ?? adj.set(a, []).get(a)!).push(b);
    (adj.get(b) ?? adj.set(b, []).get(b)!).push(a);
  }
  if (from === to) return [from];
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i]!;
    for (const y of adj.get(x) ?? []) {
      if (prev.has(y)) continue;
      prev.set(y, x);
      if (y === to) {
        const path = [to];
        for (let c = to; c !== from;) path.push((c = prev.get(c)!));
        return path.reverse();
      }
      queue.push(y);
    }
  }
  return undefined;
}
