// Each way of tampering with the audit trail is detected: an edited row, a row edited with its
// plain hash recomputed, tail deletion and truncation against an anchor, a whole tail re-chained
// with correct plain hashes, an unkeyed (stripped) trail; all problems are listed, not the first;
// hostile characters are stored and hashed alike. On the server, the application role cannot
// UPDATE, DELETE or TRUNCATE the trail or disable its triggers when an owner role runs migrations.
import { openQueue } from '../src/jobs/queue.ts';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { AUDIT_GENESIS, appendAudit, auditHash, makeAnchor, verifyAuditChain, type AuditAnchor } from '../src/cases/audit.ts';
import { loadAuditKey } from '../src/cases/audit-key.ts';
import { config } from '../src/config/current.ts';
import { beginScoreRebuild } from '../src/store/triage.ts';
import { login } from '../src/cases/sessions.ts';

/** Runs SQL around the append-only triggers, as an owner (or a superuser) could. */
async function asOwner(store: Store, run: () => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger user`.execute(store.db);
  try {
    await run();
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(store.db);
  }
}

async function trail(backend: ReturnType<typeof testBackends>[number], n: number): Promise<Store> {
  const store = await backend.open();
  for (let i = 0; i < n; i++)
    await appendAudit(store, { action: 'view', userId: 1, username: 'ana', ip: '10.0.0.1', targetKind: 'report', targetId: String(100 + i), detail: { i } });
  return store;
}

const problems = (v: { problems: { fromSeq: number; toSeq: number; problem: string }[] }) =>
  v.problems.map((p) => `${p.fromSeq}-${p.toSeq} ${p.problem.split(':')[0]}`);

for (const backend of testBackends()) {
  describe(`audit tampering on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('the database refuses UPDATE, DELETE and TRUNCATE while the triggers are on', async () => {
      const store = await trail(backend, 3);
      try {
        await assert.rejects(sql`update audit_log set ip = 'x'`.execute(store.db), /append-only/);
        await assert.rejects(sql`delete from audit_log where seq = 3`.execute(store.db), /append-only/);
        await assert.rejects(sql`truncate audit_log`.execute(store.db), /append-only/);
      } finally {
        await store.close();
      }
    });

    test('every edited entry is listed, not only the first; with the plain hash recomputed, the MAC still names it', async () => {
      const store = await trail(backend, 12);
      try {
        await asOwner(store, async () => {
          await sql`update audit_log set username = 'mallory' where seq in (3, 7)`.execute(store.db);
          const r = (await sql<{ at: string; prev_hash: string }>`select at, prev_hash from audit_log where seq = 10`.execute(store.db)).rows[0]!;
          const forged = auditHash({
            seq: 10,
            at: r.at,
            userId: 1,
            username: 'ana',
            ip: '10.0.0.1',
            action: 'view',
            targetKind: 'report',
            targetId: '109',
            detail: '{"i":999}',
            prevHash: r.prev_hash,
          });
          await sql`update audit_log set detail = '{"i":999}', hash = ${forged} where seq = 10`.execute(store.db);
        });
        const v = await verifyAuditChain(store);
        assert.equal(v.ok, false);
        assert.deepEqual(problems(v), ['3-3 edited', '7-7 edited', '10-10 its MAC does not verify', '11-11 does not chain to the entry before it']);
      } finally {
        await store.close();
      }
    });

    test('a tail re-chained with correct plain hashes (no key) is caught by the MAC, every entry of it', async () => {
      const store = await trail(backend, 10);
      try {
        await asOwner(store, async () => {
          const rows = (
            await sql<{
              seq: string;
              at: string;
              prev_hash: string;
              detail: string;
            }>`select seq, at, prev_hash, detail from audit_log where seq >= 6 order by seq`.execute(store.db)
          ).rows;
          let prev = rows[0]!.prev_hash;
          for (const r of rows) {
            // The attacker rewrites entry 6 on and recomputes each plain hash and MAC with a key of their own.
            const base = {
              seq: Number(r.seq),
              at: r.at,
              userId: 1,
              username: 'someone-else',
              ip: '10.0.0.1',
              action: 'view',
              targetKind: 'report',
              targetId: String(99 + Number(r.seq)),
              detail: r.detail,
              prevHash: prev,
            };
            const hash = auditHash(base);
            await sql`update audit_log set username = 'someone-else', prev_hash = ${prev}, hash = ${hash}, mac = ${randomBytes(32).toString('hex')} where seq = ${r.seq}`.execute(
              store.db,
            );
            prev = hash;
          }
        });
        const v = await verifyAuditChain(store);
        assert.deepEqual(problems(v), ['6-10 its MAC does not verify']);
        // Without the key only the plain chain is checked, and it is intact: the key is what catches this.
        assert.equal((await verifyAuditChain(store, { key: null })).ok, true);
      } finally {
        await store.close();
      }
    });

    test('tail deletion and truncation are caught against the last anchor; a forged anchor is refused', async () => {
      const store = await trail(backend, 8);
      try {
        const anchors: AuditAnchor[] = [await makeAnchor(store)];
        assert.equal((await verifyAuditChain(store, { anchors })).ok, true);
        await asOwner(store, () => sql`delete from audit_log where seq >= 7`.execute(store.db));
        let v = await verifyAuditChain(store);
        assert.equal(v.ok, true, 'without an anchor a deleted tail leaves a valid chain');
        v = await verifyAuditChain(store, { anchors });
        assert.equal(v.ok, false);
        assert.match(v.problems[0]!.problem, /truncated or its tail deleted/);
        // Re-grown to the anchored length with other content: the anchored entry differs.
        for (let i = 0; i < 2; i++) await appendAudit(store, { action: 'view', detail: { other: i } });
        assert.match((await verifyAuditChain(store, { anchors })).problems[0]!.problem, /differs from its anchor/);
        await asOwner(store, () => sql`truncate audit_log`.execute(store.db));
        assert.match((await verifyAuditChain(store, { anchors })).problems[0]!.problem, /truncated/);
        const other = loadAuditKey({ ...config().secrets, auditKey: randomBytes(32).toString('hex') });
        const { sign } = await import('node:crypto');
        const forged = { ...anchors[0]!, publicKey: other.signing.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
        forged.signature = sign(
          null,
          Buffer.from(JSON.stringify([forged.kind, forged.v, forged.at, forged.seq, forged.hash, forged.mac, forged.keyId, forged.publicKey])),
          other.signing.privateKey,
        ).toString('base64');
        assert.match((await verifyAuditChain(store, { anchors: [forged] })).problems[0]!.problem, /not signed by this audit key/);
      } finally {
        await store.close();
      }
    });

    test('a trail stripped of its MACs and re-chained in plain SHA-256 is refused', async () => {
      const store = await trail(backend, 4);
      try {
        await asOwner(store, () => sql`update audit_log set mac = null, key_id = null`.execute(store.db));
        assert.deepEqual(problems(await verifyAuditChain(store)), ['1-4 carries no MAC']);
      } finally {
        await store.close();
      }
    });

    test('a NUL or lone surrogate in a logged username is stored and hashed alike: the chain verifies', async () => {
      const store = await backend.open();
      try {
        for (const name of ['ana\u0000', 'b\ud800', '\udfffc']) await login(store, { username: name, password: 'wrong-password-1', ip: '10.0.0.9' });
        const v = await verifyAuditChain(store);
        assert.equal(v.ok, true, JSON.stringify(v.problems));
        const names = (await store.db.selectFrom('audit_log').select('username').where('action', '=', 'login.refused').orderBy('seq').execute()).map(
          (r) => r.username,
        );
        assert.deepEqual(names, ['ana\uFFFD', 'b\uFFFD', '\uFFFDc']);
      } finally {
        await store.close();
      }
    });

    test('the first entry chains to the genesis hash', async () => {
      const store = await trail(backend, 1);
      try {
        assert.equal((await store.db.selectFrom('audit_log').select('prev_hash').executeTakeFirstOrThrow()).prev_hash, AUDIT_GENESIS);
      } finally {
        await store.close();
      }
    });
  });
}

