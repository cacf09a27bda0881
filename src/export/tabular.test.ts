import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDisposition, safeName } from './file.ts';
import { toCsv } from './tabular.ts';

const csv = (rows: (string | number | null)[][], notes: string[] = []): string =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(toCsv({ title: 't', headers: ['a', 'b'], rows, notes }));

test('CSV quoting, empty cells and notes', () => {
  assert.equal(
    csv(
      [
        ['x,y', 'say "hi"'],
        [null, 3],
        ['line\nbreak', ''],
      ],
      ['note, one'],
    ),
    '\uFEFFa,b\r\n"x,y","say ""hi"""\r\n,3\r\n"line\nbreak",\r\n\r\n"note, one"\r\n',
  );
});

test('CSV injection: formulas become text, signed numbers and phone numbers stay as they are', () => {
  assert.equal(
    csv([
      ['=1+1', '@SUM(A1)'],
      ['-2', '+639171234567'],
      ['-cmd|x', '\tx'],
    ])
      .split('\r\n')
      .slice(1, 4)
      .join('|'),
    "'=1+1,'@SUM(A1)|-2,+639171234567|'-cmd|x,'\tx",
  );
});

test('file names: safe on every file system; Content-Disposition in ASCII and UTF-8', () => {
  assert.equal(safeName('PNP / WCPC: Región VII'), 'PNP-WCPC-Regi-n-VII');
  assert.equal(safeName('///'), 'export');
  assert.equal(contentDisposition('ip-table-report-1.csv'), 'attachment; filename="ip-table-report-1.csv"; filename*=UTF-8\'\'ip-table-report-1.csv');
  assert.equal(contentDisposition('a"é.pdf'), 'attachment; filename="a__.pdf"; filename*=UTF-8\'\'a%22%C3%A9.pdf');
});
