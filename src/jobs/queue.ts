// Machine work as jobs. Every job is a row of the jobs table (what users see: state, progress,
// result). Who delivers it depends on the database:
//   - a PostgreSQL server: pg-boss queues (one per kind), shared by any number of `bantay worker`
//     and `bantay serve` processes on any number of machines; a job that fails is retried by
//     pg-boss, and a job whose worker stopped beating (killed) is failed back to pg-boss for retry;
//   - the embedded database (one process, one connection): an in-process runner claims queued rows
//     of the same table and runs the same tasks.
// Aggregate work (reclustering, full re-scores) is a singleton twice over: pg-boss runs one job of a
// singleton kind at a time, and every stage run holds its stage's lock (src/runtime/stage.ts).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import type { Store } from '../store/database.ts';
import type { Db } from '../store/bulk.ts';
import { anyPending } from '../store/pending.ts';
import {
  claimQueuedJob,
  completeJob,
  failJob,
  getJob,
  insertJob,
  jobHeartbeat,
  jobProgress,
  listJobs,
  requeueJob,
  silentJobs,
  sqlRunner,
  startJob,
  type JobRow,
} from '../store/jobs.ts';
import { JOB_KINDS, TASKS, WORKER_ROLES, type JobKind, type WorkerRole } from './tasks.ts';
import { config } from '../config/current.ts';
import { notFound, internal } from '../model/error.ts';

/** How a worker runs. */
export interface WorkerOptions {
  /** Jobs run at once in this process (default 1). */
  concurrency?: number;
  /** Which kinds of job this worker takes (default all). */
  roles?: WorkerRole[];
  /** A running job whose worker was not heard from for this long is retried (default 120 s). */
  staleAfterMs?: number;
  /** How often a worker says it is alive (default 10 s). */
  heartbeatMs?: number;
  /** How often a worker of the stages role looks for stale keys nobody queued a job for (default 5 s; 0: never). */
  sweepMs?: number;
}

/** Where jobs go and who runs them. */
export interface JobQueue {
  readonly backend: 'inline' | 'pg-boss';
  /** Records a job and hands it to the queue; a processing job joins one already queued. */
  enqueue(kind: JobKind, params?: Record<string, unknown>, opts?: { requestedBy?: number | null }): Promise<string>;
  /** Starts running jobs in this process (until close). */
  work(opts?: WorkerOptions): Promise<void>;
  /** Waits for a job to finish, running queued jobs here if no worker of this process is. */
  waitFor(id: string, opts?: { pollMs?: number }): Promise<JobRow>;
  /** Puts a failed job back in the queue. */
  retry(id: string): Promise<boolean>;
  /** Stops this process's workers (a running job finishes first) and lets go of the queue. */
  close(): Promise<void>;
}

/** The kinds a set of roles takes. */
export function kindsOf(roles: WorkerRole[] | undefined): JobKind[] {
  if (!roles || roles.length === 0) return [...JOB_KINDS];
  return [...new Set(roles.flatMap((r) => WORKER_ROLES[r]))];
}

// Anything that marks keys stale (a case closed, a list imported, an exclusion, a command-line
// change) is processed without each of them queueing a job: a stages worker queues one when keys wait.
function sweeper(store: Store, queue: JobQueue, opts: WorkerOptions): NodeJS.Timeout | undefined {
  if (opts.sweepMs === 0 || !kindsOf(opts.roles).includes('process')) return undefined;
  let busy = false;
  return setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      if (await anyPending(store.db)) await queue.enqueue('process');
    })()
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, opts.sweepMs ?? 5000).unref();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

// The worker's name in the jobs table: which machine and process ran it.
const workerName = (): string => `${hostname()}:${process.pid}`;

// Runs one claimed job to its end and records the outcome; returns whether it succeeded.
async function execute(store: Store, queue: JobQueue, job: JobRow, running: Set<string>): Promise<{ ok: true; result: unknown } | { ok: false; error: Error }> {
  running.add(job.id);
  try {
    const task = TASKS[job.kind as JobKind];
    if (!task) throw internal(`unknown job kind ${job.kind}`);
    const result = await task.run(
      {
        store,
        job,
        progress: (p) => jobProgress(store.db, job.id, p),
        enqueue: (kind, params) => queue.enqueue(kind, params, { requestedBy: job.requestedBy }),
      },
      job.params,
    );
    await completeJob(store.db, job.id, result);
    return { ok: true, result };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    await failJob(store.db, job.id, error.message, job.attempts < job.maxAttempts).catch(() => undefined);
    return { ok: false, error };
  } finally {
    running.delete(job.id);
  }
}

