import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { Unique } from '../phones.ts';
import { Rng } from '../rng.ts';
import { internationalForm, nationalForm, NATIONAL_COUNTRIES, validMobile } from './phones.ts';

test('every national and international form reads back to the same valid mobile, with the right country and only with it', () => {
  const rng = new Rng(3, 'phones');
  const unique = new Unique();
  for (const country of NATIONAL_COUNTRIES) {
    for (let i = 0; i < 40; i++) {
      const e164 = validMobile(rng, unique, country);
      const national = nationalForm(rng, e164, country);
      const parsed = parsePhoneNumberFromString(national, country as CountryCode);
      assert.equal(parsed?.number, e164, `${country}: ${national}`);
      assert.ok(parsed?.isValid());
      assert.equal(parsePhoneNumberFromString(internationalForm(rng, e164, country))?.number, e164);
      // Read with the Philippines as the default region, a national form is not this number.
      assert.notEqual(parsePhoneNumberFromString(national, 'PH')?.number, e164, `${country}: ${national} needs its own country`);
    }
  }
  assert.match(nationalForm(new Rng(1), '+5491123456789', 'AR'), /^(\(011\) 15 |011 15[- ])2345-?6789$/);
});
