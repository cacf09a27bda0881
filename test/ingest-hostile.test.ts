// Hostile input through the whole ingest, on both backends (issue 16 item 2, issue 18 item 2):
// NUL, lone surrogates and characters XML forbids in each input kind; bytes that are not valid
// UTF-8 in XML and in LE JSON; a small file flooding the quarantine with stray elements; the
// per-file bounds; runs whose process died. Never a failed run, never a good report lost, and
// the same result on every rerun.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { ingestPaths } from '../src/ingest/run.ts';
import { listQuarantine, quarantinedRaw, quarantinedRawBytes } from '../src/store/quarantine.ts';
import type { Store } from '../src/store/database.ts';
import type { CybertipReport } from '../src/model/report.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-hostile-'));
after(() => rmSync(work, { recursive: true, force: true }));

function envelopeReport(id: string | number, body = ''): string {
  return (
    `<cybertipReport reportId="${id}" receivedAt="2026-01-01T00:00:00Z"><report>` +
    '<incidentSummary><incidentType>Child Sex Trafficking</incidentType><incidentDateTime>2026-01-01T00:00:00Z</incidentDateTime></incidentSummary>' +
    `${body}</report></cybertipReport>`
  );
}
const batch = (...parts: string[]): string => `<?xml version="1.0" encoding="UTF-8"?>\n<cybertipReports>\n${parts.join('\n')}\n</cybertipReports>\n`;
const leDoc = (id: string, name: string): string =>
  `{"reportId":"${id}","reportedInformation":{"incidentSummary":{"incidentType":"Child Sex Tourism","incidentDateTime":"2026-03-07T00:00:00Z"},"reportedPeople":{"reportedPersons":[{"screenName":${name}}]}}}`;
const screen = (name: string): string => `<personOrUserReported><screenName>${name}</screenName></personOrUserReported>`;

/** Writes the folder of hostile inputs; returns it with what each file holds. */
function hostileFolder(): string {
  const dir = join(work, 'hostile');
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  // XML: a literal NUL, a character reference to NUL, one to a lone surrogate, a C0 control; each beside a good report.
  writeFileSync(join(dir, 'a-nul.xml'), batch(envelopeReport(101, screen('A\u0000B')), envelopeReport(102)));
  writeFileSync(
    join(dir, 'b-refs.xml'),
    batch(envelopeReport(103, screen('A&#0;B')), envelopeReport(104, screen('A&#xD800;B')), envelopeReport(105, screen('bell\u0007')), envelopeReport(106)),
  );
  // LE JSON: an escaped NUL, a lone surrogate, a NUL in a key; the report loads with the characters replaced.
  writeFileSync(
    join(dir, 'c-escapes.jsonl'),
    [
      leDoc('201', '"A\\u0000B"'),
      leDoc('202', '"\\ud800x"'),
      leDoc('203', '"ok"').replace('"screenName"', '"screen\\u0000Name"'),
      leDoc('204', '"plain"'),
    ].join('\n'),
  );
  // LE JSON: a literal NUL inside a string is not JSON: that line alone is set aside.
  writeFileSync(join(dir, 'd-literal.jsonl'), [leDoc('205', '"A\u0000B"'), leDoc('206', '"fine"')].join('\n'));
  return dir;
}

async function docOf(store: Store, id: string): Promise<CybertipReport> {
  const row = await store.db.selectFrom('report_versions').select('doc').where('report_id', '=', id).executeTakeFirstOrThrow();
  return row.doc as CybertipReport;
}

