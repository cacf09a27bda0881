// What the hub guard needs beyond a key's own rows (docs/linking.md §2): the same id or handle in
// every account namespace, and what the key's holders share besides it. Both are read for the
// keys a run recomputes only, so a delivery costs in proportion to what it touched: the holders
// of a key (at most the hub cap of them) and the reports holding its bare value.

import type { Db } from '../store/bulk.ts';
import { identifiersOfReports, rowsForBareValues } from '../store/link.ts';
import { bareValue, isLinkable, namespaceOf, NAMESPACED_KINDS, needsVouching, type KeyContext, type KeyRow, type LinkParams } from './rules.ts';

const LINKABLE = ['strong', 'medium'];

/**
 * The context of each key to decide. Keys that hold the same bare id or handle in another account
 * namespace are added to `byKey` (with their rows), since their population changed with this one.
 */
export async function guardContexts(db: Db, byKey: Map<string, KeyRow[]>, params: LinkParams): Promise<Map<string, KeyContext>> {
  const out = new Map<string, KeyContext>();
  const ctx = (key: string): KeyContext => out.get(key) ?? out.set(key, {}).get(key)!;

  // 1. The same bare value in every namespace: how many reports and namespaces hold it.
  const bares = new Set<string>();
  for (const key of byKey.keys()) {
    const b = bareValue(key);
    if (b !== undefined) bares.add(b);
  }
  if (bares.size > 0) {
    const siblings = new Map<string, KeyRow[]>();
    const population = new Map<string, { reports: Set<string>; namespaces: Set<string> }>();
    for (const r of await rowsForBareValues(db, NAMESPACED_KINDS, [...bares], LINKABLE)) {
      const group = `${r.kind}\u0000${bareValue(r.key)!}`;
      const p = population.get(group) ?? population.set(group, { reports: new Set(), namespaces: new Set() }).get(group)!;
      p.reports.add(r.reportId);
      p.namespaces.add(namespaceOf(r.key)!);
      if (!byKey.has(r.key)) (siblings.get(r.key) ?? siblings.set(r.key, []).get(r.key)!).push(r);
    }
    for (const [k, rows] of siblings) byKey.set(k, rows);
    for (const key of byKey.keys()) {
      const b = bareValue(key);
      const p = b === undefined ? undefined : population.get(`${key.slice(0, key.indexOf(':'))}\u0000${b}`);
      if (!p) continue;
      const across = p.namespaces.size > 1 && needsVouching(key, p.reports.size, params);
      ctx(key).population = { reports: p.reports.size, namespaces: p.namespaces.size, ...(across ? { holders: [...p.reports].sort() } : {}) };
    }
  }

  // 2. Keys on enough reports to need vouching (in their namespace or across namespaces): every
  // linkable key their holders hold.
  const vouch = new Map<string, Set<string>>();
  for (const [key, rows] of byKey) {
    const holders = new Set(rows.filter((r) => isLinkable(r.strength)).map((r) => r.reportId));
    if (holders.size < 2) continue;
    const across = out.get(key)?.population?.holders;
    if (across) vouch.set(key, new Set([...holders, ...across]));
    else if (needsVouching(key, holders.size, params)) vouch.set(key, holders);
  }
  if (vouch.size > 0) {
    const keysOf = new Map<string, Set<string>>();
    const all = new Set<string>();
    for (const hs of vouch.values()) for (const h of hs) all.add(h);
    for (const r of await identifiersOfReports(db, [...all])) {
      if (!isLinkable(r.strength) || r.kind === 'ip-port-time') continue;
      (keysOf.get(r.reportId) ?? keysOf.set(r.reportId, new Set()).get(r.reportId)!).add(r.key);
    }
    for (const [key, holders] of vouch) ctx(key).others = new Map([...holders].map((h) => [h, keysOf.get(h) ?? new Set<string>()]));
  }
  return out;
}
