import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeReport } from '../../test/fixtures/link/reports.ts';
import { openIpGeo } from '../enrich/ip-geo.ts';
import { WarninglistSet } from '../enrich/warninglists.ts';
import { ipTableRows, ipTableSheet, NO_PORT_WARNING, NO_TIME_WARNING, type IpGeoSource } from './iptable.ts';
import { toCsv } from './tabular.ts';

// Public addresses of Philippine carriers' ranges (any public address would do: the geo source here is a stub).
const report = makeReport(
  '100',
  {
    screenName: '@juan',
    espIdentifier: '555',
    ipCaptureEvents: [
      { ipAddress: '112.198.67.84', eventName: 'Login', dateTime: '2026-02-01T08:00:00+08:00', port: 50123 },
      { ipAddress: '112.198.67.85', eventName: 'Login', dateTime: '2026-01-01T00:00:00Z' },
      { ipAddress: '2001:4455::1', eventName: 'Upload', dateTime: '2026-01-02T00:00:00Z' },
      { ipAddress: '100.64.1.2', eventName: 'Login', dateTime: '2026-01-03T00:00:00Z' },
      { ipAddress: '192.168.1.5', eventName: 'Login' },
      { ipAddress: '180.190.1.1', eventName: 'Purchase', port: 443, possibleProxy: true },
      { ipAddress: 'not-an-ip' },
    ],
  },
  {
    envelope: { ipLookups: [{ ipAddress: '112.198.67.84', country: 'PH', region: 'Cebu', isp: 'Globe', asn: 'AS4775' }] },
    files: [
      {
        fileId: 'F1',
        fileName: 'a.jpg',
        fileAnnotations: [],
        originalFileHashes: [],
        deviceIds: [],
        details: [],
        additionalInfo: [],
        ipCaptureEvent: { ipAddress: '180.190.1.2', dateTime: '2026-01-05T00:00:00Z', port: 1 },
      },
    ],
  },
);

const stubGeo: IpGeoSource = {
  lookup: (ip) => (ip.startsWith('112.') ? { country: 'PH', region: 'Central Visayas', asn: 4775, org: 'Globe Telecom' } : undefined),
  dataVersion: 'stub 1',
};

test('one row per IP event, oldest first, with source, account, UTC time and port', () => {
  const rows = ipTableRows([report], { geo: stubGeo });
  assert.equal(rows.length, 8);
  assert.deepEqual(rows.map((r) => r.ip).slice(0, 5), ['112.198.67.85', '2001:4455::1', '100.64.1.2', '180.190.1.2', '112.198.67.84']);
  const login = rows.find((r) => r.ip === '112.198.67.84')!;
  assert.equal(login.utc, '2026-02-01T00:00:00Z');
  assert.equal(login.timeWritten, '2026-02-01T08:00:00+08:00');
  assert.equal(login.port, 50123);
  assert.equal(login.account, 'user ID 555, screen name juan');
  assert.equal(login.source, 'reported person 1');
  assert.deepEqual(login.warnings, []);
  assert.equal(rows.find((r) => r.ip === '180.190.1.2')!.source, 'file F1 (a.jpg)');
});

test('CGNAT warning where an IPv4 public address has no port; time warning where it has no time', () => {
  const rows = ipTableRows([report]);
  const by = (ip: string) => rows.find((r) => r.ip === ip)!;
  assert.deepEqual(by('112.198.67.85').warnings, [NO_PORT_WARNING]);
  assert.deepEqual(by('2001:4455::1').warnings, [], 'IPv6 is not behind CGNAT: no port warning');
  assert.deepEqual(by('180.190.1.1').warnings, [NO_TIME_WARNING]);
  // Non-public addresses name no subscriber: flagged, not warned about.
  assert.deepEqual(by('100.64.1.2').warnings, []);
  assert.match(by('100.64.1.2').flags[0]!, /CGNAT shared space/);
  assert.equal(by('192.168.1.5').flags[0], 'not public (private)');
  assert.equal(by('not-an-ip').flags[0], 'not an IP address');
  assert.deepEqual(by('180.190.1.1').flags, ['possible proxy (ESP)']);
  assert.equal(by('180.190.1.1').possibleProxy, true);
});

test("geolocation only for public addresses; NCMEC's lookup beside it", () => {
  const rows = ipTableRows([report], { geo: stubGeo });
  const login = rows.find((r) => r.ip === '112.198.67.84')!;
  assert.deepEqual(login.geo, { country: 'PH', region: 'Central Visayas', asn: 4775, org: 'Globe Telecom' });
  assert.deepEqual(login.ncmec, { country: 'PH', region: 'Cebu', isp: 'Globe', asn: 'AS4775' });
  assert.equal(rows.find((r) => r.ip === '100.64.1.2')!.geo, null);
  assert.equal(rows.find((r) => r.ip === '112.198.67.85')!.ncmec, null);
});

test('warninglist names become flags', () => {
  const wl = new WarninglistSet([{ name: 'List of known VPN ranges', type: 'cidr', list: ['180.190.0.0/16'] }]);
  const rows = ipTableRows([report], { warninglists: wl });
  assert.deepEqual(rows.find((r) => r.ip === '180.190.1.1')!.flags, ['possible proxy (ESP)', 'List of known VPN ranges']);
});

test('the sheet carries the DB-IP attribution, its data version and the CGNAT note', () => {
  const sheet = ipTableSheet(ipTableRows([report], { geo: stubGeo }), { geoVersion: 'stub 1' });
  const csv = new TextDecoder().decode(toCsv(sheet));
  assert.match(csv, /IP geolocation by DB-IP \(https:\/\/db-ip\.com\), CC BY 4\.0/);
  assert.match(csv, /Data: stub 1\./);
  assert.match(csv, /CGNAT: No source port/);
  const row = sheet.rows.find((r) => r[4] === '112.198.67.84')!;
  assert.deepEqual([row[11], row[12], row[13], row[14]], ['Globe Telecom', 'AS4775', 'PH', 'Central Visayas']);
});

test('with the shipped offline data a public address gets its ASN and country', async () => {
  const geo = await openIpGeo();
  const [row] = ipTableRows([makeReport('1', { ipCaptureEvents: [{ ipAddress: '8.8.8.8', dateTime: '2026-01-01T00:00:00Z', port: 1 }] })], { geo });
  assert.equal(row!.geo?.asn, 15169);
  assert.equal(row!.geo?.country, 'US');
});
