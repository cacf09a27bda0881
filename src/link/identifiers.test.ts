import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSources } from '../ingest/sources.ts';
import type { CybertipReport, Party } from '../model/report.ts';
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
    const ids = extractIdentifiers(
      makeReport('1', { person: { phones: [{ number: written, ...(f === 'national' ? { countryCallingCode: '+63' } : {}) }], emails: [], addresses: [] } }),
    );
    const phone = ids.find((i) => i.kind === 'phone');
    assert.equal(phone?.value, '+639171234567', `${f}: ${written}`);
    assert.equal(phone?.strength, 'strong');
    keys.add(phone.key);
  }
  assert.equal(keys.size, 1);
});

test('each written form of an e-mail gives one key; role and placeholder addresses never link', () => {
  const forms = [
    'Juan.DelaCruz88@gmail.com',
    'juandelacruz88@gmail.com',
    'JUAN.DELACRUZ88@GMAIL.COM',
    'juan.dela.cruz88+fb@gmail.com',
    'juandelacruz88@googlemail.com',
  ];
  const keys = new Set(forms.map((e) => extractIdentifiers(makeReport('1', { person: { phones: [], emails: [{ address: e }], addresses: [] } }))[0]!.key));
  assert.deepEqual([...keys], ['email:juandelacruz88@gmail.com']);
  for (const e of ['noreply@gmail.com', 'no-reply@accounts.google.com', 'admin@yahoo.com', 'noreply@facebookmail.com', 'test@test.com', 'N/A']) {
    const ids = extractIdentifiers(makeReport('1', { person: { phones: [], emails: [{ address: e }], addresses: [] } }));
    assert.ok(
      ids.every((i) => i.strength === 'never'),
      e,
    );
  }
});

test('placeholders in every field never link', () => {
  for (const v of ['N/A', 'unknown', 'none', '0000000000', '09000000000']) {
    const ids = extractIdentifiers(
      makeReport('1', {
        person: { phones: [{ number: v }], emails: [{ address: v }], addresses: [] },
        screenName: v,
        espIdentifier: v,
        deviceIds: [{ idType: 'IMEI', idValue: v }],
      }),
    );
    assert.ok(
      ids.every((i) => i.strength === 'never'),
      `${v}: ${JSON.stringify(ids)}`,
    );
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
    assert.ok(
      extractIdentifiers(ev(ip)).every((i) => i.strength === 'never'),
      ip,
    );
  }
  // A user's warninglist (a VPN range) makes an otherwise public address link nothing.
  const lists = new WarninglistSet([{ name: 'test VPN', type: 'cidr', list: ['45.80.0.0/16'] }]);
  assert.ok(extractIdentifiers(ev('45.80.1.2'), { warninglists: lists }).every((i) => i.strength === 'never'));
  assert.ok(extractIdentifiers(ev('45.80.1.2')).some((i) => i.strength === 'strong'));
});

