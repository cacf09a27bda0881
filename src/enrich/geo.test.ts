// Offline IP data, the PSGC gazetteer and the enrichment of a report, on real shipped data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { IpGeo, IP_DATA_ATTRIBUTION } from './ip-geo.ts';
import { Gazetteer } from './places.ts';
import { enrichReport, type IdentifierInput } from './report-enrichment.ts';
import { parseWarninglist, WarninglistSet } from './warninglists.ts';
import { PROVINCES } from '../synth/data/provinces.ts';
import type { CybertipReport } from '../model/report.ts';
import { sharedDir, skipWithoutShared } from '../../test/support/shared.ts';

const geo = new IpGeo();
const places = new Gazetteer();

test('IP data: country, region, city, ASN and operator offline; nothing for non-public addresses', () => {
  const google = geo.lookup('8.8.8.8');
  assert.equal(google?.country, 'US');
  assert.equal(google?.asn, 15169);
  assert.match(google?.org ?? '', /google/i);
  const globe = geo.lookup('112.198.1.1');
  assert.equal(globe?.country, 'PH');
  assert.equal(globe?.asn, 4775);
  assert.match(globe?.org ?? '', /globe/i);
  assert.ok(globe?.region && globe.city, 'a Philippine address has a region and a city');
  assert.equal(geo.lookup('::ffff:112.198.1.1')?.asn, 4775, 'IPv4-mapped IPv6 is the IPv4 address');
  assert.equal(geo.lookup('2001:4860:4860::8888')?.asn, 15169);
  assert.equal(geo.lookup('10.1.2.3'), undefined);
  assert.equal(geo.lookup('not an address'), undefined);
  assert.match(geo.dataVersion, /^dbip-city \S+; asn \S+$/);
  assert.match(IP_DATA_ATTRIBUTION, /DB-IP.*CC BY 4\.0/);
});

test('IP data let go (between pipeline stages) is read again on the next look-up, with the same answers', () => {
  const before = ['8.8.8.8', '112.198.1.1', '2001:4860:4860::8888'].map((ip) => geo.lookup(ip));
  geo.release();
  assert.deepEqual(
    ['8.8.8.8', '112.198.1.1', '2001:4860:4860::8888'].map((ip) => geo.lookup(ip)),
    before,
  );
});

test('IP data: the ASN tables are read whole, across the blocks they are read in (first, last and a block-straddling row of each)', () => {
  const fresh = new IpGeo();
  const v4 = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  const v6 = (n: bigint): string => {
    const parts: string[] = [];
    for (let s = 112n; s >= 0n; s -= 16n) parts.push(((n >> s) & 0xffffn).toString(16));
    return parts.join(':');
  };
  for (const [file, show] of [
    ['asn-ipv4-num.csv', (x: string) => v4(Number(x))],
    ['asn-ipv6-num.csv', (x: string) => v6(BigInt(x))],
  ] as const) {
    const text = readFileSync(createRequire(import.meta.url).resolve(`@ip-location-db/asn/${file}`), 'utf8');
    const lines = text.trimEnd().split('\n');
    const straddling = text.slice(0, 1 << 20).split('\n').length - 1;
    for (const line of [lines[0]!, lines[straddling]!, lines.at(-1)!]) {
      const [start, end, asn] = line.split(',');
      for (const at of [start!, end!]) assert.equal(fresh.lookup(show(at))?.asn, Number(asn), `${file}: ${line}`);
    }
  }
  assert.equal(fresh.lookup('1.0.0.1')?.org, 'Cloudflare, Inc.', 'a quoted name with a comma');
});

test('PSGC gazetteer: 115 province-level units; every generator place resolves to its province', () => {
  assert.equal(places.units.length, 115);
  for (const p of PROVINCES) {
    assert.equal(places.unit(p.code)?.code, p.code, p.name);
    assert.equal(places.resolve({ region: p.name })?.code, p.code, `province ${p.name}`);
    for (const town of p.places) assert.equal(places.resolve({ city: town, region: p.name })?.code, p.code, `${town}, ${p.name}`);
  }
});

