// Object-level access, generated from the route table: with the queue closed to other teams, every
// route that touches a report, subject or case lets an analyst reach their own team's objects and
// refuses another team's (403 NOT_YOUR_TEAM, audited), also through disguised paths; supervisors
// reach both; containers show only the visible reports; every read of an identifier is audited.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { routeTable } from '../src/api/app.ts';
import { apiSuite, call, concrete, disguises, type Caller } from './api-support.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { FACILITATOR_KEYS } from './support/payments.ts';
import { auditCount, closeQueueToTeams, MIXED, seedTeamWorld, TEAM_A, TEAM_B } from './support/teams.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-objects-'));
after(() => rmSync(work, { recursive: true, force: true }));

// The two-team world of test/support/teams.ts (S-0 team-a's, S-1 team-b's, S-2 mixed).
const A = TEAM_A;
const B = TEAM_B;

/** The ids a route takes for an object of one side, and a valid body for it. */
interface Side {
  report: string;
  subject: string;
  caseId: string;
  other: string;
  party: string;
  me: Caller;
}

function request(method: string, url: string, s: Side): { url: string; body?: unknown } | undefined {
  const key = `${method} ${url}`;
  const id = url.includes('/cases/') ? s.caseId : url.includes('/subjects/') ? s.subject : url.includes('/parties/') ? s.party : s.report;
  const path = concrete(url, id).replace(':file', 'iptable.csv').replace(':letter', 'preservation-request.pdf');
  const bodies: Record<string, unknown> = {
    'POST /api/reports/:id/assign': { userId: s.me.id },
    'POST /api/subjects/:id/assign': { userId: s.me.id },
    'POST /api/reports/:id/status': { status: 'escalated' },
    'POST /api/subjects/:id/status': { status: 'escalated' },
    'POST /api/reports/:id/notes': { text: 'checked' },
    'POST /api/subjects/:id/notes': { text: 'checked' },
    'POST /api/reports/:id/hold': { held: false },
    'POST /api/subjects/:id/hold': { held: false },
    'POST /api/reports/:id/refer': { agency: 'PNP-WCPC', type: 'referral', sent: { note: 'x' } },
    'POST /api/subjects/:id/refer': { agency: 'PNP-WCPC', type: 'referral', sent: { note: 'x' } },
    'POST /api/reports/close-batch': { reportIds: [s.other], reason: 'no_action' },
    'POST /api/subjects/:id/split': { reportId: s.report },
    'POST /api/subjects/merge': { reportA: s.report, reportB: s.other },
    'POST /api/subjects/:id/deconflict': { caseId: s.caseId },
    'POST /api/cases': { title: 'probe', leadId: s.me.id, items: [{ kind: 'report', itemId: s.report }] },
    'POST /api/cases/:id/items': { items: [{ kind: 'report', itemId: s.report }] },
    'POST /api/cases/:id/close': { reason: 'probe' },
    'POST /api/cases/:id/package': { recipient: 'PNP-WCPC' },
    'POST /api/reports/:id/package': { recipient: 'PNP-WCPC' },
    'POST /api/subjects/:id/package': { recipient: 'PNP-WCPC' },
    'POST /api/cases/:id/legal': { status: 'preservation_requested' },
    'POST /api/cases/:id/log': { kind: 'handover', text: 'probe' },
    'POST /api/cases/:id/attachments': { name: 'probe.pdf', sha256: '0'.repeat(64) },
  };
  if (method === 'GET') return { url: url.endsWith('/graph') ? `${path}?node=report:${s.report}` : path };
  if (!(key in bodies)) return undefined;
  return { url: path, body: bodies[key] };
}

const OBJECT_RULES = ['report', 'reports', 'items', 'subject', 'subject-all', 'case', 'case-all', 'party'];

