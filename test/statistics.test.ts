// The yearly statistics (small counts suppressed, no identifier anywhere) and the outcome file for
// NCMEC (report number and outcome only, read back as written), on both backends, from case work
// recorded through the real case-work functions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Store } from '../src/store/database.ts';
import type { CybertipReport, Party } from '../src/model/report.ts';
import { testBackends } from './support/stores.ts';
import { makeReport, person, putReports } from './fixtures/link/reports.ts';
import { runLink } from '../src/link/run.ts';
import { scoreReports } from '../src/triage/rescore.ts';
import { createUser } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { createCase, recordView, refer, setStatus, type WorkActor } from '../src/cases/work.ts';
import { exportStatistics, yearlyStatistics, type YearlyStatistics } from '../src/stats/yearly.ts';
import { oneWay, suppress, twoWay } from '../src/stats/suppress.ts';
import { feedbackCsv, feedbackLines, ncmecOutcomeOf, readFeedbackCsv } from '../src/cases/feedback.ts';
import { appWithRoles, call } from './api-support.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';

const CP = 'Child Pornography (possession, manufacture, and distribution)';
const ENTICE = 'Online Enticement of Children for Sexual Acts';
const TRAFFIC = 'Child Sex Trafficking';
const victim = (): Party => ({
  role: 'victim',
  displayNames: [],
  profileUrls: [],
  ipCaptureEvents: [],
  deviceIds: [],
  priorCTReports: [],
  associatedAccounts: [],
  additionalInfo: [],
});

/** 44 reports received in 2025 (20 CP on Facebook, 20 enticement on Instagram, 4 trafficking on TikTok), 5 in 2024. */
function reports(): CybertipReport[] {
  const out: CybertipReport[] = [];
  const add = (n: number, type: string, platform: string, year: number): void => {
    for (let i = 0; i < n; i++) {
      const id = String(500000000 + out.length);
      // The first six reports share a phone in pairs: three subjects. Every third report names a child victim.
      const phone = out.length < 6 ? `+63 917 555 ${1000 + Math.floor(out.length / 2)}` : `+63 918 ${1000000 + out.length}`;
      out.push(
        makeReport(
          id,
          { person: person([phone], [`user.${id}.private@example-mail.ph`]), espIdentifier: `acct-${id}-x` },
          {
            envelope: { ipLookups: [], receivedAt: `${year}-0${1 + (i % 9)}-15T03:00:00Z` },
            incident: { incidentType: type, platform, reportAnnotations: [], incidentDateTime: `${year}-01-10T00:00:00Z` },
            victims: out.length % 3 === 0 ? [victim()] : [],
          },
        ),
      );
    }
  };
  add(20, CP, 'Facebook', 2025);
  add(20, ENTICE, 'Instagram', 2025);
  add(4, TRAFFIC, 'TikTok', 2025);
  add(5, CP, 'Facebook', 2024);
  return out;
}

/** Every value that identifies someone or something in the database (6 characters or more). */
async function identifiers(store: Store): Promise<string[]> {
  const rows = await sql<{ v: string }>`
    select value as v from link_identifiers union select raw from link_identifiers union select substr(key, strpos(key, ':') + 1) from link_identifiers
    union select report_id from reports union select id from cases union select subject_id from link_subjects union select username from users`.execute(
    store.db,
  );
  return rows.rows.map((r) => r.v).filter((v) => v.length >= 6);
}

/** Every count of the suppressed tables with the lines that add up to a total. */
function checkSuppression(s: YearlyStatistics): void {
  const t = s.threshold;
  for (const table of s.tables) {
    if (table.id === 'timing') continue;
    const lines = [...table.rows, ...(table.total ? [{ label: 'total', values: table.total }] : [])];
    for (const r of lines) for (const v of r.values) if (typeof v === 'number') assert.ok(v >= t, `${table.id} ${r.label}: ${v} is under ${t} but shown`);
    if (!table.total) continue;
    // A column that adds up to a shown total never hides exactly one count.
    table.total.forEach((tot, c) => {
      const hidden = [...table.rows.map((r) => r.values[c]), tot].filter((v) => typeof v === 'string').length;
      assert.notEqual(hidden, 1, `${table.id} column ${c}: exactly one hidden count could be recovered from the total`);
    });
  }
}