test('an e-wallet quoted in chat shares its key with the mobile it is keyed to', () => {
  const r = makeReport(
    '1',
    {},
    { internetDetails: [{ kind: 'chatIm', content: 'facilitator: yes po\nfacilitator: gcash 0917 123 4567\ncustomer: sent 1500' }] },
  );
  const w = extractIdentifiers(r).find((i) => i.kind === 'wallet');
  assert.equal(w?.value, '+639171234567');
  assert.equal(w?.key, 'phone:+639171234567');
  // Mobile prefixes after the trunk 0 are not all 09: Globe's 0817, DITO's 0895–0898. A Manila
  // landline is no wallet, nor ten bare digits from 8 (an American area code).
  const eights = makeReport(
    '1',
    {},
    { internetDetails: [{ kind: 'chatIm', content: 'ok paid $50 gcash 0898-779-7611. also (02) 8123 4567, dallas 817-123-4567' }] },
  );
  assert.deepEqual(
    extractIdentifiers(eights)
      .filter((i) => i.kind === 'wallet')
      .map((i) => i.key),
    ['phone:+638987797611'],
  );
  // A prefix newer than libphonenumber's ranges (0941) is the same key on the wallet and on the party's phone.
  const newer = makeReport(
    '1',
    { person: { phones: [{ number: '0941 555 2210' }], emails: [], addresses: [] } },
    { internetDetails: [{ kind: 'chatIm', content: 'send na po sa gcash 09415552210' }] },
  );
  assert.deepEqual(
    extractIdentifiers(newer)
      .filter((i) => i.key.startsWith('phone:'))
      .map((i) => [i.kind, i.key, i.strength]),
    [
      ['phone', 'phone:+639415552210', 'strong'],
      ['wallet', 'phone:+639415552210', 'strong'],
    ],
  );
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

test("a foreign number in national form is read with the party's country", () => {
  const ids = extractIdentifiers(
    makeReport('1', { person: { phones: [{ number: '08163023949' }], emails: [], addresses: [] }, estimatedLocation: { countryCode: 'NG' } }),
  );
  assert.equal(ids.find((i) => i.kind === 'phone')?.value, '+2348163023949');
});

test('a WhatsApp id is its phone number; a Luhn-invalid IMEI is no device', () => {
  const wa = extractIdentifiers(makeReport('1', { espService: 'WhatsApp Business', espIdentifier: '639178523146' }));
  assert.equal(find(wa, 'esp-user-id', 'whatsapp:639178523146')?.strength, 'strong');
  assert.equal(find(wa, 'phone', '+639178523146')?.strength, 'strong');
  const link = extractIdentifiers(makeReport('1', { profileUrls: ['https://wa.me/639178523146'] }));
  assert.equal(find(link, 'phone', '+639178523146')?.key, 'phone:+639178523146');
  const imei = (v: string): Identifier | undefined =>
    extractIdentifiers(makeReport('1', { deviceIds: [{ idType: 'IMEI', idValue: v }] })).find((i) => i.kind === 'device-id');
  assert.equal(imei('490154203237518')?.strength, 'strong');
  assert.equal(imei('490154203237519')?.strength, 'never');
  assert.match(imei('490154203237519')!.note!, /check digit/);
});

test('a phone records the hint it was read with; an ambiguous reading is medium', () => {
  const withCountry = (country: string | undefined, party: Partial<Party>): Identifier | undefined =>
    extractIdentifiers(makeReport('1', party, { envelope: { ipLookups: [], ...(country ? { country } : {}) } })).find((i) => i.kind === 'phone');
  const ar = withCountry('Argentina', { person: { phones: [{ number: '011 15 2345-6789' }], emails: [], addresses: [] } });
  assert.deepEqual([ar?.value, ar?.strength, ar?.note], ['+5491123456789', 'strong', 'read as AR from ncmec-country']);
  // 02 8123 4567 is a landline in Sydney and in Manila: both plausible, neither strong.
  const au = withCountry('AU', { person: { phones: [{ number: '02 8123 4567' }], emails: [], addresses: [] } });
  assert.deepEqual([au?.value, au?.strength], ['+61281234567', 'medium']);
  assert.match(au!.note!, /also valid as \+63281234567/);
  // The party's own address names the country.
  const gb = withCountry(undefined, { person: { phones: [{ number: '07911 123456' }], emails: [], addresses: [{ country: 'United Kingdom' }] } });
  assert.deepEqual([gb?.value, gb?.strength, gb?.note], ['+447911123456', 'strong', 'read as GB from party-address']);
  // The reporter's country alone: read, weak.
  const us = extractIdentifiers(
    makeReport(
      '1',
      { person: { phones: [{ number: '(202) 456-1111' }], emails: [], addresses: [] } },
      {
        reporter: { reportingPerson: { phones: [], emails: [], addresses: [{ country: 'US' }] } },
      },
    ),
  ).find((i) => i.kind === 'phone');
  assert.deepEqual([us?.value, us?.strength], ['+12024561111', 'medium']);
});

test('foreign numbers in free text: international forms, and mobiles of a country the report names; dates, amounts and references are not numbers', () => {
  const text = (content: string, country?: string): Identifier[] =>
    extractIdentifiers(
      makeReport(
        '1',
        {},
        {
          envelope: { ipLookups: [], ...(country ? { country } : {}) },
          internetDetails: [{ kind: 'chatIm', content }],
        },
      ),
    ).filter((i) => i.kind === 'phone' || i.kind === 'wallet');
  assert.deepEqual(
    text('whatsapp me +54 9 11 2345-6789 po').map((i) => [i.kind, i.value, i.strength]),
    [['phone', '+5491123456789', 'medium']],
  );
  assert.deepEqual(
    text('call 07911 123456 tonight', 'GB').map((i) => [i.value, i.note]),
    [['+447911123456', 'read as GB from ncmec-country']],
  );
  assert.deepEqual(text('call 07911 123456 tonight'), [], 'no hint: a national form is not read');
  const noise = 'sent 1500 on 2026-01-03 14:22, ref 2024010312345, order #20260103112233, report 150000001, ip 112.198.3.4:52311, total 12,500.00';
  for (const country of [undefined, 'GB', 'AR', 'US', 'NG']) assert.deepEqual(text(noise, country), [], `${country}: ${JSON.stringify(text(noise, country))}`);
  // Philippine mobiles in text stay e-wallets (strong), as before.
  assert.deepEqual(
    text('gcash 0917 852 3146').map((i) => [i.kind, i.value, i.strength]),
    [['wallet', '+639178523146', 'strong']],
  );
});

test("the reporting company's contact details and own domains never identify the reported person", () => {
  const ids = extractIdentifiers(
    makeReport(
      '1',
      {
        person: {
          phones: [{ number: '+1 650 543 4800' }],
          emails: [{ address: 'ESP.Reports@gmail.com' }, { address: 'trust@support.fb.com' }, { address: 'jun.dc88@gmail.com' }],
          addresses: [],
        },
      },
      {
        reporter: { reportingPerson: { phones: [{ number: '+1 (650) 543-4800' }], emails: [{ address: 'esp.reports@gmail.com' }], addresses: [] } },
      },
    ),
  );
  assert.equal(find(ids, 'email', 'espreports@gmail.com')?.strength, 'never');
  assert.equal(find(ids, 'phone', '+16505434800')?.strength, 'never');
  assert.match(find(ids, 'email', 'trust@support.fb.com')!.note!, /own domain of meta/);
  assert.equal(find(ids, 'email', 'jundc88@gmail.com')?.strength, 'strong');
});
