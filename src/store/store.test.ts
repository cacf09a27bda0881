import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import type { ReportSummary } from '../model/report.ts';
import { testBackends } from '../../test/support/stores.ts';
import { openStore, resolveLocation, type Store } from './database.ts';
import { loadConfig } from '../config/load.ts';
import { currentDocuments, getReport, listReports, pendingForStage, prepareVersion, storeStats, writeReportBatch, type VersionInput } from './reports.ts';
import { addQuarantine, listQuarantine, quarantinedRaw } from './quarantine.ts';

function summary(id: string, over: Partial<ReportSummary> = {}): ReportSummary {
  return {
    reportId: id,
    receivedAt: '2026-03-01T10:00:00.000Z',
    incidentType: 'Child Pornography (possession, manufacture, and distribution)',
    incidentTime: '2026-02-28T23:10:00.000Z',
    referral: true,
    priority: '2',
    country: 'PH',
    esp: 'Facebook',
    annotations: [],
    escalation: null,
    batched: false,
    fileCount: 1,
    reportedCount: 1,
    victimCount: 0,
    ...over,
  };
}

function input(id: string, doc: unknown, over: Partial<ReportSummary> = {}): VersionInput {
  return prepareVersion({
    reportId: id,
    idSource: 'envelope',
    summary: summary(id, over),
    doc,
    raw: `<cybertipReport reportId="${id}">${JSON.stringify(doc)}</cybertipReport>`,
    source: `/in/${id}.xml:1`,
  });
}

