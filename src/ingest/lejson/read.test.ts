import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import type { CybertipReport } from '../../model/report.ts';
import type { ReaderLimits } from '../cybertip/limits.ts';
import { readCybertip } from '../cybertip/read.ts';
import { readSources, type SourceItem } from '../sources.ts';
import { readLeJson, type LeReaderItem } from './read.ts';
import { LE_JSON_SCHEMA, validateLeJson } from './schema.ts';
import { toLeJson } from './write.ts';
import { withoutLeOnly } from '../../../test/support/lejson.ts';

const repo = new URL('../../../', import.meta.url).pathname;
const fixture = (name: string): string => join(repo, 'test', 'fixtures', 'lejson', name);
const xmlFixture = (name: string): string => join(repo, 'test', 'fixtures', 'cybertip', name);
const work = mkdtempSync(join(tmpdir(), 'bantay-lejson-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function read(text: string, limits?: Partial<ReaderLimits>, chunk = 1 << 20): Promise<LeReaderItem[]> {
  const out: LeReaderItem[] = [];
  for await (const item of readLeJson(pieces(text, chunk), { path: 'mem.json', name: 'mem.json' }, limits)) out.push(item);
  return out;
}

async function sources(paths: string[]): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readSources(paths)) out.push(item);
  return out;
}

function reports(items: (LeReaderItem | SourceItem)[]): CybertipReport[] {
  return items.flatMap((i) => (i.kind === 'report' ? [i.report] : []));
}

function outline(items: LeReaderItem[]): string[] {
  return items.map((i) =>
    i.kind === 'report'
      ? `report ${i.report.reportId}`
      : i.kind === 'rejected'
        ? `rejected ${i.reportId ?? '-'} @${i.position ? `${i.position.line}:${i.position.index}` : 'file'}: ${i.reason}`
        : `not-lejson: ${i.reason}`,
  );
}

/** The report as JSON would store it, without what legitimately differs between two sources of it. */
function comparable(r: CybertipReport): unknown {
  return JSON.parse(JSON.stringify({ ...r, warnings: [], idSource: '' }));
}

const doc = (id: string | number, extra = ''): string =>
  `{"reportId":${JSON.stringify(id)},"reportedInformation":{"incidentSummary":{"incidentType":"Child Sex Tourism","incidentDateTime":"2026-03-07T00:00:00Z"}${extra}}}`;

