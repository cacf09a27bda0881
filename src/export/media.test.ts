import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { makeReport } from '../../test/fixtures/link/reports.ts';
import type { FileDetails } from '../model/report.ts';
import type { FileSignal } from '../hashes/signals.ts';
import { mediaRows, mediaSheet, NOT_STATED_MEANING, NOT_VIEWED_MEANING, VIEWED_MEANING, viewedMeaning } from './media.ts';
import { toCsv, toXlsx } from './tabular.ts';

const file = (f: Partial<FileDetails> & { fileId: string }): FileDetails => ({
  fileAnnotations: [],
  originalFileHashes: [],
  deviceIds: [],
  details: [],
  additionalInfo: [],
  ...f,
});

const report = makeReport(
  '200',
  {},
  {
    files: [
      file({
        fileId: 'F1',
        fileName: '=HYPERLINK("x")',
        originalFileName: 'beach.jpg',
        fileViewedByEsp: false,
        industryClassification: 'A1',
        fileAnnotations: ['infant'],
        potentialMeme: true,
        uploadedToEspTimestamp: '2026-01-01T08:00:00+08:00',
        originalFileHashes: [
          { hashType: 'MD5', value: '0123456789ABCDEF0123456789ABCDEF' },
          { hashType: 'SHA1', value: 'zz' },
        ],
        details: [
          {
            type: 'HASH',
            pairs: [
              { name: 'PDQ', value: 'a'.repeat(64) },
              { name: 'PDQ Quality', value: '90' },
              { name: 'PhotoDNA', value: 'AAEC AwQ=' },
            ],
          },
        ],
      }),
      file({ fileId: 'F2', fileViewedByEsp: true }),
      file({ fileId: 'F3' }),
    ],
  },
);

const signal: FileSignal = {
  fileId: 'F1',
  novelty: 'known',
  hashes: [],
  firstSeenReport: '150',
  known: [
    {
      list: 'ICSE',
      category: 'CSAM',
      series: 'S-12',
      victimIdentified: true,
      type: 'md5',
      value: '0123456789abcdef0123456789abcdef',
      distance: 0,
      match: 'exact',
    },
  ],
  viral: { espFlag: true, reports: 7, users: 4, window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-20T00:00:00.000Z', reports: 6, users: 4 } },
};

test('viewed by ESP: yes, no and not stated, worded as domain.md §4.4', () => {
  assert.equal(viewedMeaning(true), VIEWED_MEANING);
  assert.equal(viewedMeaning(false), NOT_VIEWED_MEANING);
  assert.equal(viewedMeaning(undefined), NOT_STATED_MEANING);
  assert.match(NOT_VIEWED_MEANING, /warrant may be needed before law enforcement opens/);
  assert.match(NOT_VIEWED_MEANING, /United States v\. Wilson \(9th Cir\. 2021\)/);
  assert.match(NOT_VIEWED_MEANING, /flagged by hash but no employee had viewed/);
  assert.match(NOT_VIEWED_MEANING, /Philippine position is unverified/);
  assert.match(NOT_STATED_MEANING, /treat it as not viewed/);
});

test('one row per file: names, normalised hashes, tags, classification and signals', () => {
  const rows = mediaRows([report], new Map([['200', [signal]]]));
  assert.equal(rows.length, 3);
  const [f1, f2, f3] = rows;
  assert.deepEqual(f1!.md5, ['0123456789abcdef0123456789abcdef']);
  assert.deepEqual(f1!.pdq, ['a'.repeat(64)]);
  assert.deepEqual(f1!.otherHashes, ['SHA1: zz (not a valid hash of that type)', 'photodna: AAECAwQ=']);
  assert.deepEqual(f1!.tags, ['infant', 'potentialMeme']);
  assert.equal(f1!.uploadedUtc, '2026-01-01T00:00:00Z');
  assert.equal(f1!.viewedByEsp, false);
  assert.equal(f1!.novelty, 'known');
  assert.deepEqual(f1!.lists, ['ICSE (category CSAM, series S-12, victim identified, exact md5)']);
  assert.equal(f1!.viral, 'flagged viral or meme by the ESP; 6 reports from 4 users between 2026-01-01 and 2026-01-20');
  assert.equal(f1!.firstSeenReport, '150');
  assert.equal(f2!.viewedMeaning, VIEWED_MEANING);
  assert.equal(f3!.viewedByEsp, null);
  // Hashed report, file without a signal: unhashed; report the hash stage never saw: empty.
  assert.equal(f3!.novelty, 'unhashed');
  assert.equal(mediaRows([report])[0]!.novelty, null);
});

test('CSV: quoted where needed, formulas neutralised, notes after the rows', () => {
  const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(toCsv(mediaSheet(mediaRows([report]))));
  assert.ok(csv.startsWith('\uFEFFReport,ESP,File ID,'));
  assert.match(csv, /,"'=HYPERLINK\(""x""\)",beach\.jpg,/);
  assert.match(csv, /\r\n\r\nMetadata and hashes only/);
});

test('XLSX reads back with the same header, cells and notes', async () => {
  const sheet = mediaSheet(mediaRows([report], new Map([['200', [signal]]])));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await toXlsx(sheet)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  assert.equal(ws.name, 'Media');
  assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), sheet.headers);
  assert.equal(ws.getRow(2).getCell(4).value, '=HYPERLINK("x")', 'XLSX keeps the text as a value, not a formula');
  assert.equal(ws.getRow(2).getCell(11).value, 'no');
  assert.equal(ws.getRow(2).getCell(12).value, NOT_VIEWED_MEANING);
  assert.equal(ws.getRow(2).getCell(19).value, 'known');
  assert.equal(ws.getRow(6).getCell(1).value, 'Metadata and hashes only: Bantay never holds imagery.');
});
