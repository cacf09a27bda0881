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

const IDS = { immediate: '710001', high: '710002', low: '710003', low2: '710004' } as const;

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
  });
}
