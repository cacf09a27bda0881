// A report's enrichment: every IP, phone and place of the report looked up offline, plus the
// few facts triage filters on (countries, carriers, IP classes, province). Pure: the identifiers
// (extracted once, in src/link) and the look-up data come in as parameters.

import type { Address, CybertipReport, EstimatedLocation, Party } from '../model/report.ts';
import type { IpGeoInfo } from './ip-geo.ts';
import { normalisePhone } from './phone.ts';
import type { PlaceHint, ProvinceUnit } from './places.ts';
import type { WarninglistSet } from './warninglists.ts';
import { classifyIp } from './ip.ts';

/** The fields of an extracted identifier that enrichment reads (src/link/identifiers.ts). */
export interface IdentifierInput {
  kind: string;
  value: string;
  role: string;
  strength: string;
  at?: string | undefined;
  note?: string | undefined;
}

/** Where look-ups come from. */
export interface EnrichContext {
  geo: { lookup(ip: string): IpGeoInfo | undefined };
  places: { resolve(hint: PlaceHint): ProvinceUnit | undefined; resolvePlace?(hint: PlaceHint): { unit: ProvinceUnit; municipalityCode?: string } | undefined };
  warninglists?: WarninglistSet | undefined;
}

/** IP classes a report can carry. */
export type IpFlag = 'private' | 'cgnat' | 'vpn' | 'proxy' | 'relay' | 'tor' | 'public-dns' | 'cloud' | 'reserved';

/** One IP address of the report, enriched. */
export interface EnrichedIp extends IpGeoInfo {
  ip: string;
  role: string;
  port?: number;
  /** UTC ISO time of the sighting. */
  at?: string;
  flags: IpFlag[];
  /** Lists that named it (warninglists, built-in knowledge). */
  lists: string[];
  /** A subscriber request can name one household: public, not shared, with port and time. */
  actionable: boolean;
  /** Why it is not actionable, in words. */
  warning?: string;
}

/** One phone number of the report, enriched. */
export interface EnrichedPhone {
  e164: string;
  role: string;
  country: string | null;
  type: string;
}

/** A place the report names, with the province it resolves to. */
export interface EnrichedPlace {
  source: 'address' | 'estimated-location' | 'ncmec-ip-lookup' | 'ip-data';
  role?: string;
  city?: string;
  region?: string;
  country?: string;
  provinceCode?: string;
  provinceName?: string;
  /** PSGC code of the city or municipality, when the town resolves. */
  municipalityCode?: string;
}

/**
 * How precisely a report's point places it, from most to least: coordinates the ESP gave for the
 * incident, a place (an address, the ESP's estimated location) resolved to its city or municipality,
 * or the city of an IP address.
 */
export type PointPrecision = 'exact' | 'town' | 'ip-city';

/** Where a report itself points on the map: one point, no more precise than the data it comes from. */
export interface ReportPoint {
  source: 'esp-coordinates' | EnrichedPlace['source'];
  precision: PointPrecision;
  /** Whose place it is (victim, reported, recipient, incident), when the source says. */
  role: string | null;
  /** PSGC code of the city or municipality it is drawn at (the centre of that town's shape); null when placed by coordinates. */
  code: string | null;
  /** WGS 84 degrees: the ESP's own, or an IP city's rounded to 0.1° (about 11 km); null when drawn at the town. */
  lat: number | null;
  lon: number | null;
}

/** The stored enrichment document of a report. */
export interface EnrichmentDoc {
  ips: EnrichedIp[];
  phones: EnrichedPhone[];
  places: EnrichedPlace[];
}

/** The enrichment of one report: the document and the columns triage filters on. */
export interface ReportEnrichment {
  doc: EnrichmentDoc;
  countries: string[];
  ipCountries: string[];
  phoneCountries: string[];
  carriers: string[];
  asns: number[];
  ipFlags: IpFlag[];
  provinceCode: string | null;
  provinceCodes: string[];
  /** PSGC code of the city or municipality of the most telling place, within its province. */
  municipalityCode: string | null;
  /** The report's own point for the map, or null when nothing in it places it. */
  point: ReportPoint | null;
  ipCount: number;
  ipPortTimeCount: number;
  phoneCount: number;
}

