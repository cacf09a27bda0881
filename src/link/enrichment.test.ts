// Stored enrichment on both backends: written by the link run, read back by `bantay report --json`,
// redone only when stale.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testBackends } from '../../test/support/stores.ts';
import { repoRoot } from '../../test/support/shared.ts';
import { runCli } from '../../test/support/cli.ts';
import { ingestPaths } from '../ingest/run.ts';
import { openStore, type Store, type StoreLocation } from '../store/database.ts';
import { getEnrichment } from '../store/enrichment.ts';
import { runLink } from './run.ts';
import { runEnrichment } from './enrichment.ts';
import type { EnrichmentDoc } from '../enrich/report-enrichment.ts';

const fixtures = join(repoRoot, 'test', 'fixtures', 'cybertip');

for (const backend of testBackends()) {
  describe(`stored enrichment on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    let store: Store;
    before(async () => {
      ({ location, dispose } = await backend.fresh());
      store = await openStore(location);
      await ingestPaths(store, [join(fixtures, 'kitchen-sink.xml'), join(fixtures, 'small-batch.xml')]);
    });
    after(async () => {
      await store?.close();
      await dispose?.();
    });

    test('linking enriches every report; a fresh enrichment is not redone; stale rows are', async () => {
      await runLink(store);
      const total = Number((await sql<{ n: string }>`select count(*) as n from reports`.execute(store.db)).rows[0]!.n);
      const enriched = Number((await sql<{ n: string }>`select count(*) as n from report_enrichment`.execute(store.db)).rows[0]!.n);
      assert.ok(total > 1);
      assert.equal(enriched, total);

      const e = await getEnrichment(store.db, '200000001');
      assert.ok(e, 'the kitchen-sink report is enriched');
      const doc = e.doc as EnrichmentDoc;
      assert.ok(doc.ips.length > 0);
      // Documentation addresses (RFC 5737) are never looked up and never actionable.
      assert.ok(doc.ips.every((i) => !i.actionable && i.country === undefined));
      assert.ok(e.provinceCode, 'the Cebu addresses give a province');
      assert.ok(e.phoneCountries.includes('PH'));

      assert.equal(await runEnrichment(store), 0, 'nothing stale');
      await sql`update report_enrichment set data_version = 'an older release' where report_id = '200000001'`.execute(store.db);
      assert.equal(await runEnrichment(store), 1, 'only the stale row');
      assert.equal(await runEnrichment(store, { all: true }), total);
    });

    test('imported warninglists are used by later runs, make enrichment stale, and flag the addresses', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bantay-wl-'));
      writeFileSync(join(dir, 'vpn.json'), JSON.stringify({ name: 'Test VPN exit ranges', type: 'cidr', version: 1, list: ['203.0.113.0/24', 'not-a-cidr'] }));
      await store.close();
      try {
        const first = await runCli(['warninglist', 'import', dir, '--json'], location);
        assert.equal(first.code, 0, first.stderr);
        assert.deepEqual(
          (JSON.parse(first.stdout) as { outcome: string }[]).map((x) => x.outcome),
          ['added'],
        );
        const again = await runCli(['warninglist', 'import', dir, '--json'], location);
        assert.deepEqual(
          (JSON.parse(again.stdout) as { outcome: string }[]).map((x) => x.outcome),
          ['unchanged'],
        );
        const e = await runCli(['enrich', '--json'], location);
        assert.equal(e.code, 0, e.stderr);
        assert.ok((JSON.parse(e.stdout) as { enriched: number }).enriched > 1, 'every row was made without the list: all stale');
        const r = JSON.parse((await runCli(['report', '200000001', '--json'], location)).stdout) as { enrichment: { ipFlags: string[]; doc: EnrichmentDoc } };
        assert.ok(r.enrichment.ipFlags.includes('vpn'), JSON.stringify(r.enrichment.ipFlags));
        assert.ok(r.enrichment.doc.ips.find((i) => i.ip === '203.0.113.45')?.lists.includes('Test VPN exit ranges'));
        const off = await runCli(['warninglist', 'disable', 'Test VPN exit ranges'], location);
        assert.equal(off.code, 0, off.stderr);
        assert.equal((await runCli(['warninglist', 'disable', 'no such list'], location)).code, 4, 'an unknown list is not found (exit 4)');
        const list = JSON.parse((await runCli(['warninglist', 'list', '--json'], location)).stdout) as { name: string; enabled: boolean; entries: number }[];
        assert.deepEqual(
          list.map((l) => [l.name, l.enabled, l.entries]),
          [['Test VPN exit ranges', false, 2]],
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
        store = await openStore(location);
      }
    });

    test('bantay report --json carries the enrichment with the data attribution', async () => {
      await store.close();
      const r = await runCli(['report', '200000001', '--json'], location);
      store = await openStore(location);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { enrichment: { provinceCode: string; attribution: string; doc: EnrichmentDoc }; identifiers: unknown[] };
      assert.match(j.enrichment.attribution, /DB-IP/);
      assert.ok(j.enrichment.doc.ips.length > 0);
      assert.ok(j.identifiers.length > 0);
    });
  });
}
