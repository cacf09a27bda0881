import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, csvRow, parseCsv } from './csv.ts';
import { canonicalEmail } from './people.ts';
import { PHONE_FORMATS } from './params.ts';
import { formatPh } from './phones.ts';
import { Rng } from './rng.ts';
import { isoAt } from './time.ts';

test('a PH mobile number is written every way domain.md §8 lists', () => {
  const forms = PHONE_FORMATS.map((f) => formatPh('+639171234567', f));
  assert.deepEqual(forms, [
    '09171234567',
    '0917 123 4567',
    '+63 917 123 4567',
    '+639171234567',
    '639171234567',
    '9171234567',
    '(0917) 123-4567',
    '0917-123-4567',
  ]);
  for (const f of forms) assert.equal(f.replace(/\D/g, '').slice(-10), '9171234567');
});

test('canonical e-mail: lowercase, Gmail dots and tags dropped', () => {
  assert.equal(canonicalEmail('Maria.Santos88@Gmail.com'), 'mariasantos88@gmail.com');
  assert.equal(canonicalEmail('JUAN.DC@YAHOO.COM'), 'juan.dc@yahoo.com');
});

test('csv fields are quoted only when RFC 4180 needs it, and parse back', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('Smith, Robert'), '"Smith, Robert"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  const row = csvRow(['a', 'b,c', 'd"e', 'line\nbreak', '']);
  assert.deepEqual(parseCsv(row), [['a', 'b,c', 'd"e', 'line\nbreak', '']]);
});

test('times are written in the report offset', () => {
  const ms = Date.parse('2026-01-03T10:22:31.250Z');
  assert.equal(isoAt(ms, 'Z'), '2026-01-03T10:22:31Z');
  assert.equal(isoAt(ms, '+08:00'), '2026-01-03T18:22:31+08:00');
  assert.equal(isoAt(ms, '-05:00', true), '2026-01-03T05:22:31.250-05:00');
});

test('random streams are deterministic and independent by label', () => {
  const a = new Rng(42, 'x');
  const b = new Rng(42, 'x');
  const c = new Rng(42, 'y');
  const sa = Array.from({ length: 5 }, () => a.u32());
  assert.deepEqual(
    sa,
    Array.from({ length: 5 }, () => b.u32()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 5 }, () => c.u32()),
  );
  const f = new Rng(1).float();
  assert.ok(f >= 0 && f < 1);
});