// Operators whose addresses are data-centre egress, not subscribers: known without any list
// loaded, so that a VPN exit on a cloud host is never mistaken for a household.
const HOSTING_ORG =
  /amazon|google cloud|google llc|microsoft|azure|digitalocean|ovh|hetzner|linode|akamai|vultr|choopa|m247|datacamp|leaseweb|contabo|alibaba|tencent|oracle|cloudflare|fastly|hostinger|scaleway|constant|psychz|quadranet/i;

function flagsFromList(name: string): IpFlag[] {
  const n = name.toLowerCase();
  const out: IpFlag[] = [];
  if (/vpn/.test(n)) out.push('vpn');
  if (/tor\b|tor-|onion/.test(n)) out.push('tor');
  if (/proxy|anonymi/.test(n)) out.push('proxy');
  if (/relay/.test(n)) out.push('relay');
  if (/dns|resolver/.test(n)) out.push('public-dns');
  if (/cloud|aws|amazon|azure|google|ovh|digitalocean|oracle|hosting|datacenter|data centre/.test(n)) out.push('cloud');
  return out;
}

function portOf(value: string): number | undefined {
  const port = Number(value.split('|')[1]);
  return Number.isInteger(port) ? port : undefined;
}

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** Enriches one report from its canonical form and its extracted identifiers. */
export function enrichReport(report: CybertipReport, identifiers: IdentifierInput[], ctx: EnrichContext): ReportEnrichment {
  const ips = enrichIps(identifiers, ctx);
  const phones = identifiers
    .filter((i) => i.kind === 'phone' && i.value.startsWith('+'))
    .map((i): EnrichedPhone => {
      const r = normalisePhone(i.value);
      return { e164: i.value, role: i.role, country: r.ok ? r.country : null, type: (r.ok ? r.type : undefined) ?? 'UNKNOWN' };
    });
  const places = reportPlaces(report, ips, ctx);
  // The most telling place wins: an address over an ESP's estimate over an IP look-up.
  const provinces = places.filter((p) => p.provinceCode);
  const ipCountries = uniq(ips.map((i) => i.country).filter((c): c is string => !!c));
  const phoneCountries = uniq(phones.map((p) => p.country).filter((c): c is string => !!c));
  const placeCountries = places
    .filter((p) => p.source !== 'ip-data')
    .map((p) => (p.provinceCode ? 'PH' : p.country?.toUpperCase()))
    .filter((c): c is string => !!c && /^[A-Z]{2}$/.test(c));
  return {
    doc: { ips, phones, places },
    countries: uniq([...ipCountries, ...phoneCountries, ...placeCountries]).sort(),
    ipCountries: ipCountries.sort(),
    phoneCountries: phoneCountries.sort(),
    carriers: uniq(ips.filter((i) => i.org && !i.flags.includes('private') && !i.flags.includes('cgnat')).map((i) => i.org!)).sort(),
    asns: uniq(ips.map((i) => i.asn).filter((a): a is number => a !== undefined)).sort((a, b) => a - b),
    ipFlags: uniq(ips.flatMap((i) => i.flags)).sort(),
    provinceCode: provinces[0]?.provinceCode ?? null,
    provinceCodes: uniq(provinces.map((p) => p.provinceCode!)),
    municipalityCode: provinces.find((p) => p.municipalityCode && p.provinceCode === provinces[0]?.provinceCode)?.municipalityCode ?? null,
    point: reportPoint(report, places, ips),
    ipCount: uniq(ips.map((i) => i.ip)).length,
    ipPortTimeCount: ips.filter((i) => i.actionable).length,
    phoneCount: uniq(phones.map((p) => p.e164)).length,
  };
}

function enrichIps(identifiers: IdentifierInput[], ctx: EnrichContext): EnrichedIp[] {
  const out: EnrichedIp[] = [];
  const withPortTime = new Set<string>();
  for (const id of identifiers) {
    if (id.kind !== 'ip-port-time') continue;
    const ip = id.value.split('|')[0]!;
    withPortTime.add(ip);
    out.push(enrichIp(ip, id, portOf(id.value), id.at, ctx));
  }
  // A bare sighting only when the same address has no sighting with port and time; once per
  // address and role (extraction keeps one bare row per time the address was seen).
  const bare = new Set<string>();
  for (const id of identifiers) {
    const k = `${id.value}\u0000${id.role}`;
    if (id.kind !== 'ip' || withPortTime.has(id.value) || bare.has(k)) continue;
    bare.add(k);
    out.push(enrichIp(id.value, id, undefined, undefined, ctx));
  }
  return out;
}

