// What one payment record says about its two parties, in the linking stage's terms: identifier
// keys in the same format as src/link/identifiers.ts (`phone:+639…`, `email:…`, `wallet:…`),
// made by the same normalisers (src/enrich), so that a phone in a remittance and the same phone
// written another way in a CyberTip are one key.

import type { CountryCode } from 'libphonenumber-js/max';
import { canonicalEmail } from '../../enrich/email.ts';
import { normalisePhone } from '../../enrich/phone.ts';
import { isPlaceholder } from '../../enrich/placeholder.ts';

/** One side of a record as written. */
export interface PartyFields {
  provider: string;
  customerId?: string | undefined;
  name?: string | undefined;
  country?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  account?: string | undefined;
}

// Crypto addresses, as src/link/identifiers.ts recognises them in free text.
const CRYPTO = /^(?:bc1[a-z0-9]{20,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})$/;

// Phones repeat across a provider's records: each distinct text is normalised once per process.
const phoneCache = new Map<string, string | null>();
const PH_MOBILE = /^(?:\+?63|0)?(9\d{9})$/;

function phoneKey(raw: string, country: string | undefined): string | undefined {
  const memo = `${country ?? ''}\u0000${raw}`;
  const hit = phoneCache.get(memo);
  if (hit !== undefined) return hit ?? undefined;
  const k = phoneKeyUncached(raw, country);
  if (phoneCache.size > 500_000) phoneCache.clear();
  phoneCache.set(memo, k ?? null);
  return k;
}

function phoneKeyUncached(raw: string, country: string | undefined): string | undefined {
  if (isPlaceholder(raw)) return undefined;
  // Philippine mobiles in their usual forms (the bulk of records) skip the full parser; anything
  // else goes through normalisePhone, as linking does.
  const compact = raw.replace(/[\s().-]/g, '');
  const m = PH_MOBILE.exec(compact);
  if (m && (compact.startsWith('+') || compact.startsWith('0') || compact.startsWith('63') || !country || country === 'PH')) {
    const r = normalisePhone(`+63${m[1]}`);
    return r.ok ? `phone:${r.e164}` : undefined;
  }
  let r = normalisePhone(raw);
  // A foreign number in its national form ("07663 924710" in the UK) fails as Philippine: the
  // party's own country is the next guess, as linking does with a party's location.
  if (!r.ok && r.reason !== 'placeholder' && country && /^[A-Z]{2}$/.test(country) && country !== 'PH') {
    const retry = normalisePhone(raw, { defaultCountry: country as CountryCode });
    if (retry.ok) r = retry;
  }
  return r.ok ? `phone:${r.e164}` : undefined;
}

/** The identifier keys of one party of a record: phone, e-mail, e-wallet (a mobile), crypto wallet or account. */
export function partyKeys(p: PartyFields): string[] {
  const out = new Set<string>();
  const country = p.country?.trim().toUpperCase();
  if (p.phone?.trim()) {
    const k = phoneKey(p.phone.trim(), country);
    if (k) out.add(k);
  }
  if (p.email?.trim()) {
    const e = canonicalEmail(p.email);
    if (e.ok && !e.role) out.add(`email:${e.canonical}`);
  }
  const acct = p.account?.trim();
  if (acct && !isPlaceholder(acct)) {
    if (CRYPTO.test(acct)) out.add(`wallet:${acct}`);
    else {
      // A Philippine e-wallet account is the mobile number it is keyed to (domain.md §8).
      const k = /^[\d\s()+.-]{7,}$/.test(acct) ? phoneKey(acct, country) : undefined;
      out.add(k ?? `account:${p.provider.toLowerCase()}:${acct.toLowerCase().replace(/\s+/g, '')}`);
    }
  }
  return [...out].sort();
}

/** A name folded for comparison: lowercase words, sorted (providers write "LAST, First" and "First Last"). */
export function nameSignature(name: string | undefined): string {
  return nameTokens(name).sort().join(' ');
}

/** The words of a name, lowercase, without punctuation. */
export function nameTokens(name: string | undefined): string[] {
  if (!name || isPlaceholder(name)) return [];
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9ñ'-]+/)
    .filter((t) => t.length >= 2);
}

/** Which node of the party graph a record's side is: its provider customer id, else its first key, else its name. */
export function partyNode(p: PartyFields, keys: string[]): string {
  const id = p.customerId?.trim();
  if (id && !isPlaceholder(id)) return `customer:${p.provider.toLowerCase()}|${id}`;
  if (keys.length > 0) return keys[0]!;
  const sig = nameSignature(p.name);
  return sig ? `name:${(p.country ?? '').toUpperCase()}:${sig}` : 'unknown';
}

// Organisations, not persons: companies paying freelancers, charities, churches, schools.
const ORG =
  /\b(inc|llc|ltd|pty|corp|corporation|company|co|gmbh|plc|foundation|mission|church|charity|charities|ministry|ministries|school|university|academy|bank|services|solutions|global|digital|media|analytics|support)\b\.?/i;

/** Whether a name is an organisation's (company, charity, church, school). */
export function isOrgName(name: string | undefined): boolean {
  return !!name && ORG.test(name);
}

/**
 * The words of a name that may be its family name: before a comma ("SANTOS, Maria"); else the
 * last word ("Maria Santos"); in capitals without a comma both ends ("SANTOS MARIA" is common).
 */
export function familyNameCandidates(name: string | undefined): string[] {
  if (!name) return [];
  const comma = name.indexOf(',');
  if (comma > 0) return nameTokens(name.slice(0, comma)).filter((t) => t.length >= 3);
  const t = nameTokens(name).filter((x) => x.length >= 2);
  if (t.length === 0) return [];
  const caps = name === name.toUpperCase() && /[A-Z]/.test(name);
  const out = caps && t.length > 1 ? [t[0]!, t[t.length - 1]!] : [t[t.length - 1]!];
  return out.filter((x) => x.length >= 3);
}

/** Whether two names share a family name (order and case vary between providers). */
export function shareFamilyName(a: string | undefined, b: string | undefined): boolean {
  const ta = familyNameCandidates(a);
  if (ta.length === 0) return false;
  const tb = new Set(familyNameCandidates(b));
  return ta.some((t) => tb.has(t));
}

/**
 * Whether an amount as written is round: a multiple of 5 under 100, else at most two significant
 * digits (20, 35, 150, 2,000, 15,000), the "even amounts" FIUs describe.
 */
export function isRoundAmount(text: string): boolean {
  const t = text.trim().replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return false;
  if (m[2] && /[1-9]/.test(m[2])) return false;
  const digits = m[1]!.replace(/^0+/, '');
  if (digits === '') return false;
  if (digits.length <= 2) return Number(digits) % 5 === 0;
  return digits.slice(2).replace(/0/g, '') === '';
}
