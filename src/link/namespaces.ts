// Account namespaces (domain.md §7.6): an ESP user id lives in the account system of the company
// that issued it, not in the product name written on the report. "Instagram Live", "instagram,
// Inc." and "IG Direct" are one account space; Facebook and Instagram are two. The table is data
// (`data/account-namespaces.ts`, documented in docs/linking.md) that an agency can extend by
// importing a file (`bantay link namespaces import FILE`); this module resolves names, domains
// and profile URLs against it and never touches the database.

import { BUILT_IN_NAMESPACES } from './data/account-namespaces.ts';
import type { CompanyEntry, HandleFold, NamespaceTable, ProductEntry } from './namespace-table.ts';

/** Where a party's account lives. */
export interface AccountSpace {
  /** Namespace of user ids. */
  ids: string;
  /** Namespace of screen names. */
  handles: string;
  fold: HandleFold[];
  idIsPhone: boolean;
  /** How it was decided: the product written, the report's product, the reporting company, or only a name nobody knows. */
  via: 'product' | 'report-product' | 'company' | 'unknown-name';
}

/** What a profile URL carries. */
export type ProfileHit =
  | { kind: 'id'; space: AccountSpace; value: string }
  | { kind: 'handle'; space: AccountSpace; value: string }
  | { kind: 'phone'; space: AccountSpace; value: string };

// Words that make a corporate name but not a product: "Instagram, Inc.", "X Corp.", "Snap Inc".
const CORPORATE = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'bv',
  'nv',
  'pte',
  'pty',
  'kk',
  'sarl',
  'srl',
  'spa',
  'ab',
  'oy',
  'lp',
  'llp',
  'the',
]);
// Words that name a variant of a product rather than another account system: "Instagram Live",
// "FB Lite", "TikTok for Android", "bigo.tv". Only stripped when the full name is not in the table.
const VARIANTS = new Set([
  'lite',
  'live',
  'direct',
  'dm',
  'dms',
  'message',
  'messages',
  'messaging',
  'chat',
  'chats',
  'story',
  'stories',
  'reel',
  'reels',
  'video',
  'videos',
  'web',
  'app',
  'apps',
  'application',
  'mobile',
  'android',
  'ios',
  'iphone',
  'ipad',
  'desktop',
  'beta',
  'for',
  'www',
  'com',
  'net',
  'org',
  'ph',
  'tv',
  'me',
  'official',
  'platform',
  'service',
  'services',
  'business',
]);

/** A name folded for lookup: lowercase, accents, punctuation and company suffixes dropped (`Instagram, Inc.` → `instagram`). */
export function nameKey(raw: string): string {
  const words = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && CORPORATE.has(words[words.length - 1]!)) words.pop();
  while (words.length > 1 && words[0] === 'the') words.shift();
  return words.join(' ');
}

/** Identifier-safe slug of a name nobody knows (`Chatterbox Messenger` → `chatterboxmessenger`). */
export function slug(raw: string): string {
  return nameKey(raw).replace(/[^a-z0-9]/g, '') || 'unknown';
}

/** A compiled table: look-ups by name, domain and URL host. */
export class NamespaceIndex {
  private readonly byName = new Map<string, ProductEntry>();
  private readonly companyByName = new Map<string, CompanyEntry>();
  private readonly companyById = new Map<string, CompanyEntry>();
  private readonly companyByDomain = new Map<string, CompanyEntry>();
  private readonly forms = new Map<string, { entry: ProductEntry; re: RegExp }[]>();
  private readonly productCache = new Map<string, ProductEntry | null>();
  /** A short fingerprint of the table (changes when an agency imports entries). */
  readonly fingerprint: string;

  /** Compiles the built-in table with an agency's additions (theirs win on the same name, domain or company id). */
  constructor(tables: NamespaceTable[]) {
    for (const t of tables) {
      for (const c of t.companies) {
        this.companyById.set(c.id, c);
        for (const n of c.names) this.companyByName.set(nameKey(n), c);
        for (const d of c.domains) this.companyByDomain.set(d.toLowerCase().replace(/^www\./, ''), c);
      }
      const forms = new Map<string, { entry: ProductEntry; re: RegExp }[]>();
      for (const p of t.products) {
        for (const n of p.names) this.byName.set(nameKey(n), p);
        for (const f of p.profiles ?? []) {
          const re = new RegExp(f.path, 'i');
          for (const h of f.hosts) {
            const host = h.toLowerCase().replace(/^www\./, '');
            (forms.get(host) ?? forms.set(host, []).get(host)!).push({ entry: p, re });
          }
        }
      }
      // Forms are tried in the order written; a later table's forms for a host come first (an agency's form wins).
      for (const [host, list] of forms) this.forms.set(host, [...list, ...(this.forms.get(host) ?? [])]);
    }
    this.fingerprint = fingerprintOf(tables);
  }

  /**
   * The product entry a written name stands for: exact, after dropping variant words ("Instagram
   * Live" → Instagram), or with its company's name before or after it ("Meta - Facebook",
   * "Facebook (Meta Platforms, Inc.)" → Facebook).
   */
  product(written: string | null | undefined): ProductEntry | undefined {
    if (!written?.trim()) return undefined;
    // Reports repeat a handful of names: each written form is folded once per table.
    const cached = this.productCache.get(written);
    if (cached !== undefined) return cached ?? undefined;
    const words = nameKey(written).split(' ');
    const found = this.productOfWords(words) ?? this.productBesideCompany(words);
    if (this.productCache.size < 10_000) this.productCache.set(written, found ?? null);
    return found;
  }

  private productOfWords(words: string[]): ProductEntry | undefined {
    const kept = words.filter((w) => !VARIANTS.has(w));
    return this.byName.get(words.join(' ')) ?? (kept.length > 0 && kept.length < words.length ? this.byName.get(kept.join(' ')) : undefined);
  }