for (const backend of testBackends()) {
  describe(`hostile ingest input on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('NUL, lone surrogates and characters XML forbids: the report is set aside (XML) or cleaned with a warning (LE JSON); good reports load; reruns give the same', async () => {
      const store = await backend.open();
      try {
        const dir = hostileFolder();
        for (let run = 0; run < 2; run++) {
          const s = await ingestPaths(store, [dir]);
          assert.equal(s.status, 'completed', s.error);
          assert.equal(s.reportsRead, 7, `run ${run}`);
          assert.equal(s.quarantined, 5, `run ${run}`);
          assert.equal(s.newReports, run === 0 ? 7 : 0);
        }
        const stored = (await store.db.selectFrom('reports').select('report_id').orderBy('report_id').execute()).map((r) => r.report_id);
        assert.deepEqual(stored, ['102', '106', '201', '202', '203', '204', '206']);
        const q = await listQuarantine(store.db);
        const reason = (id: string): string => q.find((r) => r.reportId === id)?.reason ?? '';
        assert.match(
          reason('101'),
          /^report 101: a character XML does not allow \(U\+0000\) at line 3, column \d+; XML forbids it, so the report is set aside with its raw text$/,
        );
        assert.match(reason('103'), /a character reference to a character XML does not allow/);
        // A lone surrogate written as a character reference is refused like NUL.
        assert.match(reason('104'), /a character reference to a character XML does not allow/);
        assert.match(reason('105'), /a character XML does not allow \(U\+0007\)/);
        assert.match(reason('205'), /not valid JSON/);
        // The raw text is kept whole, the NUL included.
        const raw = await quarantinedRaw(store.db, q.find((r) => r.reportId === '101')!.id);
        assert.ok(raw?.startsWith('<cybertipReport reportId="101"') && raw.includes('A\u0000B') && raw.endsWith('</cybertipReport>'));
        // LE JSON: the value is kept with U+FFFD in place of the character, and the report says so.
        const nul = await docOf(store, '201');
        assert.equal(nul.reportedPersons[0]?.screenName, 'A\uFFFDB');
        assert.match(
          nul.warnings.join(' '),
          /characters that cannot be stored \(U\+0000 in reportedInformation\/reportedPeople\/reportedPersons\[0\]\/screenName\) were replaced by U\+FFFD; the raw text keeps them/,
        );
        assert.equal((await docOf(store, '202')).reportedPersons[0]?.screenName, '\uFFFDx');
        assert.match((await docOf(store, '203')).unknown.map((u) => u.path).join(), /screen\uFFFDName/);
      } finally {
        await store.close();
      }
    });

    test('bytes that are not valid UTF-8, in XML and in LE JSON: that report is quarantined with the byte offset and its raw bytes; the others load', async () => {
      const store = await backend.open();
      try {
        const dir = join(work, `bytes-${backend.name}`);
        mkdirSync(dir, { recursive: true });
        const xml = Buffer.from(batch(envelopeReport(301, screen('Pe#a')), envelopeReport(302)));
        const xmlAt = xml.indexOf('Pe#a') + 2;
        xml[xmlAt] = 0xf1;
        writeFileSync(join(dir, 'a.xml'), xml);
        const json = Buffer.from(`${leDoc('303', '"Pe#a"')}\n${leDoc('304', '"ok"')}\n`);
        const jsonAt = json.indexOf('Pe#a') + 2;
        json[jsonAt] = 0xc3;
        writeFileSync(join(dir, 'b.jsonl'), json);
        const s = await ingestPaths(store, [dir]);
        assert.equal(s.status, 'completed');
        assert.deepEqual([s.newReports, s.quarantined], [2, 2]);
        const q = await listQuarantine(store.db);
        const x = q.find((r) => r.reportId === '301')!;
        assert.equal(x.reason, `report 301: bytes that are not valid UTF-8 at byte offset ${xmlAt} (0xF1); set aside with its raw bytes, as XML requires`);
        const xmlStart = xml.indexOf('<cybertipReport reportId="301"');
        assert.deepEqual(Buffer.from((await quarantinedRawBytes(store.db, x.id))!), xml.subarray(xmlStart, xml.indexOf('</cybertipReport>', xmlStart) + 17));
        const j = q.find((r) => r.reportId === '303')!;
        assert.equal(j.reason, `document 0 at line 1: bytes that are not valid UTF-8 at byte offset ${jsonAt} (0xC3); set aside with its raw bytes`);
        assert.deepEqual(Buffer.from((await quarantinedRawBytes(store.db, j.id))!), json.subarray(0, json.indexOf('\n')));
      } finally {
        await store.close();
      }
    });

    test('a small file of stray elements is one quarantine row with a count; entries per file are capped; a report with too many elements is set aside; time per file is bounded', async () => {
      const store = await backend.open();
      try {
        const dir = join(work, `flood-${backend.name}`);
        mkdirSync(dir, { recursive: true });
        // About 120 kB: 20,000 stray elements between two good reports.
        writeFileSync(join(dir, 'a-flood.xml'), batch(envelopeReport(401), '<x/>'.repeat(20_000), envelopeReport(402)));
        // Eight reports without an incident type: at most five entries, the rest counted in one.
        const noType = (id: number): string => envelopeReport(id).replace('<incidentType>Child Sex Trafficking</incidentType>', '');
        writeFileSync(join(dir, 'b-many.xml'), batch(...[411, 412, 413, 414, 415, 416, 417, 418].map(noType), envelopeReport(419)));
        writeFileSync(join(dir, 'c-wide.xml'), batch(envelopeReport(421, `<additionalInfo>${'<b/>'.repeat(60)}</additionalInfo>`), envelopeReport(422)));
        const s = await ingestPaths(store, [dir], { limits: { maxRejectsPerFile: 5, maxElements: 50 } });
        assert.equal(s.status, 'completed');
        assert.equal(s.newReports, 4);
        assert.equal(s.quarantined, 20_000 + 8 + 1);
        const rows = await listQuarantine(store.db, { limit: 1000 });
        const flood = rows.filter((r) => r.source.endsWith('a-flood.xml'));
        assert.equal(flood.length, 1);
        assert.equal(flood[0]!.count, 20_000);
        assert.match(
          flood[0]!.reason,
          /^<x> inside <cybertipReports> is not a report; set aside \(20000 times in this file, from line 4 to line 4; kept once, with the first one's raw text\)$/,
        );
        const many = rows.filter((r) => r.source.endsWith('b-many.xml'));
        assert.equal(many.length, 6);
        assert.equal(many.find((r) => r.reportId === null)?.count, 3);
        assert.match(
          many.find((r) => r.reportId === null)!.reason,
          /^3 more item\(s\) of this file were set aside but not recorded one by one \(at most 5 entries per file/,
        );
        assert.match(rows.find((r) => r.reportId === '421')!.reason, /more than 50 elements in one report/);
        const n = await sql<{ n: number }>`select count(*)::int as n from quarantine`.execute(store.db);
        assert.equal(n.rows[0]!.n, 1 + 6 + 1);
        // A file with more elements than maxFileElements stops there; the reports before it stay.
        const big = await ingestPaths(store, [join(dir, 'b-many.xml')], { limits: { maxFileElements: 20 } });
        assert.match(
          (await listQuarantine(store.db, { runId: big.runId })).map((r) => r.reason).join('\n'),
          /more than 20 elements in one file at line \d+, column \d+; reading of this file stopped there/,
        );
        // A file that takes longer than maxFileSeconds stops there; what was read before stays.
        const slow = await ingestPaths(store, [join(dir, 'b-many.xml')], { limits: { maxFileSeconds: 1e-9 } });
        assert.equal(slow.status, 'completed');
        assert.match(
          (await listQuarantine(store.db, { runId: slow.runId })).map((r) => r.reason).join('\n'),
          /reading of this file stopped after [\d.]+ s, over the limit of 1e-9 s per file/,
        );
      } finally {
        await store.close();
      }
    });

    test('a run whose process died is marked interrupted at the next start and its upload folder removed; a live one is left alone', async () => {
      const store = await backend.open();
      try {
        const upload = join(work, `upload-${backend.name}`);
        mkdirSync(upload, { recursive: true });
        writeFileSync(join(upload, 'x.xml'), batch(envelopeReport(501)));
        const dead = 4_194_000 + Math.floor(Math.random() * 1000);
        const ins = await store.db
          .insertInto('ingest_runs')
          .values([
            { paths: '[]', status: 'running', summary: null, pid: dead, host: hostname(), temp_dir: upload },
            // Pid 1 is alive on every host; it last wrote just now.
            { paths: '[]', status: 'running', summary: null, pid: 1, host: hostname(), temp_dir: null },
          ])
          .returning('id')
          .execute();
        const s = await ingestPaths(store, [join(work, 'no-such-folder')]);
        const status = async (id: number): Promise<string> =>
          (await store.db.selectFrom('ingest_runs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
        assert.equal(await status(ins[0]!.id), 'interrupted');
        assert.ok(!existsSync(upload), 'the upload folder of the dead run is removed');
        assert.ok(s.recovered.some((r) => r.id === ins[0]!.id));
        // On the embedded backend one process holds the database, so another "running" run is dead too.
        assert.equal(await status(ins[1]!.id), backend.name === 'embedded' ? 'interrupted' : 'running');
        assert.equal(await status(s.runId), 'completed');
      } finally {
        await store.close();
      }
    });
  });
}
