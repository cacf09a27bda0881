// Exports read from a real database on both backends: templates shared through the store,
// report, subject and case targets, and the referral package with its audit entry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport } from '../../test/fixtures/link/reports.ts';
import { updateHashes } from '../hashes/update.ts';
import { runLink } from '../link/run.ts';
import { summarize, type CybertipReport } from '../model/report.ts';
import type { Store } from '../store/database.ts';
import { prepareVersion, writeReportBatch } from '../store/reports.ts';
import { deleteTemplate, getTemplate, listTemplates, saveTemplate } from '../store/templates.ts';
import { DEFAULT_TEMPLATE_NAME } from './default-template.ts';
import { exportInitialReport, exportIpTable, exportMediaTable, resolveTemplate } from './exports.ts';
import { buildPackage, type PackageAuditEntry } from './package.ts';
import { docxText, readZip, verifyPackage } from './verify.ts';
import { isBantayError } from '../model/error.ts';

const NOW = new Date('2026-03-05T06:00:00Z');
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

// Reports 501 and 502 share a phone (a strong identifier): one subject. 503 stands alone.
function reports(): CybertipReport[] {
  const phone = { number: '+639171234567', type: 'Mobile' };
  const file = (id: string, viewed: boolean) => ({
    fileId: id,
    fileName: `${id}.jpg`,
    fileViewedByEsp: viewed,
    fileAnnotations: [],
    originalFileHashes: [{ hashType: 'MD5', value: createHash('md5').update(id).digest('hex') }],
    deviceIds: [],
    details: [],
    additionalInfo: [],
  });
  return [
    makeReport(
      '501',
      {
        espIdentifier: 'u1',
        person: { firstName: 'Ana', phones: [phone], emails: [], addresses: [] },
        ipCaptureEvents: [{ ipAddress: '112.198.67.84', eventName: 'Login', dateTime: '2026-02-01T00:00:00Z' }],
      },
      { files: [file('a', false)] },
    ),
    makeReport(
      '502',
      {
        espIdentifier: 'u2',
        person: { firstName: 'Ana', phones: [phone], emails: [], addresses: [] },
        ipCaptureEvents: [{ ipAddress: '180.190.1.1', eventName: 'Upload', dateTime: '2026-02-02T00:00:00Z', port: 40000 }],
      },
      { files: [file('b', true)] },
    ),
    makeReport(
      '503',
      { espIdentifier: 'u3', ipCaptureEvents: [{ ipAddress: '175.176.1.1', eventName: 'Login', dateTime: '2026-02-03T00:00:00Z', port: 1 }] },
      { incident: { incidentType: 'Child Sex Trafficking', platform: 'TikTok', reportAnnotations: [], incidentDateTime: '2026-01-04T00:00:00Z' } },
    ),
  ];
}