for (const backend of testBackends()) {
  describe(`object-level access on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const s = apiSuite(backend);
    let own: Side;
    let other: Side;
    const audits = (action: string): Promise<number> => auditCount(s.store.db, action);

    before(async () => {
      await seedTeamWorld(s, work);
      const { app, as } = s;
      const caseA = (
        await call(app, as.supervisor, 'POST', '/api/cases', { title: 'A', leadId: as.supervisor.id, items: [{ kind: 'report', itemId: A[3] }] })
      ).json().id as string;
      const caseB = (
        await call(app, as.supervisor, 'POST', '/api/cases', { title: 'B', leadId: as.supervisor.id, items: [{ kind: 'report', itemId: B[3] }] })
      ).json().id as string;
      await closeQueueToTeams(s);
      own = { report: A[0]!, subject: 'S-0', caseId: caseA, other: A[1]!, party: encodeURIComponent(FACILITATOR_KEYS[0]), me: as.analyst };
      other = { report: B[0]!, subject: 'S-1', caseId: caseB, other: B[1]!, party: encodeURIComponent(FACILITATOR_KEYS[1]), me: as.analyst };
    });

    test('every route declares an object rule, and every object route has a probe here', () => {
      for (const r of routeTable(s.app)) {
        assert.ok(r.object, `${r.method} ${r.url} declares no object rule`);
        if (OBJECT_RULES.includes(r.object)) assert.ok(request(r.method, r.url, own), `no probe for ${r.method} ${r.url} (${r.object}): add one`);
      }
    });

    test("an analyst reaches their team's objects and is refused another team's on every object route", async () => {
      let refused = 0;
      const deniedBefore = await audits('access.denied');
      for (const r of routeTable(s.app).filter((x) => OBJECT_RULES.includes(x.object) && x.roles !== 'public' && x.roles.includes('analyst'))) {
        const mine = request(r.method, r.url, own)!;
        const ok = await call(s.app, s.as.analyst, r.method as 'GET', mine.url, mine.body);
        assert.ok(
          ok.statusCode < 500 && !(ok.statusCode === 403 && ok.json().error.code === 'NOT_YOUR_TEAM'),
          `own ${r.method} ${mine.url}: ${ok.statusCode} ${ok.body.slice(0, 200)}`,
        );
        const theirs = request(r.method, r.url, other)!;
        const no = await call(s.app, s.as.analyst, r.method as 'GET', theirs.url, theirs.body);
        assert.equal(no.statusCode, 403, `other ${r.method} ${theirs.url}: ${no.body.slice(0, 200)}`);
        assert.equal(no.json().error.code, 'NOT_YOUR_TEAM');
        refused++;
        // The same refusal through every disguise of the path (each either refuses or matches no route).
        for (const url of disguises(theirs.url)) {
          const d = await s.app.inject({
            method: r.method as 'GET',
            url,
            headers: { cookie: s.as.analyst.cookie, 'x-csrf-token': s.as.analyst.csrf },
            ...(theirs.body !== undefined ? { payload: theirs.body as object } : {}),
          });
          assert.ok(
            [403, 404].includes(d.statusCode) || /^text\/html/.test(String(d.headers['content-type'])),
            `disguised ${r.method} ${url}: ${d.statusCode} ${d.body.slice(0, 120)}`,
          );
        }
      }
      assert.ok(refused >= 15, `only ${refused} object routes checked`);
      assert.ok((await audits('access.denied')) >= deniedBefore + refused, 'every refusal is audited');
    });

    test("supervisors reach both teams' objects on every object route", async () => {
      for (const r of routeTable(s.app).filter(
        (x) => OBJECT_RULES.includes(x.object) && x.roles !== 'public' && x.roles.includes('supervisor') && x.method === 'GET',
      )) {
        for (const side of [own, other]) {
          const q = request(r.method, r.url, { ...side, me: s.as.supervisor })!;
          const res = await call(s.app, s.as.supervisor, 'GET', q.url);
          assert.ok(res.statusCode < 400 || res.statusCode === 404, `${r.method} ${q.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
    });

    test('a mixed subject shows only the visible reports, with a count of the rest; the graph and search likewise', async () => {
      const subject = (await call(s.app, s.as.analyst, 'GET', '/api/subjects/S-2')).json();
      assert.deepEqual(
        subject.reports.map((r: { reportId: string }) => r.reportId),
        [MIXED[0]],
      );
      assert.equal(subject.hiddenReports, 3);
      assert.deepEqual(
        subject.graph.nodes.filter((n: { type: string }) => n.type === 'report').map((n: { label: string }) => n.label),
        [MIXED[0]],
      );
      const graphsBefore = await audits('view.graph');
      const g = (await call(s.app, s.as.analyst, 'GET', `/api/subjects/S-2/graph?node=${encodeURIComponent('phone:+639170000002')}`)).json();
      assert.deepEqual(
        g.nodes.filter((n: { type: string }) => n.type === 'report').map((n: { label: string }) => n.label),
        [MIXED[0]],
      );
      assert.equal(g.hiddenReports, 3);
      assert.equal(await audits('view.graph'), graphsBefore + 1);
      const hop = await call(s.app, s.as.analyst, 'GET', `/api/subjects/S-2/graph?node=report:${MIXED[1]}`);
      assert.equal(hop.statusCode, 403, "a hop onto another team's report");
      const found = (await call(s.app, s.as.analyst, 'GET', `/api/search?q=${encodeURIComponent('0917 000 0002')}`)).json();
      assert.deepEqual(found.results[0].reportIds, [MIXED[0]]);
      assert.equal(found.results[0].hiddenReports, 3);
      const subjects = (await call(s.app, s.as.analyst, 'GET', '/api/subjects?limit=50')).json();
      assert.deepEqual(subjects.items.map((x: { id: string }) => x.id).sort(), ['S-0', 'S-2']);
      const cases = (await call(s.app, s.as.analyst, 'GET', '/api/cases')).json() as { id: string }[];
      assert.deepEqual(
        cases.map((c) => c.id),
        [own.caseId],
      );
      const queue = (await call(s.app, s.as.analyst, 'GET', '/api/queue?status=all&includePaused=true&limit=100')).json();
      assert.ok(queue.items.every((i: { reportId: string }) => [...A, MIXED[0]].includes(i.reportId)));
    });

    test('an analyst may not refer or re-status a report another analyst holds', async () => {
      const id = A[2]!;
      assert.equal((await call(s.app, s.as.supervisor, 'POST', `/api/reports/${id}/assign`, { userId: s.as.supervisor.id, team: 'team-a' })).statusCode, 200);
      const refer = await call(s.app, s.as.analyst, 'POST', `/api/reports/${id}/refer`, { agency: 'PNP-WCPC', type: 'referral', sent: {} });
      assert.equal(refer.statusCode, 403);
      assert.equal(refer.json().error.code, 'NOT_YOURS');
      assert.equal((await call(s.app, s.as.analyst, 'POST', `/api/reports/${id}/status`, { status: 'escalated' })).json().error.code, 'NOT_YOURS');
    });

    test('every read of an identifier is audited: report, versions, subject, graph, export, case, search', async () => {
      const before = (
        await s.store.db
          .selectFrom('audit_log')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const reads = [
        `/api/reports/${A[0]}`,
        `/api/reports/${A[0]}/versions`,
        '/api/subjects/S-0',
        `/api/subjects/S-0/graph?node=report:${A[0]}`,
        `/api/reports/${A[0]}/export/iptable.csv`,
        `/api/cases/${own.caseId}`,
        `/api/search?q=${A[0]}`,
      ];
      for (const url of reads) assert.equal((await call(s.app, s.as.analyst, 'GET', url)).statusCode, 200, url);
      const after = (
        await s.store.db
          .selectFrom('audit_log')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      assert.equal(after - before, reads.length);
    });

    test("with the queue open to all analysts, another team's report opens again", async () => {
      assert.equal((await call(s.app, s.as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: true })).statusCode, 200);
      assert.equal((await call(s.app, s.as.analyst, 'GET', `/api/reports/${B[0]}`)).statusCode, 200);
      assert.equal((await call(s.app, s.as.analyst, 'GET', '/api/subjects/S-1')).json().hiddenReports, 0);
      await call(s.app, s.as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: false });
      // Auditors never reach a report, open queue or not.
      assert.equal((await call(s.app, s.as.auditor, 'GET', `/api/reports/${A[0]}`)).statusCode, 403);
    });
  });
}
