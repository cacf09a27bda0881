// Link rules (domain.md §7): which reports a shared key links, given every report that holds
// it. Pure functions over plain rows, so the same code serves incremental runs and rebuilds.

import type { IdentifierKind, Strength } from './identifiers.ts';

/** One stored identifier as the rules need it. */
export interface KeyRow {
  reportId: string;
  kind: IdentifierKind | string;
  value: string;
  key: string;
  strength: Strength | string;
  /** UTC ISO time of an ip-port-time sighting. */
  at: string | null;
}

/** Tunable limits of linking. */
export interface LinkParams {
  /** A key held by more reports than this links nothing and is listed as a hub (MISP's over-correlation limit). */
  hubCap: number;
  /** A phone or e-mail on more reports than this is "moderately common": medium instead of strong (§7.1). */
  rareMax: number;
  /** ip-port-time sightings link when at most this many seconds apart. */
  windowSeconds: number;
}

/** Defaults: MISP's effective cap of 20 reports; a window of a few seconds. */
export const DEFAULT_LINK_PARAMS: LinkParams = { hubCap: 20, rareMax: 10, windowSeconds: 10 };

/** An analyst's exclusion: an exact value or a `%` wildcard pattern. */
export interface Exclusion {
  pattern: string;
  comment: string;
}

/** One shared identifier between two reports (a < b). */
export interface Evidence {
  a: string;
  b: string;
  key: string;
  kind: string;
  strength: 'strong' | 'medium';
  /** The shared value (for ip-port-time both sightings). */
  detail: string;
}

/** A key blocked by the hub cap. */
export interface Hub {
  key: string;
  kind: string;
  value: string;
  reportCount: number;
}

/** What the rules decided for one key. */
export interface KeyOutcome {
  evidence: Evidence[];
  hub?: Hub;
  /** The exclusion pattern that stopped this key. */
  excludedBy?: string;
}

const LINKABLE = new Set(['strong', 'medium']);

/** Whether a stored strength can ever link (strong or medium). */
export function isLinkable(strength: string): boolean {
  return LINKABLE.has(strength);
}

/** Compiles `%` wildcard patterns (everything else literal, case-insensitive). */
export function exclusionMatcher(exclusions: Exclusion[]): (value: string, key: string) => string | undefined {
  const compiled = exclusions.map((e) => ({
    pattern: e.pattern,
    re: new RegExp(`^${e.pattern.split('%').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'),
  }));
  return (value, key) => {
    // A pattern matches the normalised value, the key without its kind prefix (`ip|port`), or
    // the address alone of an `ip|port|time` value, so excluding an IP covers its sightings.
    const bare = key.slice(key.indexOf(':') + 1);
    const head = value.split('|')[0] ?? value;
    return compiled.find((c) => c.re.test(value) || c.re.test(bare) || c.re.test(head))?.pattern;
  };
}

/** The displayed value of a key (the part after its `kind:` prefix). */
export function keyValue(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

/**
 * Applies the rules to every row holding one key: exclusions, the hub cap, frequency-dependent
 * strength of phones and e-mails, the time window of ip-port-time. `citedExists` says whether a
 * `report:ID` key's cited report is stored (it then takes part as the holder of its own number).
 */
export function evidenceForKey(key: string, rows: KeyRow[], params: LinkParams, excluded: (value: string, key: string) => string | undefined, citedExists = false): KeyOutcome {
  const linkable = rows.filter((r) => isLinkable(r.strength));
  const reports = new Set(linkable.map((r) => r.reportId));
  const cited = key.startsWith('report:') ? keyValue(key) : undefined;
  if (cited !== undefined && citedExists) reports.add(cited);
  if (reports.size < 2) return { evidence: [] };
  const kind = linkable[0]?.kind ?? 'prior-ct-report';
  const excludedBy = excluded(linkable[0]?.value ?? keyValue(key), key);
  if (excludedBy !== undefined) return { evidence: [], excludedBy };
  if (reports.size > params.hubCap) {
    return { evidence: [], hub: { key, kind, value: keyValue(key), reportCount: reports.size } };
  }
  const strengthOf = (): 'strong' | 'medium' => {
    if (linkable.some((r) => r.strength === 'strong')) {
      // Strength depends on frequency (§7.1): a phone or mailbox on many reports is a shop, a scam or a placeholder.
      if ((key.startsWith('phone:') || key.startsWith('email:')) && reports.size > params.rareMax) return 'medium';
      return 'strong';
    }
    return 'medium';
  };
  const strength = strengthOf();
  const evidence: Evidence[] = [];
  const push = (x: string, y: string, detail: string): void => {
    if (x === y) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    evidence.push({ a, b, key, kind: String(kind), strength, detail });
  };
  if (key.startsWith('ip-port:')) {
    // Same address and port: a link only when the sightings are seconds apart (§7.2).
    const timed = linkable.filter((r) => r.at !== null).map((r) => ({ r, t: Date.parse(r.at!) })).sort((x, y) => x.t - y.t);
    const seen = new Set<string>();
    for (let i = 0; i < timed.length; i++) {
      for (let j = i + 1; j < timed.length && timed[j]!.t - timed[i]!.t <= params.windowSeconds * 1000; j++) {
        const x = timed[i]!.r;
        const y = timed[j]!.r;
        const pair = x.reportId < y.reportId ? `${x.reportId} ${y.reportId}` : `${y.reportId} ${x.reportId}`;
        if (x.reportId === y.reportId || seen.has(pair)) continue;
        seen.add(pair);
        push(x.reportId, y.reportId, `${x.value} ~ ${y.value}`);
      }
    }
    return { evidence };
  }
  const ids = [...reports].sort();
  const value = linkable[0]?.value ?? keyValue(key);
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) push(ids[i]!, ids[j]!, value);
  return { evidence };
}

/** Pairs whose evidence makes a link: one strong identifier, or two distinct medium ones. */
export function activePairs(evidence: Iterable<{ a: string; b: string; strength: string }>): [string, string][] {
  const score = new Map<string, { strong: boolean; medium: number }>();
  for (const e of evidence) {
    const k = `${e.a}\u0000${e.b}`;
    const s = score.get(k) ?? { strong: false, medium: 0 };
    if (e.strength === 'strong') s.strong = true;
    else s.medium++;
    score.set(k, s);
  }
  const out: [string, string][] = [];
  for (const [k, s] of score) {
    if (s.strong || s.medium >= 2) {
      const [a, b] = k.split('\u0000') as [string, string];
      out.push([a, b]);
    }
  }
  return out;
}
