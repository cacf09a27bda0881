// The children, end to end on both backends: a child named in three reports of one subject is
// gathered once with the right age and status; another child of the same subject and a child of the
// same name in another subject stay apart; an adult "victim" is no child; a file's annotation implies
// a child where no victim is named. The rescue workflow goes forward only, each step audited, and a
// rescued child's reports stop raising in the queue until new material appears.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { makeReport, person, putReports } from './fixtures/link/reports.ts';
import type { Store } from '../src/store/database.ts';
import type { Role } from '../src/cases/roles.ts';
import type { CybertipReport, Party } from '../src/model/report.ts';
import { processNew } from '../src/pipeline/process.ts';
import { children, runChildren, type Child } from '../src/children/run.ts';
import { verifyAuditChain } from '../src/cases/audit.ts';
import { appWithRoles, call, type Caller } from './api-support.ts';

const PHONE = '+639171234567';
const NOW = new Date('2026-03-05T00:00:00Z');

const victim = (first: string, last: string | undefined, age: number, extra: Partial<Party> = {}): Party => ({
  role: 'victim',
  person: { firstName: first, ...(last ? { lastName: last } : {}), age, phones: [], emails: [], addresses: [] },
  displayNames: [],
  profileUrls: [],
  ipCaptureEvents: [],
  deviceIds: [],
  priorCTReports: [],
  associatedAccounts: [],
  additionalInfo: [],
  ...extra,
});
const file = (md5: string, annotations: string[] = []): CybertipReport['files'][number] =>
  ({
    fileId: md5.slice(0, 6),
    fileAnnotations: annotations,
    originalFileHashes: [{ hashType: 'MD5', value: md5 }],
    deviceIds: [],
    details: [],
    additionalInfo: [],
  }) as unknown as CybertipReport['files'][number];
const at = (id: string, day: string, party: Partial<Party>, extra: Partial<CybertipReport>, escalation?: string): CybertipReport => {
  const r = makeReport(id, party, extra);
  return {
    ...r,
    envelope: { ...r.envelope, receivedAt: `${day}T02:00:00Z` },
    incident: {
      ...r.incident,
      incidentDateTime: `${day}T01:00:00Z`,
      incidentType: 'Online Enticement of Children for Sexual Acts',
      ...(escalation ? { escalateToHighPriority: escalation } : {}),
    },
  };
};

// One offender (the same phone) in three reports naming Maria (9, then "MARIA", then 10 with her surname),
// and Ana (14) in the third; a Maria of 9 in an unrelated report; a 30-year-old named as victim.
const SUBJECT = { person: person([PHONE]), screenName: 'tito_boy' };
const REPORTS = [
  at('900001', '2026-01-05', SUBJECT, { victims: [victim('Maria', undefined, 9)] }, 'child in the home, abuse ongoing'),
  at('900002', '2026-02-10', SUBJECT, { victims: [victim('MARIA', undefined, 9)] }),
  at('900003', '2026-03-01', SUBJECT, { victims: [victim('María', 'Reyes', 10), victim('Ana', 'Reyes', 14)] }),
  at('900004', '2026-02-20', { person: person(['+639189990000']) }, { victims: [victim('Maria', undefined, 9)] }),
  at('900005', '2026-02-21', { person: person(['+639180001111']) }, { victims: [victim('Rosa', undefined, 30)] }),
  at('900006', '2026-02-22', { person: person(['+639180002222']) }, { files: [file('0123456789abcdef0123456789abcdef', ['infant'])] }),
];

