import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSources } from '../ingest/sources.ts';
import type { CybertipReport } from '../model/report.ts';
import { formatPh } from '../synth/phones.ts';
import { PHONE_FORMATS } from '../synth/params.ts';
import { WarninglistSet } from '../enrich/warninglists.ts';
import { repoRoot } from '../../test/support/shared.ts';
import { extractIdentifiers, type Identifier } from './identifiers.ts';
import { makeReport } from '../../test/fixtures/link/reports.ts';

async function kitchenSink(): Promise<CybertipReport[]> {
  const out: CybertipReport[] = [];
  for await (const it of readSources([join(repoRoot, 'test', 'fixtures', 'cybertip', 'kitchen-sink.xml')])) if (it.kind === 'report') out.push(it.report);
  return out;
}

const find = (ids: Identifier[], kind: string, value: string, role?: string): Identifier | undefined =>
  ids.find((i) => i.kind === kind && i.value === value && (role === undefined || i.role === role));

test('kitchen-sink: every identifier with kind, normalised value, role and strength', async () => {
  const [first, second] = await kitchenSink();
  const ids = extractIdentifiers(first!);
  const expect = (kind: string, value: string, role: string, strength: string): void => {
    const i = find(ids, kind, value, role);
    assert.ok(i, `${kind} ${value} (${role}) missing`);
    assert.equal(i.strength, strength, `${kind} ${value}`);
  };
  expect('phone', '+639171234567', 'reported', 'strong'); // 9171234567 with countryCallingCode="+63"
  expect('email', 'juan.dc@example.ph', 'reported', 'strong');
  expect('email', 'jdc.recovery@example.com', 'reported', 'never'); // example.com: a test address
  expect('esp-user-id', 'chatterboxmessenger:cb-user-884412', 'reported', 'strong');
  expect('screen-name', 'chatterboxmessenger:kuya_juan88', 'reported', 'medium');
  expect('profile-url', 'chatterbox.example/u/kuya_juan88', 'reported', 'medium');
  expect('group-id', 'chatterboxmessenger:grp-kids-hangout-42', 'reported', 'medium');
  expect('display-name', 'juan dc', 'reported', 'weak');
  expect('device-id', '490154203237518', 'reported', 'strong');
  expect('device-id', 'homenet-5g', 'associated', 'weak'); // an SSID
  expect('prior-ct-report', '150000001', 'reported', 'strong');
  expect('phone', '+639179999999', 'associated', 'strong');
  expect('esp-user-id', 'chatterboxmessenger:cb-user-123001', 'recipient', 'strong');
  expect('phone', '+639190000003', 'victim', 'strong');
  expect('url', 'files.example.net/u/aa11bb22', 'incident', 'weak');
  expect('file-hash', 'md5:0123456789abcdef0123456789abcdef', 'file', 'weak');
  expect('file-hash', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'file', 'never');
  // Documentation ranges are not public addresses: never a link, with port and time or without.
  expect('ip', '203.0.113.45', 'reported', 'never');
  expect('ip-port-time', '203.0.113.45|50123|2026-02-27T21:00:00.000Z', 'reported', 'never');
  // Invalid numbers never link.
  const second2 = extractIdentifiers(second!);
  assert.equal(find(second2, 'phone', '+1 555 0199')?.strength, 'never');
  // Keys are unique per kind, value and role.
  const keys = ids.map((i) => `${i.kind} ${i.value} ${i.role}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('each written form of a Philippine mobile gives one phone key', () => {
  const keys = new Set<string>();
  for (const f of PHONE_FORMATS) {
    const written = formatPh('+639171234567', f);
    const ids = extractIdentifiers(makeReport('1', { person: { phones: [{ number: written, ...(f === 'national' ? { countryCallingCode: '+63' } : {}) }], emails: [], addresses: [] } }));
    const phone = ids.find((i) => i.kind === 'phone');
    assert.equal(phone?.value, '+639171234567', `${f}: ${written}`);
    assert.equal(phone?.strength, 'strong');
    keys.add(phone.key);
  }
  assert.equal(keys.size, 1);
});

test('each written form of an e-mail gives one key; role and placeholder addresses never link', () => {
  const forms = ['Juan.DelaCruz88@gmail.com', 'juandelacruz88@gmail.com', 'JUAN.DELACRUZ88@GMAIL.COM', 'juan.dela.cruz88+fb@gmail.com', 'juandelacruz88@googlemail.com'];
  const keys = new Set(forms.map((e) => extractIdentifiers(makeReport('1', { person: { phones: [], emails: [{ address: e }], addresses: [] } }))[0]!.key));
  assert.deepEqual([...keys], ['email:juandelacruz88@gmail.com']);
  for (const e of ['noreply@gmail.com', 'no-reply@accounts.google.com', 'admin@yahoo.com', 'noreply@facebookmail.com', 'test@test.com', 'N/A']) {
    const ids = extractIdentifiers(makeReport('1', { person: { phones: [], emails: [{ address: e }], addresses: [] } }));
    assert.ok(ids.every((i) => i.strength === 'never'), e);
  }
});

test('placeholders in every field never link', () => {
  for (const v of ['N/A', 'unknown', 'none', '0000000000', '09000000000']) {
    const ids = extractIdentifiers(makeReport('1', {
      person: { phones: [{ number: v }], emails: [{ address: v }], addresses: [] },
      screenName: v, espIdentifier: v, deviceIds: [{ idType: 'IMEI', idValue: v }],
    }));
    assert.ok(ids.every((i) => i.strength === 'never'), `${v}: ${JSON.stringify(ids)}`);
  }
});

test('IP addresses: alone weak, with port and time strong, never when shared infrastructure', () => {
  const ev = (ip: string): CybertipReport => makeReport('1', { ipCaptureEvents: [{ ipAddress: ip, port: 52311, dateTime: '2026-01-03T18:22:31+08:00' }] });
  const pub = extractIdentifiers(ev('112.198.3.4'));
  assert.equal(find(pub, 'ip', '112.198.3.4')?.strength, 'weak');
  const ipt = find(pub, 'ip-port-time', '112.198.3.4|52311|2026-01-03T10:22:31.000Z');
  assert.equal(ipt?.strength, 'strong');
  assert.equal(ipt?.key, 'ip-port:112.198.3.4|52311');
  for (const ip of ['100.64.1.2', '10.0.0.1', '8.8.8.8', '1.1.1.1', '192.168.1.1']) {
    assert.ok(extractIdentifiers(ev(ip)).every((i) => i.strength === 'never'), ip);
  }
  // A user's warninglist (a VPN range) makes an otherwise public address link nothing.
  const lists = new WarninglistSet([{ name: 'test VPN', type: 'cidr', list: ['45.80.0.0/16'] }]);
  assert.ok(extractIdentifiers(ev('45.80.1.2'), { warninglists: lists }).every((i) => i.strength === 'never'));
  assert.ok(extractIdentifiers(ev('45.80.1.2')).some((i) => i.strength === 'strong'));
});

test('an e-wallet quoted in chat shares its key with the mobile it is keyed to', () => {
  const r = makeReport('1', {}, { internetDetails: [{ kind: 'chatIm', content: 'facilitator: yes po\nfacilitator: gcash 0917 123 4567\ncustomer: sent 1500' }] });
  const w = extractIdentifiers(r).find((i) => i.kind === 'wallet');
  assert.equal(w?.value, '+639171234567');
  assert.equal(w?.key, 'phone:+639171234567');
  const c = makeReport('1', {}, { internetDetails: [{ kind: 'chatIm', content: 'pay 200 to TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC or i post it' }] });
  assert.equal(extractIdentifiers(c).find((i) => i.kind === 'wallet')?.key, 'wallet:TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC');
});

test('ESP ids and screen names are per service; handles fold case and @', () => {
  const a = extractIdentifiers(makeReport('1', { espService: 'Instagram', espIdentifier: '48213377', screenName: '@Jun_DC88' }));
  assert.equal(find(a, 'esp-user-id', 'instagram:48213377')?.strength, 'strong');
  assert.equal(find(a, 'screen-name', 'instagram:jun_dc88')?.strength, 'medium');
  // Without espService the report's platform names the service.
  const b = extractIdentifiers(makeReport('1', { espIdentifier: '48213377' }));
  assert.ok(find(b, 'esp-user-id', 'facebook:48213377'));
});

test('a foreign number in national form is read with the party\'s country', () => {
  const ids = extractIdentifiers(makeReport('1', { person: { phones: [{ number: '08163023949' }], emails: [], addresses: [] }, estimatedLocation: { countryCode: 'NG' } }));
  assert.equal(ids.find((i) => i.kind === 'phone')?.value, '+2348163023949');
});