test('PSGC gazetteer: cities, regions, ambiguous towns and foreign places', () => {
  assert.equal(places.resolve({ city: 'Quezon City' })?.name, 'Quezon City');
  assert.equal(places.resolve({ city: 'Cebu City' })?.name, 'City of Cebu');
  assert.equal(places.resolve({ city: 'Cebu City', region: 'Cebu' })?.name, 'City of Cebu', 'a HUC inside its province');
  assert.equal(places.resolve({ region: 'Cebu' })?.name, 'Cebu', 'the province, not the city');
  assert.equal(places.resolve({ city: 'Mabini' }), undefined, 'several towns are called Mabini');
  assert.equal(places.resolve({ city: 'Mabini', region: 'Calabarzon' })?.name, 'Batangas', 'a region narrows it to one');
  assert.equal(places.resolve({ city: 'Taguig', region: 'National Capital Region' })?.name, 'City of Taguig');
  assert.equal(places.resolve({ city: 'Las Piñas' })?.name, places.resolve({ city: 'Las Pinas' })?.name);
  assert.equal(places.resolve({ city: 'Manila', country: 'US' }), undefined);
  assert.equal(places.resolve({ region: 'Calabarzon' }), undefined, 'a region alone is not a province');
});

function report(over: Partial<CybertipReport>): CybertipReport {
  return {
    reportId: '1',
    idSource: 'envelope',
    envelope: { ipLookups: [] },
    incident: {
      incidentType: 'Child Pornography (possession, manufacture, and distribution)',
      incidentTime: '2026-01-01T00:00:00Z',
    } as unknown as CybertipReport['incident'],
    internetDetails: [],
    reportedPersons: [],
    intendedRecipients: [],
    victims: [],
    files: [],
    unknown: [],
    warnings: [],
    ...over,
  };
}

test('a report: IP with port and time is actionable; CGNAT, no port and public DNS carry warnings', () => {
  const ids: IdentifierInput[] = [
    { kind: 'ip-port-time', value: '112.198.1.1|51234|2026-01-01T00:00:00.000Z', role: 'reported', strength: 'strong', at: '2026-01-01T00:00:00.000Z' },
    { kind: 'ip', value: '112.198.1.1', role: 'reported', strength: 'weak' },
    { kind: 'ip', value: '49.144.1.1', role: 'reported', strength: 'weak' },
    { kind: 'ip', value: '100.64.7.7', role: 'reported', strength: 'never', note: 'RFC 6598 shared address' },
    { kind: 'ip', value: '8.8.8.8', role: 'reported', strength: 'never', note: 'public DNS resolver' },
    { kind: 'phone', value: '+639171234567', role: 'victim', strength: 'strong' },
    { kind: 'phone', value: '+12024561111', role: 'reported', strength: 'strong' },
  ];
  const e = enrichReport(report({}), ids, { geo, places });
  const byIp = new Map(e.doc.ips.map((i) => [i.ip, i]));
  assert.equal(e.doc.ips.length, 4, 'the bare sighting of an address seen with port and time is folded into it');
  assert.equal(byIp.get('112.198.1.1')?.actionable, true);
  assert.equal(byIp.get('112.198.1.1')?.port, 51234);
  assert.match(byIp.get('49.144.1.1')?.warning ?? '', /no source port/);
  assert.deepEqual(byIp.get('100.64.7.7')?.flags, ['cgnat']);
  assert.match(byIp.get('100.64.7.7')?.warning ?? '', /RFC 6598/);
  assert.ok(byIp.get('8.8.8.8')?.flags.includes('public-dns'));
  assert.equal(byIp.get('8.8.8.8')?.actionable, false);
  assert.equal(e.ipPortTimeCount, 1);
  assert.deepEqual(e.phoneCountries, ['PH', 'US']);
  assert.ok(e.carriers.some((c) => /globe/i.test(c)));
  assert.ok(e.ipFlags.includes('cgnat') && e.ipFlags.includes('public-dns'));
});

