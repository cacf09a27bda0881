// Jobs: the same tasks on both backends (the in-process runner on the embedded database, pg-boss on
// a server); two workers on one server database; a killed worker's job retried; an API publish
// answered 202 with a job that finishes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/store/database.ts';
import { getJob } from '../src/store/jobs.ts';
import { markPending, pendingCounts } from '../src/store/pending.ts';
import { openQueue } from '../src/jobs/queue.ts';
import { markEverything, processNew } from '../src/pipeline/process.ts';
import { DEFAULT_RULESET } from '../src/triage/default-rules.ts';
import { testBackends } from './support/stores.ts';
import { repoRoot } from './support/shared.ts';
import { runCli } from './support/cli.ts';
import { freePort } from './support/net.ts';
import { appWithRoles, call } from './api-support.ts';
import { makeReport, person, putReports } from './fixtures/link/reports.ts';

const FAST = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 };

// Reports in linked pairs (a phone each), so processing has identifiers, subjects and scores to make.
async function putPairs(store: Store, from: number, pairs: number): Promise<void> {
  const reports = [];
  for (let i = 0; i < pairs; i++) {
    const phone = `+6391770${String(from + i).padStart(5, '0')}`;
    reports.push(
      makeReport(String(100_000 + 2 * (from + i)), { person: person([phone]) }),
      makeReport(String(100_001 + 2 * (from + i)), { person: person([phone]) }),
    );
  }
  await putReports(store, reports);
}

async function derived(store: Store): Promise<unknown> {
  const rows = async (q: ReturnType<typeof sql>): Promise<unknown[]> => (await q.execute(store.db)).rows;
  return {
    subjects: await rows(sql`select report_id, subject_id from link_subjects order by 1`),
    scores: await rows(sql`select report_id, score, tier, reasons from triage_scores order by 1`),
    identifiers: await rows(sql`select count(*)::int as n from link_identifiers`),
  };
}

