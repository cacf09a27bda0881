// The analyst's second-pass API (issue 20 part A): subjects ranked like `bantay suspects`, payment
// alerts, search and money flow per party, undo of one's last close, cases that carry work (legal
// status, communication log, handover notes, attachments by hash) and the referral package from a
// report, subject or case with the recipient in the audit trail. Roles and object access are
// refused where they must be; reads of flows and referrals are audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from './support/stores.ts';
import { readZip } from '../src/export/index.ts';
import { apiSuite, call } from './api-support.ts';
import { FACILITATOR_KEYS } from './support/payments.ts';
import { auditCount, closeQueueToTeams, MIXED, seedTeamWorld, TEAM_A, TEAM_B } from './support/teams.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-casework-'));
after(() => rmSync(work, { recursive: true, force: true }));

const A = TEAM_A;
const B = TEAM_B;
for (const backend of testBackends()) {
  describe(`case work, suspects and payments API on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const s = apiSuite(backend);
    const count = (action: string): Promise<number> => auditCount(s.store.db, action);
    let caseId = '';
    let caseA = '';

    before(async () => {
      await seedTeamWorld(s, work, { scores: true });
      const { app, as } = s;
      const c = await call(app, as.supervisor, 'POST', '/api/cases', {
        title: 'Facilitator 0',
        leadId: as.supervisor.id,
        items: [
          { kind: 'report', itemId: A[3] },
          { kind: 'subject', itemId: 'S-2' },
        ],
      });
      assert.equal(c.statusCode, 201, c.body);
      caseId = c.json().id;
      caseA = (
        await call(app, as.supervisor, 'POST', '/api/cases', { title: 'Team A only', leadId: as.supervisor.id, items: [{ kind: 'report', itemId: A[0] }] })
      ).json().id;
      await closeQueueToTeams(s);
    });

    test('subjects ranked like `bantay suspects`: only those with a visible report, tiers on the subject page', async () => {
      assert.equal((await call(s.app, s.as.auditor, 'GET', '/api/suspects')).statusCode, 403);
      const all = (await call(s.app, s.as.supervisor, 'GET', '/api/suspects?limit=50')).json() as {
        total: number;
        items: { subjectId: string; tier: string; score: number; reasons: unknown[]; reportCount: number }[];
      };
      assert.deepEqual(all.items.map((i) => i.subjectId).sort(), ['S-0', 'S-1', 'S-2', 'S-3']);
      for (let i = 1; i < all.items.length; i++)
        assert.ok(all.items[i - 1]!.score >= all.items[i]!.score || all.items[i]!.tier === 'PAUSED', 'ranked by score');
      // The flagged payments of S-0 and S-1 are among their reasons.
      assert.ok(all.items.find((i) => i.subjectId === 'S-0')!.reasons.some((r) => (r as { rule: string }).rule === 'payments'));
      const mine = (await call(s.app, s.as.analyst, 'GET', '/api/suspects?limit=50')).json() as { items: { subjectId: string; hiddenReports: number }[] };
      assert.deepEqual(mine.items.map((i) => i.subjectId).sort(), ['S-0', 'S-2']);
      assert.equal(mine.items.find((i) => i.subjectId === 'S-2')!.hiddenReports, 3);
      const subject = (await call(s.app, s.as.analyst, 'GET', '/api/subjects/S-0')).json() as {
        reports: { tier: string | null; score: number | null }[];
        suspect: { tier: string } | null;
      };
      assert.ok(
        subject.reports.length === 4 && subject.reports.every((r) => typeof r.tier === 'string' && typeof r.score === 'number'),
        'every report shows its tier',
      );
      assert.ok(subject.suspect && typeof subject.suspect.tier === 'string');
    });

    test("payments: alerts with reasons, search by any account, a party's flow; another team's party refused and audited", async () => {
      const all = (await call(s.app, s.as.supervisor, 'GET', '/api/payments/parties')).json() as {
        partyId: string;
        scores: { alerted: boolean; reasons: { why: string }[] }[];
        subjectIds: string[];
      }[];
      const fac0 = all.find((p) => p.partyId === FACILITATOR_KEYS[0]);
      assert.ok(fac0, `alerts: ${all.map((p) => p.partyId).join(', ')}`);
      assert.ok(fac0.scores.some((x) => x.alerted && x.reasons.length > 0));
      assert.deepEqual(fac0.subjectIds, ['S-0']);
      assert.ok(all.some((p) => p.partyId === FACILITATOR_KEYS[1]));
      // A closed-queue analyst sees the party that reaches their team's reports, not the other.
      const mine = (await call(s.app, s.as.analyst, 'GET', '/api/payments/parties')).json() as { partyId: string }[];
      assert.deepEqual(
        mine.map((p) => p.partyId),
        [FACILITATOR_KEYS[0]],
      );
      const searches = await count('search.payments');
      const found = (await call(s.app, s.as.supervisor, 'GET', `/api/payments/parties?q=${encodeURIComponent('FAC13')}`)).json() as { partyId: string }[];
      assert.deepEqual(
        found.map((p) => p.partyId),
        [FACILITATOR_KEYS[1]],
        'a customer id finds its party',
      );
      const byName = (await call(s.app, s.as.supervisor, 'GET', `/api/payments/parties?q=${encodeURIComponent('peter smith0')}`)).json() as {
        partyId: string;
      }[];
      assert.equal(byName.length, 1);
      assert.equal(
        (await call(s.app, s.as.supervisor, 'GET', `/api/payments/parties?q=${encodeURIComponent("%' or 1=1 --")}`)).json().length,
        0,
        'the search text is a value',
      );
      assert.equal(await count('search.payments'), searches + 3);

      const views = await count('view.payments');
      const party = await call(s.app, s.as.analyst, 'GET', `/api/payments/parties/${encodeURIComponent(FACILITATOR_KEYS[0])}`);
      assert.equal(party.statusCode, 200, party.body);
      const p = party.json() as { flow: { nodes: { role: string }[]; edges: { to: string; count: number }[] }; reportIds: string[] };
      assert.equal(p.flow.nodes.filter((n) => n.role === 'payer').length, 4);
      assert.ok(p.flow.edges.every((e) => e.to === FACILITATOR_KEYS[0] && e.count === 3));
      assert.deepEqual(p.reportIds, A);
      const denied = await count('access.denied');
      const other = await call(s.app, s.as.analyst, 'GET', `/api/payments/parties/${encodeURIComponent(FACILITATOR_KEYS[1])}`);
      assert.equal(other.statusCode, 403);
      assert.equal(other.json().error.code, 'NOT_YOUR_TEAM');
      assert.equal(await count('access.denied'), denied + 1);
      const flow = await call(s.app, s.as.analyst, 'GET', '/api/subjects/S-0/payments');
      assert.equal(flow.statusCode, 200);
      assert.equal((flow.json() as { edges: unknown[] }).edges.length, 4);
      assert.equal((await call(s.app, s.as.analyst, 'GET', '/api/subjects/S-2/payments')).statusCode, 403, 'a flow needs the whole subject');
      assert.equal(await count('view.payments'), views + 2);
      assert.equal((await call(s.app, s.as.supervisor, 'GET', `/api/payments/parties/${encodeURIComponent('phone:+639990000000')}`)).statusCode, 404);
    });

    test('undo the last close: the items get back their status, once; items changed since stay as they are', async () => {
      const [x, y, z] = [A[0]!, A[1]!, A[2]!];
      assert.equal((await call(s.app, s.as.analyst, 'POST', `/api/reports/${x}/status`, { status: 'escalated' })).statusCode, 200);
      assert.equal((await call(s.app, s.as.analyst, 'POST', '/api/reports/close-batch', { reportIds: [x, y, z], reason: 'duplicate' })).statusCode, 200);
      const last = (await call(s.app, s.as.analyst, 'GET', '/api/work/last-close')).json() as { itemIds: string[]; reason: string };
      assert.deepEqual(last.itemIds, [x, y, z]);
      // Someone else re-closes z with another reason: the undo leaves it alone.
      assert.equal((await call(s.app, s.as.supervisor, 'POST', `/api/reports/${z}/status`, { status: 'closed', reason: 'no_action' })).statusCode, 200);
      const nocsrf = await s.app.inject({ method: 'POST', url: '/api/work/undo-close', headers: { cookie: s.as.analyst.cookie }, payload: {} });
      assert.equal(nocsrf.statusCode, 403);
      const undone = await call(s.app, s.as.analyst, 'POST', '/api/work/undo-close', {});
      assert.equal(undone.statusCode, 200, undone.body);
      assert.deepEqual(undone.json(), {
        kind: 'report',
        reopened: [
          { itemId: x, status: 'escalated' },
          { itemId: y, status: 'new' },
        ],
        skipped: [z],
      });
      const statusOf = async (id: string): Promise<string> =>
        ((await call(s.app, s.as.supervisor, 'GET', `/api/reports/${id}`)).json() as { work: { status: string } }).work.status;
      assert.equal(await statusOf(x), 'escalated');
      assert.equal(await statusOf(y), 'new');
      assert.equal(await statusOf(z), 'closed');
      const again = await call(s.app, s.as.analyst, 'POST', '/api/work/undo-close', {});
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'NOTHING_TO_UNDO');
      assert.equal((await call(s.app, s.as.analyst, 'GET', '/api/work/last-close')).json(), null);
      assert.equal((await call(s.app, s.as.auditor, 'POST', '/api/work/undo-close', {})).statusCode, 403);
    });

    test('a case carries work: legal status by its lead, communications, handover notes, attachments by hash, reports and subjects with tiers', async () => {
      const path = (p: string): string => `/api/cases/${caseId}/${p}`;
      const bad = await call(s.app, s.as.supervisor, 'POST', path('legal'), { status: 'arrested' });
      assert.equal(bad.statusCode, 400);
      const notLead = await call(s.app, s.as.analyst, 'POST', path('legal'), { status: 'preservation_requested' });
      assert.equal(notLead.statusCode, 403);
      assert.equal(notLead.json().error.code, 'FORBIDDEN');
      assert.equal(
        (await call(s.app, s.as.supervisor, 'POST', path('legal'), { status: 'preservation_requested', note: 'letter to Meta, ref 123' })).statusCode,
        200,
      );
      assert.equal(
        (
          await call(s.app, s.as.analyst, 'POST', path('log'), {
            kind: 'communication',
            text: 'Called the ESP liaison',
            channel: 'phone',
            direction: 'out',
            counterpart: 'Meta LE desk',
          })
        ).statusCode,
        201,
      );
      assert.equal(
        (await call(s.app, s.as.analyst, 'POST', path('log'), { kind: 'handover', text: 'Waiting for the preservation reply; call back at 9.' })).statusCode,
        201,
      );
      assert.equal(
        (await call(s.app, s.as.analyst, 'POST', path('log'), { kind: 'legal', text: 'forged step' })).statusCode,
        400,
        'legal steps come from the status change only',
      );
      const theirs = await call(s.app, s.as.analyst2, 'POST', `/api/cases/${caseA}/log`, { kind: 'handover', text: 'not mine' });
      assert.equal(theirs.statusCode, 403);
      assert.equal(theirs.json().error.code, 'NOT_YOUR_TEAM');
      const sha = 'ab'.repeat(32);
      assert.equal(
        (await call(s.app, s.as.analyst, 'POST', path('attachments'), { name: 'subpoena.pdf', sha256: sha.toUpperCase(), bytes: 12345 })).statusCode,
        201,
      );
      assert.equal((await call(s.app, s.as.analyst, 'POST', path('attachments'), { name: 'again.pdf', sha256: sha })).statusCode, 409);
      assert.equal((await call(s.app, s.as.analyst, 'POST', path('attachments'), { name: 'x.pdf', sha256: 'not a hash' })).statusCode, 400);
      assert.equal(
        (await call(s.app, s.as.analyst, 'POST', path('attachments'), { name: 'x.pdf', sha256: 'cd'.repeat(32), content: 'JVBERi0x' })).statusCode,
        400,
        'the file itself is never taken',
      );

      const c = (await call(s.app, s.as.analyst, 'GET', `/api/cases/${caseId}`)).json() as {
        legalStatus: string;
        log: { kind: string; text: string; author: string; channel: string | null; counterpart: string | null }[];
        attachments: { sha256: string; bytes: number }[];
        reports: { reportId: string; tier: string | null; viaSubject: string | null }[];
        hiddenReports: number;
        subjects: { id: string; tier: string | null; inCase: boolean }[];
      };
      assert.equal(c.legalStatus, 'preservation_requested');
      assert.deepEqual(
        c.log.map((e) => e.kind),
        ['legal', 'communication', 'handover'],
      );
      assert.deepEqual([c.log[0]!.counterpart, c.log[0]!.channel, c.log[0]!.text], ['none', 'preservation_requested', 'letter to Meta, ref 123']);
      assert.deepEqual(
        c.attachments.map((a) => [a.sha256, a.bytes]),
        [[sha, 12345]],
      );
      // The analyst sees A[3] (named) and MIXED[0] (through S-2); MIXED[1..3] are not theirs.
      assert.deepEqual(
        c.reports.map((r) => [r.reportId, r.viaSubject]),
        [
          [A[3], null],
          [MIXED[0], 'S-2'],
        ],
      );
      assert.ok(
        c.reports.every((r) => typeof r.tier === 'string'),
        'reports carry their tiers',
      );
      assert.equal(c.hiddenReports, 3);
      assert.ok(c.subjects.some((x) => x.id === 'S-2' && x.inCase && typeof x.tier === 'string'));
      assert.ok((await count('case.handover')) >= 1 && (await count('case.attachment')) >= 1 && (await count('case.legal')) >= 1);
    });

    test('the referral package from a report, a subject and a case: recipient audited, referral recorded, others refused', async () => {
      const exportsBefore = await count('export');
      const r = await call(s.app, s.as.analyst, 'POST', `/api/reports/${A[0]}/package`, { recipient: 'PNP-WCPC' });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.headers['content-type'], 'application/zip');
      const files = await readZip(new Uint8Array(r.rawPayload));
      const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as { recipient: string; reportIds: string[] };
      assert.equal(manifest.recipient, 'PNP-WCPC');
      assert.deepEqual(manifest.reportIds, [A[0]]);
      const entry = await s.store.db
        .selectFrom('audit_log')
        .select(['detail', 'username', 'target_id'])
        .where('action', '=', 'export')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(entry.target_id, A[0]);
      assert.equal((JSON.parse(entry.detail) as { recipient: string }).recipient, 'PNP-WCPC');
      const report = (await call(s.app, s.as.analyst, 'GET', `/api/reports/${A[0]}`)).json() as {
        work: { status: string; referrals: { agency: string; id: number }[] };
      };
      assert.equal(report.work.status, 'referred');
      assert.equal(String(report.work.referrals.at(-1)!.id), r.headers['x-bantay-referral']);

      assert.equal(
        (await call(s.app, s.as.analyst, 'POST', `/api/reports/${B[0]}/package`, { recipient: 'PNP-WCPC' })).statusCode,
        403,
        "another team's report",
      );
      assert.equal(
        (await call(s.app, s.as.analyst, 'POST', '/api/subjects/S-2/package', { recipient: 'PNP-WCPC' })).statusCode,
        403,
        'a subject needs every report',
      );
      assert.equal((await call(s.app, s.as.auditor, 'POST', `/api/reports/${A[0]}/package`, { recipient: 'PNP-WCPC' })).statusCode, 403);
      const subject = await call(s.app, s.as.analyst, 'POST', '/api/subjects/S-0/package', { recipient: 'A prosecutor, by hand' });
      assert.equal(subject.statusCode, 200, subject.body);
      assert.equal(subject.headers['x-bantay-referral'], undefined, 'a recipient that is no partner agency records no referral');

      const c = await call(s.app, s.as.supervisor, 'POST', `/api/cases/${caseId}/package`, { recipient: 'NBI-AHTRAD' });
      assert.equal(c.statusCode, 200, c.body);
      const detail = (await call(s.app, s.as.supervisor, 'GET', `/api/cases/${caseId}`)).json() as { referrals: { agency: string }[] };
      assert.deepEqual(
        detail.referrals.map((x) => x.agency),
        ['NBI-AHTRAD'],
      );
      assert.equal(await count('export'), exportsBefore + 3);
      assert.equal(await count('case.referral'), 1);
    });
  });
}
