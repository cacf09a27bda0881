// Viral batches in the queue (the hash stage's batch key, the queue filter, closing one whole batch) and
// a report's versions with what changed, on both backends.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { testBackends } from './support/stores.ts';
import { repoRoot } from './support/shared.ts';
import type { Store } from '../src/store/database.ts';
import type { Role } from '../src/cases/roles.ts';
import { seedReports, seededId } from '../bench/api-seed.ts';
import { replaceFileHashes, type StoredFileHash } from '../src/store/hashes.ts';
import { recomputeSignals } from '../src/hashes/update.ts';
import { ingestPaths } from '../src/ingest/run.ts';
import { appWithRoles, call, type Caller } from './api-support.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const day = (d: number): Date => new Date(Date.UTC(2026, 9, 1 + d));

interface Item {
  reportId: string;
  viralBatch: string | null;
  viralBatchOpen: number | null;
  status: string;
}

for (const backend of testBackends()) {
  describe(`API viral batches and versions on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    const dir = mkdtempSync(join(tmpdir(), 'bantay-versions-'));
    before(async () => {
      store = await backend.open();
      await seedReports(store.db, 1, 30, { groupSize: 4 });
      // Reports 1-6 carry one photograph (6 reports, 6 users, one week): viral by recurrence.
      // Reports 10-12 carry a file the ESP flagged as viral. Report 20 carries a file of its own.
      const rows: StoredFileHash[] = [];
      const metas: { reportId: string; version: number; seenAt: Date | null }[] = [];
      const add = (n: number, value: string, espViral: boolean): void => {
        rows.push({ reportId: seededId(n), fileId: 'f1', type: 'md5', value, quality: null, userKey: `user-${n}`, espViral });
        metas.push({ reportId: seededId(n), version: 1, seenAt: day(n) });
      };
      for (const n of [1, 2, 3, 4, 5, 6]) add(n, A, false);
      for (const n of [10, 11, 12]) add(n, B, true);
      add(20, 'c'.repeat(32), false);
      await replaceFileHashes(store, metas, rows);
      await recomputeSignals(store);
      ({ app, as } = await appWithRoles(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const queue = async (who: Caller, qs: string): Promise<{ total: number; items: Item[] }> => {
      const r = await call(app, who, 'GET', `/api/queue?limit=100${qs}`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { total: number; items: Item[] };
    };

    test('the hash stage gives each viral report its batch key; the queue shows it with the open count', async () => {
      const all = new Map((await queue(as.analyst, '')).items.map((i) => [i.reportId, i]));
      for (const n of [1, 2, 3, 4, 5, 6]) assert.deepEqual([all.get(seededId(n))!.viralBatch, all.get(seededId(n))!.viralBatchOpen], [`md5:${A}`, 6]);
      for (const n of [10, 11, 12]) assert.deepEqual([all.get(seededId(n))!.viralBatch, all.get(seededId(n))!.viralBatchOpen], [`md5:${B}`, 3]);
      assert.equal(all.get(seededId(20))!.viralBatch, null);
      assert.equal(all.get(seededId(20))!.viralBatchOpen, null);
      assert.equal(all.get(seededId(25))!.viralBatch, null, 'a report without files has no batch');
    });

    test('the viralBatch filter returns exactly that batch; bad keys are refused', async () => {
      const a = await queue(as.analyst, `&viralBatch=md5:${A}`);
      assert.equal(a.total, 6);
      assert.deepEqual(a.items.map((i) => i.reportId).sort(), [1, 2, 3, 4, 5, 6].map(seededId).sort());
      assert.equal((await queue(as.analyst, `&viralBatch=md5:${'d'.repeat(32)}`)).total, 0);
      const bad = await call(app, as.analyst, 'GET', '/api/queue?viralBatch=no%20key');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VALIDATION');
    });

    test("closing a batch closes only that batch; an analyst leaves others' reports alone, a supervisor closes the rest", async () => {
      assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${seededId(3)}/assign`, { userId: as.analyst2.id })).statusCode, 200);
      const neither = await call(app, as.analyst, 'POST', '/api/reports/close-batch', { reason: 'no_action' });
      assert.equal(neither.statusCode, 400);
      const both = await call(app, as.analyst, 'POST', '/api/reports/close-batch', { reason: 'no_action', viralBatch: `md5:${A}`, reportIds: [seededId(1)] });
      assert.equal(both.statusCode, 400);
      const r = await call(app, as.analyst, 'POST', '/api/reports/close-batch', { viralBatch: `md5:${A}`, reason: 'duplicate' });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().closed, 5);
      assert.deepEqual([...r.json().reportIds].sort(), [1, 2, 4, 5, 6].map(seededId).sort());
      const left = await queue(as.analyst, `&viralBatch=md5:${A}`);
      assert.deepEqual(
        left.items.map((i) => [i.reportId, i.viralBatchOpen]),
        [[seededId(3), 1]],
      );
      const s = await call(app, as.supervisor, 'POST', '/api/reports/close-batch', { viralBatch: `md5:${A}`, reason: 'duplicate' });
      assert.equal(s.json().closed, 1);
      assert.equal((await queue(as.analyst, `&viralBatch=md5:${A}`)).total, 0);
      // The other batch and the unbatched reports are untouched.
      const all = new Map((await queue(as.analyst, '&status=all')).items.map((i) => [i.reportId, i]));
      for (const n of [10, 11, 12, 20, 7, 25]) assert.notEqual(all.get(seededId(n))!.status, 'closed', `${n} stays open`);
      for (const n of [1, 2, 3, 4, 5, 6]) assert.equal(all.get(seededId(n))!.status, 'closed');
      const audit = await store.db.selectFrom('audit_log').select('target_id').where('action', '=', 'work.status').execute();
      assert.ok(
        [1, 2, 3, 4, 5, 6].every((n) => audit.some((x) => x.target_id === seededId(n))),
        'every closed report is audited',
      );
    });

    test('versions: a report ingested twice lists what changed, with readable paths; team rules apply', async () => {
      const xml = readFileSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'single-report.xml'), 'utf8');
      writeFileSync(join(dir, 'v1.xml'), xml);
      await ingestPaths(store, [join(dir, 'v1.xml')]);
      const changed = xml
        .replace('<screenName>uploader42</screenName>', '<screenName>uploader43</screenName>')
        .replace('<email>safety@videohost.example</email>', '<email>safety@videohost.example</email>\n        <phone>+63 917 555 0100</phone>');
      writeFileSync(join(dir, 'v2.xml'), changed);
      await ingestPaths(store, [join(dir, 'v2.xml')]);
      const r = await call(app, as.analyst, 'GET', '/api/reports/200000100/versions');
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json() as {
        versions: {
          version: number;
          changes: null | Record<'added' | 'removed' | 'changed', { path: string; pointer: string; before?: unknown; after?: unknown }[]>;
        }[];
      };
      assert.deepEqual(
        body.versions.map((v) => v.version),
        [1, 2],
      );
      assert.equal(body.versions[0]!.changes, null, 'the first version has nothing to compare with');
      const c = body.versions[1]!.changes!;
      const screen = c.changed.find((x) => x.pointer.endsWith('/screenName'));
      assert.ok(screen, JSON.stringify(c));
      assert.deepEqual([screen.before, screen.after], ['uploader42', 'uploader43']);
      assert.match(screen.path, /› screenName$/);
      assert.ok(!/\/\d+\//.test(screen.path), 'readable paths number items, they are not pointers');
      assert.ok(
        [...c.added, ...c.changed].some((x) => JSON.stringify(x.after ?? '').includes('555')),
        'the added phone is listed',
      );
      assert.equal(c.removed.length, 0);
      // Same roles as the report view: auditors are refused; unknown reports are 404.
      assert.equal((await call(app, as.auditor, 'GET', '/api/reports/200000100/versions')).statusCode, 403);
      assert.equal((await call(app, as.analyst, 'GET', '/api/reports/999999999/versions')).statusCode, 404);
    });
  });
}
