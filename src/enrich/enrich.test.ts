import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { normalisePhone } from './phone.ts';
import { canonicalEmail } from './email.ts';
import { isPlaceholder } from './placeholder.ts';
import { classifyIp } from './ip.ts';
import { parseWarninglist, Warninglist, WarninglistSet } from './warninglists.ts';
import { formatPh } from '../synth/phones.ts';
import { PHONE_FORMATS } from '../synth/params.ts';
import { sharedDir, skipWithoutShared } from '../../test/support/shared.ts';

test('every way the generator writes a Philippine mobile number normalises to one E.164 value', () => {
  for (const format of PHONE_FORMATS) {
    const written = formatPh('+639171234567', format);
    const r = normalisePhone(written);
    assert.ok(r.ok, `${format}: ${written} -> ${JSON.stringify(r)}`);
    assert.equal(r.e164, '+639171234567', `${format}: ${written}`);
    assert.equal(r.country, 'PH');
    assert.equal(r.type, 'MOBILE');
  }
});

test('Philippine local forms, the country-code attribute and foreign numbers', () => {
  const cases: [string, string, { countryCallingCode?: string }?][] = [
    ['09171234567', '+639171234567'],
    ['0917 123 4567', '+639171234567'],
    ['(0917) 123-4567', '+639171234567'],
    ['639171234567', '+639171234567'],
    ['9171234567', '+639171234567'],
    ['+63 917 123 4567', '+639171234567'],
    ['0063 917 123 4567', '+639171234567'],
    ['tel:+639171234567', '+639171234567'],
    ['9171234567', '+639171234567', { countryCallingCode: '+63' }],
    ['+1 202 456 1111', '+12024561111'],
    ['+44 7911 123456', '+447911123456'],
  ];
  for (const [raw, e164, opts] of cases) {
    const r = normalisePhone(raw, opts);
    assert.ok(r.ok, `${raw}: ${JSON.stringify(r)}`);
    assert.equal(r.e164, e164, raw);
  }
  const landline = normalisePhone('+63 2 8123 4567');
  assert.ok(landline.ok && landline.type === 'FIXED_LINE', JSON.stringify(landline));
});

test('placeholders and impossible numbers are not phone numbers', () => {
  for (const raw of ['N/A', 'unknown', '0000000000', '09000000000', '', '   ', '1234567890']) {
    const r = normalisePhone(raw);
    assert.equal(r.ok, false, raw);
    assert.equal(!r.ok && r.reason, 'placeholder', raw);
  }
  assert.deepEqual(normalisePhone('12'), { ok: false, reason: 'placeholder', raw: '12', detail: 'too short for a phone number' });
  assert.deepEqual(normalisePhone('0917 12 345'), { ok: false, reason: 'invalid', raw: '0917 12 345' });
  assert.equal(normalisePhone('not a number at all').ok, false);
});

test('e-mail addresses are canonicalised; role mailboxes are flagged; placeholders refused', () => {
  const c = (raw: string): string | undefined => {
    const r = canonicalEmail(raw);
    return r.ok ? r.canonical : undefined;
  };
  assert.equal(c(' Juan.Dela.Cruz+fb@GMail.com '), 'juandelacruz@gmail.com');
  assert.equal(c('juandelacruz@googlemail.com'), 'juandelacruz@gmail.com');
  assert.equal(c('mailto:Maria.Santos@Yahoo.com'), 'maria.santos@yahoo.com');
  assert.equal(c('maria.santos+x@yahoo.com'), 'maria.santos@yahoo.com');
  assert.equal(c('maria.santos+x@company.ph'), 'maria.santos+x@company.ph', 'unknown providers keep +tags');
  assert.equal(c('first.last@company.ph'), 'first.last@company.ph', 'dots matter outside Gmail');
  const role = canonicalEmail('No-Reply@facebookmail.com');
  assert.ok(role.ok && role.role);
  assert.ok(canonicalEmail('abuse@isp.ph').ok && (canonicalEmail('abuse@isp.ph') as { role: boolean }).role);
  assert.deepEqual(canonicalEmail('test@test.com'), { ok: false, reason: 'placeholder', raw: 'test@test.com', detail: 'a test address' });
  assert.equal(canonicalEmail('someone@example.com').ok, false);
  assert.deepEqual(canonicalEmail('not-an-email'), { ok: false, reason: 'malformed', raw: 'not-an-email' });
  assert.equal(canonicalEmail('a b@c.com').ok, false);
});

test('placeholder words, all-zero and repeated digits are recognised; real values are not', () => {
  for (const v of ['N/A', 'n.a.', 'NONE', 'Unknown', '-', 'null', 'test@example.org', '0000000000', '1111111111', '+63 000 000 0000']) {
    assert.equal(isPlaceholder(v), true, v);
  }
  for (const v of ['09171234567', 'juan@gmail.com', 'kuyajuan749', '100061453261921', 'Nana']) {
    assert.equal(isPlaceholder(v), false, v);
  }
});