for (const backend of testBackends()) {
  describe(`yearly statistics and NCMEC feedback on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let actor: WorkActor;
    const ids = reports().map((r) => r.reportId);
    before(async () => {
      store = await backend.open();
      await putReports(store, reports());
      await runLink(store);
      await scoreReports(store, { now: new Date('2026-01-05T00:00:00Z') });
      const u = (await createUser(store, { username: 'stat-supervisor', password: randomPassword(), role: 'supervisor' })).user;
      actor = { user: u, ip: '127.0.0.1' };
      // 11 reports in a case (acted on), 10 referred to the police and 2 endorsed to the NBI (referred),
      // 12 closed as no action, 3 as no nexus; the other 6 are open. 12 were looked at.
      await createCase(store, actor, { title: 'Ring', leadId: u.id, items: ids.slice(0, 11).map((itemId) => ({ kind: 'report' as const, itemId })) });
      for (const id of ids.slice(11, 21))
        await refer(store, actor, { kind: 'report', itemId: id, agency: 'PNP-WCPC', type: 'referral', sent: { reportId: id } });
      for (const id of ids.slice(21, 23))
        await refer(store, actor, { kind: 'report', itemId: id, agency: 'NBI-AHTRAD', type: 'endorsement', sent: { reportId: id } });
      await setStatus(store, actor, 'report', ids.slice(23, 35), 'closed', 'no_action');
      await setStatus(store, actor, 'report', ids.slice(35, 38), 'closed', 'no_nexus');
      for (const id of ids.slice(0, 11)) await recordView(store, actor, 'report', id);
      // A 2024 report closed: outside the 2025 figures, inside the feedback period.
      await setStatus(store, actor, 'report', [ids[46]!], 'closed', 'insufficient_information');
    });
    after(async () => {
      await store?.close();
    });

    test("the year's figures: counts under 10 hidden, one hidden count never alone in a column with its total", async () => {
      const s = await yearlyStatistics(store, { year: 2025, now: new Date('2026-01-05T00:00:00Z') });
      const table = (id: string) => s.tables.find((t) => t.id === id)!;
      const rows = (id: string) => Object.fromEntries(table(id).rows.map((r) => [r.label, r.values[0]]));
      // Incident types: trafficking (4) is hidden, and so is one of the others (x), else 44 - 20 - 20 gives it away.
      assert.deepEqual(rows('byIncidentType'), { [CP]: 'x', [TRAFFIC]: '<10', [ENTICE]: 20 });
      assert.deepEqual(table('byIncidentType').total, [44]);
      assert.deepEqual(rows('byEsp'), { Facebook: 'x', Instagram: 20, TikTok: '<10' });
      assert.deepEqual(rows('byOutcome'), {
        acted_on: 11,
        referred: 12,
        no_nexus: '<10',
        insufficient_information: '<10',
        no_action: 12,
        duplicate: '<10',
        open: '<10',
      });
      assert.equal(table('byTier').total?.[0], 44);
      // Time to first look over 11 reports, to decision over the 27 with a status.
      const timing = Object.fromEntries(table('timing').rows.map((r) => [r.label, r.values]));
      assert.equal(timing['first look']![0], 11);
      assert.equal(typeof timing['first look']![1], 'number');
      assert.equal(timing.decision![0], 27);
      // Referrals: 10 and 2 in a 2x2 table: every cell but the grand total is hidden.
      assert.deepEqual(
        table('referrals').rows.map((r) => [r.label, ...r.values]),
        [
          ['NBI-AHTRAD', '<10', '<10', '<10'],
          ['PNP-WCPC', 'x', '<10', 'x'],
        ],
      );
      assert.deepEqual(table('referrals').total, ['x', '<10', 12]);
      const people = Object.fromEntries(table('people').rows.map((r) => [r.label, r.values[0]]));
      assert.equal(people['children named as victims'], 15);
      assert.equal(people['subjects (linked reports) with a report this year'], '<10');
      checkSuppression(s);
      // A higher threshold hides more, and still never one alone.
      const strict = await yearlyStatistics(store, { year: 2025, threshold: 25 });
      assert.deepEqual(
        strict.tables.find((t) => t.id === 'byEsp')!.rows.map((r) => r.values[0]),
        ['<25', '<25', '<25'],
      );
      assert.deepEqual(strict.tables.find((t) => t.id === 'byEsp')!.total, [44]);
      checkSuppression(strict);
      await assert.rejects(yearlyStatistics(store, { year: 2025, threshold: 1 }), /threshold/);
    });

    test('the CSV and JSON files hold no identifier of the database; the export is audited', async () => {
      const all = await identifiers(store);
      assert.ok(all.length > 100);
      for (const format of ['csv', 'json'] as const) {
        const f = await exportStatistics(store, { year: 2025, format });
        const text = new TextDecoder().decode(f.bytes).toLowerCase();
        for (const v of all) assert.equal(text.includes(v.toLowerCase()), false, `${format} shows ${v}`);
        if (format === 'csv') assert.match(text, /reports received by incident type,online enticement of children for sexual acts,reports,20\r\n/);
      }
      const audit = await store.db.selectFrom('audit_log').select('detail').where('action', '=', 'stats.export').execute();
      assert.equal(audit.length, 2);
    });

    test("the dashboards' download: supervisors only, the same figures, audited with the user", async () => {
      const { app, as } = await appWithRoles(store);
      try {
        assert.equal((await call(app, as.analyst, 'GET', '/api/stats/yearly.csv?year=2025')).statusCode, 403);
        assert.equal((await call(app, undefined, 'GET', '/api/stats/yearly.csv?year=2025')).statusCode, 401);
        assert.equal((await call(app, as.supervisor, 'GET', '/api/stats/yearly.csv?year=2025&threshold=1')).statusCode, 400);
        const csv = await call(app, as.supervisor, 'GET', '/api/stats/yearly.csv?year=2025');
        assert.equal(csv.statusCode, 200);
        assert.match(String(csv.headers['content-disposition']), /bantay-statistics-2025\.csv/);
        assert.match(csv.body, /reports received by outcome,acted_on,reports,11\r\n/i);
        const json = await call(app, as.supervisor, 'GET', '/api/stats/yearly.json?year=2025&threshold=12');
        const s = JSON.parse(json.body) as YearlyStatistics;
        assert.equal(s.threshold, 12);
        checkSuppression(s);
        // The dashboards' timing, over every year: the 2024 report closed is in it.
        const timing = JSON.parse((await call(app, as.supervisor, 'GET', '/api/stats/timing')).body) as Record<
          'firstLook' | 'decision',
          { n: number; medianHours: number | null }
        >;
        assert.equal(timing.firstLook.n, 11);
        assert.equal(timing.decision.n, 28);
        assert.equal(typeof timing.decision.medianHours, 'number');
        const audit = await store.db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'stats.export')
          .where('username', '=', as.supervisor.username)
          .execute();
        assert.equal(audit.length, 2);
      } finally {
        await app.close();
      }
    });

    test('the outcome file for NCMEC: report number and outcome only, for the decisions of the period, read back as written', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const f = await feedbackCsv(store, today, today);
      // The byte-order mark is kept (spreadsheets read UTF-8 by it); a default TextDecoder would drop it.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(f.bytes);
      assert.equal(text.split('\r\n')[0], '\uFEFFreport_number,outcome');
      const back = readFeedbackCsv(f.bytes);
      assert.deepEqual(back, f.lines);
      assert.equal(back.length, 39);
      const by = (o: string) => back.filter((l) => l.outcome === o).map((l) => l.reportId);
      assert.deepEqual(by('acted_on'), ids.slice(0, 11));
      assert.deepEqual(by('referred'), ids.slice(11, 23));
      assert.deepEqual(by('no_action'), ids.slice(23, 35));
      assert.deepEqual(by('no_nexus'), ids.slice(35, 38));
      assert.deepEqual(by('insufficient_information'), [ids[46]]);
      // Nothing else leaves: two columns, report numbers only.
      for (const line of text.trim().split('\r\n').slice(1)) assert.match(line, /^\d+,[a-z_]+$/);
      // A period before the decisions holds none of them.
      assert.deepEqual(await feedbackLines(store, { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2020-02-01T00:00:00Z') }), []);
      assert.throws(() => readFeedbackCsv('report_number,outcome\r\n123,arrested\r\n'), /line 2: unknown outcome "arrested"/);
      const audit = await store.db.selectFrom('audit_log').select('detail').where('action', '=', 'ncmec.feedback').execute();
      assert.equal((JSON.parse(audit[0]!.detail) as { reports: number }).reports, 39);
    });
  });
}

// The commands as a user runs them, on a database with nothing decided yet (every table empty).
describe('bantay stats export and bantay ncmec feedback on an empty database', { skip: testBackends()[0]!.skip }, () => {
  test('write their files, and refuse a bad year, date or format with a clear message', async () => {
    const { location, dispose } = await testBackends()[0]!.fresh();
    const dir = mkdtempSync(join(tmpdir(), 'bantay-stats-cli-'));
    try {
      const json = await runCli(['stats', 'export', '--year', '2025', '--format', 'json', '--out', join(dir, 's.json')], location);
      assert.equal(json.code, 0, json.stderr);
      const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as YearlyStatistics;
      assert.deepEqual(s.tables.find((t) => t.id === 'byEsp')!.total, ['<10']);
      assert.deepEqual(s.tables.find((t) => t.id === 'referrals')!.rows, []);
      const feedback = await runCli(['ncmec', 'feedback', '--from', '2025-01-01', '--to', '2025-12-31', '--out', join(dir, 'f.csv')], location);
      assert.equal(feedback.code, 0, feedback.stderr);
      assert.deepEqual(readFeedbackCsv(readFileSync(join(dir, 'f.csv'))), []);
      const badDate = await runCli(['ncmec', 'feedback', '--from', '2025-02-30', '--to', '2025-12-31', '--out', join(dir, 'g.csv')], location);
      assert.notEqual(badDate.code, 0);
      assert.match(badDate.stderr, /--from must be a date written YYYY-MM-DD, got "2025-02-30"/);
      const badFormat = await runCli(['stats', 'export', '--year', '2025', '--format', 'xlsx'], location);
      assert.notEqual(badFormat.code, 0);
      assert.match(badFormat.stderr, /--format is csv or json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dispose();
    }
  });
});

describe('suppression and outcomes (pure)', () => {
  test('primary and complementary suppression in a two-way table', () => {
    // 2x3 with one small cell: its row and its column each need a second hidden count.
    const t = twoWay(['a', 'b'], ['x', 'y', 'z'], (r, c) => (({ ax: 30, ay: 40, az: 3, bx: 20, by: 50, bz: 60 }) as Record<string, number>)[r + c]!, 10);
    const hiddenCount = (vs: (number | string)[]) => vs.filter((v) => typeof v === 'string').length;
    for (const r of t.rows) assert.notEqual(hiddenCount(r.values), 1, JSON.stringify(t));
    for (let c = 0; c < 4; c++) assert.notEqual(hiddenCount([...t.rows.map((r) => r.values[c]!), t.totals[c]!]), 1, JSON.stringify(t));
    assert.equal(t.rows[0]!.values[2], '<10');
    assert.equal(t.totals[3], 203);
    // Nothing small: nothing hidden.
    assert.deepEqual(suppress([12, 15, 27], [{ cells: [0, 1], total: 2 }], 10), [false, false, false]);
    // A single small cell takes the next smallest with it (marked x: it is not small).
    assert.deepEqual(twoWay(['a'], ['x', 'y', 'z'], (_r, c) => (({ x: 3, y: 15, z: 40 }) as Record<string, number>)[c]!, 10).rows[0]!.values, [
      '<10',
      'x',
      40,
      58,
    ]);
    assert.deepEqual(suppress([3, 15, 40, 58], [{ cells: [0, 1, 2], total: 3 }], 10), [true, true, false, false]);
    // An empty table (a year without referrals) ends, with its zero totals hidden.
    assert.deepEqual(
      twoWay([], ['referral', 'endorsement'], () => 0, 10),
      { rows: [], totals: ['<10', '<10', '<10'] },
    );
    assert.deepEqual(oneWay([], 0, 10), { rows: [], total: '<10' });
  });

  test('the strongest recorded decision is the outcome', () => {
    const d = { statuses: [] as string[], closeReasons: [] as string[], referred: false, inCase: false };
    assert.equal(ncmecOutcomeOf(d), null);
    assert.equal(ncmecOutcomeOf({ ...d, statuses: ['escalated'] }), null);
    assert.equal(ncmecOutcomeOf({ ...d, closeReasons: ['referred_to_other_agency'] }), 'referred');
    assert.equal(ncmecOutcomeOf({ ...d, closeReasons: ['no_action', 'no_nexus'] }), 'no_nexus');
    assert.equal(ncmecOutcomeOf({ ...d, inCase: true, referred: true }), 'acted_on');
  });
});
