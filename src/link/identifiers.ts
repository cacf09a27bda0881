// The one place where a report's identifiers are extracted (architecture.md: "one place where a
// report's identifiers are extracted"). Each identifier carries its kind, its normalised value,
// the key it links on, the role of the party it came from and its strength for linking
// (domain.md §7.1). Normalisation goes through src/enrich; nothing here touches the database.

import { createHash } from 'node:crypto';
import { canonicalEmail } from '../enrich/email.ts';
import { classifyIp } from '../enrich/ip.ts';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../enrich/phone.ts';
import { isPlaceholder } from '../enrich/placeholder.ts';
import type { WarninglistSet } from '../enrich/warninglists.ts';
import { deriveEsp, toUtcIso, type CybertipReport, type DeviceId, type Email, type IpCaptureEvent, type Party, type Phone } from '../model/report.ts';

/** What an identifier is. */
export type IdentifierKind =
  | 'esp-user-id' | 'screen-name' | 'profile-url' | 'display-name' | 'group-id'
  | 'email' | 'phone' | 'device-id' | 'ip' | 'ip-port-time' | 'wallet' | 'url' | 'file-hash' | 'prior-ct-report';

/** Whose identifier it is within the report. */
export type IdentifierRole = 'reported' | 'recipient' | 'victim' | 'associated' | 'file' | 'incident';

/** How much a shared value says (domain.md §7.1): strong links on one, medium needs two, weak is context, never is ignored. */
export type Strength = 'strong' | 'medium' | 'weak' | 'never';

/** One identifier of a report. */
export interface Identifier {
  kind: IdentifierKind;
  /** Normalised value (E.164 phone, canonical e-mail, `esp:id`, `ip|port|utc`…). */
  value: string;
  /** What reports must share to be linked by this identifier (`phone:+639…` for a phone and an e-wallet keyed to it). */
  key: string;
  role: IdentifierRole;
  strength: Strength;
  /** The text as written in the report. */
  raw: string;
  /** UTC ISO time of an ip-port-time sighting. */
  at?: string;
  /** Why a value is `never` (placeholder, role address, non-public IP, warninglist name…). */
  note?: string;
}

/** Optional inputs of extraction. */
export interface ExtractOptions {
  /** MISP warninglists the user imported; without them the built-in knowledge is used. */
  warninglists?: WarninglistSet | undefined;
}

// Public DNS resolvers are shared by millions: built in so that linking is safe without any
// warninglist loaded (the generator's public-DNS traps use these addresses).
const PUBLIC_DNS = new Set([
  '8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220',
  '64.6.64.6', '64.6.65.6', '8.26.56.26', '8.20.247.20', '94.140.14.14', '94.140.15.15', '76.76.2.0', '76.76.10.0',
  '2001:4860:4860::8888', '2001:4860:4860::8844', '2606:4700:4700::1111', '2606:4700:4700::1001', '2620:fe::fe', '2620:fe::9',
]);

// The hashes of an empty file appear on countless reports (domain.md §7.3): never a link.
const EMPTY_HASHES = new Set(['md5', 'sha1', 'sha256', 'sha512'].map((a) => createHash(a).update('').digest('hex')));

