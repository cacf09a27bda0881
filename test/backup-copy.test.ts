// Moving an embedded database: `bantay backup` then `bantay restore` gives the same rows and a
// verifying audit trail; `bantay copy --to` fills a server with the same row counts, a verifying
// audit trail and sequences that continue after the copied ids.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import { openStore, type Store, type StoreLocation } from '../src/store/database.ts';
import { seedReports } from '../bench/api-seed.ts';
import { createUser } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { appendAudit, verifyAuditChain } from '../src/cases/audit.ts';
import { auditRows } from '../src/store/audit.ts';
import { appWithRoles, call } from './api-support.ts';

const [embedded, server] = testBackends() as [ReturnType<typeof testBackends>[number], ReturnType<typeof testBackends>[number]];
const work = mkdtempSync(join(tmpdir(), 'bantay-backup-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Rows per table (the migration record left out: each database keeps its own). */
async function counts(store: Store): Promise<Record<string, number>> {
  const tables = (
    await sql<{
      t: string;
    }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely%' order by 1`.execute(
      store.db,
    )
  ).rows.map((r) => r.t);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(store.db)).rows[0]!.n);
  return out;
}

describe('backup, restore and copy of an embedded database', () => {
  let source: { location: StoreLocation; dispose(): Promise<void> };
  let expected: Record<string, number>;
  before(async () => {
    source = await embedded.fresh();
    const s = await openStore(source.location);
    await seedReports(s.db, 1, 60, { groupSize: 4, scores: true });
    await createUser(s, { username: 'ana', password: randomPassword(), role: 'analyst', team: 't' });
    for (let i = 0; i < 5; i++) await appendAudit(s, { action: 'view', username: 'ana', targetKind: 'report', targetId: String(i) });
    expected = await counts(s);
    await s.close();
  });
  after(async () => {
    await source?.dispose();
  });

  test('backup then restore into a new folder: the same rows, a verifying audit trail', async () => {
    const file = join(work, 'bantay.tar.gz');
    const b = await runCli(['backup', '--out', file], source.location);
    assert.equal(b.code, 0, b.stderr);
    assert.equal((await runCli(['backup', '--out', file], source.location)).code, 5, 'never overwrites a backup (conflict)');
    const target = join(work, 'restored');
    const r = await runCli(['restore', file], { backend: 'embedded', dataDir: target });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await runCli(['restore', file], { backend: 'embedded', dataDir: target })).code, 5, 'never restores over a database (conflict)');
    const s = await openStore({ backend: 'embedded', dataDir: target });
    try {
      assert.deepEqual(await counts(s), expected);
      assert.equal(expected.reports, 60);
      const v = await verifyAuditChain(s);
      assert.equal(v.ok, true, JSON.stringify(v.problems));
    } finally {
      await s.close();
    }
  });

  test('copy to a server: equal row counts, a verifying audit trail, ids that continue', { skip: server.skip }, async () => {
    const f = await server.fresh();
    try {
      if (f.location.backend !== 'server') throw new Error('server expected');
      const c = await runCli(['copy', '--to', f.location.url], source.location);
      assert.equal(c.code, 0, c.stderr);
      assert.match(c.stderr, /row counts match/);
      const s = await openStore(f.location);
      try {
        const got = await counts(s);
        for (const [t, n] of Object.entries(expected)) assert.equal(got[t], n, t);
        assert.equal((await verifyAuditChain(s)).ok, true);
        const u = await createUser(s, { username: 'after-copy', password: randomPassword(), role: 'analyst' });
        assert.ok(u.user.id > 1, 'the users sequence continues after the copied ids');
        await appendAudit(s, { action: 'view' });
        assert.equal((await verifyAuditChain(s)).ok, true);
      } finally {
        await s.close();
      }
    } finally {
      await f.dispose();
    }
  });
});

describe('an online backup taken by the running server', () => {
  test('an admin backs up while the server holds the embedded database; the backup restores to the same rows; others are refused; the CLI says how', async () => {
    const f = await embedded.fresh();
    if (f.location.backend !== 'embedded') throw new Error('embedded expected');
    const store = await openStore(f.location);
    let file = '';
    try {
      await seedReports(store.db, 1, 30, { groupSize: 3, scores: true });
      const { app, as } = await appWithRoles(store);
      try {
        assert.equal((await call(app, as.supervisor, 'POST', '/api/admin/backup')).statusCode, 403);
        const res = await call(app, as.admin, 'POST', '/api/admin/backup');
        assert.equal(res.statusCode, 201, res.body);
        const made = res.json() as { file: string; name: string; bytes: number };
        file = made.file;
        assert.ok(made.file.startsWith(join(f.location.dataDir, 'backups')), made.file);
        assert.ok(made.bytes > 0);
        const second = (await call(app, as.admin, 'POST', '/api/admin/backup')).json() as { name: string };
        assert.notEqual(second.name, made.name, 'a second backup never overwrites the first');
        const audit = await auditRows(store.db, { limit: 50, desc: true });
        assert.ok(audit.some((r) => r.action === 'backup.create' && r.targetId === made.name && r.username === as.admin.username));
        // The folder is held by this process: the CLI cannot open it and says where to back up instead.
        const cli = await runCli(['backup', '--out', join(work, 'while-serving.tar.gz')], f.location);
        assert.equal(cli.code, 5, 'the folder in use is a conflict');
        assert.match(cli.stderr, /POST \/api\/admin\/backup/);
        const expected = await counts(store);
        const target = join(work, 'restored-online');
        assert.equal((await runCli(['restore', file], { backend: 'embedded', dataDir: target })).code, 0);
        const r = await openStore({ backend: 'embedded', dataDir: target });
        try {
          const got = await counts(r);
          // The backup was taken before its own audit entry was written.
          assert.equal(got.audit_log, expected.audit_log! - 2);
          assert.deepEqual({ ...got, audit_log: 0 }, { ...expected, audit_log: 0 });
          assert.equal((await verifyAuditChain(r)).ok, true);
        } finally {
          await r.close();
        }
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
      await f.dispose();
    }
  });

  test('on a PostgreSQL server the route says to use pg_dump', { skip: server.skip }, async () => {
    const f = await server.fresh();
    const store = await openStore(f.location);
    try {
      const { app, as } = await appWithRoles(store);
      try {
        const res = await call(app, as.admin, 'POST', '/api/admin/backup');
        assert.equal(res.statusCode, 409);
        assert.match(res.json().error.message, /pg_dump/);
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
      await f.dispose();
    }
  });
});