/** Opens the queue of a store: pg-boss on a server, the in-process runner on the embedded database. */
export async function openQueue(store: Store, opts: { boss?: PgBossSettings } = {}): Promise<JobQueue> {
  if (store.location.backend === 'server') {
    const q = new PgBossQueue(store, store.location.url, opts.boss);
    await q.start();
    return q;
  }
  return new InlineQueue(store);
}

/** Settings of the pg-boss connection (tests shorten its intervals). */
export interface PgBossSettings {
  /** Connections pg-boss may open (default: database.jobPoolSize). */
  max?: number;
  pollingIntervalSeconds?: number;
  maintenanceIntervalSeconds?: number;
}

// A processing job already waiting covers whatever a new one would: it plans from the stale marks when it starts.
async function queuedProcessJob(db: Db): Promise<string | undefined> {
  return (await listJobs(db, { states: ['queued'], limit: 1000 })).find((j) => j.kind === 'process' && Object.keys(j.params).length === 0)?.id;
}

/** The embedded database's runner: one process, jobs claimed from the jobs table in order. */
class InlineQueue implements JobQueue {
  readonly backend = 'inline' as const;
  private readonly running = new Set<string>();
  private loops: Promise<void>[] = [];
  private closed = false;
  private wake: (() => void) | undefined;
  private recovered = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  async enqueue(kind: JobKind, params: Record<string, unknown> = {}, opts: { requestedBy?: number | null } = {}): Promise<string> {
    if (kind === 'process' && Object.keys(params).length === 0) {
      const waiting = await queuedProcessJob(this.store.db);
      if (waiting) return waiting;
    }
    const id = randomUUID();
    await insertJob(this.store.db, { id, kind, params, requestedBy: opts.requestedBy ?? null, maxAttempts: TASKS[kind].maxAttempts });
    this.wake?.();
    return id;
  }

  // The data folder is locked to one process: a job this table says is running belonged to a
  // process that died. It goes back to the queue while it has attempts left.
  private async recover(): Promise<void> {
    if (this.recovered) return;
    this.recovered = true;
    for (const j of await silentJobs(this.store.db, new Date(Date.now() + 1000))) {
      if (this.running.has(j.id)) continue;
      await failJob(this.store.db, j.id, 'the process running it stopped', j.attempts < j.maxAttempts);
    }
  }

  private async loop(kinds: JobKind[], stopWhen?: () => Promise<boolean>): Promise<void> {
    await this.recover();
    for (;;) {
      if (this.closed || (stopWhen && (await stopWhen()))) return;
      const job = await claimQueuedJob(this.store.db, kinds, workerName());
      if (job) {
        await execute(this.store, this, job, this.running);
        continue;
      }
      if (stopWhen) {
        // Nothing left here for the awaited job: it is running elsewhere in this process, or gone.
        await sleep(200);
        continue;
      }
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 1000).unref();
      });
    }
  }

  async work(opts: WorkerOptions = {}): Promise<void> {
    const kinds = kindsOf(opts.roles);
    this.heartbeat ??= setInterval(() => void jobHeartbeat(this.store.db, [...this.running]).catch(() => undefined), opts.heartbeatMs ?? 10_000).unref();
    this.sweep ??= sweeper(this.store, this, opts);
    for (let i = 0; i < Math.max(1, opts.concurrency ?? 1); i++) this.loops.push(this.loop(kinds));
  }

  async waitFor(id: string, opts: { pollMs?: number } = {}): Promise<JobRow> {
    const done = async (): Promise<boolean> => FINISHED.has((await getJob(this.store.db, id))?.state ?? 'completed');
    if (this.loops.length === 0) await this.loop([...JOB_KINDS], done);
    else while (!(await done())) await sleep(opts.pollMs ?? 200);
    const job = await getJob(this.store.db, id);
    if (!job) throw notFound('NOT_FOUND', `no job ${id}`);
    return job;
  }

  async retry(id: string): Promise<boolean> {
    const ok = await requeueJob(this.store.db, id);
    if (ok) this.wake?.();
    return ok;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.sweep) clearInterval(this.sweep);
    await Promise.all(this.loops);
  }
}

/** A pg-boss delivery of one of our jobs. */
interface Delivery {
  jobId: string;
}

/** A PostgreSQL server's queue: pg-boss delivers, retries and holds singletons; the jobs table says what happened. */
class PgBossQueue implements JobQueue {
  readonly backend = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly running = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private working = false;