/** The ESP key used in identifier values: lowercase alphanumerics (`Bigo Live` → `bigolive`). */
export function espKey(esp: string | null | undefined): string {
  return (esp ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') || 'unknown';
}

// A Philippine mobile number in any of the forms people type (domain.md §8), inside free text.
const PH_MOBILE_IN_TEXT = /(?<![\d+])(?:\+63[\s-]?|63|\(0|0)?9\d{2}\)?[\s-]?\d{3}[\s-]?\d{4}(?!\d)/g;
// Crypto addresses: Bitcoin (legacy and bech32), Ethereum, Tron.
const CRYPTO_IN_TEXT = /\b(?:bc1[a-z0-9]{20,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\b/g;

/** Extracts every identifier of a canonical report, deduplicated, with kind, value, key, role and strength. */
export function extractIdentifiers(report: CybertipReport, opts: ExtractOptions = {}): Identifier[] {
  const out = new Map<string, Identifier>();
  const add = (id: Identifier): void => {
    const k = `${id.kind}\u0000${id.value}\u0000${id.role}`;
    if (!out.has(k)) out.set(k, id);
  };
  const reportEsp = deriveEsp(report);

  const phone = (p: Phone, role: IdentifierRole, countryHint?: string): void => {
    if (!p.number?.trim()) return;
    let r = normalisePhone(p.number, p.countryCallingCode ? { countryCallingCode: p.countryCallingCode } : {});
    // A foreign number in its national form ("0816…" for Nigeria) fails as Philippine; the
    // party's own country (estimated location or address) is the next guess.
    if (!r.ok && r.reason !== 'placeholder' && countryHint && /^[A-Z]{2}$/.test(countryHint) && countryHint !== 'PH') {
      const retry = normalisePhone(p.number, { defaultCountry: countryHint as CountryCode });
      if (retry.ok) r = retry;
    }
    if (r.ok) add({ kind: 'phone', value: r.e164, key: `phone:${r.e164}`, role, strength: 'strong', raw: p.number });
    else add({ kind: 'phone', value: p.number.trim(), key: `phone-raw:${p.number.trim()}`, role, strength: 'never', raw: p.number, note: r.reason });
  };
  const email = (e: Email, role: IdentifierRole): void => {
    if (!e.address?.trim()) return;
    const r = canonicalEmail(e.address);
    if (!r.ok) add({ kind: 'email', value: e.address.trim().toLowerCase(), key: `email-raw:${e.address.trim().toLowerCase()}`, role, strength: 'never', raw: e.address, note: r.reason });
    else if (r.role) add({ kind: 'email', value: r.canonical, key: `email:${r.canonical}`, role, strength: 'never', raw: e.address, note: 'role address' });
    else {
      const listed = warninglistNote(opts.warninglists, r.canonical);
      add({ kind: 'email', value: r.canonical, key: `email:${r.canonical}`, role, strength: listed ? 'never' : 'strong', raw: e.address, ...(listed ? { note: listed } : {}) });
    }
  };
  const ipEvent = (ev: IpCaptureEvent, role: IdentifierRole): void => {
    const c = classifyIp(ev.ipAddress ?? '');
    if (!c) return;
    const never = c.nonPublic ? (c.cgnat ? 'RFC 6598 shared address' : `non-public address (${c.range})`)
      : PUBLIC_DNS.has(c.ip) ? 'public DNS resolver'
        : warninglistNote(opts.warninglists, c.ip);
    add({ kind: 'ip', value: c.ip, key: `ip:${c.ip}`, role, strength: never ? 'never' : 'weak', raw: ev.ipAddress, ...(never ? { note: never } : {}) });
    if (ev.port === undefined || !ev.dateTime) return;
    let at: string;
    try {
      at = toUtcIso(ev.dateTime);
    } catch {
      return;
    }
    // The key is the address and port; the time is compared when links are made (within seconds).
    add({
      kind: 'ip-port-time', value: `${c.ip}|${ev.port}|${at}`, key: `ip-port:${c.ip}|${ev.port}`, role,
      strength: never ? 'never' : 'strong', raw: `${ev.ipAddress}|${ev.port}|${ev.dateTime}`, at, ...(never ? { note: never } : {}),
    });
  };
  const device = (d: DeviceId, role: IdentifierRole): void => {
    const raw = d.idValue?.trim() ?? '';
    if (!raw) return;
    // IMEI/MEID/ICCID are digits written with spaces or dashes; other ids (advertising ids) fold case.
    const value = /^[\d\s-]+$/.test(raw) ? raw.replace(/\D/g, '') : raw.toLowerCase();
    const blank = isPlaceholder(raw) || /^[0\W_]+$/.test(value);
    // A Wi-Fi network name is chosen by people and repeats ("homenet"): context, not identity.
    const ssid = /ssid/i.test(d.idType ?? '');
    const strength: Strength = blank ? 'never' : ssid ? 'weak' : 'strong';
    add({ kind: 'device-id', value, key: `device-id:${value}`, role, strength, raw, ...(blank ? { note: 'placeholder' } : ssid ? { note: `device type ${d.idType}` } : {}) });
  };
  const account = (service: string | undefined, a: {
    espIdentifier?: string | undefined; screenName?: string | undefined; displayNames: string[]; profileUrls: string[]; groupIdentifier?: string | undefined;
    ipCaptureEvents: IpCaptureEvent[]; deviceIds: DeviceId[]; priorCTReports: string[];
  }, role: IdentifierRole): void => {
    const esp = espKey(service?.trim() || reportEsp);
    if (a.espIdentifier?.trim()) {
      const raw = a.espIdentifier.trim();
      const blank = isPlaceholder(raw);
      add({ kind: 'esp-user-id', value: `${esp}:${raw}`, key: `esp-user-id:${esp}:${raw}`, role, strength: blank ? 'never' : 'strong', raw, ...(blank ? { note: 'placeholder' } : {}) });
    }
    if (a.screenName?.trim()) {
      const raw = a.screenName.trim();
      const handle = raw.replace(/^@+/, '').toLowerCase();
      const blank = isPlaceholder(raw) || handle === '';
      add({ kind: 'screen-name', value: `${esp}:${handle}`, key: `screen-name:${esp}:${handle}`, role, strength: blank ? 'never' : 'medium', raw, ...(blank ? { note: 'placeholder' } : {}) });
    }
    for (const u of a.profileUrls) {
      const v = normaliseUrl(u);
      if (v) add({ kind: 'profile-url', value: v, key: `profile-url:${v}`, role, strength: isPlaceholder(u) ? 'never' : 'medium', raw: u });
    }
    for (const n of a.displayNames) {
      if (n.trim() && !isPlaceholder(n)) add({ kind: 'display-name', value: n.trim().toLowerCase().replace(/\s+/g, ' '), key: `display-name:${n.trim().toLowerCase().replace(/\s+/g, ' ')}`, role, strength: 'weak', raw: n });
    }
    if (a.groupIdentifier?.trim() && !isPlaceholder(a.groupIdentifier)) {
      const g = a.groupIdentifier.trim().toLowerCase();
      add({ kind: 'group-id', value: `${esp}:${g}`, key: `group-id:${esp}:${g}`, role, strength: 'medium', raw: a.groupIdentifier });
    }
    for (const ev of a.ipCaptureEvents) ipEvent(ev, role);
    for (const d of a.deviceIds) device(d, role);
    for (const p of a.priorCTReports) {
      const id = p.trim();
      // The reference links to the cited report itself (its key is the report number).
      if (/^\d+$/.test(id)) add({ kind: 'prior-ct-report', value: id, key: `report:${id}`, role, strength: 'strong', raw: p });
    }
  };
  const party = (p: Party): void => {
    const role: IdentifierRole = p.role;
    const hint = (p.estimatedLocation?.countryCode ?? p.person?.addresses.find((a) => a.country)?.country)?.trim().toUpperCase();
    for (const ph of p.person?.phones ?? []) phone(ph, role, hint);
    for (const e of p.person?.emails ?? []) email(e, role);
    account(p.espService, p, role);
    for (const a of p.associatedAccounts) {
      for (const ph of a.phones) phone(ph, 'associated');
      for (const e of a.emails) email(e, 'associated');
      account(a.espService ?? a.platform, a, 'associated');
    }
    for (const text of p.additionalInfo) freeText(text, role);
  };
  const freeText = (text: string | undefined, role: IdentifierRole): void => {
    if (!text) return;
    // Facilitators quote their e-wallet, which is keyed to a mobile number (domain.md §8): the
    // wallet shares its key with that phone.
    for (const m of text.matchAll(PH_MOBILE_IN_TEXT)) {
      const r = normalisePhone(m[0]);
      if (r.ok && r.type === 'MOBILE') add({ kind: 'wallet', value: r.e164, key: `phone:${r.e164}`, role, strength: 'strong', raw: m[0] });
    }
    for (const m of text.matchAll(CRYPTO_IN_TEXT)) {
      add({ kind: 'wallet', value: m[0], key: `wallet:${m[0]}`, role, strength: 'strong', raw: m[0] });
    }
  };

  for (const p of report.reportedPersons) party(p);
  for (const p of report.intendedRecipients) party(p);
  for (const p of report.victims) party(p);
  for (const d of report.internetDetails) {
    if (d.kind === 'email' || d.kind === 'newsgroup') for (const e of d.emails) email(e, 'incident');
    else if (d.kind === 'webPage') {
      for (const u of d.urls) {
        const v = normaliseUrl(u);
        if (v) add({ kind: 'url', value: v, key: `url:${v}`, role: 'incident', strength: 'weak', raw: u });
      }
    } else if (d.kind === 'cellPhone' && d.phone) phone(d.phone, 'incident');
    else if (d.kind === 'peer2peer') for (const ev of d.ipCaptureEvents) ipEvent(ev, 'incident');
    else if (d.kind === 'chatIm') freeText(d.content, 'incident');
  }
  freeText(report.additionalInfo, 'incident');
  for (const f of report.files) {
    const hashes = [...f.originalFileHashes.map((h) => ({ type: h.hashType, value: h.value }))];
    for (const m of f.details) if (m.type?.toUpperCase() === 'HASH') for (const p of m.pairs) hashes.push({ type: p.name, value: p.value });
    for (const h of hashes) {
      const v = h.value.trim().toLowerCase();
      if (!/^[0-9a-f]{16,128}$/.test(v)) continue;
      const type = h.type.toLowerCase().replace(/[^a-z0-9]/g, '');
      // File hashes are shared content (memes, known files), not identity: context only.
      const empty = EMPTY_HASHES.has(v);
      add({ kind: 'file-hash', value: `${type}:${v}`, key: `file-hash:${type}:${v}`, role: 'file', strength: empty ? 'never' : 'weak', raw: h.value, ...(empty ? { note: 'empty-file hash' } : {}) });
    }
    if (f.ipCaptureEvent) ipEvent(f.ipCaptureEvent, 'file');
    for (const d of f.deviceIds) device(d, 'file');
  }
  return [...out.values()];
}

function warninglistNote(lists: WarninglistSet | undefined, ip: string): string | undefined {
  if (!lists) return undefined;
  const hits = lists.hits(ip);
  return hits.length > 0 ? `warninglist: ${hits.map((h) => h.list).join(', ')}` : undefined;
}

/** A URL folded for comparison: no scheme, no `www.`, lowercase host, no trailing slash; undefined when empty. */
export function normaliseUrl(raw: string): string | undefined {
  const t = raw.trim();
  if (!t || isPlaceholder(t)) return undefined;
  const noScheme = t.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '');
  const slash = noScheme.indexOf('/');
  const host = (slash < 0 ? noScheme : noScheme.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? '' : noScheme.slice(slash).replace(/\/+$/, '');
  return `${host}${path}`;
}
