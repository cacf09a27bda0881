import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeReport } from '../../test/fixtures/link/reports.ts';
import { summarize, type CybertipReport, type FileDetails } from '../model/report.ts';
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME } from './default-template.ts';
import { initialReportFile } from './exports.ts';
import type { ExportData } from './gather.ts';
import { ipTableRows } from './iptable.ts';
import { mediaRows } from './media.ts';
import { checkTemplate, parseBlocks, type Letterhead } from './template.ts';
import { docxText } from './verify.ts';
import { isBantayError } from '../model/error.ts';

const NOW = new Date('2026-03-02T01:02:03Z');
const file = (fileId: string, viewed: boolean | undefined): FileDetails => ({
  fileId,
  fileName: `${fileId}.jpg`,
  fileViewedByEsp: viewed,
  fileAnnotations: [],
  originalFileHashes: [{ hashType: 'MD5', value: 'ab'.repeat(16) }],
  deviceIds: [],
  details: [],
  additionalInfo: [],
});

function data(reports: CybertipReport[]): ExportData {
  return {
    target: reports.length === 1 ? { kind: 'report', id: reports[0]!.reportId } : { kind: 'case', id: 'C-1', reportIds: reports.map((r) => r.reportId) },
    reports,
    missing: [],
    summaries: reports.map((r) => ({
      ...summarize(r),
      idSource: 'envelope',
      currentVersion: 1,
      versionCount: 1,
      firstIngestedAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    })),
    ips: ipTableRows(reports),
    media: mediaRows(reports),
    linked: [],
  };
}

const template = { name: DEFAULT_TEMPLATE_NAME, body: DEFAULT_TEMPLATE, version: 0, source: 'builtin' as const };
const head: Letterhead = { recipient: 'PNP Women and Children Protection Center', preparedBy: 'Analyst M. Santos', reference: 'OOC-2026-0042' };

async function docx(reports: CybertipReport[], h: Letterhead = head): Promise<string> {
  return docxText((await initialReportFile(data(reports), template, 'docx', h, NOW)).bytes);
}

const facebook = (id: string, extra: Partial<CybertipReport> = {}, port: number | undefined = undefined, viewed: (boolean | undefined)[] = [true]) =>
  makeReport(
    id,
    {
      screenName: 'juan',
      espIdentifier: '1000',
      person: { firstName: 'Juan', lastName: 'Cruz', phones: [], emails: [], addresses: [] },
      ipCaptureEvents: [{ ipAddress: '112.198.67.84', eventName: 'Login', dateTime: '2026-02-01T00:00:00Z', ...(port !== undefined ? { port } : {}) }],
    },
    { files: viewed.map((v, i) => file(`F${i + 1}`, v)), ...extra },
  );

test('the shipped template fills the report: heading, recipient, reference, people, tables', async () => {
  const text = await docx([facebook('300')]);
  assert.match(text, /Department of Justice – Office of Cybercrime/);
  assert.match(text, /Initial Report: CyberTipline Report 300/);
  assert.match(text, /To: PNP Women and Children Protection Center/);
  assert.match(text, /Reference: OOC-2026-0042/);
  assert.match(text, /Date: 2026-03-02/);
  assert.match(text, /Juan Cruz, screen name juan, ESP user ID 1000/);
  assert.match(text, /112\.198\.67\.84\t2026-02-01 00:00:00\t/, 'the IP table row');
  assert.match(text, /IP geolocation by DB-IP/);
  assert.match(text, /This office refers the matter to PNP Women and Children Protection Center/);
  assert.match(text, /Prepared by: Analyst M\. Santos/);
});