for (const backend of testBackends()) {
  describe(`store on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => {
      await store?.close();
    });

    test('a new report is version 1, the same content again is a no-op, changed content is version 2', async () => {
      const first = await writeReportBatch(store.db, [input('1001', { a: 1 }), input('1002', { b: 1 })], null, store.copy);
      assert.deepEqual(first.results, ['new', 'new']);
      const again = await writeReportBatch(store.db, [input('1001', { a: 1 }), input('1002', { b: 1 })], null, store.copy);
      assert.deepEqual(again.results, ['unchanged', 'unchanged']);
      const changed = await writeReportBatch(store.db, [input('1001', { a: 2 }, { annotations: ['sextortion'] })], null, store.copy);
      assert.deepEqual(changed.results, ['version']);
      const r = await getReport(store.db, '1001', { raw: true });
      assert.ok(r);
      assert.equal(r.currentVersion, 2);
      assert.equal(r.versionCount, 2);
      assert.deepEqual(r.annotations, ['sextortion']);
      assert.deepEqual(
        r.versions.map((v) => v.report),
        [{ a: 1 }, { a: 2 }],
      );
      assert.equal(r.versions[0]?.raw, '<cybertipReport reportId="1001">{"a":1}</cybertipReport>');
      assert.equal(r.versions[1]?.source, '/in/1001.xml:1');
    });

    test('an older content re-sent after a newer one changes nothing', async () => {
      const out = await writeReportBatch(store.db, [input('1001', { a: 1 })], null, store.copy);
      assert.deepEqual(out.results, ['unchanged']);
      assert.equal((await getReport(store.db, '1001'))?.currentVersion, 2);
    });

    test('two versions of one report in the same batch are both kept, in order', async () => {
      const out = await writeReportBatch(store.db, [input('2001', { v: 1 }), input('2001', { v: 2 }), input('2001', { v: 1 })], null, store.copy);
      assert.deepEqual(out.results, ['new', 'version', 'unchanged']);
      const r = await getReport(store.db, '2001');
      assert.deepEqual(
        r?.versions.map((v) => v.version),
        [1, 2],
      );
      assert.deepEqual(
        r?.versions.map((v) => v.report),
        [{ v: 1 }, { v: 2 }],
      );
    });

    test('values that look like SQL are stored as data', async () => {
      const evil = "1'); drop table reports; --";
      await writeReportBatch(
        store.db,
        [input('3001', { note: evil, tab: 'a\tb\nc' }, { esp: evil, annotations: ['say "hi"', 'back\\slash', "it's", '{x,y}'] })],
        null,
        store.copy,
      );
      const r = await getReport(store.db, '3001');
      assert.equal(r?.esp, evil);
      assert.deepEqual(r?.annotations, ['say "hi"', 'back\\slash', "it's", '{x,y}']);
      assert.deepEqual(r?.versions[0]?.report, { note: evil, tab: 'a\tb\nc' });
      assert.equal(await getReport(store.db, evil), undefined);
      assert.ok((await storeStats(store.db)).reports >= 4);
    });

    test('lists newest received first and counts', async () => {
      await writeReportBatch(store.db, [input('4001', { n: 1 }, { receivedAt: '2027-01-01T00:00:00.000Z', referral: false, batched: true })], null, store.copy);
      const rows = await listReports(store.db, { limit: 2 });
      assert.equal(rows[0]?.reportId, '4001');
      assert.equal(rows.length, 2);
      const stats = await storeStats(store.db);
      assert.equal(stats.reports, 5);
      assert.equal(stats.versions, 7);
      assert.equal(stats.reportsWithSeveralVersions, 2);
      assert.equal(stats.informational, 1);
      assert.equal(stats.batched, 1);
      assert.equal(stats.receivedTo, '2027-01-01T00:00:00.000Z');
    });

    test('versions follow the time NCMEC received them: an older resend arriving late goes before, the newest received stays current', async () => {
      await writeReportBatch(store.db, [input('6001', { v: 'march' }, { receivedAt: '2026-03-01T00:00:00.000Z' })], null, store.copy);
      await writeReportBatch(
        store.db,
        [input('6001', { v: 'may' }, { receivedAt: '2026-05-01T00:00:00.000Z', annotations: ['sextortion'] })],
        null,
        store.copy,
      );
      // An April version arrives last: it becomes version 2 and May moves up to 3, still current.
      const late = await writeReportBatch(store.db, [input('6001', { v: 'april' }, { receivedAt: '2026-04-01T00:00:00.000Z' })], null, store.copy);
      assert.deepEqual(late.results, ['version']);
      const r = await getReport(store.db, '6001');
      assert.deepEqual(
        r?.versions.map((v) => [v.version, v.report]),
        [
          [1, { v: 'march' }],
          [2, { v: 'april' }],
          [3, { v: 'may' }],
        ],
      );
      assert.equal(r?.currentVersion, 3);
      assert.deepEqual(r?.annotations, ['sextortion'], 'the summary is still the newest received');
      assert.equal(r?.versionCount, 3);
      // The derived stages are told (the current version's number moved).
      const marked = await sql<{ stage: string }>`select stage from stage_pending where key = '6001' order by stage`.execute(store.db);
      assert.deepEqual(
        marked.rows.map((m) => m.stage),
        ['features', 'hash-files', 'identifiers'],
      );
    });

    test('the same quarantined item twice is one entry seen twice, with its raw text kept', async () => {
      const item = {
        source: '/in/bad.xml',
        line: 3,
        column: 7,
        index: 2,
        reason: 'report 9: incidentSummary/incidentType is missing',
        raw: '<cybertipReport/>',
      };
      await addQuarantine(store.db, [item], null);
      await addQuarantine(store.db, [item, { source: '/in/other.xml', reason: 'not XML' }], null);
      const rows = await listQuarantine(store.db);
      assert.equal(rows.length, 2);
      const bad = rows.find((r) => r.source === '/in/bad.xml');
      assert.equal(bad?.timesSeen, 2);
      assert.equal(bad?.line, 3);
      assert.equal(await quarantinedRaw(store.db, bad!.id), '<cybertipReport/>');
    });

    // Both drivers parse a jsonb column by its type, so no reader parses one by hand; and nothing
    // parses a string that merely looks like JSON (Kysely's ParseJSONResultsPlugin would).
    test('a jsonb document comes back parsed, with its JSON-looking strings as written', async () => {
      const doc = { list: '[1,2]', object: '{"a":1}', number: '123', nested: [{ text: '[x]' }], n: 5 };
      await writeReportBatch(store.db, [input('7001', doc)], null, store.copy);
      const docs = await currentDocuments(store.db, ['7001']);
      assert.deepEqual(docs.get('7001'), doc);
      const pending = await pendingForStage(store.db, 'hashed_reports', { ids: ['7001'], limit: 1 });
      assert.deepEqual(pending[0]?.doc, doc);
    });
  });
}

const server = testBackends().find((b) => b.name === 'server')!;
describe('server connections', { skip: server.skip }, () => {
  test('idle connections the server terminates do not end the process; the next query reconnects', async () => {
    const store = await server.open();
    try {
      await storeStats(store.db); // opens pooled connections that then sit idle
      const url = store.location.backend === 'server' ? store.location.url : '';
      const dbName = new URL(url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
      await admin.end();
      assert.ok((killed.rowCount ?? 0) >= 1, 'no idle connection was there to terminate');
      await new Promise((r) => setTimeout(r, 200)); // the pool hears of it on its own
      const stats = await storeStats(store.db);
      assert.equal(stats.reports, 0);
    } finally {
      await store.close();
    }
  });
});

describe('two writers on one server database', { skip: server.skip }, () => {
  test('two ingests of the same reports at once both succeed, and end as one would', async () => {
    const fresh = await server.fresh();
    const a = await openStore(fresh.location);
    const b = await openStore(fresh.location);
    try {
      const ids = Array.from({ length: 200 }, (_, i) => String(7000 + i));
      // Each writer sends the same reports in its own order, with a version of its own for each.
      const batchA = ids.map((id) => input(id, { from: 'a' }, { receivedAt: '2026-03-01T00:00:00.000Z' }));
      const batchB = [...ids].reverse().map((id) => input(id, { from: 'b' }, { receivedAt: '2026-03-02T00:00:00.000Z' }));
      const runs = await Promise.all(
        [0, 1, 2, 3].map((k) => writeReportBatch((k % 2 ? b : a).db, (k % 2 ? batchB : batchA).slice(k < 2 ? 0 : 100, k < 2 ? 100 : 200), null)),
      );
      assert.equal(
        runs.reduce((n, r) => n + r.newReports + r.newVersions, 0),
        400,
      );
      for (const id of [ids[0]!, ids[150]!]) {
        const r = await getReport(a.db, id);
        // Whoever wrote first, the version NCMEC received later is version 2 and current.
        assert.deepEqual(
          r?.versions.map((v) => v.report),
          [{ from: 'a' }, { from: 'b' }],
        );
        assert.equal(r?.currentVersion, 2);
      }
      assert.equal((await storeStats(a.db)).versions, 400);
    } finally {
      await a.close();
      await b.close();
      await fresh.dispose();
    }
  });
});

describe('embedded data folder', () => {
  test('migrations run once; reopening keeps the data; a second process is refused while one holds the folder', async () => {
    const [embedded] = testBackends();
    const fresh = await embedded!.fresh();
    try {
      const a = await openStore(fresh.location);
      await writeReportBatch(a.db, [input('5001', { x: 1 })], null);
      await assert.rejects(openStore(fresh.location), /in use by another bantay process|could not lock/);
      await a.close();
      const b = await openStore(fresh.location);
      assert.equal((await storeStats(b.db)).reports, 1);
      await b.close();
    } finally {
      await fresh.dispose();
    }
  });

  test('--data wins over DATABASE_URL, which wins over BANTAY_DATA', () => {
    const db = (env: NodeJS.ProcessEnv) => loadConfig({ env, cwd: '/' }).database;
    assert.deepEqual(resolveLocation({ data: '/x' }, db({ DATABASE_URL: 'postgres://h/db' })), { backend: 'embedded', dataDir: '/x' });
    assert.deepEqual(resolveLocation({}, db({ DATABASE_URL: 'postgres://h/db', BANTAY_DATA: '/y' })), { backend: 'server', url: 'postgres://h/db' });
    assert.deepEqual(resolveLocation({}, db({ BANTAY_DATA: '/y' })), { backend: 'embedded', dataDir: '/y' });
  });
});
