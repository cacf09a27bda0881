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
  /** UTC ISO time of an ip-port-time sighting, or of an IP sighting that had one. */
  at: string | null;
  /** Why a value does not count as written (a weak value with a note adds nothing, §2.1). */
  note?: string | null;
}

/** Identifier kinds that are context alone but add up with another such kind (docs/linking.md §2.1). */
export const WEAK_KINDS = ['display-name', 'ip', 'url'] as const;

/** A kind of weak evidence. */
export type WeakKind = (typeof WEAK_KINDS)[number];

/** The parameters of the weighted rule for weak evidence (Fellegi–Sunter with term-frequency u, §2.1). */
export interface WeakParams {
  /** Per kind, m: the chance that one person's two reports agree on it (stated, conservative). */
  m: Record<WeakKind, number>;
  /**
   * The population u is counted against: u = holders of the value / population. Fixed rather than
   * the live report count, so that a delivery changes no link whose values it did not touch.
   */
  population: number;
  /** Two sightings of one IP agree only when at most this many seconds apart. */
  ipWindowSeconds: number;
  /** The match probability a pair's weak evidence must reach, from a prior of one in `population`. */
  minProbability: number;
}

/** Tunable limits of linking. */
export interface LinkParams {
  /** A key held by more reports than this links nothing and is listed as a hub (MISP's over-correlation limit). */
  hubCap: number;
  /**
   * A key held by at least this many reports must be vouched for: most of its holders must share
   * some other linkable identifier with another holder, else it is a hub (one value on unrelated
   * people). Default: just past `rareMax`, where §7.1 calls a value "moderately common".
   */
  vouchMin: number;
  /** A phone or e-mail on more reports than this is "moderately common": medium instead of strong (§7.1). */
  rareMax: number;
  /**
   * From this many holders a phone or e-mail is tested as a shared contact: most holders share
   * nothing else, and they are different accounts of one service (docs/linking.md §2). Three is the
   * first count past the pair that §7.1 reads as one person or household.
   */
  sharedContactMin: number;
  /** ip-port-time sightings link when at most this many seconds apart. */
  windowSeconds: number;
  /** Weak evidence adding up (§2.1). */
  weak: WeakParams;
}

/**
 * Defaults: MISP's effective cap of 20 reports; a window of a few seconds. Weak evidence: m and the
 * window are stated judgements (no published rate; docs/linking.md §2.1 gives the reasoning), the
 * population a floor on an agency's database (about 7,500 reports a day to the Philippines,
 * domain.md §12.1), the threshold a 99% match probability.
 */
export const DEFAULT_LINK_PARAMS: LinkParams = {
  hubCap: 20,
  vouchMin: 11,
  rareMax: 10,
  sharedContactMin: 3,
  windowSeconds: 10,
  weak: { m: { 'display-name': 0.5, ip: 0.2, url: 0.1 }, population: 10_000, ipWindowSeconds: 3 * 24 * 3600, minProbability: 0.99 },
};

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
  strength: 'strong' | 'medium' | 'weak';
  /** The shared value (for ip-port-time both sightings; for weak evidence with its holders and gap). */
  detail: string;
  /** Bits of weak evidence (log2 m/u); null for strong and medium evidence. */
  weight: number | null;
}

/** A key blocked by the hub guard, with why. */
export interface Hub {
  key: string;
  kind: string;
  value: string;
  reportCount: number;
  /** Why it links nothing, in words (the cap, the same value across namespaces, holders sharing nothing else). */
  reason: string;
}

/** What the rules know about a key beyond its own rows. */
export interface KeyContext {
  /** A `report:ID` key's cited report is stored (it then takes part as the holder of its own number). */
  citedExists?: boolean;
  /**
   * The same bare id or handle in every account namespace: how many reports and namespaces hold
   * it, and (when vouching applies across namespaces) which reports.
   */
  population?: { reports: number; namespaces: number; holders?: string[] };
  /**
   * Each holder's other linkable identifiers (keys), for the vouching guard. Absent when the key
   * has fewer holders than `vouchMin` (`sharedContactMin` for a phone or e-mail): then it is not needed.
   */
  others?: Map<string, Set<string>>;
}

/** Identifier kinds whose value is `namespace:rest`: the same rest in several namespaces is one population. */
export const NAMESPACED_KINDS = ['esp-user-id', 'screen-name'] as const;

/** The account namespace of a namespaced key (`esp-user-id:facebook:0` → `facebook`), else undefined. */
export function namespaceOf(key: string): string | undefined {
  if (bareValue(key) === undefined) return undefined;
  const rest = keyValue(key);
  return rest.slice(0, rest.indexOf(':'));
}

