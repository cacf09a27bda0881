// The queue follows triage's order once reports are scored; rules can be read, tested and published.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testBackends } from './support/stores.ts';
import type { Store } from '../src/store/database.ts';
import type { Role } from '../src/cases/roles.ts';
import { scoreReports } from '../src/triage/rescore.ts';
import { readQueue } from '../src/cases/queue.ts';
import { seedReports } from '../bench/api-seed.ts';
import { type Caller, appWithRoles, call, finishJob } from './api-support.ts';

for (const backend of testBackends()) {
  describe(`API over triage scores on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    before(async () => {
      store = await backend.open();
      await seedReports(store.db, 1, 30);
      await scoreReports(store, { all: true });
      ({ app, as } = await appWithRoles(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test("queue order, tiers and reasons are triage's; next report takes triage's top", async () => {
      const ours = (await call(app, as.analyst, 'GET', '/api/queue?limit=30')).json();
      const theirs = await readQueue(store, { limit: 30 });
      assert.equal(ours.total, theirs.total);
      assert.deepEqual(
        ours.items.map((i: { reportId: string }) => i.reportId),
        theirs.items.map((i) => i.reportId),
      );
      assert.ok(ours.items.every((i: { tier: string | null }) => typeof i.tier === 'string'));
      const tier = ours.items[0].tier as string;
      const filtered = (await call(app, as.analyst, 'GET', `/api/queue?tier=${encodeURIComponent(tier)}&limit=100`)).json();
      assert.ok(filtered.total > 0 && filtered.items.every((i: { tier: string }) => i.tier === tier));
      const next = (await call(app, as.analyst, 'POST', '/api/queue/next')).json();
      assert.equal(next.reportId, theirs.items[0]!.reportId);
      const view = (await call(app, as.analyst, 'GET', `/api/reports/${next.reportId}`)).json();
      assert.equal(view.score.reportId, next.reportId);
    });

    test('rules: read by analysts, tested and published by supervisors', async () => {
      const rules = (await call(app, as.analyst, 'GET', '/api/rules')).json();
      assert.ok(rules.versions.length >= 1);
      const t = await call(app, as.supervisor, 'POST', '/api/rules/test', { ruleset: rules.live });
      assert.equal(t.statusCode, 200, t.body);
      assert.equal(t.json().movedUp + t.json().movedDown, 0);
      const bad = await call(app, as.supervisor, 'POST', '/api/rules/test', { ruleset: { name: 'x' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'BAD_RULESET');
      const pub = await call(app, as.supervisor, 'POST', '/api/rules/publish', {
        ruleset: { ...rules.live, name: 'renamed' },
        comment: 'same rules, new name',
      });
      assert.equal(pub.statusCode, 202, pub.body);
      assert.ok(pub.json().version > 1);
      const job = await finishJob(store, pub.json().jobId);
      assert.equal(job.state, 'completed', job.error ?? '');
      assert.equal((job.result as { rulesetVersion: number }).rulesetVersion, pub.json().version);
    });
  });
}
