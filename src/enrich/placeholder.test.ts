// Placeholders by shape, in every identifier kind (domain.md §7.6): hand-made values, each shape
// in each kind, and real-looking values that must stay real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeholderReason, type PlaceholderKind } from './placeholder.ts';

const shapes: Record<Exclude<PlaceholderKind, 'text'>, { stand: string[]; real: string[] }> = {
  'user-id': {
    stand: [
      '0',
      '00000',
      '-1',
      '999999999',
      'N/A',
      'none',
      'wala',
      'Wala po',
      'hindi alam',
      'unknown_user',
      '1234567',
      '9876543210',
      '12',
      'ab',
      '123123123',
      'test@test.com',
      '<unknown>',
      '[deleted]',
    ],
    real: ['100012345678901', '48213377', 'cb-user-884412', '1729384756109283746', 'jun.dc88'],
  },
  'screen-name': {
    stand: ['x', 'xxx', 'aaaa', '@@', 'N/A', 'user', 'unknown', 'walang pangalan', 'di ko alam', 'qwerty', 'hahaha', '-', '(none)'],
    real: ['jun_dc88', 'Lola_M', 'kuya.ben', 'walang_hiya', 'wala_boy', 'ab'],
  },
  phone: {
    stand: [
      '0000000000',
      '09000000000',
      '+63 000 000 0000',
      '0917 000 0000',
      '0999 999 9999',
      '+63 999 999 9999',
      '1234567890',
      '12',
      'wala po',
      'Hindi ko alam',
      'N/A',
      'none',
    ],
    real: ['09178523146', '+63 917 852 3146', '0917 888 8888', '0917 999 9999', '(202) 456-1111', '+1 202 999 9999'],
  },
  email: {
    stand: [
      'test@test.com',
      'someone@example.org',
      'a@b.test',
      'x@company.invalid',
      'none@gmail.com',
      'noemail@yahoo.com',
      'no.email@gmail.com',
      'aaaa@gmail.com',
      'wala@yahoo.com',
      'unknown@unknown.com',
      'abcd@yahoo.com',
      'n/a',
      'email@email.com',
      'mail@domain.com',
    ],
    real: ['juan.delacruz88@gmail.com', 'kuya.ben@yahoo.com', 'maria.s@company.ph', 'email.ko.ito@gmail.com'],
  },
  'device-id': {
    stand: ['000000000000000', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'unknown', '123456789012345', '1234', 'abc'],
    real: ['490154203237518', '35-209900-176148-1', '38400000-8cf0-11bd-b23e-10b96e40000d', 'homenet-5g'],
  },
  ip: {
    stand: ['0.0.0.0', '123.123.123.123', '1.2.3.4', '4.3.2.1', 'N/A'],
    real: ['112.198.3.4', '2001:4860:4860::8888', '49.145.12.7'],
  },
  wallet: {
    stand: ['0x0000000000000000000000000000000000000000', '0x000000000000000000000000000000000000dEaD', '1111111111111111111114oLvT2', 'none'],
    real: ['TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '0x52908400098527886E0F7030069857D2E4169EE7'],
  },
};

for (const [kind, { stand, real }] of Object.entries(shapes) as [PlaceholderKind, { stand: string[]; real: string[] }][]) {
  test(`placeholders by shape: ${kind}`, () => {
    for (const v of stand) assert.ok(placeholderReason(v, kind), `${kind} ${JSON.stringify(v)} should be a placeholder`);
    for (const v of real) assert.equal(placeholderReason(v, kind), undefined, `${kind} ${JSON.stringify(v)} is real`);
  });
}

test('each placeholder says why, in words', () => {
  assert.equal(placeholderReason('0', 'user-id'), 'all zeros');
  assert.equal(placeholderReason('aaaa', 'screen-name'), 'one repeated character');
  assert.equal(placeholderReason('1234567890', 'phone'), 'a counting sequence');
  assert.equal(placeholderReason('0917 000 0000', 'phone'), 'a prefix followed by zeros');
  assert.equal(placeholderReason('12', 'user-id'), 'too short for an account id');
  assert.match(placeholderReason('Wala po', 'user-id')!, /no value/);
  assert.match(placeholderReason('someone@example.org', 'email')!, /RFC 2606/);
  assert.equal(placeholderReason('1.2.3.4', 'ip'), 'octets counting up or down (1.2.3.4)');
});