function enrichIp(ip: string, id: IdentifierInput, port: number | undefined, at: string | undefined, ctx: EnrichContext): EnrichedIp {
  const c = classifyIp(ip);
  const flags = new Set<IpFlag>();
  const lists: string[] = [];
  if (c?.cgnat) flags.add('cgnat');
  else if (c?.nonPublic) flags.add(c.range === 'private' || c.range === 'uniqueLocal' ? 'private' : 'reserved');
  if (id.note === 'public DNS resolver') {
    flags.add('public-dns');
    lists.push('built-in public DNS resolvers');
  }
  for (const hit of ctx.warninglists?.hits(ip) ?? []) {
    lists.push(hit.list);
    for (const f of flagsFromList(hit.list)) flags.add(f);
  }
  const geo = c && !c.nonPublic ? ctx.geo.lookup(ip) : undefined;
  if (geo?.org && HOSTING_ORG.test(geo.org) && !flags.has('public-dns')) flags.add('cloud');
  const shared = ['cgnat', 'private', 'reserved', 'vpn', 'proxy', 'relay', 'tor', 'public-dns', 'cloud'].some((f) => flags.has(f as IpFlag));
  const actionable = !shared && port !== undefined && at !== undefined;
  const warning = flags.has('cgnat')
    ? 'RFC 6598 shared address: ISP-internal, names no subscriber'
    : flags.has('private') || flags.has('reserved')
      ? 'not a public internet address'
      : shared
        ? `shared egress (${[...flags].join(', ')}): names no subscriber`
        : port === undefined
          ? 'no source port: on a carrier-grade NAT the address alone may name thousands of subscribers'
          : at === undefined
            ? 'no time: a subscriber request needs the exact time'
            : undefined;
  return {
    ip,
    role: id.role,
    ...(port !== undefined ? { port } : {}),
    ...(at ? { at } : {}),
    ...geo,
    flags: [...flags].sort(),
    lists,
    actionable,
    ...(warning ? { warning } : {}),
  };
}

function parties(report: CybertipReport): Party[] {
  return [...report.victims, ...report.reportedPersons, ...report.intendedRecipients];
}

function place(
  source: EnrichedPlace['source'],
  hint: { city?: string | undefined; region?: string | undefined; country?: string | undefined },
  ctx: EnrichContext,
  role?: string,
): EnrichedPlace | undefined {
  if (!hint.city && !hint.region && !hint.country) return undefined;
  const resolved: { unit: ProvinceUnit; municipalityCode?: string } | undefined = ctx.places.resolvePlace
    ? ctx.places.resolvePlace(hint)
    : (() => {
        const unit = ctx.places.resolve(hint);
        return unit ? { unit } : undefined;
      })();
  const unit = resolved?.unit;
  return {
    source,
    ...(role ? { role } : {}),
    ...(hint.city ? { city: hint.city } : {}),
    ...(hint.region ? { region: hint.region } : {}),
    ...(hint.country ? { country: hint.country } : {}),
    ...(unit ? { provinceCode: unit.code, provinceName: unit.name } : {}),
    ...(resolved?.municipalityCode ? { municipalityCode: resolved.municipalityCode } : {}),
  };
}

function addressHint(a: Address): { city?: string | undefined; region?: string | undefined; country?: string | undefined } {
  return { city: a.city, region: a.nonUsaState ?? a.state, country: a.country };
}

function locationHint(l: EstimatedLocation): { city?: string | undefined; region?: string | undefined; country?: string | undefined } {
  return { city: l.city, region: l.region, country: l.countryCode };
}

// Victims first: where the child is matters most for a map of where abuse happens.
function reportPlaces(report: CybertipReport, ips: EnrichedIp[], ctx: EnrichContext): EnrichedPlace[] {
  const out: (EnrichedPlace | undefined)[] = [];
  for (const p of parties(report)) for (const a of p.person?.addresses ?? []) out.push(place('address', addressHint(a), ctx, p.role));
  for (const d of report.internetDetails)
    if (d.kind === 'nonInternet') for (const a of d.addresses) out.push(place('address', addressHint(a), ctx, 'incident'));
  for (const p of parties(report)) if (p.estimatedLocation) out.push(place('estimated-location', locationHint(p.estimatedLocation), ctx, p.role));
  for (const l of report.envelope.ipLookups) out.push(place('ncmec-ip-lookup', { city: l.city, region: l.region, country: l.country }, ctx));
  // Our own IP look-ups last, and only for addresses that could name a household.
  for (const i of ips)
    if (i.actionable || (i.flags.length === 0 && i.port === undefined)) out.push(place('ip-data', { city: i.city, region: i.region, country: i.country }, ctx));
  return out.filter((p): p is EnrichedPlace => p !== undefined);
}