  constructor(
    private readonly store: Store,
    url: string,
    settings: PgBossSettings = {},
  ) {
    this.boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      max: settings.max ?? config().database.jobPoolSize,
      application_name: 'bantay-jobs',
      ...(settings.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds } : {}),
    });
    this.polling = settings.pollingIntervalSeconds ?? 1;
    // Without a listener an error event would end the process: a lost connection is retried by pg-boss.
    this.boss.on('error', (err: Error) => process.stderr.write(`bantay: job queue: ${err.message}\n`));
  }

  private readonly polling: number;

  async start(): Promise<void> {
    await this.boss.start();
    for (const kind of JOB_KINDS) {
      const task = TASKS[kind];
      await this.boss.createQueue(kind, {
        name: kind,
        policy: task.singleton ? 'singleton' : 'standard',
        retryLimit: task.maxAttempts - 1,
        retryDelay: 5,
        // A handler that outlives this is failed by pg-boss; a dead worker is caught sooner by its missing heartbeat.
        expireInSeconds: 23 * 3600,
      });
    }
  }

  async enqueue(kind: JobKind, params: Record<string, unknown> = {}, opts: { requestedBy?: number | null } = {}): Promise<string> {
    if (kind === 'process' && Object.keys(params).length === 0) {
      const waiting = await queuedProcessJob(this.store.db);
      if (waiting) return waiting;
    }
    const id = randomUUID();
    const task = TASKS[kind];
    await this.store.db.transaction().execute(async (tx) => {
      await insertJob(tx, { id, kind, params, requestedBy: opts.requestedBy ?? null, maxAttempts: task.maxAttempts });
      await this.boss.send(kind, { jobId: id } satisfies Delivery, {
        id,
        retryLimit: task.maxAttempts - 1,
        retryDelay: 5,
        expireInSeconds: 23 * 3600,
        db: sqlRunner(tx),
      });
    });
    return id;
  }

  private async handle(kind: JobKind, deliveries: PgBoss.Job<Delivery>[]): Promise<unknown> {
    const d = deliveries[0]!;
    const job = await startJob(this.store.db, d.data.jobId, workerName());
    // Finished already (a late duplicate after a retry): nothing to do.
    if (!job) return { skipped: true };
    const out = await execute(this.store, this, job, this.running);
    if (!out.ok) throw out.error;
    void kind;
    return out.result;
  }

  async work(opts: WorkerOptions = {}): Promise<void> {
    if (this.working) return;
    this.working = true;
    for (const kind of kindsOf(opts.roles)) {
      for (let i = 0; i < Math.max(1, opts.concurrency ?? 1); i++) {
        await this.boss.work<Delivery>(kind, { batchSize: 1, pollingIntervalSeconds: this.polling }, (jobs) => this.handle(kind, jobs));
      }
    }
    this.timers.push(setInterval(() => void jobHeartbeat(this.store.db, [...this.running]).catch(() => undefined), opts.heartbeatMs ?? 10_000).unref());
    const sweep = sweeper(this.store, this, opts);
    if (sweep) this.timers.push(sweep);
    const staleAfter = opts.staleAfterMs ?? 120_000;
    this.timers.push(setInterval(() => void this.reap(staleAfter).catch(() => undefined), Math.min(30_000, Math.max(1000, staleAfter / 4))).unref());
  }

  // A job whose worker stopped beating (killed, or its machine gone) goes back to pg-boss, which
  // retries it while attempts remain; the stage marks it left behind lead the retry to the rest.
  private async reap(staleAfterMs: number): Promise<void> {
    for (const j of await silentJobs(this.store.db, new Date(Date.now() - staleAfterMs))) {
      if (this.running.has(j.id)) continue;
      await this.boss.fail(j.kind, j.id, { message: `worker ${j.worker ?? '?'} stopped` });
      await failJob(this.store.db, j.id, `worker ${j.worker ?? '?'} stopped`, j.attempts < j.maxAttempts);
    }
  }

  async waitFor(id: string, opts: { pollMs?: number } = {}): Promise<JobRow> {
    if (!this.working) await this.work();
    for (;;) {
      const job = await getJob(this.store.db, id);
      if (!job) throw notFound('NOT_FOUND', `no job ${id}`);
      if (FINISHED.has(job.state)) return job;
      await sleep(opts.pollMs ?? 500);
    }
  }

  async retry(id: string): Promise<boolean> {
    const job = await getJob(this.store.db, id);
    if (!job || !(await requeueJob(this.store.db, id))) return false;
    await this.boss.retry(job.kind, id);
    return true;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.boss.stop({ graceful: true, wait: true, timeout: 60_000 });
  }
}