test('kitchen sink: every LE field lands in the canonical model; unknown keys are kept verbatim', async () => {
  const items = await read(readFileSync(fixture('kitchen-sink.json'), 'utf8'));
  const [r] = reports(items);
  assert.ok(r);
  assert.equal(r.reportId, '310000001');
  assert.equal(r.idSource, 'envelope');
  assert.deepEqual(r.envelope, {
    receivedAt: '2026-03-02T04:05:06Z',
    referral: true,
    priority: '2',
    country: 'PH',
    ipLookups: [{ ipAddress: '203.0.113.7', country: 'PH', region: 'Cebu', city: 'Cebu City', isp: 'Example Telecom', asn: 'AS64500' }],
  });
  assert.equal(r.incident.platform, 'PhotoShare', 'reportingEsp.espName stands in for the platform');
  assert.deepEqual(r.incident.reportAnnotations, ['sextortion', 'minorToMinorInteraction']);
  assert.equal(r.reporter?.reportingPerson?.emails[0]?.address, 'trust@photoshare.example');
  assert.equal(r.reporter?.contactPerson?.emails[0]?.address, 'lee@photoshare.example');
  assert.equal(r.reporter?.legalURL, 'https://photoshare.example/legal');
  const p = r.reportedPersons[0]!;
  assert.equal(p.role, 'reported');
  assert.equal(p.espIdentifier, 'u-88213');
  assert.equal(p.person?.age, 35);
  assert.equal(p.person?.dateOfBirth, '1990-05-17');
  assert.deepEqual(p.person?.phones, [{ number: '09171234567', type: 'Mobile', countryCallingCode: '+63' }]);
  assert.deepEqual(
    p.ipCaptureEvents.map((e) => [e.ipAddress, e.port, e.eventName, e.possibleProxy]),
    [
      ['203.0.113.7', 51234, 'Login', undefined],
      ['2001:db8::7', undefined, 'Upload', true],
    ],
  );
  assert.deepEqual(p.deviceIds, [{ idType: 'IMEI', idValue: '490154203237518', dateTime: '2026-03-01T14:10:00Z', eventName: 'Login' }]);
  assert.deepEqual(p.accountPermanentlyDisabled, { disabled: true, disabledDate: '2026-03-02T00:00:00Z', userNotified: false });
  assert.equal(p.associatedAccounts[0]?.espIdentifier, 'pl-1');
  assert.deepEqual(p.priorCTReports, ['210000009']);
  assert.deepEqual(r.intendedRecipients[0]?.additionalInfo, ['first', 'second']);
  assert.equal(r.victims[0]?.schoolName, 'Example Elementary');
  assert.deepEqual(
    r.internetDetails.map((d) => d.kind),
    ['webPage', 'chatIm'],
  );
  assert.equal(r.lawEnforcement?.officerContact?.lastName, 'Santos');
  const f = r.files[0]!;
  assert.equal(f.fileName, 'a1b2c3.jpg');
  assert.equal(f.originalFileName, 'IMG_0042.jpg');
  assert.equal(f.fileViewedByEsp, true);
  assert.equal(f.ipCaptureEvent?.eventName, 'Upload');
  assert.deepEqual(f.details, [
    { type: 'EXIF', pairs: [{ name: 'Model', value: 'Phone X' }] },
    { type: 'HASH', pairs: [{ name: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427f' }] },
  ]);
  assert.equal(r.additionalInfo, 'Escalated by the trust team.');
  assert.deepEqual(r.warnings, []);
  const kept = Object.fromEntries(r.unknown.map((u) => [u.path, JSON.parse(u.xml) as unknown]));
  assert.deepEqual(kept, {
    'reportedInformation/incidentSummary/ncmecNote': { ncmecNote: 'kept verbatim' },
    'reportedInformation/reportedPeople/reportedPersons[0]/riskScore': { riskScore: 0.93 },
    'reportedInformation/uploadedFiles/uploadedFiles[0]/ncmecTags': { ncmecTags: { groups: [{ groupName: 'Age', tags: ['Prepubescent'] }] } },
    caseManagement: { caseManagement: { assignedTo: 'Unit 3', status: 'open' } },
  });
});

test('a hand-written LE JSON report equals its hand-written XML twin in the canonical model', async () => {
  const fromXml = reports(await sources([fixture('pair.xml')]));
  const fromJson = reports(await sources([fixture('pair.json')]));
  assert.equal(fromXml.length, 1);
  assert.deepEqual(comparable(fromJson[0]!), comparable(fromXml[0]!));
  assert.deepEqual(fromJson[0]!.warnings, fromXml[0]!.warnings);
});

test('a sparse document loads with empty lists; odd documents load with warnings, not rejections', async () => {
  const [sparse] = reports(await read(readFileSync(fixture('sparse.json'), 'utf8')));
  assert.ok(sparse);
  assert.deepEqual([sparse.reportedPersons, sparse.files, sparse.unknown, sparse.warnings, sparse.envelope], [[], [], [], [], { ipLookups: [] }]);
  assert.equal(sparse.reporter, undefined);

  const items = await read(readFileSync(fixture('odd-array.json'), 'utf8'));
  assert.deepEqual(
    items.map((i) => (i.kind === 'report' ? [i.report.reportId, i.position.line, i.position.column, i.position.index] : i.kind)),
    [
      ['310000003', 2, 3, 0],
      ['310000004', 9, 3, 1],
      ['310000005', 10, 3, 2],
    ],
  );
  const [a, b, c] = reports(items);
  assert.equal(a!.incident.incidentDateTime, '2026-03-04T05:06:07Z', 'trimmed');
  assert.deepEqual(a!.incident.reportAnnotations, ['spam', 'newAnnotation2027']);
  assert.deepEqual(a!.reportedPersons[0]!.person!.emails, [{ address: 'x@chat.example' }, { address: 'y@chat.example' }]);
  assert.deepEqual(a!.reportedPersons[0]!.person!.phones, [{ number: '+639171234567' }]);
  assert.equal(a!.reportedPersons[0]!.espIdentifier, '12345');
  assert.equal(a!.additionalInfo, 'one\ntwo');
  assert.equal(a!.files[0]!.ipCaptureEvent?.ipAddress, '198.51.100.1');
  assert.deepEqual(a!.unknown, [{ path: 'reportedInformation/uploadedFiles[0]/sourceCaptures[1]', xml: '{"value":"198.51.100.2"}' }]);
  assert.equal(a!.warnings.length, 6);
  assert.match(a!.warnings.join('\n'), /approximateAge "about 30" is not a whole number/);
  assert.deepEqual(b!.internetDetails, [{ kind: 'cellPhone', phone: { number: '09170000000' }, latitude: 10.3, longitude: 123.9 }]);
  assert.equal(c!.incident.platform, 'DomainWatch', 'the incident platform wins over espName, which is kept');
  assert.deepEqual(
    c!.unknown.map((u) => u.path),
    ['reportedInformation/reportingEsp/espName', 'reportedInformation/unexpectedList'],
  );
});

test('JSON Lines: each bad line is set aside with its line, index and reason; the lines around it load', async () => {
  const items = await read(readFileSync(fixture('quarantine.jsonl'), 'utf8'));
  assert.deepEqual(outline(items), [
    'report 310000010',
    'rejected 310000011 @2:1: document 1 at line 2: not valid JSON at line 2, column 102: ' +
      (items[1]!.kind === 'rejected' ? items[1]!.reason.split('column 102: ')[1] : ''),
    'rejected - @3:2: document 2 at line 3: reportId is missing',
    'rejected 310000013 @4:3: report 310000013: reportedInformation/incidentSummary/incidentDateTime is missing',
    'rejected 310000014 @5:4: report 310000014: reportedInformation/incidentSummary/incidentDateTime "2026-02-30T00:00:00Z" is not a date-time; reportedInformation/victims[0]/dateOfBirth "not-a-date" is not a date',
    'rejected - @6:5: line 6, column 1: "]" cannot start a JSON document; the rest of the line is skipped',
    'rejected - @7:6: document 6 at line 7: not a JSON object (an LE JSON report is an object with reportId and reportedInformation)',
    'rejected - @8:7: document 7 at line 8: reportId "12a" is not a report number',
    'rejected 310000017 @9:8: report 310000017: dateReceived "yesterday" is not a date-time',
    'report 310000018',
  ]);
  const bad = items[1];
  assert.ok(bad?.kind === 'rejected');
  assert.equal(bad.raw, readFileSync(fixture('quarantine.jsonl'), 'utf8').split('\n')[1], 'the raw text of the line is kept');
});

test('a truncated array keeps the documents before the cut and sets aside the one in progress', async () => {
  const text = readFileSync(fixture('truncated.json'), 'utf8');
  const items = await read(text);
  assert.deepEqual(outline(items), [
    'report 310000020',
    'rejected 310000021 @3:1: document 1 at line 3: the input ends inside the document that starts at line 3, column 1: the file is truncated or cut short; the documents before it were kept',
  ]);
  const cut = items[1];
  assert.ok(cut?.kind === 'rejected' && cut.raw?.startsWith('{"reportId":"310000021"'));
  assert.deepEqual(outline(await read(`[${doc('1')},${doc('2')}`)), [
    'report 1',
    'report 2',
    'rejected - @file: the input ends before the array of documents is closed with "]": the file is truncated or cut short; the documents before it were kept',
  ]);
});

test('an array with a missing comma or content after its end stops there; the documents before it are kept', async () => {
  assert.deepEqual(outline(await read(`[${doc('1')}\n${doc('2')}]`)), [
    'report 1',
    'rejected - @file: the JSON is not well-formed at line 2, column 1: expected "," or "]" in the array of documents, found "{"; reading of this file stopped there; the documents before it were kept',
  ]);
  assert.deepEqual(outline(await read(`[${doc('1')}] ${doc('2')}`)), [
    'report 1',
    `rejected - @file: the JSON is not well-formed at line 1, column ${doc('1').length + 4}: "{" after the end of the array; reading of this file stopped there; the documents before it were kept`,
  ]);
  // In JSON Lines one bad line costs that line only: reading goes on at the next line.
  assert.deepEqual(outline(await read(`${doc('1')}\n{"reportId":"2","x":[}\n${doc('3')}`)), [
    'report 1',
    'rejected 2 @2:1: document 1 at line 2: the JSON is not well-formed at line 2, column 22: "}" does not close the open "["; set aside, and reading goes on at the next line that starts a document',
    'report 3',
  ]);
  assert.deepEqual(outline(await read(`${doc('1')}\n{"reportId":"2","x":"unterminated}\n${doc('3')}\n`, undefined, 7)), [
    'report 1',
    'rejected 2 @2:1: document 1 at line 2: a line break inside a string at line 2: the document is cut short or malformed; set aside, and reading goes on at the next line that starts a document',
    'report 3',
  ]);
  assert.deepEqual(outline(await read('[]')), []);
});

test('bounds: an oversize document, too deep nesting or a too long text sets that document aside; the next still loads', async () => {
  const big = doc('1', `,"victims":[{"profileBio":"${'x'.repeat(3000)}"}]`);
  assert.deepEqual(outline(await read(`${big}\n${doc('2')}`, { maxReportBytes: 2048 })), [
    'rejected 1 @1:0: document 0 at line 1: larger than the limit of 2048 characters',
    'report 2',
  ]);
  const cut = (await read(big, { maxReportBytes: 2048 }))[0];
  assert.ok(cut?.kind === 'rejected' && cut.raw?.length === 2048, 'the raw kept is cut at the bound');
  assert.deepEqual(outline(await read(`${big}\n${doc('2')}`, { maxTextBytes: 1000 })), [
    'rejected 1 @1:0: document 0 at line 1: a text value is longer than the limit of 1000 characters',
    'report 2',
  ]);
  const deep = doc('1', `,"x":${'['.repeat(70)}${']'.repeat(70)}`);
  assert.deepEqual(outline(await read(`${deep}\n${doc('2')}`)), ['rejected 1 @1:0: document 0 at line 1: values nested deeper than 64 levels', 'report 2']);
  const hostile = `${doc('1')}\n{"reportId":"2","x":${'['.repeat(300)}`;
  assert.deepEqual(outline(await read(hostile)), [
    'report 1',
    'rejected 2 @2:1: document 1 at line 2: values nested deeper than 256 levels at line 2, column 276; reading of this file stopped there; the documents before it were kept',
  ]);
});

test('the reader gives the same items whatever the chunk boundaries', async () => {
  const text = ['kitchen-sink.json', 'odd-array.json', 'quarantine.jsonl'].map((f) => readFileSync(fixture(f), 'utf8'));
  for (const t of text) {
    const whole = await read(t);
    for (const size of [1, 7, 64]) assert.deepEqual(await read(t, undefined, size), whole, `chunks of ${size} bytes`);
  }
});

test('a UTF-8 byte-order mark and UTF-16 are read; bad UTF-8 sets the document aside with the byte offset and its raw bytes', async () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc('1'))]);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('2'), 'utf16le')]);
  const badUtf8 = Buffer.from(doc('3', ',"victims":[{"firstName":"Ana XX"}]').replace('XX', '\u0000'));
  badUtf8[badUtf8.indexOf(0)] = 0xff;
  mkdirSync(join(work, 'enc'), { recursive: true });
  writeFileSync(join(work, 'enc', 'a.json'), withBom);
  writeFileSync(join(work, 'enc', 'b.json'), utf16);
  writeFileSync(join(work, 'enc', 'c.json'), badUtf8);
  const items = await sources([join(work, 'enc')]);
  assert.deepEqual(
    reports(items).map((r) => r.reportId),
    ['1', '2'],
  );
  const bad = items.find((i) => i.kind === 'rejected');
  assert.ok(bad?.kind === 'rejected');
  assert.equal(bad.reportId, '3');
  assert.match(
    bad.reason,
    new RegExp(`^document 0 at line 1: bytes that are not valid UTF-8 at byte offset ${badUtf8.indexOf(0xff)} \\(0xFF\\); set aside with its raw bytes$`),
  );
  assert.deepEqual(Buffer.from(bad.rawBytes!), badUtf8);
});