// Coordinates worth drawing: degrees in range, and not 0,0 (a placeholder, not a place).
function validCoordinates(lat: number | undefined, lon: number | undefined): lat is number {
  return (
    typeof lat === 'number' &&
    typeof lon === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    (lat !== 0 || lon !== 0)
  );
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * The report's point: the ESP's coordinates of the incident (cellPhoneIncident latitude and
 * longitude, kept to 5 decimals, about a metre); else the first address or ESP estimated location
 * that resolves to a Philippine city or municipality (victims first, as places are listed), drawn at
 * the town; else an IP address's city, at its town when it resolves, else at the IP data's
 * coordinates rounded to 0.1°: IP geolocation names a city at best, so the point says no more.
 */
export function reportPoint(report: CybertipReport, places: EnrichedPlace[], ips: EnrichedIp[]): ReportPoint | null {
  for (const d of report.internetDetails) {
    if (d.kind === 'cellPhone' && validCoordinates(d.latitude, d.longitude)) {
      return { source: 'esp-coordinates', precision: 'exact', role: 'incident', code: null, lat: round(d.latitude, 5), lon: round(d.longitude!, 5) };
    }
  }
  const town = (sources: EnrichedPlace['source'][]): EnrichedPlace | undefined => places.find((p) => p.municipalityCode && sources.includes(p.source));
  const named = town(['address', 'estimated-location']);
  if (named) return { source: named.source, precision: 'town', role: named.role ?? null, code: named.municipalityCode!, lat: null, lon: null };
  const ipTown = town(['ncmec-ip-lookup', 'ip-data']);
  if (ipTown) return { source: ipTown.source, precision: 'ip-city', role: ipTown.role ?? null, code: ipTown.municipalityCode!, lat: null, lon: null };
  // The same addresses reportPlaces takes: NCMEC's look-ups, and our own only for those that could name a household.
  const located: { source: EnrichedPlace['source']; latitude?: number | undefined; longitude?: number | undefined }[] = [
    ...report.envelope.ipLookups.map((l) => ({ source: 'ncmec-ip-lookup' as const, latitude: l.latitude, longitude: l.longitude })),
    ...ips
      .filter((i) => i.actionable || (i.flags.length === 0 && i.port === undefined))
      .map((i) => ({ source: 'ip-data' as const, latitude: i.latitude, longitude: i.longitude })),
  ];
  const ip = located.find((l) => validCoordinates(l.latitude, l.longitude));
  if (!ip) return null;
  return { source: ip.source, precision: 'ip-city', role: null, code: null, lat: round(ip.latitude!, 1), lon: round(ip.longitude!, 1) };
}

/** What the enrichment says about one identifier, in the flat shape screens show (undefined: nothing). */
export function identifierEnrichment(doc: EnrichmentDoc, id: { kind: string; value: string }): Record<string, string | number | boolean> | undefined {
  if (id.kind === 'ip' || id.kind === 'ip-port-time') {
    const [ip, port] = id.value.split('|');
    const e = doc.ips.find((i) => i.ip === ip && (port === undefined || String(i.port) === port)) ?? doc.ips.find((i) => i.ip === ip);
    if (!e) return undefined;
    const out: Record<string, string | number | boolean> = {};
    for (const f of e.flags) out[f === 'cloud' ? 'hosting' : f] = true;
    if (e.org) out.carrier = e.org;
    if (e.asn !== undefined) out.asn = e.asn;
    if (e.country) out.country = e.country;
    if (e.region) out.region = e.region;
    if (e.city) out.city = e.city;
    if (e.lists.length) out.warninglist = true;
    out.actionable = e.actionable;
    if (e.warning) out.warning = e.warning;
    return out;
  }
  if (id.kind === 'phone') {
    const p = doc.phones.find((x) => x.e164 === id.value);
    if (!p) return undefined;
    return { ...(p.country ? { country: p.country } : {}), numberType: p.type, ...(p.type === 'MOBILE' ? { mobile: true } : {}) };
  }
  return undefined;
}