test('IP addresses: RFC 6598 shared space is CGNAT and non-public, built in without data files', () => {
  assert.deepEqual(classifyIp('100.64.12.7'), { ip: '100.64.12.7', version: 4, range: 'carrierGradeNat', cgnat: true, nonPublic: true });
  assert.deepEqual(classifyIp('100.127.255.255')?.cgnat, true);
  assert.deepEqual(classifyIp('100.128.0.1')?.cgnat, false);
  assert.equal(classifyIp('112.198.10.4')?.nonPublic, false);
  assert.equal(classifyIp('192.168.1.10')?.range, 'private');
  assert.equal(classifyIp('10.0.0.1')?.nonPublic, true);
  assert.equal(classifyIp('127.0.0.1')?.nonPublic, true);
  assert.equal(classifyIp('::ffff:112.198.10.4')?.ip, '112.198.10.4');
  assert.equal(classifyIp('2001:db8::1')?.nonPublic, true);
  assert.equal(classifyIp('2a02:26f0::1')?.nonPublic, false);
  assert.equal(classifyIp('999.1.1.1'), undefined);
  assert.equal(classifyIp('10.1'), undefined, 'legacy short forms are not addresses here');
  assert.equal(classifyIp('N/A'), undefined);
});

test('warninglists match by CIDR (v4 and v6), hostname, string, substring and regex', () => {
  const set = new WarninglistSet([
    { name: 'vpn', type: 'cidr', list: ['203.0.113.0/24', '198.51.100.7', '2001:db8:abcd::/48', '203.0.113.128/25', 'not-a-cidr'] },
    { name: 'short', type: 'hostname', list: ['bit.ly'] },
    { name: 'empty', type: 'string', list: ['D41D8CD98F00B204E9800998ECF8427E'] },
    { name: 'disposable', type: 'substring', list: ['mailinator.com'] },
    { name: 'roles', type: 'regex', list: ['/^(security|abuse)\\@.*$/gi'] },
  ]);
  assert.deepEqual(set.hits('203.0.113.200'), [{ list: 'vpn', type: 'cidr' }]);
  assert.deepEqual(set.hits('198.51.100.7'), [{ list: 'vpn', type: 'cidr' }]);
  assert.deepEqual(set.hits('198.51.100.8'), []);
  assert.deepEqual(set.hits('2001:db8:abcd:12::1'), [{ list: 'vpn', type: 'cidr' }]);
  assert.deepEqual(set.hits('https://www.bit.ly/x'), [{ list: 'short', type: 'hostname' }]);
  assert.deepEqual(set.hits('d41d8cd98f00b204e9800998ecf8427e'), [{ list: 'empty', type: 'string' }]);
  assert.deepEqual(set.hits('x@mailinator.com'), [{ list: 'disposable', type: 'substring' }]);
  assert.deepEqual(set.hits('ABUSE@isp.ph'), [{ list: 'roles', type: 'regex' }]);
  assert.deepEqual(set.hits('ABUSE@isp.ph'), [{ list: 'roles', type: 'regex' }], 'a /g flag does not make matching stateful');
  assert.deepEqual(set.all()[0]?.unreadable, ['not-a-cidr']);
  assert.throws(() => parseWarninglist({ name: 'x' }, 'x.json'), /not a MISP warninglist/);
  assert.throws(() => new Warninglist({ name: 'x', type: 'bloom', list: [] }), /cannot match/);
});

test('the MISP warninglists in ../shared load and classify known addresses', { skip: skipWithoutShared('warninglist files') }, () => {
  const dir = join(sharedDir()!, 'data', 'warninglists');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .sort();
  const set = new WarninglistSet(files.map((f) => parseWarninglist(JSON.parse(readFileSync(join(dir, f), 'utf8')), f)));
  const names = (v: string): string[] => set.hits(v).map((h) => h.list);
  assert.ok(
    names('8.8.8.8').some((n) => /public dns/i.test(n)),
    `8.8.8.8: ${names('8.8.8.8').join(', ')}`,
  );
  assert.ok(names('104.28.100.10').some((n) => /private relay/i.test(n)));
  assert.ok(names('100.64.0.1').some((n) => /6598|shared/i.test(n)));
  assert.ok(names('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855').length > 0);
  assert.deepEqual(
    names('112.198.10.4').filter((n) => /relay|public dns/i.test(n)),
    [],
  );
  for (const l of set.all()) assert.ok(l.unreadable.length < 5, `${l.name}: ${l.unreadable.slice(0, 3).join(', ')}`);
});
