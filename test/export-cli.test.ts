// End to end: ingest the CyberTip fixtures with the `bantay` command, export every format for a
// report and a case, and open each file the way its reader would: XLSX with exceljs, DOCX
// unzipped and its word/document.xml read, PDF through pdftotext, the package's manifest
// hashes recomputed. Templates are exported, edited, imported and used.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import { repoRoot } from './support/shared.ts';
import type { StoreLocation } from '../src/store/database.ts';
import { docxText, readZip } from '../src/export/verify.ts';
import type { Manifest } from '../src/export/package.ts';

const fixtures = ['kitchen-sink.xml', 'small-batch.xml', 'single-report.xml', '123456789.xml'].map((f) => join(repoRoot, 'test', 'fixtures', 'cybertip', f));
const hasPdftotext = !spawnSync('pdftotext', ['-v']).error;

async function sheetRows(path: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

function pdfText(path: string): string {
  const out = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.replace(/\s+/g, ' ');
}

for (const backend of testBackends()) {
  describe(`bantay export on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    let work: string;
    const out = (name: string): string => join(work, name);
    const ok = async (args: string[]): Promise<string> => {
      const r = await runCli(args, location);
      assert.equal(r.code, 0, `bantay ${args.join(' ')}\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    before(async () => {
      work = mkdtempSync(join(tmpdir(), 'bantay-export-cli-'));
      ({ location, dispose } = await backend.fresh());
      await ok(['ingest', ...fixtures]);
      // Linking is left out: the fixtures share no identifier, and the export tests cover links.
      await ok(['hashes', 'update']);
    });
    after(async () => {
      await dispose?.();
      rmSync(work, { recursive: true, force: true });
    });

    test('IP table as CSV and XLSX', async () => {
      await ok(['export', 'iptable', '--report', '200000001', '--out', out('ip.csv')]);
      const csv = readFileSync(out('ip.csv'), 'utf8');
      assert.match(csv, /^\uFEFFReport,ESP,Source,Account,IP address,UTC time,/);
      assert.match(
        csv,
        /^200000001,ChatterBox Messenger,reported person 1,"user ID cb-user-884412, screen name kuya_juan88",203\.0\.113\.45,2026-02-27T21:00:00Z,2026-02-27T21:00:00Z,50123,Login,no,not public \(reserved\),.*,PH,Central Visayas,Cebu City,Example Telecom,AS64500,$/m,
      );
      assert.match(csv, /IP geolocation by DB-IP/);
      const printed = JSON.parse(await ok(['export', 'iptable', '--report', '200000001', '--format', 'xlsx', '--out', out('ip.xlsx'), '--json'])) as {
        path: string;
        bytes: number;
      };
      assert.equal(printed.path, out('ip.xlsx'));
      const rows = await sheetRows(out('ip.xlsx'));
      assert.equal(rows[0]![4], 'IP address');
      assert.equal(rows.filter((r) => r[0] === '200000001').length, 8);
      assert.ok(rows.some((r) => r[4] === '203.0.113.45' && r[7] === 50123 && r[16] === 'PH' && r[19] === 'Example Telecom'));
      assert.ok(rows.some((r) => typeof r[0] === 'string' && r[0].startsWith('IP geolocation by DB-IP')));
    });

    test('media table as CSV and XLSX', async () => {
      await ok(['export', 'media', '--report', '200000001', '--out', out('media.csv')]);
      const csv = readFileSync(out('media.csv'), 'utf8');
      assert.match(csv, /^200000001,ChatterBox Messenger,file-aa01,IMG_0001\.jpg,beach\.jpg,0123456789abcdef0123456789abcdef,/m);
      assert.match(csv, /^200000001,ChatterBox Messenger,file-aa02,.*,not stated,The ESP did not say whether staff viewed this file/m);
      await ok(['export', 'media', '--report', '200000001', '--format', 'xlsx', '--out', out('media.xlsx')]);
      const rows = await sheetRows(out('media.xlsx'));
      const aa01 = rows.find((r) => r[2] === 'file-aa01')!;
      assert.equal(aa01[10], 'yes');
      assert.equal(aa01[14], 'A1');
      assert.equal(aa01[18], 'viral');
    });

    test('initial report as DOCX and PDF', async (t) => {
      await ok(['export', 'report', '--report', '200000001', '--format', 'docx', '--recipient', 'PNP-WCPC', '--out', out('r.docx')]);
      const text = await docxText(readFileSync(out('r.docx')));
      assert.match(text, /Initial Report: CyberTipline Report 200000001/);
      assert.match(text, /To: PNP-WCPC/);
      assert.match(text, /URGENT: the ESP marked this report for escalation/);
      assert.match(text, /The ESP annotated the incident as sextortion/);
      assert.match(text, /For 1 file the ESP did not say whether staff viewed it/);
      assert.doesNotMatch(text, /Meta \(Facebook/, 'no Meta paragraph for ChatterBox');
      if (!hasPdftotext) return t.skip('pdftotext (poppler-utils) is not installed: PDF text not checked');
      await ok(['export', 'report', '--report', '200000001', '--format', 'pdf', '--out', out('r.pdf')]);
      const pdf = pdfText(out('r.pdf'));
      assert.match(pdf, /Initial Report: CyberTipline Report 200000001/);
      assert.match(pdf, /203\.0\.113\.45/);
      assert.match(pdf, /Juan Dela Cruz, screen name kuya_juan88/);
    });

    test('referral package for a case: manifest hashes recomputed, verify, recorded in the audit trail', async () => {
      const r = await runCli(
        [
          'export',
          'package',
          '--case',
          'C-12',
          '--reports',
          '200000001,200000100,404',
          '--recipient',
          'NBI Anti-Human Trafficking Division',
          '--out',
          out('p.zip'),
          '--json',
        ],
        location,
      );
      assert.equal(r.code, 0, r.stderr);
      const printed = JSON.parse(r.stdout) as { sha256: string; manifest: Manifest };
      const bytes = readFileSync(out('p.zip'));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), printed.sha256);
      // The package is in the audit trail, with its recipient and hash.
      const trail = await runCli(['audit', 'export'], location);
      assert.equal(trail.code, 0, trail.stderr);
      const exported = trail.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; targetKind: string; targetId: string; detail: string })
        .filter((e) => e.action === 'export');
      assert.equal(exported.length, 1);
      const audit = { ...exported[0]!, detail: JSON.parse(exported[0]!.detail) as { action: string; recipient: string; packageSha256: string } };
      assert.deepEqual(
        [audit.detail.action, audit.detail.recipient, audit.detail.packageSha256, audit.targetKind, audit.targetId],
        ['export.package', 'NBI Anti-Human Trafficking Division', printed.sha256, 'case', 'C-12'],
      );
      assert.equal((await runCli(['audit', 'verify'], location)).code, 0);
      const entries = await readZip(bytes);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
      assert.deepEqual(manifest.reportIds, ['200000001', '200000100']);
      assert.deepEqual(manifest.missingReportIds, ['404']);
      assert.deepEqual(
        manifest.files.map((f) => f.name),
        ['initial-report.docx', 'initial-report.pdf', 'ip-table.csv', 'ip-table.xlsx', 'media.csv', 'media.xlsx', 'reports.csv', 'linked-reports.csv'],
      );
      for (const f of manifest.files) {
        assert.equal(createHash('sha256').update(entries.get(f.name)!).digest('hex'), f.sha256, f.name);
        assert.equal(entries.get(f.name)!.length, f.bytes, f.name);
      }
      assert.match(entries.get('reports.csv')!.toString('utf8'), /^200000100,/m);
      assert.match(await ok(['export', 'verify', out('p.zip')]), /^OK: 8 file\(s\) match manifest\.json/);
      // One changed byte in one file: verify names it and fails.
      const bad = await readZip(bytes);
      bad.set('ip-table.csv', Buffer.concat([bad.get('ip-table.csv')!, Buffer.from('x')]));
      const yazl = (await import('yazl')).default;
      const z = new yazl.ZipFile();
      for (const [name, b] of bad) z.addBuffer(b, name);
      z.end();
      const chunks: Buffer[] = [];
      for await (const c of z.outputStream) chunks.push(c as Buffer);
      writeFileSync(out('bad.zip'), Buffer.concat(chunks));
      const v = await runCli(['export', 'verify', out('bad.zip')], location);
      assert.equal(v.code, 1);
      assert.match(v.stdout, /ip-table\.csv: SHA-256 differs from the manifest/);
    });

    test('templates: export, edit, import (shared through the database), list, use', async () => {
      await ok(['export', 'template', 'export', '--out', out('t.hbs')]);
      const body = readFileSync(out('t.hbs'), 'utf8');
      assert.match(body, /Files not viewed by the ESP/);
      writeFileSync(
        out('t.hbs'),
        body.replace(
          '## 1. Source of the information',
          '## 1. Source of the information\n\n{{#if (eq report.esp "ChatterBox Messenger")}}\nChatterBox-specific paragraph.\n{{/if}}',
        ),
      );
      assert.match(
        await ok(['export', 'template', 'import', out('t.hbs'), '--name', 'region7', '--description', 'Region VII wording']),
        /Template region7: created \(version 1\)/,
      );
      const list = JSON.parse(await ok(['export', 'template', 'list', '--json'])) as { name: string; source: string; version: number }[];
      assert.deepEqual(
        list.map((t) => [t.name, t.source, t.version]),
        [
          ['ph-doj-ooc-initial', 'builtin', 0],
          ['preservation-request', 'builtin', 0],
          ['region7', 'stored', 1],
          ['subscriber-request', 'builtin', 0],
        ],
      );
      await ok(['export', 'report', '--report', '200000001', '--template', 'region7', '--out', out('t.docx')]);
      assert.match(await docxText(readFileSync(out('t.docx'))), /ChatterBox-specific paragraph\./);
    });

    test('a preservation request letter from the shipped template, recorded in the audit trail', async () => {
      await ok(['export', 'letter', '--report', '200000001', '--kind', 'preservation-request', '--format', 'docx', '--out', out('preserve.docx')]);
      const text = await docxText(readFileSync(out('preserve.docx')));
      assert.match(text, /Request to preserve records/);
      assert.match(text, /CyberTipline report 200000001/);
      const list = await ok(['export', 'template', 'list']);
      assert.match(list, /preservation-request\s+builtin/);
      assert.match(list, /subscriber-request\s+builtin/);
      const trail = await ok(['audit', 'export']);
      const letters = trail
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.action === 'letter');
      assert.equal(letters.length, 1);
      assert.ok(JSON.stringify(letters[0]).includes('200000001'));
    });

    test('readable errors: unknown report, two targets', async () => {
      const missing = await runCli(['export', 'iptable', '--report', '999', '--out', out('x.csv')], location);
      assert.equal(missing.code, 4, 'not found');
      assert.match(missing.stderr, /no report 999/);
      const two = await runCli(['export', 'media', '--report', '1', '--subject', 'S-1'], location);
      assert.notEqual(two.code, 0);
      assert.match(two.stderr, /exactly one of --report ID, --subject ID or --case ID/);
    });
  });
}