test('ESP-specific paragraph only for that ESP', async () => {
  assert.match(await docx([facebook('301')]), /Meta \(Facebook, Instagram, Messenger, WhatsApp\)/);
  const tiktok = facebook('302');
  tiktok.incident.platform = 'TikTok';
  const text = await docx([tiktok]);
  assert.doesNotMatch(text, /Meta \(Facebook/);
  assert.match(text, /TikTok: send a preservation request/);
});

test('files not viewed by the ESP: the warrant paragraph appears, and only then', async () => {
  const viewed = await docx([facebook('303', {}, 1, [true, true])]);
  assert.doesNotMatch(viewed, /Files not viewed by the ESP/);
  assert.doesNotMatch(viewed, /did not say whether staff viewed/);
  const notViewed = await docx([facebook('304', {}, 1, [false, true, undefined])]);
  assert.match(
    notViewed,
    /Files not viewed by the ESP\. 1 file was not viewed by the ESP's staff\. A warrant may be needed before law enforcement opens it: in United States v\. Wilson \(9th Cir\. 2021\)/,
  );
  assert.match(notViewed, /For 1 file the ESP did not say whether staff viewed it/);
});

test('IP without a port: the CGNAT paragraph appears, and only then', async () => {
  assert.match(await docx([facebook('305')]), /Carrier-grade NAT\. 1 IPv4 event was reported without a source port/);
  assert.doesNotMatch(await docx([facebook('306', {}, 50123)]), /Carrier-grade NAT\./);
});

test('several reports: a case heading, the reports table and escalation', async () => {
  const a = facebook('307');
  const b = facebook('308');
  b.incident.escalateToHighPriority = 'child at risk';
  const text = await docx([a, b], {});
  assert.match(text, /case C-1 \(2 CyberTipline reports\)/);
  assert.match(text, /URGENT: the ESP marked at least one of these reports for escalation/);
  assert.match(text, /^307\t/m);
  assert.match(text, /^308\t/m);
  assert.doesNotMatch(text, /To:/, 'no recipient, no To line');
});

test('PDF: the same text, extracted with pdftotext', async (t) => {
  if (spawnSync('pdftotext', ['-v']).error) return t.skip('pdftotext (poppler-utils) is not installed');
  const pdf = await initialReportFile(data([facebook('309', {}, undefined, [false])]), template, 'pdf', head, NOW);
  assert.equal(Buffer.from(pdf.bytes.subarray(0, 5)).toString(), '%PDF-');
  const dir = mkdtempSync(join(tmpdir(), 'bantay-pdf-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf.bytes);
    const out = spawnSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const text = out.stdout.replace(/\s+/g, ' ');
    assert.match(text, /Initial Report: CyberTipline Report 309/);
    assert.match(text, /Juan Cruz, screen name juan/);
    assert.match(text, /Carrier-grade NAT\./);
    assert.match(text, /Files not viewed by the ESP\. 1 file was not viewed/);
    assert.match(text, /112\.198\.67\.84/);
    assert.match(text, /page 1 of \d/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an agency template: its own conditions and helpers', async () => {
  const body =
    '# {{agency}}\n{{#if (eq report.esp "facebook")}}\nFB paragraph.\n{{/if}}\n{{#unless files.notViewed}}\nAll files viewed.\n{{/unless}}\n- {{ymd generatedAt}} {{plural files.count "file" "files"}}\n[[table files]]\n';
  checkTemplate(body);
  const text = await docxText(
    (await initialReportFile(data([facebook('310')]), { name: 'mine', body, version: 2, source: 'stored' }, 'docx', { agency: 'NBI' }, NOW)).bytes,
  );
  assert.match(text, /^NBI$/m);
  assert.match(text, /FB paragraph\./);
  assert.match(text, /All files viewed\./);
  assert.match(text, /2026-03-02 file/);
  assert.match(text, /F1\.jpg/);
});

test('a broken template is refused with a readable error', () => {
  assert.throws(
    () => checkTemplate('{{#if x}}never closed'),
    (err: unknown) => isBantayError(err, 'TEMPLATE'),
  );
});

test('markup: headings, bullets, notes, tables, page breaks and joined paragraph lines', () => {
  assert.deepEqual(parseBlocks('# T\n## H\nline one\nline two\n\n- b\n> n\n[[table ips]]\n[[table nope]]\n---\n### S'), [
    { kind: 'title', text: 'T' },
    { kind: 'h2', text: 'H' },
    { kind: 'paragraph', text: 'line one line two' },
    { kind: 'bullet', text: 'b' },
    { kind: 'note', text: 'n' },
    { kind: 'table', table: 'ips' },
    { kind: 'paragraph', text: '[[table nope]]' },
    { kind: 'pagebreak' },
    { kind: 'h3', text: 'S' },
  ]);
});