test('detection by content: XML or LE JSON whatever the name; non-LE JSON is skipped in folders and refused when named', async () => {
  const dir = join(work, 'mixed');
  mkdirSync(dir, { recursive: true });
  copyFileSync(fixture('sparse.json'), join(dir, 'a-json-named.xml'));
  copyFileSync(xmlFixture('single-report.xml'), join(dir, 'b-xml-named.json'));
  writeFileSync(join(dir, 'c-lines.jsonl.gz'), gzipSync(readFileSync(fixture('quarantine.jsonl'))));
  writeFileSync(join(dir, 'd-truth.json'), '{"subjects":[]}\n');
  writeFileSync(join(dir, 'e.ndjson'), `${doc('7')}\n`);
  const zip = new yazl.ZipFile();
  zip.addBuffer(readFileSync(fixture('pair.json')), 'tips/pair.jsonl');
  zip.addBuffer(Buffer.from('{"not":"a tip"}'), 'tips/z-other.json');
  zip.end();
  const zipped: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) zipped.push(c);
  writeFileSync(join(dir, 'f.zip'), Buffer.concat(zipped));
  copyFileSync(fixture('kitchen-sink.json'), join(work, 'tip.txt'));
  writeFileSync(join(work, 'other.json'), '{"subjects":[]}');
  const items = await sources([dir, join(work, 'tip.txt'), join(work, 'other.json')]);
  const seen = items.map((i) =>
    i.kind === 'report'
      ? `report ${i.report.reportId} ${i.source.entry ?? i.source.name}`
      : i.kind === 'rejected' && i.position === null
        ? `rejected ${i.source.name}: ${i.reason}`
        : i.kind === 'skipped'
          ? `skipped ${i.source.entry ?? i.source.name}`
          : i.kind === 'rejected'
            ? 'rejected'
            : i.kind,
  );
  assert.deepEqual(seen, [
    'file-start',
    'report 310000002 a-json-named.xml',
    'file-end',
    'file-start',
    'report 200000100 b-xml-named.json',
    'file-end',
    // The stray value of the file is one entry with a count, recorded at the end of the file.
    'file-start',
    'report 310000010 c-lines.jsonl.gz',
    'rejected',
    'rejected',
    'rejected',
    'rejected',
    'rejected',
    'rejected',
    'rejected',
    'report 310000018 c-lines.jsonl.gz',
    'rejected',
    'file-end',
    'skipped d-truth.json',
    'file-start',
    'report 7 e.ndjson',
    'file-end',
    'file-start',
    'report 310000100 tips/pair.jsonl',
    'skipped tips/z-other.json',
    'file-end',
    'file-start',
    'report 310000001 tip.txt',
    'file-end',
    'rejected other.json: not CyberTip input: not LE JSON: the first document has neither "reportId" nor "reportedInformation" (its keys: "subjects")',
  ]);
});

