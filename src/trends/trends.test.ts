// The trends stage on both backends, on a generated stream with a planted spike: the spike is found
// within two days of its start, other series stay quiet, the queue behind the alert holds exactly the
// reports the alert counted, a small delivery touches only its own reports, and a rebuild gives the
// same counts as the incremental runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '../../test/support/stores.ts';
import { generate } from '../synth/generate.ts';
import { loadParams } from '../synth/params.ts';
import { ingestPaths } from '../ingest/run.ts';
import { updateHashes } from '../hashes/update.ts';
import { readQueue } from '../cases/queue.ts';
import type { Store } from '../store/database.ts';
import { runTrends, trendAlerts, updateSeries } from './run.ts';
import { addDays } from './series.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-trends-'));
after(() => rmSync(work, { recursive: true, force: true }));

// 40 reports a day for 100 days; TikTok (1.6% of reports, about 0.6 a day) at 12 times its rate for four days.
const SPIKE = { dimension: 'esp' as const, value: 'TikTok', start: '2026-03-20', days: 4, factor: 12 };
const DAYS = 100;

test('spike parameters are validated like the other parameters', () => {
  assert.doesNotThrow(() => loadParams({ spikes: [SPIKE] }));
  assert.throws(
    () => loadParams({ spikes: [{ ...SPIKE, dimension: 'colour', factor: 0.5, start: 'soon', extra: 1 }] }),
    (e: Error) =>
      /spikes\[0\]\.dimension/.test(e.message) &&
      /spikes\[0\]\.factor/.test(e.message) &&
      /spikes\[0\]\.start/.test(e.message) &&
      /spikes\[0\]\.extra: unknown key/.test(e.message),
  );
  assert.throws(() => loadParams({ spikes: [{ ...SPIKE, value: 'Nowhere' }] }), /not an ESP/);
});

let stream: { reports: string; extra: string[] };
before(async () => {
  const out = join(work, 'stream');
  const r = await generate({
    reports: 40 * DAYS,
    seed: 21,
    days: DAYS,
    out,
    transactions: 0,
    params: { spikes: [SPIKE], plants: { offendersPer10k: 0, livestreamClustersPer10k: 0, sextortionCasesPer10k: 0 } },
  });
  const truth = JSON.parse(readFileSync(r.truthPath, 'utf8')) as { spikes: { reports: string[] }[] };
  stream = { reports: join(out, 'reports'), extra: truth.spikes[0]!.reports };
});

const viewer = { user: { id: 1, role: 'supervisor', team: null }, openQueue: true } as const;
const ALL = { limit: 500, offset: 0, status: 'all', includePaused: true } as const;

for (const backend of testBackends()) {
  describe(`trends on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
      await ingestPaths(store, [stream.reports]);
      await updateHashes(store);
    });
    after(async () => store?.close());

    test('the planted spike is found within two days of its start; other ESP and type series stay quiet', async () => {
      assert.ok(stream.extra.length >= 20, `the spike planted ${stream.extra.length} extra reports`);
      const s = await runTrends(store, { asOf: addDays(SPIKE.start, 10), days: 60 });
      assert.ok(s.reportsUpdated >= 40 * DAYS);
      const alerts = await trendAlerts(store, { period: 'day', limit: 500 });
      const hit = alerts.find((a) => a.dimension === 'esp' && a.key === 'TikTok' && a.end >= SPIKE.start && a.start <= addDays(SPIKE.start, SPIKE.days - 1));
      assert.ok(hit, `no alert on esp:TikTok; alerts: ${alerts.map((a) => `${a.dimension}:${a.key} ${a.start}`).join(', ')}`);
      assert.ok(hit.fired <= addDays(SPIKE.start, 2), `fired on ${hit.fired}, spike from ${SPIKE.start}`);
      assert.ok(hit.ratio > 3 && hit.observed > hit.expected, 'the size of the departure');
      // About two months judged: at most one false alert per ESP or incident type series.
      const quiet = alerts.filter((a) => (a.dimension === 'esp' || a.dimension === 'incidentType') && !(a.dimension === 'esp' && a.key === 'TikTok'));
      const perSeries = new Map<string, number>();
      for (const a of quiet) perSeries.set(`${a.dimension}:${a.key}`, (perSeries.get(`${a.dimension}:${a.key}`) ?? 0) + 1);
      assert.ok(
        [...perSeries.values()].every((n) => n <= 1),
        `false alerts: ${JSON.stringify([...perSeries])}`,
      );

      // The queue behind the alert holds exactly the reports it counted.
      const q = await readQueue(store, { ...ALL, trend: hit.queue.trend, from: hit.queue.from, to: hit.queue.to }, viewer);
      assert.equal(q.total, hit.reports.total);
      assert.equal(q.total, hit.observed);
      assert.ok(q.items.every((i) => i.esp === 'TikTok'));
      const spiked = new Set(stream.extra);
      assert.ok(q.items.filter((i) => spiked.has(i.reportId)).length >= stream.extra.length * 0.5, 'the planted reports are behind the alert');
    });

    test('a second run changes nothing; a rebuild gives the same counts', async () => {
      const counts = async () =>
        (await store.db.selectFrom('trend_daily').select(['dim', 'key', 'day', 'n']).orderBy('dim').orderBy('key').orderBy('day').execute()).map(
          (r) => `${r.dim}|${r.key}|${String(r.day)}|${r.n}`,
        );
      const before = await counts();
      assert.equal(await updateSeries(store), 0, 'nothing is stale');
      await updateSeries(store, { rebuild: true });
      assert.deepEqual(await counts(), before);
    });

    test('a delivery of a few reports updates only those reports', async () => {
      const again = join(work, `again-${backend.name}`);
      const g = await generate({ reports: 5, seed: 22, days: 1, start: '2026-04-09', out: again, transactions: 0 });
      await ingestPaths(store, [join(again, 'reports')]);
      await updateHashes(store);
      const updated = await updateSeries(store);
      // The five reports, and any earlier carrier of a file one of them repeats.
      assert.ok(updated >= g.reports && updated <= g.reports + 20, `updated ${updated}`);
    });
  });
}