  // A company's name beside a product's names the product, as "Inc." or "Lite" do not change it,
  // but only a product of that same company, and only when the company's name is not itself
  // another account system's product: "Google - Facebook" and "Facebook Instagram" name no one
  // account system and stay apart (a missed link is recoverable, a false one merges strangers).
  private productBesideCompany(words: string[]): ProductEntry | undefined {
    for (let i = 1; i < words.length; i++) {
      const head = words.slice(0, i);
      const tail = words.slice(i);
      for (const [company, rest] of [
        [head, tail],
        [tail, head],
      ] as const) {
        const c = this.companyByName.get(nameKey(company.join(' ')));
        if (!c) continue;
        const p = this.productOfWords(nameKey(rest.join(' ')).split(' '));
        // "Facebook Instagram" names two account systems ("Facebook" is a product and a former
        // company name): ambiguous, so no product.
        const also = this.productOfWords(company);
        if (p?.company === c.id && (!also || also.ids === p.ids)) return p;
      }
    }
    return undefined;
  }

  /** The company a written name stands for (a product's company, or a company name). */
  company(written: string | null | undefined): CompanyEntry | undefined {
    if (!written?.trim()) return undefined;
    const p = this.product(written);
    if (p) return this.companyById.get(p.company) ?? { id: p.company, names: [], domains: [] };
    return this.companyByName.get(nameKey(written));
  }

  /** The company whose own domain this is (subdomains included): `lawenforcement@support.fb.com` → Meta. */
  companyOfDomain(domain: string): CompanyEntry | undefined {
    for (let d = domain.trim().toLowerCase().replace(/\.$/, ''); d.includes('.'); d = d.slice(d.indexOf('.') + 1)) {
      const c = this.companyByDomain.get(d);
      if (c) return c;
    }
    return undefined;
  }

  /** The account space of a product entry. */
  spaceOf(p: ProductEntry, via: AccountSpace['via']): AccountSpace {
    return { ids: p.ids, handles: p.handles ?? p.ids, fold: p.fold ?? ['case'], idIsPhone: p.idIsPhone === true, via };
  }

  /** The account space of a company's unknown products. */
  companySpace(c: CompanyEntry): AccountSpace {
    const ns = c.unknownProducts ?? c.id;
    return { ids: ns, handles: ns, fold: ['case'], idIsPhone: false, via: 'company' };
  }

  /**
   * Where a party's ids live: the product written on the party, else the report's product; a
   * product the table does not know falls back to the reporting company's namespace, and only
   * when the company is unknown too to the name as written.
   */
  resolve(written: string | null | undefined, report: ReportSpaceContext): AccountSpace {
    const w = written?.trim();
    if (w) {
      const p = this.product(w);
      if (p) return this.spaceOf(p, 'product');
      if (report.company) return this.companySpace(report.company);
      const ns = slug(w);
      return { ids: ns, handles: ns, fold: ['case'], idIsPhone: false, via: 'unknown-name' };
    }
    if (report.product) return this.spaceOf(report.product, 'report-product');
    if (report.company) return this.companySpace(report.company);
    const ns = report.name ? slug(report.name) : 'unknown';
    return { ids: ns, handles: ns, fold: ['case'], idIsPhone: false, via: 'unknown-name' };
  }

  /** What a profile URL carries (an id, a handle or a phone) when its host and path are a known form. */
  profile(rawUrl: string): ProfileHit | undefined {
    const u = parseUrl(rawUrl);
    if (!u) return undefined;
    for (const { entry, re } of this.forms.get(u.host) ?? []) {
      const g = re.exec(u.rest)?.groups;
      if (!g) continue;
      const space = this.spaceOf(entry, 'product');
      if (g.id) return { kind: 'id', space, value: decodeSafe(g.id) };
      if (g.handle) return { kind: 'handle', space, value: decodeSafe(g.handle) };
      if (g.phone) return { kind: 'phone', space, value: g.phone };
    }
    return undefined;
  }
}

/** What a report says about where its accounts live (from the platform, the reporter's domain, the derived ESP). */
export interface ReportSpaceContext {
  /** The report's own product (incident platform, else the derived ESP), when the table knows it. */
  product?: ProductEntry | undefined;
  /** The reporting company. */
  company?: CompanyEntry | undefined;
  /** The report's ESP name as written (for a namespace nobody knows). */
  name?: string | undefined;
}

/** A screen name folded the way its service compares them (`@Juan.DC` on Facebook → `juandc`). */
export function foldHandle(raw: string, fold: HandleFold[]): string {
  let h = raw.trim().replace(/^@+/, '');
  if (fold.includes('case')) h = h.toLowerCase();
  if (fold.includes('dots')) h = h.replace(/\./g, '');
  return h;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Host (lowercase, no `www.`, no port) and path with query of a URL written with or without a scheme. */
function parseUrl(raw: string): { host: string; rest: string } | undefined {
  const t = raw.trim();
  if (!t || /\s/.test(t)) return undefined;
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(u.protocol)) return undefined;
  return {
    host: u.hostname
      .toLowerCase()
      .replace(/^www\./, '')
      .replace(/\.$/, ''),
    rest: `${u.pathname}${u.search}`,
  };
}

function fingerprintOf(tables: NamespaceTable[]): string {
  // FNV-1a over the JSON: enough to tell two tables apart in a data version string.
  let h = 0x811c9dc5;
  const s = JSON.stringify(tables);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

let builtIn: NamespaceIndex | undefined;

/** The built-in table, compiled once. */
export function builtInNamespaces(): NamespaceIndex {
  builtIn ??= new NamespaceIndex([BUILT_IN_NAMESPACES]);
  return builtIn;
}
