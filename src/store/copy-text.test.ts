import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyText } from './copy-text.ts';

test('COPY text escapes separators, marks NULL, writes bytea as hex and arrays as literals', () => {
  const text = copyText([
    ['a\tb\nc\\d', null, 42, true, new Uint8Array([0, 255]), ['x', 'say "hi"', 'back\\slash']],
    [undefined, new Date('2026-01-01T00:00:00Z'), 'plain', false, '', []],
  ]);
  assert.equal(
    text,
    'a\\tb\\nc\\\\d\t\\N\t42\ttrue\t\\\\x00ff\t{"x","say \\\\"hi\\\\"","back\\\\\\\\slash"}\n' + '\\N\t2026-01-01T00:00:00.000Z\tplain\tfalse\t\t{}\n',
  );
});