const server = testBackends().find((b) => b.name === 'server')!;
describe('an application role separated from the owner (server)', { skip: server.skip }, () => {
  test('the application role cannot UPDATE, DELETE, TRUNCATE the audit trail or disable its triggers, and still works', async () => {
    const f = await server.fresh();
    const role = `bantay_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    if (f.location.backend !== 'server') throw new Error('server backend expected');
    const ownerUrl = f.location.url;
    const admin = new pg.Client({ connectionString: ownerUrl });
    await admin.connect();
    await admin.query(`create role ${role} login password '${password}'`);
    await admin.query(`grant connect on database ${new URL(ownerUrl).pathname.slice(1)} to ${role}`);
    await admin.end();
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = password;
    const store = await openStore({ backend: 'server', url: appUrl.toString(), ownerUrl });
    try {
      await appendAudit(store, { action: 'view', detail: { i: 1 } });
      await appendAudit(store, { action: 'view', detail: { i: 2 } });
      for (const [what, q] of [
        ['UPDATE', sql`update audit_log set ip = 'x'`],
        ['DELETE', sql`delete from audit_log`],
        ['TRUNCATE', sql`truncate audit_log`],
        ['disable its trigger', sql`alter table audit_log disable trigger audit_log_no_change`],
        ['disable all triggers', sql`set session_replication_role = replica`],
        ['drop it', sql`drop table audit_log`],
      ] as const)
        await assert.rejects(q.execute(store.db), /permission denied|must be owner/, what);
      // What the application does still works: sign-in counters, work, a full re-score's table swap.
      await login(store, { username: 'nobody', password: 'wrong-password-1', ip: '10.0.0.1' });
      const rebuild = await beginScoreRebuild(store, 'triage_scores');
      await rebuild.finish();
      const v = await verifyAuditChain(store);
      assert.equal(v.ok, true, JSON.stringify(v.problems));
      assert.equal(v.entries, 3);
      // The job queue runs as the application role: pg-boss installs its schema and a job completes.
      const queue = await openQueue(store, { boss: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 } });
      try {
        await queue.work({ concurrency: 1, sweepMs: 0 });
        const job = await queue.waitFor(await queue.enqueue('process', { now: '2026-02-01T00:00:00.000Z' }));
        assert.equal(job.state, 'completed', job.error ?? '');
      } finally {
        await queue.close();
      }
    } finally {
      await store.close();
      const c = new pg.Client({ connectionString: ownerUrl });
      await c.connect();
      await c.query('select 1');
      await c.end();
      await f.dispose();
      const d = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await d.connect();
      await d.query(`drop role if exists ${role}`);
      await d.end();
    }
  });
});
