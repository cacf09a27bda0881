// No trap for a tired hand, enforced by the API (issue 20 item 3): closing a report of the live
// ruleset's top two tiers (IMMEDIATE, HIGH) needs `confirm: true` besides its reason, whatever client
// sends it; without it the answer is 409 CONFIRM_REQUIRED and nothing changes (status, audit trail,
// the undo of the caller's last close). A LOW report closes as before; a viral batch's close is
// confirmed by its own preview.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { apiSuite, call } from './api-support.ts';
import { makeReport, person, putReports } from './fixtures/link/reports.ts';
import { processNew } from '../src/pipeline/process.ts';
import { rankSuspects } from '../src/triage/suspects.ts';

const IDS = { immediate: '710001', high: '710002', low: '710003', low2: '710004' } as const;
// Two subjects of two reports each: one around an escalation and a sextortion report, one of plain reports.
const SUBJECT_REPORTS = { careful: ['710101', '710102'], plain: ['710201', '710202'] } as const;

for (const backend of testBackends()) {
  describe(`careful close through the API on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const suite = apiSuite(backend);

    test('an IMMEDIATE or HIGH report closes only with confirm: true; a LOW one needs none', async () => {
      const { app, as, store } = suite;
      await putReports(
        store,
        Object.values(IDS).map((id, i) => makeReport(id, { person: person([`+63917555${String(i).padStart(4, '0')}`]) })),
      );
      await processNew(store, { now: new Date('2026-01-10T00:00:00Z') });
      // The tiers as a live ruleset would store them (which rules fire is the triage tests' business).
      for (const [id, tier] of [
        [IDS.immediate, 'IMMEDIATE'],
        [IDS.high, 'HIGH'],
        [IDS.low, 'LOW'],
        [IDS.low2, 'LOW'],
      ] as const) {
        const r = await sql`update triage_scores set tier = ${tier}, paused = false where report_id = ${id}`.execute(store.db);
        assert.equal(Number(r.numAffectedRows), 1, `${id} is scored`);
      }
      const status = async (id: string): Promise<string> =>
        ((await call(app, as.analyst, 'GET', `/api/reports/${id}`)).json() as { work: { status: string } }).work.status;
      const closes = async (): Promise<number> =>
        (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'work.status'`.execute(store.db)).rows[0]!.n;

      // Without confirm: refused, with the item and its tier named, and nothing written.
      const before = await closes();
      const refused = await call(app, as.analyst, 'POST', `/api/reports/${IDS.immediate}/status`, { status: 'closed', reason: 'no_action' });
      assert.equal(refused.statusCode, 409, refused.body);
      const err = (refused.json() as { error: { code: string; message: string; items: { itemId: string; tier: string }[] } }).error;
      assert.equal(err.code, 'CONFIRM_REQUIRED');
      assert.deepEqual(err.items, [{ itemId: IDS.immediate, tier: 'IMMEDIATE' }]);
      assert.match(err.message, /710001 \(IMMEDIATE\)/);
      assert.equal(
        (await call(app, as.analyst, 'POST', `/api/reports/${IDS.immediate}/status`, { status: 'closed', reason: 'no_action', confirm: false })).statusCode,
        409,
      );
      assert.equal(await status(IDS.immediate), 'new');
      assert.equal(await closes(), before);
      assert.equal(
        (await call(app, as.analyst, 'POST', '/api/work/undo-close')).json().error.code,
        'NOTHING_TO_UNDO',
        'a refused close leaves nothing to undo',
      );
      // A reason is still required, confirmed or not.
      assert.equal(
        (await call(app, as.analyst, 'POST', `/api/reports/${IDS.immediate}/status`, { status: 'closed', confirm: true })).json().error.code,
        'CLOSE_REASON_REQUIRED',
      );

      // Confirmed: closed, audited, and undoable as any close.
      const ok = await call(app, as.analyst, 'POST', `/api/reports/${IDS.immediate}/status`, { status: 'closed', reason: 'no_action', confirm: true });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(await status(IDS.immediate), 'closed');
      assert.equal(await closes(), before + 1);
      // Other changes of an IMMEDIATE report need no confirmation.
      assert.equal((await call(app, as.analyst, 'POST', `/api/reports/${IDS.immediate}/status`, { status: 'in_review' })).statusCode, 200);

      // A LOW report closes without one.
      const low = await call(app, as.analyst, 'POST', `/api/reports/${IDS.low}/status`, { status: 'closed', reason: 'duplicate' });
      assert.equal(low.statusCode, 200, low.body);
      assert.equal(await status(IDS.low), 'closed');

      // A selection holding a HIGH report: refused whole (the LOW one beside it stays open too), then confirmed.
      const batch = await call(app, as.supervisor, 'POST', '/api/reports/close-batch', { reportIds: [IDS.low2, IDS.high], reason: 'no_nexus' });
      assert.equal(batch.statusCode, 409, batch.body);
      assert.deepEqual(batch.json().error.items, [{ itemId: IDS.high, tier: 'HIGH' }]);
      assert.equal(await status(IDS.high), 'new');
      assert.equal(await status(IDS.low2), 'new');
      const confirmed = await call(app, as.supervisor, 'POST', '/api/reports/close-batch', {
        reportIds: [IDS.low2, IDS.high],
        reason: 'no_nexus',
        confirm: true,
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(await status(IDS.high), 'closed');
      assert.equal(await status(IDS.low2), 'closed');
    });

    test('a subject of the top suspect tiers closes only with confirm: true; a LOW one needs none', async () => {
      const { app, as, store } = suite;
      const escalated = makeReport(SUBJECT_REPORTS.careful[0], { person: person(['+639175550101']) });
      escalated.incident.escalateToHighPriority = 'Live broadcast of abuse of a young child, paid by a viewer abroad.';
      const threatened = makeReport(SUBJECT_REPORTS.careful[1], { person: person(['+639175550101']) });
      threatened.incident.reportAnnotations = ['sextortion'];
      await putReports(store, [escalated, threatened, ...SUBJECT_REPORTS.plain.map((id) => makeReport(id, { person: person(['+639175550202']) }))]);
      await processNew(store, { now: new Date('2026-01-10T00:00:00Z') });
      const subjectOf = async (reportId: string): Promise<string> =>
        (await sql<{ s: string }>`select subject_id as s from link_subjects where report_id = ${reportId}`.execute(store.db)).rows[0]!.s;
      const careful = await subjectOf(SUBJECT_REPORTS.careful[0]);
      const plain = await subjectOf(SUBJECT_REPORTS.plain[0]);
      assert.equal(await subjectOf(SUBJECT_REPORTS.careful[1]), careful, 'the shared phone links the escalated report and its neighbour');
      // The subject page's tier is the suspect ruleset's: an escalation with its reason and a sextortion report put this one in the top two.
      const tiers = new Map((await rankSuspects(store, { subjectIds: [careful, plain] })).map((s) => [s.subjectId, s.tier]));
      assert.ok(['IMMEDIATE', 'HIGH'].includes(tiers.get(careful)!), `careful subject tier ${tiers.get(careful)}`);
      assert.equal(tiers.get(plain), 'LOW');
      const status = async (id: string): Promise<string> =>
        ((await call(app, as.analyst, 'GET', `/api/subjects/${id}`)).json() as { work: { status: string } }).work.status;

      const refused = await call(app, as.analyst, 'POST', `/api/subjects/${careful}/status`, { status: 'closed', reason: 'no_action' });
      assert.equal(refused.statusCode, 409, refused.body);
      const err = (refused.json() as { error: { code: string; items: { itemId: string; tier: string }[] } }).error;
      assert.equal(err.code, 'CONFIRM_REQUIRED');
      assert.deepEqual(err.items, [{ itemId: careful, tier: tiers.get(careful) }]);
      assert.equal(await status(careful), 'new');

      const ok = await call(app, as.analyst, 'POST', `/api/subjects/${careful}/status`, { status: 'closed', reason: 'no_action', confirm: true });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(await status(careful), 'closed');

      const low = await call(app, as.analyst, 'POST', `/api/subjects/${plain}/status`, { status: 'closed', reason: 'duplicate' });
      assert.equal(low.statusCode, 200, low.body);
      assert.equal(await status(plain), 'closed');
    });
  });
}