for (const backend of testBackends()) {
  describe(`exports on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
      await writeReportBatch(
        store.db,
        reports().map((r) =>
          prepareVersion({ reportId: r.reportId, idSource: 'envelope', summary: summarize(r), doc: r, raw: '<report/>', source: `test:${r.reportId}` }),
        ),
        null,
        store.copy,
      );
      await updateHashes(store);
      await runLink(store);
    });
    after(async () => {
      await store?.close();
    });

    test('templates: stored once for every user, versioned on change, the shipped one replaceable', async () => {
      assert.deepEqual(await listTemplates(store.db), []);
      assert.equal((await resolveTemplate(store)).source, 'builtin');
      assert.deepEqual(await saveTemplate(store.db, { name: 'nbi', body: '# NBI {{report.reportId}}', description: 'NBI letter', updatedBy: 'ana' }), {
        outcome: 'created',
        version: 1,
      });
      assert.deepEqual(await saveTemplate(store.db, { name: 'nbi', body: '# NBI {{report.reportId}}' }), { outcome: 'unchanged', version: 1 });
      assert.deepEqual(await saveTemplate(store.db, { name: 'nbi', body: '# NBI report {{report.reportId}}', updatedBy: 'ben' }), {
        outcome: 'updated',
        version: 2,
      });
      const t = (await getTemplate(store.db, 'nbi'))!;
      assert.equal(t.description, 'NBI letter', 'the description is kept when not given');
      assert.equal(t.updatedBy, 'ben');
      const docx = await exportInitialReport(store, { kind: 'report', id: '503' }, 'docx', { template: 'nbi', now: NOW });
      assert.match(await docxText(docx.bytes), /NBI report 503/);
      await saveTemplate(store.db, { name: DEFAULT_TEMPLATE_NAME, body: '# Replaced' });
      assert.equal((await resolveTemplate(store)).source, 'stored');
      assert.equal(await deleteTemplate(store.db, DEFAULT_TEMPLATE_NAME), true);
      assert.equal((await resolveTemplate(store)).source, 'builtin');
      await assert.rejects(resolveTemplate(store, 'nope'), /no template "nope"/);
    });

    test('IP table of a subject: both reports, CGNAT warning on the one without a port; XLSX reads back', async () => {
      const csv = decode((await exportIpTable(store, { kind: 'subject', id: 'S-501' }, 'csv', { now: NOW })).bytes);
      assert.match(csv, /^501,Facebook,reported person 1,user ID u1,112\.198\.67\.84,2026-02-01T00:00:00Z,.*No source port/m);
      assert.match(csv, /^502,Facebook,reported person 1,user ID u2,180\.190\.1\.1,2026-02-02T00:00:00Z,2026-02-02T00:00:00Z,40000,Upload,/m);
      assert.doesNotMatch(csv, /^503,/m);
      const xlsx = await exportIpTable(store, { kind: 'subject', id: 'S-501' }, 'xlsx', { now: NOW });
      assert.equal(xlsx.filename, 'ip-table-subject-S-501.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      assert.equal(ws.getRow(1).getCell(5).value, 'IP address');
      assert.deepEqual([ws.getRow(2).getCell(1).value, ws.getRow(2).getCell(5).value, ws.getRow(3).getCell(8).value], ['501', '112.198.67.84', 40000]);
      // A report in no subject is a subject of its own.
      assert.match(decode((await exportIpTable(store, { kind: 'subject', id: 'S-503' }, 'csv')).bytes), /^503,TikTok,/m);
    });

    test("media table carries the hash stage's novelty and the viewed-by-ESP meaning", async () => {
      const csv = decode((await exportMediaTable(store, { kind: 'report', id: '501' }, 'csv')).bytes);
      assert.match(csv, /^501,Facebook,a,a\.jpg,,[0-9a-f]{32},,,,,no,"?Not viewed by the ESP: a warrant may be needed/m);
      assert.match(csv, /,new,,,501\r\n/);
    });

    test('unknown targets are a readable not-found error', async () => {
      await assert.rejects(exportIpTable(store, { kind: 'report', id: '999' }, 'csv'), (err: unknown) => isBantayError(err, 'NOT_FOUND'));
      await assert.rejects(exportIpTable(store, { kind: 'subject', id: 'S-999' }, 'csv'), (err: unknown) => isBantayError(err, 'NOT_FOUND'));
      await assert.rejects(exportIpTable(store, { kind: 'case', id: 'C-1', reportIds: ['998'] }, 'csv'), (err: unknown) => isBantayError(err, 'NOT_FOUND'));
    });

    test('referral package: every file, a manifest of SHA-256 hashes, the linked report and one audit entry', async () => {
      const audits: PackageAuditEntry[] = [];
      const built = await buildPackage(
        store,
        { kind: 'report', id: '501' },
        {
          recipient: 'PNP-WCPC Region VII',
          actor: 'ana',
          now: NOW,
          audit: async (e) => {
            audits.push(e);
          },
        },
      );
      assert.equal(built.file.filename, 'referral-report-501-PNP-WCPC-Region-VII-2026-03-05.zip');
      const entries = await readZip(built.file.bytes);
      assert.deepEqual([...entries.keys()].sort(), [
        'initial-report.docx',
        'initial-report.pdf',
        'ip-table.csv',
        'ip-table.xlsx',
        'linked-reports.csv',
        'manifest.json',
        'media.csv',
        'media.xlsx',
        'reports.csv',
      ]);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as typeof built.manifest;
      assert.deepEqual(manifest, built.manifest);
      assert.equal(manifest.files.length, 8);
      for (const f of manifest.files) assert.equal(createHash('sha256').update(entries.get(f.name)!).digest('hex'), f.sha256, f.name);
      assert.deepEqual(manifest.linkedReportIds, ['502']);
      assert.match(entries.get('linked-reports.csv')!.toString('utf8'), /^502,.*,501,phone \+639171234567\r\n/m);
      assert.match(await docxText(entries.get('initial-report.docx')!), /This office refers the matter to PNP-WCPC Region VII/);
      assert.equal(audits.length, 1);
      assert.equal(audits[0]!.recipient, 'PNP-WCPC Region VII');
      assert.equal(audits[0]!.actor, 'ana');
      assert.equal(audits[0]!.packageSha256, createHash('sha256').update(built.file.bytes).digest('hex'));
      assert.equal(audits[0]!.manifestSha256, createHash('sha256').update(entries.get('manifest.json')!).digest('hex'));
      assert.deepEqual(await verifyPackage(built.file.bytes), { ok: true, manifest, problems: [] });
    });

    test('a package whose audit fails is not handed out; a case names its missing reports', async () => {
      await assert.rejects(
        buildPackage(
          store,
          { kind: 'report', id: '501' },
          {
            recipient: 'X',
            audit: async () => {
              throw new Error('audit down');
            },
          },
        ),
        /audit down/,
      );
      await assert.rejects(buildPackage(store, { kind: 'report', id: '501' }, { recipient: ' ', audit: async () => {} }), /recipient/);
      const built = await buildPackage(
        store,
        { kind: 'case', id: 'C-7', reportIds: ['503', '501', '777'] },
        { recipient: 'NBI', audit: async () => {}, now: NOW },
      );
      assert.deepEqual(built.manifest.reportIds, ['501', '503']);
      assert.deepEqual(built.manifest.missingReportIds, ['777']);
      assert.match(
        await docxText((await readZip(built.file.bytes)).get('initial-report.docx')!),
        /1 report\(s\) named by this case are not in the database: 777/,
      );
    });
  });
}