/** The value of a namespaced key without its namespace (`esp-user-id:facebook:0` → `0`), else undefined. */
export function bareValue(key: string): string | undefined {
  const kind = key.slice(0, key.indexOf(':'));
  if (!(NAMESPACED_KINDS as readonly string[]).includes(kind)) return undefined;
  const rest = keyValue(key);
  return rest.slice(rest.indexOf(':') + 1);
}

/** Whether the rules need the holders' other identifiers to decide this key (vouching applies). */
export function needsVouching(key: string, holders: number, params: LinkParams): boolean {
  if (holders > params.hubCap || key.startsWith('report:') || key.startsWith('ip-port:')) return false;
  return holders >= params.vouchMin || (isContactKey(key) && holders >= params.sharedContactMin);
}

/** A phone or e-mail: a contact point, which several people can write (a shop's or a school's mailbox, a family's line). */
const isContactKey = (key: string): boolean => key.startsWith('phone:') || key.startsWith('email:');

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
    re: new RegExp(
      `^${e.pattern
        .split('%')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ),
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
 * Applies the rules to every row holding one key: exclusions, the hub guard (the cap, the same
 * value across namespaces, holders that share nothing else), frequency-dependent strength of
 * phones and e-mails, the time window of ip-port-time. A pair is strong only when both reports
 * hold the value strongly (an ambiguous phone reading on one side makes it medium).
 */
export function evidenceForKey(
  key: string,
  rows: KeyRow[],
  params: LinkParams,
  excluded: (value: string, key: string) => string | undefined,
  ctx: KeyContext = {},
): KeyOutcome {
  const weak = weakKindOf(key);
  if (weak) return weakEvidenceForKey(key, weak, rows, params, excluded);
  const linkable = rows.filter((r) => isLinkable(r.strength));
  // Each report's best reading of the value (a report may hold it as a phone and as a wallet).
  const best = new Map<string, 'strong' | 'medium'>();
  for (const r of linkable) if (best.get(r.reportId) !== 'strong') best.set(r.reportId, r.strength === 'strong' ? 'strong' : 'medium');
  const cited = key.startsWith('report:') ? keyValue(key) : undefined;
  if (cited !== undefined && ctx.citedExists) best.set(cited, 'strong');
  const reports = new Set(best.keys());
  if (reports.size < 2) return { evidence: [] };
  const kind = linkable[0]?.kind ?? 'prior-ct-report';
  const excludedBy = excluded(linkable[0]?.value ?? keyValue(key), key);
  if (excludedBy !== undefined) return { evidence: [], excludedBy };
  // A number quoted as where to pay is the payee's, whoever writes it: customers paying one
  // facilitator's e-wallet are what links them (domain.md §9), never a shared contact.
  const payers = new Set(linkable.filter((r) => r.kind === 'wallet').map((r) => r.reportId));
  const reason = hubReason(key, reports, params, ctx, payers);
  if (reason) return { evidence: [], hub: { key, kind, value: keyValue(key), reportCount: reports.size, reason } };
  // Strength depends on frequency (§7.1): a phone or mailbox on many reports is a shop, a scam or a
  // placeholder. A payment to it is not a contact written on a form: an e-wallet is strong at any
  // count (§7.1), so a pair with a side that paid it keeps its strength.
  const common = (key.startsWith('phone:') || key.startsWith('email:')) && reports.size > params.rareMax;
  const evidence: Evidence[] = [];
  const push = (x: string, y: string, detail: string): void => {
    if (x === y) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const strength = (!common || payers.has(a) || payers.has(b)) && best.get(a) === 'strong' && best.get(b) === 'strong' ? 'strong' : 'medium';
    evidence.push({ a, b, key, kind: String(kind), strength, detail, weight: null });
  };
  if (key.startsWith('ip-port:')) {
    // Same address and port: a link only when the sightings are seconds apart (§7.2).
    const timed = linkable
      .filter((r) => r.at !== null)
      .map((r) => ({ r, t: Date.parse(r.at!) }))
      .sort((x, y) => x.t - y.t);
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

/**
 * Why a key links nothing, or undefined. Over the cap (MISP's over-correlation limit); the same id
 * or handle over the cap counted in every account namespace (a value that recurs across products
 * and companies is a stand-in, not an account); or held by at least `vouchMin` reports of which
 * most share no other linkable identifier with any other holder (Splink's term-frequency lesson:
 * a value seen on unrelated people says nothing about identity). `payers`: the holders that quote the
 * value as an e-wallet they paid. Paying vouches for a holder (customers of one facilitator share
 * nothing else, and that is the typology, domain.md §9), and a value anyone pays is the payee's,
 * never judged a shared contact.
 */
export function hubReason(key: string, reports: Set<string>, params: LinkParams, ctx: KeyContext, payers: ReadonlySet<string> = new Set()): string | undefined {
  if (reports.size > params.hubCap) return `on ${reports.size} reports, over the cap of ${params.hubCap}`;
  const pop = ctx.population;
  if (pop && pop.namespaces > 1 && pop.reports > params.hubCap) {
    return `the same value is on ${pop.reports} reports across ${pop.namespaces} account namespaces, over the cap of ${params.hubCap}`;
  }
  if (!ctx.others) return undefined;
  if (needsVouching(key, reports.size, params)) {
    const alone = unvouched(key, [...reports], ctx.others, payers);
    if (alone * 2 > reports.size) {
      if (reports.size >= params.vouchMin) return `on ${reports.size} reports of which ${alone} share no other identifier with another of them`;
      // Fewer holders: sharing nothing else is common for one person's reports from several
      // services, so it takes a contradiction too — the holders are different accounts of one service.
      const accounts = payers.size > 0 ? undefined : accountsOnOneService([...reports], ctx.others);
      if (accounts) {
        return `a shared contact: on ${reports.size} reports of which ${alone} share no other identifier with another of them, written by ${accounts.count} different ${accounts.service} accounts`;
      }
    }
  }
  // The same test over every namespace the value sits in: "user01" twice on each of six services.
  if (pop?.holders && pop.namespaces > 1 && needsVouching(key, pop.holders.length, params)) {
    const alone = unvouched(key, pop.holders, ctx.others);
    if (alone * 2 > pop.holders.length) {
      return `the same value is on ${pop.holders.length} reports across ${pop.namespaces} account namespaces, of which ${alone} share no other identifier with another of them`;
    }
  }
  return undefined;
}

/**
 * The service on which these holders are the most different accounts: two holders whose accounts
 * there have none in common (one report naming a main and a second account contradicts nothing).
 */
function accountsOnOneService(holders: string[], others: Map<string, Set<string>>): { service: string; count: number } | undefined {
  const byService = new Map<string, Map<string, Set<string>>>();
  for (const id of holders)
    for (const k of others.get(id) ?? []) {
      if (!k.startsWith('esp-user-id:')) continue;
      const service = namespaceOf(k)!;
      const perHolder = byService.get(service) ?? byService.set(service, new Map()).get(service)!;
      (perHolder.get(id) ?? perHolder.set(id, new Set()).get(id)!).add(k);
    }
  let best: { service: string; count: number } | undefined;
  for (const [service, perHolder] of [...byService].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const sets = [...perHolder.values()];
    const apart = sets.some((a, i) => sets.some((b, j) => j > i && ![...a].some((x) => b.has(x))));
    const count = new Set(sets.flatMap((a) => [...a])).size;
    if (apart && count > (best?.count ?? 0)) best = { service, count };
  }
  return best;
}

/** How many of these holders, payers aside, share no other linkable identifier (not the same value in another namespace) with any other holder. */
function unvouched(key: string, holders: string[], others: Map<string, Set<string>>, payers: ReadonlySet<string> = new Set()): number {
  const bare = bareValue(key);
  const tokens = holders.map((id) => {
    const own = new Set<string>();
    for (const k of others.get(id) ?? []) if (k !== key && (bare === undefined || bareValue(k) !== bare)) own.add(k);
    // A citation vouches too: a report cited by another holder holds its own number.
    own.add(`report:${id}`);
    return own;
  });
  let alone = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (payers.has(holders[i]!)) continue;
    if (!tokens.some((t, j) => j !== i && [...tokens[i]!].some((k) => t.has(k)))) alone++;
  }
  return alone;
}

/** The weak kind of a key (`display-name:`, `ip:`, `url:`), else undefined. */
export function weakKindOf(key: string): WeakKind | undefined {
  const kind = key.slice(0, key.indexOf(':'));
  return (WEAK_KINDS as readonly string[]).includes(kind) ? (kind as WeakKind) : undefined;
}

/**
 * The bits a weak value adds when two reports agree on it: log2(m/u), with m the kind's chance that
 * one person's two reports agree and u = holders / population the chance that an unrelated report
 * holds the value (Fellegi–Sunter with Splink's term-frequency u, domain.md §11).
 */
export function weakWeight(kind: WeakKind, holders: number, params: LinkParams): number {
  return Math.log2((params.weak.m[kind] * params.weak.population) / holders);
}

/**
 * The bits weak evidence must add up to: the prior log-odds that two reports are one person's
 * (one in `population`) taken to the log-odds of `minProbability`.
 */
export function weakThreshold(params: LinkParams): number {
  const p = params.weak.minProbability;
  return Math.log2(params.weak.population) + Math.log2(p / (1 - p));
}

// A value counts only if, with the rarest agreement of another weak kind (a value on two reports),
// it could reach the threshold: what could never link is not stored (bounded pair rows).
function weakCanCount(kind: WeakKind, weight: number, params: LinkParams): boolean {
  if (weight <= 0) return false;
  const best = Math.max(...WEAK_KINDS.filter((k) => k !== kind).map((k) => weakWeight(k, 2, params)));
  return weight + best >= weakThreshold(params);
}

/** A time gap in words ("40 min", "3 h", "2 days"). */
export function gapWords(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.round(ms / 3_600_000);
  return h < 48 ? `${h} h` : `${Math.round(ms / 86_400_000)} days`;
}

/**
 * Weak evidence of one display name, IP or URL: every pair of its holders (an IP's only when two of
 * its sightings are within the window), weighted by how rare the value is. Nothing when the value
 * is excluded, over the hub cap, on a placeholder or shared address (rows with a note), or too
 * common to ever reach the threshold with another kind. Weak values are never listed as hubs: they
 * link nothing on their own anyway.
 */
function weakEvidenceForKey(
  key: string,
  kind: WeakKind,
  rows: KeyRow[],
  params: LinkParams,
  excluded: (value: string, key: string) => string | undefined,
): KeyOutcome {
  const usable = rows.filter((r) => r.strength === 'weak' && !r.note);
  const holders = [...new Set(usable.map((r) => r.reportId))].sort();
  if (holders.length < 2) return { evidence: [] };
  const value = usable[0]!.value;
  const excludedBy = excluded(value, key);
  if (excludedBy !== undefined) return { evidence: [], excludedBy };
  if (holders.length > params.hubCap) return { evidence: [] };
  const weight = weakWeight(kind, holders.length, params);
  if (!weakCanCount(kind, weight, params)) return { evidence: [] };
  const held = `${value} (held by ${holders.length} reports)`;
  const evidence: Evidence[] = [];
  const times = new Map<string, number[]>();
  for (const r of usable) if (r.at !== null) (times.get(r.reportId) ?? times.set(r.reportId, []).get(r.reportId)!).push(Date.parse(r.at));
  for (let i = 0; i < holders.length; i++) {
    for (let j = i + 1; j < holders.length; j++) {
      const [a, b] = [holders[i]!, holders[j]!];
      let detail = held;
      if (kind === 'ip') {
        // An IP without port and time proves little (§7.2): only sightings close in time agree.
        let gap = Infinity;
        for (const x of times.get(a) ?? []) for (const y of times.get(b) ?? []) gap = Math.min(gap, Math.abs(x - y));
        if (!(gap <= params.weak.ipWindowSeconds * 1000)) continue;
        detail = `${held} within ${gapWords(gap)}`;
      }
      evidence.push({ a, b, key, kind, strength: 'weak', detail, weight });
    }
  }
  return { evidence };
}

/** The rule that links a pair, from all its evidence rows. */
export type LinkRule = 'strong identifier' | 'two medium identifiers' | 'weak evidence together';

/** One evidence row as the pair rules read it. */
export interface PairEvidence {
  a: string;
  b: string;
  strength: string;
  kind?: string;
  weight?: number | null;
}

/** A stored evidence row as the pair rules read it. */
export function pairEvidence(e: { reportA: string; reportB: string; strength: string; kind: string; weight: number | null }): PairEvidence {
  return { a: e.reportA, b: e.reportB, strength: e.strength, kind: e.kind, weight: e.weight };
}

/**
 * Which rule links a pair given all its evidence, or undefined: one strong identifier; two distinct
 * medium ones; or weak evidence of at least two kinds (each kind's best value, since values of one
 * kind are not independent) adding up to the threshold.
 */
export function linkRule(rows: PairEvidence[], params: LinkParams = DEFAULT_LINK_PARAMS): LinkRule | undefined {
  let medium = 0;
  const weak = new Map<string, number>();
  for (const e of rows) {
    if (e.strength === 'strong') return 'strong identifier';
    if (e.strength === 'medium') medium++;
    else if (e.strength === 'weak' && e.kind && e.weight !== null && e.weight !== undefined && e.weight > 0)
      weak.set(e.kind, Math.max(weak.get(e.kind) ?? 0, e.weight));
  }
  if (medium >= 2) return 'two medium identifiers';
  let bits = 0;
  for (const w of weak.values()) bits += w;
  return weak.size >= 2 && bits >= weakThreshold(params) ? 'weak evidence together' : undefined;
}

/** Pairs whose evidence makes a link (`linkRule`). */
export function activePairs(evidence: Iterable<PairEvidence>, params: LinkParams = DEFAULT_LINK_PARAMS): [string, string][] {
  const byPair = new Map<string, PairEvidence[]>();
  for (const e of evidence) {
    const k = `${e.a}\u0000${e.b}`;
    (byPair.get(k) ?? byPair.set(k, []).get(k)!).push(e);
  }
  const out: [string, string][] = [];
  for (const [k, rows] of byPair) {
    if (linkRule(rows, params)) {
      const [a, b] = k.split('\u0000') as [string, string];
      out.push([a, b]);
    }
  }
  return out;
}
