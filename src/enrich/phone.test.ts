// Phones of any country (domain.md §7.6, §8): each national form with each region hint and with
// none. A reading needs a hint; a weak hint or a second plausible reading makes it weak evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPhone, type RegionSource } from './phone.ts';

const SOURCES: RegionSource[] = ['ncmec-country', 'party-address', 'estimated-location', 'reporter-country', 'ip-country'];
const WEAK = new Set<RegionSource>(['reporter-country', 'ip-country']);

// [written, region, E.164]: the national forms of domain.md §7.6 and a few more.
const FORMS: [string, string, string][] = [
  ['011 15 2345-6789', 'AR', '+5491123456789'], // Buenos Aires mobile: trunk 0, area 11, mobile prefix 15 → +54 9 11 …
  ['0351 15 234-5678', 'AR', '+5493512345678'], // Córdoba mobile
  ['07911 123456', 'GB', '+447911123456'],
  ['(202) 456-1111', 'US', '+12024561111'],
  ['1 (202) 456-1111', 'US', '+12024561111'], // with the American trunk 1
  ['0803 123 4567', 'NG', '+2348031234567'],
  ['0412 345 678', 'AU', '+61412345678'],
];

test('each foreign national form with each hint: the hint is recorded; weak hints give weak readings', () => {
  for (const [written, region, e164] of FORMS) {
    for (const source of SOURCES) {
      const r = readPhone(written, { hints: [{ region, source }] });
      assert.ok(r.ok, `${written} with ${source} ${region}: ${JSON.stringify(r)}`);
      assert.equal(r.e164, e164, `${written} with ${source}`);
      assert.equal(r.hint, source);
      assert.equal(r.region, region);
      assert.equal(r.confidence, WEAK.has(source) ? 'weak' : 'strong', `${written} with ${source}: ${JSON.stringify(r)}`);
    }
  }
});

test('each foreign national form without a hint is not read as anything (the home region does not fit)', () => {
  for (const [written] of FORMS) {
    const r = readPhone(written);
    assert.equal(r.ok, false, `${written}: ${JSON.stringify(r)}`);
  }
});

test('international forms need no hint; Philippine forms read with the home region', () => {
  for (const [written, e164] of [
    ['+54 9 11 2345-6789', '+5491123456789'],
    ['0044 7911 123456', '+447911123456'],
    ['+1 202 456 1111', '+12024561111'],
  ]) {
    const r = readPhone(written!, { hints: [{ region: 'PH', source: 'ip-country' }] });
    assert.ok(r.ok && r.e164 === e164 && r.hint === 'international' && r.confidence === 'strong', `${written}: ${JSON.stringify(r)}`);
  }
  const ph = readPhone('0917 852 3146');
  assert.ok(ph.ok && ph.e164 === '+639178523146' && ph.hint === 'home' && ph.confidence === 'strong', JSON.stringify(ph));
  // The report's countryCallingCode attribute, with and without the trunk prefix.
  for (const written of ['917 852 3146', '0917 852 3146']) {
    const r = readPhone(written, { countryCallingCode: '+63' });
    assert.ok(r.ok && r.e164 === '+639178523146' && r.hint === 'calling-code', `${written}: ${JSON.stringify(r)}`);
  }
});

test('the first hint that reads wins; a second plausible reading makes the number ambiguous (weak)', () => {
  // 02 8123 4567 is a Manila landline and a Sydney one.
  const sydney = readPhone('02 8123 4567', { hints: [{ region: 'AU', source: 'ncmec-country' }] });
  assert.ok(sydney.ok && sydney.e164 === '+61281234567', JSON.stringify(sydney));
  assert.deepEqual(sydney.ok && sydney.alternatives, ['+63281234567']);
  assert.equal(sydney.ok && sydney.confidence, 'weak');
  // A hint whose country does not read the number gives way to the next one.
  const ph = readPhone('0917 852 3146', { hints: [{ region: 'AR', source: 'ncmec-country' }] });
  assert.ok(ph.ok && ph.e164 === '+639178523146' && ph.hint === 'home' && ph.confidence === 'strong', JSON.stringify(ph));
  // 0917 … is also a British premium-rate service: a service number is not a second reading of a mobile.
  const gb = readPhone('0917 852 3146', { hints: [{ region: 'GB', source: 'ncmec-country' }] });
  assert.ok(gb.ok && gb.e164 === '+639178523146' && gb.alternatives.length === 0 && gb.confidence === 'strong', JSON.stringify(gb));
  // Two strong hints of different countries that both read a personal number.
  const two = readPhone('0412 345 678', {
    hints: [
      { region: 'AU', source: 'ncmec-country' },
      { region: 'FR', source: 'party-address' },
    ],
  });
  assert.ok(two.ok && two.e164 === '+61412345678' && two.confidence === 'weak' && two.alternatives.includes('+33412345678'), JSON.stringify(two));
});