test("a report: the victim's address outranks an ESP estimate and an IP look-up for the province", () => {
  const r = report({
    victims: [
      {
        role: 'victim',
        person: { addresses: [{ city: 'Mandaue', nonUsaState: 'Cebu', country: 'PH' }], phones: [], emails: [] } as never,
        displayNames: [],
        profileUrls: [],
        ipCaptureEvents: [],
        deviceIds: [],
        priorCTReports: [],
        associatedAccounts: [],
        additionalInfo: [],
      },
    ],
    reportedPersons: [
      {
        role: 'reported',
        estimatedLocation: { city: 'Davao City', countryCode: 'PH' },
        displayNames: [],
        profileUrls: [],
        ipCaptureEvents: [],
        deviceIds: [],
        priorCTReports: [],
        associatedAccounts: [],
        additionalInfo: [],
      },
    ],
    envelope: { ipLookups: [{ ipAddress: '1.2.3.4', country: 'PH', region: 'Ilocos Norte', city: 'Laoag' }] },
  });
  const e = enrichReport(r, [], { geo, places });
  assert.equal(places.unit(e.provinceCode ?? '')?.name, 'City of Mandaue', 'Mandaue is a highly urbanised city: its own unit');
  assert.deepEqual(
    e.provinceCodes.map((c) => places.unit(c)?.name),
    ['City of Mandaue', 'City of Davao', 'Ilocos Norte'],
  );
  assert.deepEqual(e.countries, ['PH']);
});

test("a report's point: the ESP's coordinates, else a named place at its town, else an IP city, never sharper than its source", () => {
  const victim = {
    role: 'victim' as const,
    person: { addresses: [{ city: 'Mandaue', nonUsaState: 'Cebu', country: 'PH' }], phones: [], emails: [] } as never,
    displayNames: [],
    profileUrls: [],
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
    associatedAccounts: [],
    additionalInfo: [],
  };
  const cell = { kind: 'cellPhone' as const, latitude: 10.3456789, longitude: 123.9412345 };
  const lookup = { ipAddress: '1.2.3.4', country: 'PH', region: 'Ilocos Norte', city: 'Laoag', latitude: 18.19812, longitude: 120.59366 };
  const abroad = { ipAddress: '5.6.7.8', country: 'US', city: 'Nowhere Springs', latitude: 38.8977, longitude: -77.0365 };
  const mandaue = places.resolvePlace({ city: 'Mandaue', region: 'Cebu', country: 'PH' })!.municipalityCode!;
  const laoag = places.resolvePlace({ city: 'Laoag', region: 'Ilocos Norte', country: 'PH' })!.municipalityCode!;
  const point = (over: Partial<CybertipReport>) => enrichReport(report(over), [], { geo, places }).point;
  assert.deepEqual(point({ victims: [victim], internetDetails: [cell], envelope: { ipLookups: [lookup] } }), {
    source: 'esp-coordinates',
    precision: 'exact',
    role: 'incident',
    code: null,
    lat: 10.34568,
    lon: 123.94123,
  });
  assert.deepEqual(point({ victims: [victim], envelope: { ipLookups: [lookup] } }), {
    source: 'address',
    precision: 'town',
    role: 'victim',
    code: mandaue,
    lat: null,
    lon: null,
  });
  assert.deepEqual(
    point({ envelope: { ipLookups: [lookup] } }),
    { source: 'ncmec-ip-lookup', precision: 'ip-city', role: null, code: laoag, lat: null, lon: null },
    "an IP city that resolves is drawn at its town, not at the look-up's coordinates",
  );
  assert.deepEqual(
    point({ envelope: { ipLookups: [abroad] } }),
    { source: 'ncmec-ip-lookup', precision: 'ip-city', role: null, code: null, lat: 38.9, lon: -77 },
    'elsewhere, the coordinates to 0.1°',
  );
  assert.equal(point({ internetDetails: [{ kind: 'cellPhone', latitude: 0, longitude: 0 }] }), null, '0,0 is a placeholder');
  assert.equal(point({ internetDetails: [{ kind: 'cellPhone', latitude: 123, longitude: 10 }] }), null, 'not degrees');
  assert.equal(point({}), null);
});

test('warninglists flag VPN, relay and cloud addresses in the enrichment', { skip: skipWithoutShared('warninglist files') }, () => {
  const dir = join(sharedDir()!, 'data', 'warninglists');
  const lists = new WarninglistSet(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'schema.json')
      .map((f) => parseWarninglist(JSON.parse(readFileSync(join(dir, f), 'utf8')), f)),
  );
  const e = enrichReport(report({}), [{ kind: 'ip', value: '104.28.100.10', role: 'reported', strength: 'weak' }], { geo, places, warninglists: lists });
  assert.ok(e.doc.ips[0]!.flags.includes('relay'), JSON.stringify(e.doc.ips[0]));
  assert.ok(e.doc.ips[0]!.lists.length > 0);
});
