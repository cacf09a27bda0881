// The one place where a report's identifiers are extracted (architecture.md: "one place where a
// report's identifiers are extracted"). Each identifier carries its kind, its normalised value,
// the key it links on, the role of the party it came from and its strength for linking
// (domain.md §7.1). Normalisation goes through src/enrich; nothing here touches the database.

import { createHash } from 'node:crypto';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { countryCode } from '../enrich/country.ts';
import { canonicalEmail } from '../enrich/email.ts';
import { classifyIp } from '../enrich/ip.ts';
import { readPhone, type PhoneResult, type RegionHint } from '../enrich/phone.ts';
import { isPlaceholder, placeholderReason } from '../enrich/placeholder.ts';
import type { WarninglistSet } from '../enrich/warninglists.ts';
import {
  deriveEsp,
  toUtcIso,
  type Address,
  type CybertipReport,
  type DeviceId,
  type Email,
  type IpCaptureEvent,
  type Party,
  type Phone,
} from '../model/report.ts';
import { builtInNamespaces, foldHandle, type AccountSpace, type NamespaceIndex, type ReportSpaceContext } from './namespaces.ts';

/** What an identifier is. */
export type IdentifierKind =
  | 'esp-user-id'
  | 'screen-name'
  | 'profile-url'
  | 'display-name'
  | 'group-id'
  | 'email'
  | 'phone'
  | 'device-id'
  | 'ip'
  | 'ip-port-time'
  | 'wallet'
  | 'url'
  | 'file-hash'
  | 'prior-ct-report';

/** Whose identifier it is within the report. */
export type IdentifierRole = 'reported' | 'recipient' | 'victim' | 'associated' | 'file' | 'incident';

/** How much a shared value says (domain.md §7.1): strong links on one, medium needs two, weak is context, never is ignored. */
export type Strength = 'strong' | 'medium' | 'weak' | 'never';

/** One identifier of a report. */
export interface Identifier {
  kind: IdentifierKind;
  /** Normalised value (E.164 phone, canonical e-mail, `namespace:id`, `ip|port|utc`…). */
  value: string;
  /** What reports must share to be linked by this identifier (`phone:+639…` for a phone and an e-wallet keyed to it). */
  key: string;
  role: IdentifierRole;
  strength: Strength;
  /** The text as written in the report. */
  raw: string;
  /** UTC ISO time of an ip-port-time sighting. */
  at?: string;
  /** Why a value is `never` (placeholder, role address, non-public IP, warninglist name…), or how it was read (a phone's region hint, a profile URL's account). */
  note?: string;
}

/** Optional inputs of extraction. */
export interface ExtractOptions {
  /** MISP warninglists the user imported; without them the built-in knowledge is used. */
  warninglists?: WarninglistSet | undefined;
  /** The account-namespace table (built in, plus the agency's imported entries). */
  namespaces?: NamespaceIndex | undefined;
  /** The country of a public IP address from offline data: the last report signal for a phone's region. */
  ipCountry?: ((ip: string) => string | undefined) | undefined;
  /** The agency's home region, tried after every report signal (default PH: NCMEC routed the report here). */
  home?: CountryCode | undefined;
}

// Public DNS resolvers are shared by millions: built in so that linking is safe without any
// warninglist loaded (the generator's public-DNS traps use these addresses).
const PUBLIC_DNS = new Set([
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '1.0.0.1',
  '9.9.9.9',
  '149.112.112.112',
  '208.67.222.222',
  '208.67.220.220',
  '64.6.64.6',
  '64.6.65.6',
  '8.26.56.26',
  '8.20.247.20',
  '94.140.14.14',
  '94.140.15.15',
  '76.76.2.0',
  '76.76.10.0',
  '2001:4860:4860::8888',
  '2001:4860:4860::8844',
  '2606:4700:4700::1111',
  '2606:4700:4700::1001',
  '2620:fe::fe',
  '2620:fe::9',
]);