test('fictional ranges published for films are placeholders', () => {
  for (const written of ['(202) 555-0123', '+1 202 555 0199', '+44 20 7946 0123']) {
    const r = readPhone(written, { hints: [{ region: 'US', source: 'ncmec-country' }] });
    assert.ok(!r.ok && r.reason === 'placeholder', `${written}: ${JSON.stringify(r)}`);
  }
});

test('a weak hint neither weakens a reading a strong hint supports nor makes it ambiguous', () => {
  // The report's IP says PH, and so does the home region: a strong reading.
  const ph = readPhone('0917 852 3146', { hints: [{ region: 'PH', source: 'ip-country' }] });
  assert.ok(ph.ok && ph.hint === 'home' && ph.confidence === 'strong', JSON.stringify(ph));
  // 917 852 3146 is also a New York number; an IP in the US (a VPN) does not make the PH reading doubtful.
  const bare = readPhone('917 852 3146', {
    hints: [
      { region: 'PH', source: 'ncmec-country' },
      { region: 'US', source: 'ip-country' },
    ],
  });
  assert.ok(bare.ok && bare.e164 === '+639178523146' && bare.alternatives.length === 0 && bare.confidence === 'strong', JSON.stringify(bare));
  // The same US reading from the party's own address is plausible: ambiguous.
  const both = readPhone('917 852 3146', {
    hints: [
      { region: 'PH', source: 'ncmec-country' },
      { region: 'US', source: 'party-address' },
    ],
  });
  assert.ok(both.ok && both.confidence === 'weak' && both.alternatives.includes('+19178523146'), JSON.stringify(both));
});

test("a Philippine mobile of 09 and nine digits reads whether or not libphonenumber's ranges list its prefix yet", () => {
  // 0940 and 0941 are missing from libphonenumber 1.13.16's ranges; domain.md §8's shape decides.
  for (const [written, e164] of [
    ['0941 123 4567', '+639411234567'],
    ['+63 940 765 4321', '+639407654321'],
    ['0913-555-1234', '+639135551234'],
  ] as const) {
    const r = readPhone(written);
    assert.ok(r.ok && r.e164 === e164 && r.country === 'PH' && r.type === 'MOBILE' && r.confidence === 'strong', `${written}: ${JSON.stringify(r)}`);
    const withCode = readPhone(written.replace(/^\+63 /, '0'), { countryCallingCode: '+63' });
    assert.ok(withCode.ok && withCode.e164 === e164, `${written} with +63: ${JSON.stringify(withCode)}`);
  }
  // The shape is the whole rule: one digit short, a landline's length or another country's code stays unread.
  for (const written of ['0941 123 456', '+63 941 123 45678', '+64 941 123 4567']) {
    const r = readPhone(written);
    assert.ok(!r.ok && r.reason === 'invalid', `${written}: ${JSON.stringify(r)}`);
  }
  // A hint that reads the number as its own country's valid number still comes first (Sarasota, Florida).
  const us = readPhone('941 234 5678', { hints: [{ region: 'US', source: 'ncmec-country' }] });
  assert.ok(us.ok && us.e164 === '+19412345678', JSON.stringify(us));
  // A placeholder of that shape stays a placeholder.
  const blank = readPhone('0900 000 0000');
  assert.ok(!blank.ok && blank.reason === 'placeholder', JSON.stringify(blank));
});