for (const backend of testBackends()) {
  describe(`children on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    before(async () => {
      store = await backend.open();
      await putReports(store, REPORTS);
      await processNew(store, { now: NOW });
      ({ app, as } = await appWithRoles(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    const all = async (): Promise<Child[]> => (await children(store, { now: NOW, limit: 100 })).items;
    const maria = async (): Promise<Child> => (await all()).find((c) => c.reports.includes('900001'))!;
    const tier = async (id: string): Promise<string> =>
      (await sql<{ tier: string }>`select tier from triage_scores where report_id = ${id}`.execute(store.db)).rows[0]!.tier;

    test('a child across three reports of one subject is gathered once, with her latest age, place in the order and status', async () => {
      const list = await all();
      const m = list.filter((c) => c.reports.includes('900001') || c.reports.includes('900002') || (c.reports.includes('900003') && c.name?.startsWith('Mar')));
      assert.equal(m.length, 1, JSON.stringify(list.map((c) => [c.id, c.name, c.reports])));
      const child = m[0]!;
      assert.deepEqual(child.reports, ['900001', '900002', '900003']);
      assert.equal(child.name, 'María Reyes');
      assert.equal(child.age, 10);
      assert.equal(child.band, 'prepubescent');
      assert.equal(child.status, 'open');
      assert.equal(child.lastSeen, '2026-03-01T02:00:00.000Z');
      assert.equal(child.subjects.length, 1);
      assert.ok(child.ongoing.escalation && child.ongoing.recent, JSON.stringify(child.ongoing));
      assert.ok(child.people.some((p) => p.handle === 'tito_boy'));
      // Ana is another child of the same subject; the other Maria (another subject) is another child; the adult is none.
      assert.ok(list.some((c) => c.name === 'Ana Reyes' && c.reports.join() === '900003' && c.age === 14));
      assert.ok(list.some((c) => c.reports.join() === '900004'));
      assert.ok(!list.some((c) => c.reports.includes('900005')));
      const infant = list.find((c) => c.reports.join() === '900006');
      assert.equal(infant?.band, 'infant');
      assert.deepEqual(infant?.annotations, ['infant']);
      // Danger order: Maria (recent, escalation) before the quieter children.
      assert.equal(list[0]!.id, child.id);
      assert.equal(list.length, 4);
    });

    test('a second run changes nothing; a rebuild gives the same children', async () => {
      const before = await all();
      const again = await runChildren(store);
      assert.equal(again.reportsRead, 0);
      assert.equal(again.childrenWritten, 0);
      await runChildren(store, { rebuild: true });
      assert.deepEqual(await all(), before);
    });

    test("a child follows its reports' access: listed and shown with the visible reports only, refused to other teams, audited", async () => {
      const m = await maria();
      const other = (await all()).find((c) => c.reports.join() === '900004')!;
      for (const [id, team] of [
        ['900001', 'team-a'],
        ['900004', 'team-b'],
      ])
        assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${id}/assign`, { userId: null, team })).statusCode, 200);
      assert.equal((await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: false })).statusCode, 200);
      try {
        const listed = (await call(app, as.analyst, 'GET', '/api/children')).json() as { total: number; items: (Child & { hiddenReports: number })[] };
        assert.deepEqual(
          listed.items.map((c) => [c.id, c.reports, c.hiddenReports]),
          [[m.id, ['900001'], 2]],
        );
        assert.equal(listed.total, 1);
        const page = await call(app, as.analyst, 'GET', `/api/children/${m.id}`);
        assert.equal(page.statusCode, 200, page.body);
        assert.deepEqual(
          page.json().reportRows.map((r: { reportId: string; tier: string | null }) => [r.reportId, typeof r.tier]),
          [['900001', 'string']],
        );
        assert.equal(page.json().hiddenReports, 2);
        // What the child is called, her age and when she was last seen come from the visible report
        // only: the surname, the later age and date are in reports of another team.
        for (const seen of [listed.items[0]!, page.json() as Child]) {
          assert.deepEqual(
            [seen.name, seen.age, seen.lastSeen, seen.firstSeen],
            ['Maria', 9, '2026-01-05T02:00:00.000Z', '2026-01-05T02:00:00.000Z'],
            JSON.stringify(seen),
          );
          assert.ok(!JSON.stringify(seen).includes('Reyes'));
        }
        // Another team's child, and a child that does not exist, are refused alike (no existence oracle).
        for (const id of [other.id, 'C-404-0']) {
          const r = await call(app, as.analyst, 'GET', `/api/children/${id}`);
          assert.equal(r.statusCode, 403, r.body);
          assert.equal(r.json().error.code, 'NOT_YOUR_TEAM');
        }
        assert.equal((await call(app, as.analyst2, 'GET', `/api/children/${other.id}`)).statusCode, 200);
        assert.equal((await call(app, as.supervisor, 'GET', '/api/children/C-404-0')).statusCode, 404);
        // A step re-scores every report of the child: it needs them all.
        assert.equal((await call(app, as.analyst, 'POST', `/api/children/${m.id}/steps`, { step: 'identified', note: 'x' })).statusCode, 403);
        const views = (
          await sql<{
            username: string;
            hidden: string;
          }>`select username, (detail::jsonb)->>'hiddenReports' as hidden from audit_log where action = 'view' and target_kind = 'child' and target_id = ${m.id} order by seq`.execute(
            store.db,
          )
        ).rows;
        assert.deepEqual(
          views.map((v) => [v.username, v.hidden]),
          [['analyst1', '2']],
        );
        assert.ok(
          (await sql`select 1 from audit_log where action = 'access.denied' and target_kind = 'child' and target_id = ${other.id}`.execute(store.db)).rows
            .length > 0,
        );
      } finally {
        assert.equal((await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: true })).statusCode, 200);
      }
    });

    test('the rescue workflow goes forward only, each step audited; a rescued child stops raising her reports', async () => {
      const id = (await maria()).id;
      assert.notEqual(await tier('900001'), 'LOW');
      const other = await tier('900004');
      const listed = (await call(app, as.analyst, 'GET', '/api/children?limit=10')).json() as { total: number; items: Child[] };
      assert.equal(listed.total, 4);
      assert.equal((await call(app, as.auditor, 'GET', '/api/children')).statusCode, 403);
      assert.equal((await call(app, as.analyst, 'GET', `/api/children/${id}`)).statusCode, 200);
      for (const [step, note] of [
        ['identified', 'named by the school'],
        ['located', 'barangay hall confirms address'],
        ['rescued', 'WCPC operation, child safe'],
      ] as const) {
        const r = await call(app, as.supervisor, 'POST', `/api/children/${id}/steps`, { step, note });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal((r.json() as Child).status, step);
      }
      const back = await call(app, as.supervisor, 'POST', `/api/children/${id}/steps`, { step: 'located', note: 'again' });
      assert.equal(back.statusCode, 409);
      assert.equal((await call(app, as.analyst, 'POST', `/api/children/${id}/steps`, { step: 'aftercare', note: '' })).statusCode, 400);
      // Without the CSRF token the step is refused.
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: `/api/children/${id}/steps`,
            headers: { cookie: as.analyst.cookie },
            payload: { step: 'aftercare', note: 'x' },
          })
        ).statusCode,
        403,
      );

      const c = await maria();
      assert.equal(c.status, 'rescued');
      assert.deepEqual(
        c.steps.map((s) => [s.step, s.username]),
        [
          ['identified', 'super1'],
          ['located', 'super1'],
          ['rescued', 'super1'],
        ],
      );
      const audit = (
        await sql<{
          action: string;
          detail: unknown;
        }>`select action, detail from audit_log where target_kind = 'child' and target_id = ${id} order by seq`.execute(store.db)
      ).rows;
      assert.deepEqual(
        audit.map((a) => a.action),
        ['view', 'access.denied', 'view', 'child.rescue', 'child.rescue', 'child.rescue'],
      );
      assert.equal((await verifyAuditChain(store)).ok, true);
      // The rescued child's reports are kept, capped at LOW, and she sinks below the open children.
      for (const r of ['900001', '900002', '900003']) assert.equal(await tier(r), 'LOW', r);
      assert.notEqual((await all())[0]!.id, id);
      assert.equal(await tier('900004'), other);
    });

    test('a new report about the rescued child raises again only with new material', async () => {
      const id = (await maria()).id;
      await putReports(store, [
        at('900010', '2026-03-03', SUBJECT, { victims: [victim('Maria', 'Reyes', 10)], files: [file('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')] }),
        at('900011', '2026-03-04', SUBJECT, { victims: [victim('Maria', 'Reyes', 10)] }),
      ]);
      await processNew(store, { now: NOW });
      const c = await maria();
      assert.equal(c.id, id);
      assert.ok(c.reports.includes('900010') && c.reports.includes('900011'));
      assert.equal(c.status, 'rescued');
      assert.equal(await tier('900011'), 'LOW');
      assert.notEqual(await tier('900010'), 'LOW');
    });
  });
}