test('round trip: every XML fixture, written as LE JSON by toLeJson, conforms to the schema and reads back as the same report', async () => {
  let n = 0;
  for (const name of ['kitchen-sink.xml', 'small-batch.xml', 'single-report.xml', 'bare-report.xml', '123456789.xml', 'quarantine.xml']) {
    const data = readFileSync(xmlFixture(name));
    for await (const item of readCybertip(pieces(data.toString('utf8'), 1 << 20), { path: name, name })) {
      if (item.kind !== 'report') continue;
      const written = toLeJson(item.report);
      assert.equal(validateLeJson(written), null, `${name} ${item.report.reportId}`);
      const back = reports(await read(JSON.stringify(written, null, 2)));
      assert.equal(back.length, 1);
      assert.deepEqual(comparable(withoutLeOnly(back[0]!)), comparable(item.report), `${name} ${item.report.reportId}`);
      assert.equal(back[0]!.idSource, item.report.idSource === 'content' ? 'content' : 'envelope');
      n++;
    }
  }
  assert.ok(n >= 10, `${n} reports round-tripped`);
});

test('the schema: docs/lejson.schema.json is the exported schema; the fixtures conform, broken documents do not', () => {
  assert.equal(
    readFileSync(join(repo, 'docs', 'lejson.schema.json'), 'utf8'),
    `${JSON.stringify(LE_JSON_SCHEMA, null, 2)}\n`,
    'regenerate docs/lejson.schema.json from src/ingest/lejson/schema.ts',
  );
  for (const f of ['kitchen-sink.json', 'sparse.json', 'pair.json']) assert.equal(validateLeJson(JSON.parse(readFileSync(fixture(f), 'utf8'))), null, f);
  for (const d of JSON.parse(readFileSync(fixture('odd-array.json'), 'utf8')) as unknown[]) assert.notEqual(validateLeJson(d), undefined);
  assert.ok(validateLeJson({ reportedInformation: {} })?.some((m) => m.includes('reportId')));
  assert.ok(validateLeJson(JSON.parse(doc('1').replace('2026-03-07T00:00:00Z', 'yesterday')))?.some((m) => m.includes('incidentDateTime')));
});