// The hashes of an empty file appear on countless reports (domain.md §7.3): never a link.
const EMPTY_HASHES = new Set(['md5', 'sha1', 'sha256', 'sha512'].map((a) => createHash(a).update('').digest('hex')));

// A Philippine mobile number in any of the forms people type (domain.md §8), inside free text.
// Mobiles start 9 or 8 after the trunk 0 (Globe's 0817, DITO's 0895–0898): the shape finds a
// candidate and readPhone decides (an 09 and nine digits by its shape, an 08 by libphonenumber's
// metadata). An 8 needs its 0 or +63, since ten bare digits from 8 are as often an American number
// (area code 817).
const PH_PREFIX = String.raw`(?:\+63[\s-]?|63|\(0|0)`;
const PH_MOBILE_IN_TEXT = new RegExp(String.raw`(?<![\d+])(?:${PH_PREFIX}?9|${PH_PREFIX}8)\d{2}\)?[\s-]?\d{3}[\s-]?\d{4}(?!\d)`, 'g');
// Crypto addresses: Bitcoin (legacy and bech32), Ethereum, Tron.
const CRYPTO_IN_TEXT = /\b(?:bc1[a-z0-9]{20,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\b/g;
// IMEI and IMEISV type names: a 15-digit IMEI carries a Luhn check digit (3GPP TS 23.003, Annex B).
const IMEI_TYPE = /imei/i;

/** Extracts every identifier of a canonical report, deduplicated, with kind, value, key, role and strength. */
export function extractIdentifiers(report: CybertipReport, opts: ExtractOptions = {}): Identifier[] {
  const out = new Map<string, Identifier>();
  const add = (id: Identifier): void => {
    // Bare IP sightings stay apart by time (at most one row per time), other kinds once per role.
    const k = `${id.kind}\u0000${id.value}\u0000${id.role}${id.kind === 'ip' ? `\u0000${id.at ?? ''}` : ''}`;
    if (!out.has(k)) out.set(k, id);
  };
  const ns = opts.namespaces ?? builtInNamespaces();
  const reportEsp = deriveEsp(report);
  const reporterPeople = [report.reporter?.reportingPerson, report.reporter?.contactPerson].filter((p) => p !== undefined);
  const reporterEmails = reporterPeople.flatMap((p) => p.emails.map((e) => canonicalEmail(e.address))).flatMap((r) => (r.ok ? [r] : []));
  // The reporting company: the product named on the report, else the domain of the people who
  // filed it, else the ESP the report was derived to come from.
  const space: ReportSpaceContext = {
    product: ns.product(report.incident.platform) ?? ns.product(reportEsp),
    company:
      ns.company(report.incident.platform) ?? reporterEmails.map((e) => ns.companyOfDomain(e.domain)).find((c) => c !== undefined) ?? ns.company(reportEsp),
    name: reportEsp ?? undefined,
  };
  // The reporter's own contact details: the same value in a party field is the company's, not the person's.
  const reporterContacts = new Set(reporterEmails.map((e) => `email:${e.canonical}`));
  // Region hints cost IP look-ups: read once, and only when a number in national form needs them.
  let reportHintsMemo: ReportHints | undefined;
  const reportHints = (): ReportHints => (reportHintsMemo ??= regionHints(report, opts));
  for (const p of reporterPeople) {
    for (const ph of p.phones) {
      const r = readPhone(ph.number, {
        hints: reportHints().all,
        ...(ph.countryCallingCode ? { countryCallingCode: ph.countryCallingCode } : {}),
        ...(opts.home ? { home: opts.home } : {}),
      });
      if (r.ok) reporterContacts.add(`phone:${r.e164}`);
    }
  }

  const phoneId = (r: PhoneResult, raw: string, role: IdentifierRole, kind: 'phone' | 'wallet' = 'phone', cap: Strength = 'strong'): void => {
    if (!r.ok) {
      add({ kind, value: raw.trim(), key: `phone-raw:${raw.trim()}`, role, strength: 'never', raw, note: r.detail ? `${r.reason}: ${r.detail}` : r.reason });
      return;
    }
    const key = `phone:${r.e164}`;
    if (reporterContacts.has(key)) {
      add({ kind, value: r.e164, key, role, strength: 'never', raw, note: "the reporting company's own contact number" });
      return;
    }
    // An ambiguous reading, or one that needed a weak hint, is weak evidence (medium): never a link on its own.
    const strength: Strength = r.confidence === 'strong' && cap === 'strong' ? 'strong' : 'medium';
    const how =
      r.hint === 'international'
        ? undefined
        : `read as ${r.region ?? r.country ?? '?'} from ${r.hint}${r.alternatives.length ? `; also valid as ${r.alternatives.join(', ')}` : ''}`;
    add({ kind, value: r.e164, key, role, strength, raw, ...(how ? { note: how } : {}) });
  };
  const phone = (p: Phone, role: IdentifierRole, hints: () => RegionHint[]): void => {
    if (!p.number?.trim()) return;
    phoneId(
      readPhone(p.number, {
        hints: hints(),
        ...(p.countryCallingCode ? { countryCallingCode: p.countryCallingCode } : {}),
        ...(opts.home ? { home: opts.home } : {}),
      }),
      p.number,
      role,
    );
  };
  const email = (e: Email, role: IdentifierRole): void => {
    if (!e.address?.trim()) return;
    const r = canonicalEmail(e.address);
    if (!r.ok) {
      add({
        kind: 'email',
        value: e.address.trim().toLowerCase(),
        key: `email-raw:${e.address.trim().toLowerCase()}`,
        role,
        strength: 'never',
        raw: e.address,
        note: r.detail ? `${r.reason}: ${r.detail}` : r.reason,
      });
      return;
    }
    const key = `email:${r.canonical}`;
    const company = ns.companyOfDomain(r.domain);
    const never = r.role
      ? 'role address'
      : reporterContacts.has(key)
        ? "the reporting company's own contact address"
        : company
          ? `the own domain of ${company.id}, not a user's mailbox`
          : warninglistNote(opts.warninglists, r.canonical);
    add({ kind: 'email', value: r.canonical, key, role, strength: never ? 'never' : 'strong', raw: e.address, ...(never ? { note: never } : {}) });
  };
  const ipEvent = (ev: IpCaptureEvent, role: IdentifierRole): void => {
    const c = classifyIp(ev.ipAddress ?? '');
    if (!c) return;
    const shape = placeholderReason(c.ip, 'ip');
    const never = c.nonPublic
      ? c.cgnat
        ? 'RFC 6598 shared address'
        : `non-public address (${c.range})`
      : PUBLIC_DNS.has(c.ip)
        ? 'public DNS resolver'
        : shape
          ? `placeholder: ${shape}`
          : warninglistNote(opts.warninglists, c.ip);
    let at: string | undefined;
    try {
      at = ev.dateTime ? toUtcIso(ev.dateTime) : undefined;
    } catch {
      at = undefined;
    }
    // The address alone, with the time of the sighting when there is one: weak evidence compares
    // sightings within days (docs/linking.md §2.1), so each timed sighting is kept.
    add({
      kind: 'ip',
      value: c.ip,
      key: `ip:${c.ip}`,
      role,
      strength: never ? 'never' : 'weak',
      raw: ev.ipAddress,
      ...(at ? { at } : {}),
      ...(never ? { note: never } : {}),
    });
    if (ev.port === undefined || !at) return;
    // The key is the address and port; the time is compared when links are made (within seconds).
    add({
      kind: 'ip-port-time',
      value: `${c.ip}|${ev.port}|${at}`,
      key: `ip-port:${c.ip}|${ev.port}`,
      role,
      strength: never ? 'never' : 'strong',
      raw: `${ev.ipAddress}|${ev.port}|${ev.dateTime}`,
      at,
      ...(never ? { note: never } : {}),
    });
  };
  const device = (d: DeviceId, role: IdentifierRole): void => {
    const raw = d.idValue?.trim() ?? '';
    if (!raw) return;
    // IMEI/MEID/ICCID are digits written with spaces or dashes; other ids (advertising ids) fold case.
    const value = /^[\d\s-]+$/.test(raw) ? raw.replace(/\D/g, '') : raw.toLowerCase();
    const blank =
      placeholderReason(raw, 'device-id') ??
      (IMEI_TYPE.test(d.idType ?? '') && /^\d{15}$/.test(value) && !luhnValid(value) ? 'not an IMEI (check digit wrong)' : undefined);
    // A Wi-Fi network name is chosen by people and repeats ("homenet"): context, not identity.
    const ssid = /ssid/i.test(d.idType ?? '');
    const strength: Strength = blank ? 'never' : ssid ? 'weak' : 'strong';
    add({
      kind: 'device-id',
      value,
      key: `device-id:${value}`,
      role,
      strength,
      raw,
      ...(blank ? { note: `placeholder: ${blank}` } : ssid ? { note: `device type ${d.idType}` } : {}),
    });
  };
  const userId = (acct: AccountSpace, raw: string, role: IdentifierRole, written: string): void => {
    const blank = placeholderReason(raw, 'user-id');
    const value = `${acct.ids}:${raw}`;
    add({
      kind: 'esp-user-id',
      value,
      key: `esp-user-id:${value}`,
      role,
      strength: blank ? 'never' : 'strong',
      raw: written,
      ...(blank ? { note: `placeholder: ${blank}` } : {}),
    });
    // A WhatsApp account is its phone number: an id that reads as an international number is that phone too.
    if (!blank && acct.idIsPhone && /^\+?\d{7,15}$/.test(raw)) {
      const r = readPhone(`+${raw.replace(/^\+/, '')}`);
      if (r.ok) phoneId(r, written, role);
    }
  };
  const screenName = (acct: AccountSpace, raw: string, role: IdentifierRole, written: string): void => {
    const handle = foldHandle(raw, acct.fold);
    const blank = placeholderReason(raw.replace(/^@+/, ''), 'screen-name');
    const value = `${acct.handles}:${handle}`;
    add({
      kind: 'screen-name',
      value,
      key: `screen-name:${value}`,
      role,
      strength: blank ? 'never' : 'medium',
      raw: written,
      ...(blank ? { note: `placeholder: ${blank}` } : {}),
    });
  };
  const account = (
    service: string | undefined,
    a: {
      espIdentifier?: string | undefined;
      screenName?: string | undefined;
      displayNames: string[];
      profileUrls: string[];
      groupIdentifier?: string | undefined;
      ipCaptureEvents: IpCaptureEvent[];
      deviceIds: DeviceId[];
      priorCTReports: string[];
    },
    role: IdentifierRole,
  ): void => {
    const acct = ns.resolve(service, space);
    if (a.espIdentifier?.trim()) userId(acct, a.espIdentifier.trim(), role, a.espIdentifier.trim());
    if (a.screenName?.trim()) screenName(acct, a.screenName.trim(), role, a.screenName.trim());
    for (const u of a.profileUrls) {
      // A profile URL that carries an id or a handle is that id or handle (in the URL's own service).
      const hit = ns.profile(u);
      if (hit?.kind === 'id') userId(hit.space, hit.value, role, u);
      else if (hit?.kind === 'handle') screenName(hit.space, hit.value, role, u);
      else if (hit?.kind === 'phone') phoneId(readPhone(`+${hit.value}`), u, role);
      else {
        const v = normaliseUrl(u);
        if (v) add({ kind: 'profile-url', value: v, key: `profile-url:${v}`, role, strength: isPlaceholder(u) ? 'never' : 'medium', raw: u });
      }
    }
    for (const n of a.displayNames) {
      if (n.trim() && !isPlaceholder(n))
        add({
          kind: 'display-name',
          value: n.trim().toLowerCase().replace(/\s+/g, ' '),
          key: `display-name:${n.trim().toLowerCase().replace(/\s+/g, ' ')}`,
          role,
          strength: 'weak',
          raw: n,
        });
    }
    if (a.groupIdentifier?.trim() && !isPlaceholder(a.groupIdentifier, 'user-id')) {
      const g = a.groupIdentifier.trim().toLowerCase();
      add({ kind: 'group-id', value: `${acct.ids}:${g}`, key: `group-id:${acct.ids}:${g}`, role, strength: 'medium', raw: a.groupIdentifier });
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
    let memo: RegionHint[] | undefined;
    const hints = (): RegionHint[] =>
      (memo ??= partyHints(reportHints(), p.person?.addresses ?? [], p.estimatedLocation?.countryCode, p.ipCaptureEvents, opts));
    for (const ph of p.person?.phones ?? []) phone(ph, role, hints);
    for (const e of p.person?.emails ?? []) email(e, role);
    account(p.espService, p, role);
    for (const a of p.associatedAccounts) {
      const own = (): RegionHint[] =>
        partyHints(reportHints(), a.addresses, p.estimatedLocation?.countryCode, [...a.ipCaptureEvents, ...p.ipCaptureEvents], opts);
      for (const ph of a.phones) phone(ph, 'associated', own);
      for (const e of a.emails) email(e, 'associated');
      account(a.espService ?? a.platform, a, 'associated');
    }
    for (const text of p.additionalInfo) freeText(text, role, hints);
  };
  const freeText = (text: string | undefined, role: IdentifierRole, hints: () => RegionHint[]): void => {
    if (!text) return;
    // Facilitators quote their e-wallet, which is keyed to a mobile number (domain.md §8): the
    // wallet shares its key with that phone.
    for (const m of text.matchAll(PH_MOBILE_IN_TEXT)) {
      const r = readPhone(m[0]);
      if (r.ok && r.type === 'MOBILE') phoneId(r, m[0], role, 'wallet');
      else if (!r.ok && r.reason === 'placeholder') phoneId(r, m[0], role, 'wallet');
    }
    // Most texts hold no digits worth a look: the hints (and their IP look-ups) only when they do.
    if (/\d{3}/.test(text)) for (const f of foreignPhonesInText(text, hints())) phoneId(f.reading, f.raw, role, 'phone', 'medium');
    for (const m of text.matchAll(CRYPTO_IN_TEXT)) {
      const blank = placeholderReason(m[0], 'wallet');
      add({
        kind: 'wallet',
        value: m[0],
        key: `wallet:${m[0]}`,
        role,
        strength: blank ? 'never' : 'strong',
        raw: m[0],
        ...(blank ? { note: `placeholder: ${blank}` } : {}),
      });
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
    } else if (d.kind === 'cellPhone' && d.phone) phone(d.phone, 'incident', () => reportHints().all);
    else if (d.kind === 'peer2peer') for (const ev of d.ipCaptureEvents) ipEvent(ev, 'incident');
    else if (d.kind === 'chatIm') freeText(d.content, 'incident', () => reportHints().all);
  }
  freeText(report.additionalInfo, 'incident', () => reportHints().all);
  for (const f of report.files) {
    const hashes = [...f.originalFileHashes.map((h) => ({ type: h.hashType, value: h.value }))];
    for (const m of f.details) if (m.type?.toUpperCase() === 'HASH') for (const p of m.pairs) hashes.push({ type: p.name, value: p.value });
    for (const h of hashes) {
      const v = h.value.trim().toLowerCase();
      if (!/^[0-9a-f]{16,128}$/.test(v)) continue;
      const type = h.type.toLowerCase().replace(/[^a-z0-9]/g, '');
      // File hashes are shared content (memes, known files), not identity: context only.
      const empty = EMPTY_HASHES.has(v);
      add({
        kind: 'file-hash',
        value: `${type}:${v}`,
        key: `file-hash:${type}:${v}`,
        role: 'file',
        strength: empty ? 'never' : 'weak',
        raw: h.value,
        ...(empty ? { note: 'empty-file hash' } : {}),
      });
    }
    if (f.ipCaptureEvent) ipEvent(f.ipCaptureEvent, 'file');
    for (const d of f.deviceIds) device(d, 'file');
  }
  return [...out.values()];
}

/** The report-wide region hints for phones, by source (domain.md §7.6). */
interface ReportHints {
  ncmec: RegionHint[];
  reporter: RegionHint[];
  ip: RegionHint[];
  /** Every report-wide hint in order (for phones that belong to no party). */
  all: RegionHint[];
}

function regionHints(report: CybertipReport, opts: ExtractOptions): ReportHints {
  const hint = (c: string | undefined, source: RegionHint['source']): RegionHint[] => {
    const region = countryCode(c);
    return region ? [{ region, source }] : [];
  };
  const ncmec = hint(report.envelope.country, 'ncmec-country');
  const reporter = [report.reporter?.reportingPerson, report.reporter?.contactPerson].flatMap((p) =>
    (p?.addresses ?? []).flatMap((a) => hint(a.country, 'reporter-country')),
  );
  const ip = [
    ...report.envelope.ipLookups.flatMap((l) => hint(l.country, 'ip-country')),
    ...report.reportedPersons.flatMap((p) => ipHints(p.ipCaptureEvents, opts)),
  ];
  return { ncmec, reporter, ip, all: [...ncmec, ...reporter, ...ip] };
}

function ipHints(events: IpCaptureEvent[], opts: ExtractOptions): RegionHint[] {
  if (!opts.ipCountry) return [];
  const out: RegionHint[] = [];
  for (const ev of events) {
    const c = classifyIp(ev.ipAddress ?? '');
    const region = c && !c.nonPublic ? countryCode(opts.ipCountry(c.ip)) : undefined;
    if (region) out.push({ region, source: 'ip-country' });
  }
  return out;
}

/** A party's hints in the stated order: NCMEC's country, the party's address, the ESP's estimate of its location, the reporter's country, its IPs' country, the report's IPs. */
function partyHints(report: ReportHints, addresses: Address[], estimated: string | undefined, ips: IpCaptureEvent[], opts: ExtractOptions): RegionHint[] {
  const address = addresses.flatMap((a) => {
    const region = countryCode(a.country);
    return region ? [{ region, source: 'party-address' as const }] : [];
  });
  const est = countryCode(estimated);
  return [
    ...report.ncmec,
    ...address,
    ...(est ? [{ region: est, source: 'estimated-location' as const }] : []),
    ...report.reporter,
    ...ipHints(ips, opts),
    ...report.ip,
  ];
}

/**
 * Numbers of other countries written in free text. Only two shapes are read, to keep dates,
 * amounts and reference numbers out: a number in international form (`+54 9 11…`, `0044…`), or a
 * mobile in the national form of a country a strong hint names. libphonenumber's matcher accepts
 * only valid numbers and refuses digits that run on. Philippine mobiles are read as e-wallets above.
 */
function foreignPhonesInText(text: string, hints: RegionHint[]): { raw: string; reading: PhoneResult }[] {
  const out: { raw: string; reading: PhoneResult }[] = [];
  const strong = new Map<string, RegionHint>();
  for (const h of hints) if (h.source !== 'reporter-country' && h.source !== 'ip-country' && !strong.has(h.region)) strong.set(h.region, h);
  for (const hint of [undefined, ...strong.values()]) {
    for (const m of findPhoneNumbersInText(text, hint ? { defaultCountry: hint.region as CountryCode } : {})) {
      if (m.number.country === 'PH') continue;
      const written = text.slice(m.startsAt, m.endsAt);
      const international = /^\s*(?:\+|00)/.test(written);
      const type = m.number.getType();
      if (!international && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') continue;
      const reading = readPhone(written, hint ? { hints: [hint] } : {});
      if (reading.ok || reading.reason === 'placeholder') out.push({ raw: written, reading });
    }
  }
  return out;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
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
