// The audit trail: the chain verifies, an edited, deleted or reordered entry is detected, the
// database refuses edits, an export verifies on its own; and the `bantay user` / `bantay audit` commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import { openStore, type Store, type StoreLocation } from '../src/store/database.ts';
import { appendAudit, exportAudit, verifyAuditChain, verifyAuditLines } from '../src/cases/audit.ts';
import { createDemoAnalyst } from '../src/cases/accounts.ts';
import { login } from '../src/cases/sessions.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-audit-'));
after(() => rmSync(work, { recursive: true, force: true }));

for (const backend of testBackends()) {
  describe(`audit trail on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => {
      await store?.close();
    });

    test('entries chain, concurrent appends keep the chain, and the chain verifies', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          appendAudit(store, { action: 'view', userId: 1, username: 'a', ip: '127.0.0.1', targetKind: 'report', targetId: String(i), detail: { i } }),
        ),
      );
      const v = await verifyAuditChain(store, { pageSize: 7 });
      assert.deepEqual({ ok: v.ok, entries: v.entries }, { ok: true, entries: 20 });
    });

    test('the database refuses to edit or delete an entry', async () => {
      await assert.rejects(sql`update audit_log set detail = '{}' where seq = 3`.execute(store.db), /append-only/);
      await assert.rejects(sql`delete from audit_log where seq = 3`.execute(store.db), /append-only/);
    });

    test('an entry edited around the trigger is detected, as is a deleted one', async () => {
      await sql`alter table audit_log disable trigger audit_log_no_change`.execute(store.db);
      await sql`update audit_log set username = 'someone-else' where seq = 5`.execute(store.db);
      let v = await verifyAuditChain(store);
      assert.equal(v.ok, false);
      assert.equal(v.firstBad!.seq, 5);
      assert.match(v.firstBad!.problem, /edited/);
      await sql`update audit_log set username = 'a' where seq = 5`.execute(store.db);
      assert.equal((await verifyAuditChain(store)).ok, true);
      // Recomputing the edited entry's own hash does not help: the next entry no longer chains.
      const { auditHash } = await import('../src/cases/audit.ts');
      const row = (
        await sql<{
          seq: string;
          at: string;
          user_id: number;
          username: string;
          ip: string;
          action: string;
          target_kind: string;
          target_id: string;
          detail: string;
          prev_hash: string;
        }>`select * from audit_log where seq = 8`.execute(store.db)
      ).rows[0]!;
      const forged = auditHash({
        seq: 8,
        at: row.at,
        userId: row.user_id,
        username: row.username,
        ip: row.ip,
        action: row.action,
        targetKind: row.target_kind,
        targetId: row.target_id,
        detail: '{"i":999}',
        prevHash: row.prev_hash,
      });
      await sql`update audit_log set detail = '{"i":999}', hash = ${forged} where seq = 8`.execute(store.db);
      v = await verifyAuditChain(store);
      // The keyed chain names the forged entry itself; the plain chain breaks at the next one.
      assert.deepEqual(
        v.problems.map((p) => [p.fromSeq, p.problem.split(':')[0]]),
        [
          [8, 'its MAC does not verify'],
          [9, 'does not chain to the entry before it'],
        ],
      );
      await sql`delete from audit_log where seq >= 8 and seq <= 9`.execute(store.db);
      v = await verifyAuditChain(store);
      assert.equal(v.ok, false);
      assert.equal(v.firstBad!.seq, 8);
      await sql`alter table audit_log enable trigger audit_log_no_change`.execute(store.db);
    });

    test('an export verifies on its own, and an edited line does not', async () => {
      const fresh = await backend.open();
      try {
        for (let i = 0; i < 5; i++) await appendAudit(fresh, { action: 'export', detail: { i } });
        const lines: string[] = [];
        assert.equal(await exportAudit(fresh, (l) => lines.push(l), 2), 5);
        assert.equal((await verifyAuditLines(lines)).ok, true);
        lines[2] = lines[2]!.replace('export', 'exp0rt');
        assert.equal((await verifyAuditLines(lines)).ok, false);
      } finally {
        await fresh.close();
      }
    });

    test('an append after an entry that is no longer there chains to the real last entry', async () => {
      const f = await backend.open();
      try {
        for (let i = 0; i < 3; i++) await appendAudit(f, { action: 'view', detail: { i } });
        // As if the remembered entry had been written in a transaction that rolled back.
        await sql`alter table audit_log disable trigger audit_log_no_change`.execute(f.db);
        await sql`delete from audit_log where seq = 3`.execute(f.db);
        await sql`alter table audit_log enable trigger audit_log_no_change`.execute(f.db);
        const row = await appendAudit(f, { action: 'view', detail: { i: 3 } });
        assert.equal(row.seq, 3);
        assert.deepEqual(await verifyAuditChain(f).then((v) => ({ ok: v.ok, entries: v.entries })), { ok: true, entries: 3 });
      } finally {
        await f.close();
      }
    });

    test('the demo analyst gets a random password that signs in, different each time', async () => {
      const a = await createDemoAnalyst(store);
      const b = await createDemoAnalyst(store);
      assert.notEqual(a.password, b.password);
      assert.equal(a.username, 'demo-analyst');
      assert.equal((await login(store, { username: a.username, password: a.password, ip: '127.0.0.1' })).ok, false);
      assert.equal((await login(store, { username: b.username, password: b.password, ip: '127.0.0.1' })).ok, true);
    });
  });

  describe(`bantay user and bantay audit on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ location, dispose } = await backend.fresh());
    });
    after(async () => {
      await dispose?.();
    });

    test('user add (admin gets TOTP), list, passwd, disable; audit verify and export; tampering exits 1', async () => {
      const add = await runCli(['user', 'add', 'chief', '--role', 'admin', '--generate-password'], location);
      assert.equal(add.code, 0, add.stderr);
      assert.match(add.stdout, /Password \(shown once\): \S{20}/);
      assert.match(add.stdout, /otpauth:\/\/totp\/Bantay:chief\?/);
      assert.equal((await runCli(['user', 'add', 'chief', '--role', 'analyst', '--generate-password'], location)).code, 5, 'a taken name is a conflict');
      const bad = await runCli(['user', 'add', 'x1', '--role', 'wizard', '--generate-password'], location);
      assert.equal(bad.code, 2, 'bad input');
      assert.match(bad.stderr, /role must be one of/);
      const anaR = await runCli(['user', 'add', 'ana', '--role', 'analyst', '--team', 't1', '--generate-password'], location);
      assert.equal(anaR.code, 0, anaR.stderr);
      const list = JSON.parse((await runCli(['user', 'list', '--json'], location)).stdout) as { username: string; role: string; totpEnabled: boolean }[];
      assert.deepEqual(
        list.map((u) => [u.username, u.role, u.totpEnabled]),
        [
          ['ana', 'analyst', false],
          ['chief', 'admin', true],
        ],
      );
      assert.equal((await runCli(['user', 'passwd', 'ana', '--generate-password'], location)).code, 0);
      assert.equal((await runCli(['user', 'disable', 'ana'], location)).code, 0);
      assert.equal((await runCli(['user', 'disable', 'nobody'], location)).code, 4, 'not found');
      const verify = await runCli(['audit', 'verify'], location);
      assert.equal(verify.code, 0, verify.stderr);
      assert.match(verify.stdout, /intact: 4 entries/);
      const file = join(work, `audit-${backend.name}.jsonl`);
      assert.equal((await runCli(['audit', 'export', '--out', file], location)).code, 0);
      assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 4);
      assert.equal((await runCli(['audit', 'verify', '--file', file], location)).code, 0);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"ip":"local"', '"ip":"remote"'));
      assert.equal((await runCli(['audit', 'verify', '--file', file], location)).code, 1);
      const s = await openStore(location);
      try {
        await sql`alter table audit_log disable trigger audit_log_no_change`.execute(s.db);
        await sql`update audit_log set ip = '10.0.0.9' where seq = 2`.execute(s.db);
      } finally {
        await s.close();
      }
      const broken = await runCli(['audit', 'verify'], location);
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, /BROKEN at entry 2/);
    });
  });
}

// One embedded folder admits one process; two writers to one database need the server.
const server = testBackends().find((b) => b.name === 'server')!;
describe('audit trail with two writers', { skip: server.skip }, () => {
  test('two processes appending to one database keep one chain', async () => {
    const f = await server.fresh();
    const [a, b] = [await openStore(f.location), await openStore(f.location)];
    try {
      await Promise.all(
        [a, b].map((s, k) =>
          (async () => {
            for (let i = 0; i < 30; i++) await appendAudit(s, { action: 'view', username: `p${k}`, detail: { i } });
          })(),
        ),
      );
      const v = await verifyAuditChain(a);
      assert.deepEqual({ ok: v.ok, entries: v.entries }, { ok: true, entries: 60 });
    } finally {
      await a.close();
      await b.close();
      await f.dispose();
    }
  });
});
