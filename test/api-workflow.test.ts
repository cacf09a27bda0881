// Case work end to end: queue, next report under a lock, views audited, notes kept across versions,
// status and close reasons, assignment rules, team visibility, cases with deconfliction, referrals,
// search in any format, SQL injection probes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import type { Store } from '../src/store/database.ts';
import type { Role } from '../src/cases/roles.ts';
import { seedReports, seededId } from '../bench/api-seed.ts';
import { appWithRoles, call, type Caller, finishJob } from './api-support.ts';

const N = 40;

for (const backend of testBackends()) {
  describe(`API case work on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    before(async () => {
      store = await backend.open();
      await seedReports(store.db, 1, N, { groupSize: 4 });
      ({ app, as } = await appWithRoles(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    const auditCount = async (action: string, targetId?: string): Promise<number> => {
      let q = store.db
        .selectFrom('audit_log')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('action', '=', action);
      if (targetId) q = q.where('target_id', '=', targetId);
      return (await q.executeTakeFirstOrThrow()).n;
    };

    test('the queue pages and filters; newest received first', async () => {
      const page = (await call(app, as.analyst, 'GET', '/api/queue?limit=10&offset=0')).json();
      assert.equal(page.total, N);
      assert.equal(page.items.length, 10);
      assert.equal(page.items[0].reportId, seededId(1));
      const second = (await call(app, as.analyst, 'GET', '/api/queue?limit=10&offset=10')).json();
      assert.equal(second.items[0].reportId, seededId(11));
      const esp = (await call(app, as.analyst, 'GET', '/api/queue?esp=Facebook&limit=100')).json();
      assert.ok(esp.total > 0 && esp.total < N);
      assert.ok(esp.items.every((i: { esp: string }) => i.esp === 'Facebook'));
    });

    test('"next report" never hands the same report to two analysts', async () => {
      const callers = [as.analyst, as.analyst2, as.supervisor, as.analyst, as.analyst2, as.supervisor, as.analyst, as.analyst2];
      const got = await Promise.all(callers.map((c) => call(app, c, 'POST', '/api/queue/next')));
      const ids = got.map((r) => r.json().reportId as string);
      assert.ok(ids.every((x) => typeof x === 'string'));
      assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(',')}`);
      const mine = (await call(app, as.analyst, 'GET', '/api/queue?assigned=me&limit=100')).json();
      assert.equal(mine.total, 3);
      assert.ok(mine.items.every((i: { assignee: string; status: string }) => i.assignee === 'analyst1' && i.status === 'in_review'));
    });

    test('a report view is audited and carries its work; notes survive a new version', async () => {
      const id = seededId(20);
      const before = await auditCount('view', id);
      const r = await call(app, as.analyst, 'GET', `/api/reports/${id}`);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().summary.reportId, id);
      assert.equal(r.json().subject, 'S-4');
      assert.equal(await auditCount('view', id), before + 1);
      assert.equal((await call(app, as.analyst, 'POST', `/api/reports/${id}/notes`, { text: 'Spoke to the ESP; awaiting IP logs.' })).statusCode, 200);
      // A new version of the report arrives.
      await sql`insert into report_versions (report_id, version, content_hash, received_at, source, raw_gz, raw_bytes, doc)
        select report_id, 2, 'v2', received_at, 'seed', raw_gz, 0, doc from report_versions where report_id = ${id} and version = 1`.execute(store.db);
      await sql`update reports set current_version = 2, version_count = 2 where report_id = ${id}`.execute(store.db);
      const again = (await call(app, as.analyst, 'GET', `/api/reports/${id}`)).json();
      assert.equal(again.versions.length, 2);
      assert.equal(again.work.notes.length, 1);
      assert.equal(again.work.notes[0].text, 'Spoke to the ESP; awaiting IP logs.');
      assert.equal(again.work.notes[0].reportVersion, 1);
      assert.equal((await call(app, as.analyst, 'GET', '/api/reports/999999999')).statusCode, 404);
    });

    test("status: closing needs a reason; analysts cannot assign to others or change someone else's report", async () => {
      const id = seededId(21);
      assert.equal((await call(app, as.analyst, 'POST', `/api/reports/${id}/assign`, { userId: as.analyst2.id })).statusCode, 403);
      assert.equal((await call(app, as.analyst, 'POST', `/api/reports/${id}/assign`, { userId: as.analyst.id })).statusCode, 200);
      assert.equal((await call(app, as.analyst2, 'POST', `/api/reports/${id}/status`, { status: 'escalated' })).statusCode, 403);
      const noReason = await call(app, as.analyst, 'POST', `/api/reports/${id}/status`, { status: 'closed' });
      assert.equal(noReason.statusCode, 400);
      assert.equal(noReason.json().error.code, 'CLOSE_REASON_REQUIRED');
      assert.equal((await call(app, as.analyst, 'POST', `/api/reports/${id}/status`, { status: 'closed', reason: 'duplicate' })).statusCode, 200);
      const w = (await call(app, as.analyst, 'GET', `/api/reports/${id}`)).json().work;
      assert.equal(w.status, 'closed');
      assert.equal(w.closeReason, 'duplicate');
      // Closed reports leave the open queue; the supervisor reassigns, escalates and holds.
      assert.equal((await call(app, as.analyst, 'GET', '/api/queue?status=closed')).json().total, 1);
      const other = seededId(22);
      assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${other}/assign`, { userId: as.analyst2.id })).statusCode, 200);
      assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${other}/assign`, { userId: as.analyst.id })).statusCode, 200);
      assert.equal(await auditCount('work.reassign', other), 1);
      assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${other}/status`, { status: 'escalated' })).statusCode, 200);
      assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${seededId(23)}/hold`, { held: true })).statusCode, 200);
      const batch = await call(app, as.supervisor, 'POST', '/api/reports/close-batch', { reportIds: [seededId(38), seededId(39)], reason: 'no_action' });
      assert.equal(batch.json().closed, 2);
      const load = (await call(app, as.supervisor, 'GET', '/api/stats/workload')).json() as { username: string; open: number }[];
      assert.ok(load.find((x) => x.username === 'analyst1')!.open >= 4);
    });

    test('a subject in an active case pauses its reports; closing the case releases them; marks stay visible', async () => {
      const queueTotal = async (): Promise<number> => (await call(app, as.analyst, 'GET', '/api/queue?status=all')).json().total;
      const before = await queueTotal();
      const created = await call(app, as.supervisor, 'POST', '/api/cases', {
        title: 'Operation test',
        leadId: as.supervisor.id,
        items: [{ kind: 'subject', itemId: 'S-7' }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const caseId = created.json().id as string;
      const held = await store.db.selectFrom('deconflicted_reports').selectAll().where('case_id', '=', caseId).execute();
      assert.deepEqual(held.map((h) => h.report_id).sort(), [29, 30, 31, 32].map(seededId));
      assert.equal(await queueTotal(), before - 4);
      const paused = (await call(app, as.analyst, 'GET', '/api/queue?status=all&includePaused=true&limit=100')).json();
      assert.equal(paused.items.find((i: { reportId: string }) => i.reportId === seededId(29)).deconflicted.caseId, caseId);
      const found = (await call(app, as.analyst2, 'GET', `/api/search?q=${encodeURIComponent('0917 000 0007')}`)).json();
      assert.equal(found.results[0].deconflicted.length, 4);
      assert.equal((await call(app, as.analyst, 'POST', '/api/cases', { title: 'x', leadId: as.analyst.id })).statusCode, 403);
      assert.equal((await call(app, as.analyst, 'GET', `/api/cases/${caseId}`)).json().items.length, 1);
      assert.equal((await call(app, as.supervisor, 'POST', `/api/subjects/S-8/deconflict`, { caseId })).statusCode, 200);
      assert.equal(await queueTotal(), before - 8);
      const closed = await call(app, as.supervisor, 'POST', `/api/cases/${caseId}/close`, { reason: 'referred to PNP-WCPC' });
      assert.equal(closed.json().status, 'closed');
      assert.equal(await queueTotal(), before);
      assert.equal((await store.db.selectFrom('deconflicted_reports').selectAll().execute()).length, 0);
    });

    test('referral to a partner agency records what was sent', async () => {
      const id = seededId(24);
      const sent = { documents: ['initial-report.pdf'], identifiers: 3 };
      const r = await call(app, as.analyst, 'POST', `/api/reports/${id}/refer`, { agency: 'PNP-WCPC', type: 'referral', sent, comment: 'urgent' });
      assert.equal(r.statusCode, 200, r.body);
      const w = (await call(app, as.analyst, 'GET', `/api/reports/${id}`)).json().work;
      assert.equal(w.status, 'referred');
      assert.deepEqual(w.referrals[0].sent, sent);
      assert.equal((await call(app, as.analyst, 'POST', `/api/reports/${id}/refer`, { agency: 'NOPE', type: 'referral', sent })).statusCode, 400);
      const agencies = (await call(app, as.analyst, 'GET', '/api/agencies')).json().map((a: { code: string }) => a.code);
      for (const code of ['PNP-WCPC', 'NBI-AHTRAD', 'PICACC', 'DSWD', 'BI']) assert.ok(agencies.includes(code));
    });

    test("a closed queue: analysts see only their team's reports, but deconfliction marks stay visible", async () => {
      assert.equal((await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: false })).statusCode, 200);
      const id = seededId(33);
      await call(app, as.supervisor, 'POST', `/api/reports/${id}/assign`, { userId: null, team: 'team-a' });
      const c = (
        await call(app, as.supervisor, 'POST', '/api/cases', { title: 'Closed-queue case', leadId: as.supervisor.id, items: [{ kind: 'report', itemId: id }] })
      ).json();
      assert.equal((await call(app, as.analyst, 'GET', `/api/reports/${id}`)).statusCode, 200);
      const refused = await call(app, as.analyst2, 'GET', `/api/reports/${id}`);
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'NOT_YOUR_TEAM');
      assert.equal(refused.json().error.deconfliction.caseId, c.id);
      const q = (await call(app, as.analyst2, 'GET', '/api/queue?status=all&includePaused=true&limit=500')).json();
      assert.ok(!q.items.some((i: { reportId: string }) => i.reportId === id));
      assert.equal((await call(app, as.supervisor, 'GET', `/api/reports/${id}`)).statusCode, 200);
      await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: true });
      await call(app, as.supervisor, 'POST', `/api/cases/${c.id}/close`, { reason: 'test over' });
    });

    test('search finds a phone in any format, a screen name and a report number', async () => {
      for (const q of ['+639170000002', '09170000002', '0917-000-0002', '(0917) 000 0002', '63 917 000 0002']) {
        const r = (await call(app, as.analyst, 'GET', `/api/search?q=${encodeURIComponent(q)}`)).json();
        assert.equal(r.results.length, 1, q);
        assert.deepEqual(r.results[0].reportIds, [9, 10, 11, 12].map(seededId), q);
        assert.deepEqual(r.results[0].subjectIds, ['S-2'], q);
      }
      const sn = (await call(app, as.analyst, 'GET', '/api/search?q=User5')).json();
      assert.deepEqual(sn.results.map((x: { reportIds: string[] }) => x.reportIds).flat(), [seededId(5)]);
      const rid = (await call(app, as.analyst, 'GET', `/api/search?q=${seededId(6)}`)).json();
      assert.ok(rid.results.some((x: { kind: string }) => x.kind === 'report'));
      assert.ok((await auditCount('search')) >= 7);
    });

    test('SQL injection probes on every search and filter field return no extra rows and change nothing', async () => {
      const probes = ["' OR '1'='1", "'; DROP TABLE reports; --", '%', "%' OR 1=1 --", "\\' OR 1=1 --", '1) OR (1=1', "Facebook' --", "S-1' OR 'a'='a"];
      for (const p of probes) {
        const e = encodeURIComponent(p);
        assert.deepEqual((await call(app, as.analyst, 'GET', `/api/search?q=${e}`)).json().results, [], `search ${p}`);
        for (const field of ['esp', 'incidentType', 'annotation', 'province', 'tier']) {
          const r = await call(app, as.analyst, 'GET', `/api/queue?status=all&${field}=${e}`);
          assert.ok(r.statusCode === 400 || r.json().total === 0, `queue ${field}=${p}: ${r.body.slice(0, 100)}`);
        }
        for (const field of ['targetId', 'targetKind']) {
          const r = await call(app, as.auditor, 'GET', `/api/audit?${field}=${e}`);
          assert.deepEqual(r.json(), [], `audit ${field}=${p}`);
        }
        assert.ok([400, 404].includes((await call(app, as.analyst, 'GET', `/api/reports/${e}`)).statusCode));
        assert.ok([400, 404].includes((await call(app, as.analyst, 'GET', `/api/subjects/${e}`)).statusCode));
        assert.ok([400, 404].includes((await call(app, as.analyst, 'GET', `/api/cases/${e}`)).statusCode));
      }
      assert.equal(
        (
          await store.db
            .selectFrom('reports')
            .select(sql<number>`count(*)::int`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
        N,
      );
    });

    test('subjects: list, view with reasons and graph, manual merge and split', async () => {
      const list = (await call(app, as.analyst, 'GET', '/api/subjects?limit=5')).json();
      assert.equal(list.total, N / 4);
      const s = (await call(app, as.analyst, 'GET', '/api/subjects/S-3')).json();
      assert.equal(s.reports.length, 4);
      assert.ok(s.graph.nodes.some((n: { type: string }) => n.type === 'phone'));
      const g = (await call(app, as.analyst, 'GET', `/api/subjects/S-3/graph?node=${encodeURIComponent('phone:+639170000003')}`)).json();
      assert.equal(g.nodes.filter((n: { type: string }) => n.type === 'report').length, 4);
      const split = await call(app, as.supervisor, 'POST', '/api/subjects/S-3/split', { reportId: seededId(13), comment: 'different person' });
      assert.equal(split.statusCode, 202, split.body);
      assert.equal(await auditCount('subject.split', 'S-3'), 1);
      assert.equal((await finishJob(store, split.json().jobId)).state, 'completed');
    });

    test('auditors read the trail and it verifies; exports of a queue slice are audited', async () => {
      const csv = await call(app, as.analyst, 'GET', '/api/exports/queue.csv?limit=5&status=all');
      assert.equal(csv.statusCode, 200);
      assert.equal(csv.body.trim().split('\r\n').length, 6);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.equal(await auditCount('export'), 1);
      const trail = (await call(app, as.auditor, 'GET', '/api/audit?limit=1000')).json() as { action: string; ip: string | null }[];
      for (const a of ['login', 'view', 'work.note', 'work.status', 'case.create', 'case.close', 'work.referral', 'export', 'search'])
        assert.ok(
          trail.some((e) => e.action === a),
          a,
        );
      const v = (await call(app, as.auditor, 'GET', '/api/audit/verify')).json();
      assert.equal(v.ok, true);
      assert.ok(v.entries > 50);
    });
  });
}