for (const backend of testBackends()) {
  describe(`jobs on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('a processing job runs the stages over what is marked; a failed job is retried on request', async () => {
      const store = await backend.open();
      const queue = await openQueue(store, { boss: FAST });
      try {
        await putPairs(store, 0, 20);
        const id = await queue.enqueue('process', { now: '2026-02-01T00:00:00.000Z' });
        const job = await queue.waitFor(id);
        assert.equal(job.state, 'completed', job.error ?? '');
        assert.equal((job.result as { scored: number }).scored, 40);
        assert.deepEqual(await pendingCounts(store.db), {});
        // Processing jobs asked for while one waits are one job.
        assert.equal(await queue.enqueue('process'), await queue.enqueue('process'));

        // An export for an account that does not exist fails on every attempt.
        const bad = await queue.enqueue('export-queue', { query: { limit: 10, offset: 0 }, format: 'csv', userId: 987_654, ip: '127.0.0.1' });
        const failed = await queue.waitFor(bad);
        assert.equal(failed.state, 'failed');
        assert.equal(failed.attempts, failed.maxAttempts, 'every attempt was made');
        assert.equal(await queue.retry(bad), true);
        assert.equal((await getJob(store.db, bad))?.state, 'queued');
        assert.equal(await queue.retry(id), false, 'a completed job is not retried');
      } finally {
        await queue.close();
        await store.close();
      }
    });

    test('a publish through the API answers 202 and its job re-scores every report', async () => {
      const store = await backend.open();
      const { app, as } = await appWithRoles(store, { worker: { sweepMs: 0, heartbeatMs: 500 } });
      try {
        await putPairs(store, 100, 5);
        await processNew(store);
        const ruleset = {
          ...DEFAULT_RULESET,
          rules: DEFAULT_RULESET.rules.map((r, i) => (i === 0 ? { ...r, weight: (r as { weight?: number }).weight } : r)),
          description: 'republished',
        };
        const res = await call(app, as.supervisor, 'POST', '/api/rules/publish', { ruleset, comment: 'test' });
        assert.equal(res.statusCode, 202, res.body);
        const { jobId } = res.json() as { jobId: string };
        let job: { state: string; kind: string; result: { scored?: number } | null } | undefined;
        for (let i = 0; i < 600; i++) {
          const r = await call(app, as.supervisor, 'GET', `/api/jobs/${jobId}`);
          assert.equal(r.statusCode, 200, r.body);
          job = r.json();
          if (job!.state === 'completed' || job!.state === 'failed') break;
          await new Promise((x) => setTimeout(x, 200));
        }
        assert.equal(job?.state, 'completed');
        assert.equal(job?.kind, 'rescore');
        assert.equal(job?.result?.scored, 10);
        // Someone else's job is not an analyst's to see; the supervisor's list has it.
        assert.equal((await call(app, as.analyst, 'GET', `/api/jobs/${jobId}`)).statusCode, 404);
        assert.deepEqual((await call(app, as.analyst, 'GET', '/api/jobs')).json(), []);
        assert.ok(((await call(app, as.admin, 'GET', '/api/jobs')).json() as { id: string }[]).some((j) => j.id === jobId));
      } finally {
        await app.close();
        await store.close();
      }
    });
  });
}

const embedded = testBackends().find((b) => b.name === 'embedded')!;
describe('the in-process runner after a crash', () => {
  test('a job left running by a process that died is run again, and finishes what the marks say', async () => {
    const store = await embedded.open();
    try {
      await putPairs(store, 2000, 10);
      // What a killed `bantay ingest` leaves: its processing job marked running, the stale keys still marked.
      const queue = await openQueue(store);
      const id = await queue.enqueue('process', { now: '2026-02-01T00:00:00.000Z' });
      await sql`update jobs set state = 'running', attempts = 1, worker = 'gone:1', started_at = now() where id = ${id}`.execute(store.db);
      await queue.close();
      const again = await openQueue(store);
      const job = await again.waitFor(id);
      await again.close();
      assert.equal(job.state, 'completed', job.error ?? '');
      assert.equal(job.attempts, 2);
      assert.deepEqual(await pendingCounts(store.db), {});
      assert.equal((await sql<{ n: number }>`select count(*)::int as n from triage_scores`.execute(store.db)).rows[0]!.n, 20);
    } finally {
      await store.close();
    }
  });
});

const server = testBackends().find((b) => b.name === 'server')!;
describe('workers on one server database', { skip: server.skip }, () => {
  test('two workers share the queue: every job done once, the result a single process gives', async () => {
    const fresh = await server.fresh();
    const a = await openStore(fresh.location);
    const b = await openStore(fresh.location);
    const qa = await openQueue(a, { boss: FAST });
    const qb = await openQueue(b, { boss: FAST });
    try {
      await qa.work({ concurrency: 2, sweepMs: 0 });
      await qb.work({ concurrency: 2, sweepMs: 0 });
      const ids: string[] = [];
      for (let k = 0; k < 4; k++) {
        await putPairs(a, 1000 + 20 * k, 20);
        ids.push(await qa.enqueue('process', { now: '2026-02-01T00:00:00.000Z' }));
        // What a ruleset change does: a full re-score marked, then a job for it (a processing job may take it first).
        await markPending(a.db, 'rescore', ['all']);
        ids.push(await qb.enqueue('rescore', { now: '2026-02-01T00:00:00.000Z' }));
      }
      const jobs = await Promise.all(ids.map((id) => qa.waitFor(id)));
      assert.deepEqual(
        jobs.map((j) => j.state),
        ids.map(() => 'completed'),
      );
      assert.ok(
        jobs.every((j) => j.attempts === 1),
        'no job ran twice',
      );
      const workers = new Set(jobs.map((j) => j.worker));
      assert.equal(workers.size, 1, 'both workers are in this process: one name');
      // The same end state as one process rebuilding everything.
      const shared = await derived(a);
      await markEverything(a);
      await processNew(a, { now: new Date('2026-02-01T00:00:00.000Z') });
      assert.deepEqual(await derived(a), shared);
      assert.equal((await sql<{ n: number }>`select count(*)::int as n from triage_scores`.execute(a.db)).rows[0]!.n, 160);
    } finally {
      await qa.close();
      await qb.close();
      await a.close();
      await b.close();
      await fresh.dispose();
    }
  });

  test('`bantay serve --no-worker` runs no job: a `bantay worker` elsewhere runs what it queues', { timeout: 300_000 }, async () => {
    const fresh = await server.fresh();
    const store = await openStore(fresh.location);
    const queue = await openQueue(store, { boss: FAST });
    const port = await freePort();
    const serve = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'run.ts'), 'serve', '--no-worker', '--port', String(port)], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: fresh.location.backend === 'server' ? fresh.location.url : '', BANTAY_DATA: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let said = '';
      await new Promise<void>((ready, fail) => {
        serve.stderr!.on('data', (d: Buffer) => {
          said += d.toString();
          if (said.includes('Bantay is serving')) ready();
        });
        serve.once('exit', (code) => fail(new Error(`bantay serve exited with ${String(code)}: ${said}`)));
      });
      assert.match(said, /jobs run by `bantay worker` processes/);
      await putPairs(store, 8000, 10);
      const id = await queue.enqueue('process', { now: '2026-02-01T00:00:00.000Z' });
      // The server is up through the worker's start-up: had it a worker, it would have taken the job.
      const w = await runCli(['worker', '--until-idle'], fresh.location);
      assert.equal(w.code, 0, w.stderr);
      const job = await getJob(store.db, id);
      assert.equal(job?.state, 'completed', job?.error ?? '');
      assert.notEqual(job?.worker, `${hostname()}:${serve.pid}`, 'not run by the server');
      assert.equal((await sql<{ n: number }>`select count(*)::int as n from triage_scores`.execute(store.db)).rows[0]!.n, 20);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((r) => (serve.exitCode === null ? serve.once('exit', r) : r(null)));
      await queue.close();
      await store.close();
      await fresh.dispose();
    }
  });

  test('a worker killed in the middle of a job: another worker retries it and finishes the work', { timeout: 600_000 }, async () => {
    const fresh = await server.fresh();
    const store = await openStore(fresh.location);
    const url = fresh.location.backend === 'server' ? fresh.location.url : '';
    const queue = await openQueue(store, { boss: FAST });
    try {
      await putPairs(store, 5000, 600);
      const id = await queue.enqueue('process', { now: '2026-02-01T00:00:00.000Z' });
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'run.ts'), 'worker', '--stale-after', '3'], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: url, BANTAY_DATA: '' },
        stdio: 'ignore',
      });
      // Killed as soon as the job has done some of its work.
      for (let i = 0; i < 3000; i++) {
        const j = await getJob(store.db, id);
        if (j?.state === 'running' && j.progress) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      assert.equal((await getJob(store.db, id))?.state, 'running', 'the job was running when its worker died');
      await queue.work({ staleAfterMs: 3000, heartbeatMs: 500, sweepMs: 0 });
      const job = await queue.waitFor(id);
      assert.equal(job.state, 'completed', job.error ?? '');
      assert.equal(job.attempts, 2, 'retried once');
      assert.deepEqual(await pendingCounts(store.db), {});
      assert.equal((await sql<{ n: number }>`select count(*)::int as n from triage_scores`.execute(store.db)).rows[0]!.n, 1200);
      const after = await derived(store);
      await markEverything(store);
      await processNew(store, { now: new Date('2026-02-01T00:00:00.000Z') });
      assert.deepEqual(await derived(store), after, 'nothing lost, nothing twice: the same as a full rebuild');
    } finally {
      await queue.close();
      await store.close();
      await fresh.dispose();
    }
  });
});
