import type { Command } from 'commander';
import type { JobRow, JobState } from '../../store/jobs.ts';
import { WORKER_ROLES, type WorkerRole } from '../../jobs/kinds.ts';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { badInput, notFound, conflict, internal } from '../../model/error.ts';

const STATES: JobState[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

/** A job's progress in words: stage and how far. */
export function progressText(j: Pick<JobRow, 'progress'>): string {
  const p = j.progress;
  if (!p) return '';
  const part = p.total ? `${p.done ?? 0}/${p.total}` : p.done !== undefined ? String(p.done) : '';
  return [p.stage, part, p.note].filter((x) => x).join(' ');
}

function roles(value: string): WorkerRole[] {
  const list = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r);
  for (const r of list) if (!(r in WORKER_ROLES)) throw badInput('BAD_OPTION', `--roles: ${r} is not one of ${Object.keys(WORKER_ROLES).join(', ')}`);
  return list as WorkerRole[];
}

/** `bantay worker`, `bantay jobs …`. */
export function registerJobCommands(program: Command): void {
  program
    .command('worker')
    .description(
      'run queued jobs (processing after ingest, re-scores, uploads, exports) until stopped; on a PostgreSQL server any number of workers on any number of machines share the queue',
    )
    .option('--concurrency <n>', 'jobs at once in this process (default: worker.concurrency, 1)', positiveInt('--concurrency'))
    .option('--roles <list>', `kinds of job to take: ${Object.keys(WORKER_ROLES).join(', ')} (default: worker.roles, else all)`, roles)
    .option(
      '--stale-after <seconds>',
      'retry a running job whose worker was silent this long (default: worker.staleAfterSeconds, 120)',
      positiveInt('--stale-after'),
    )
    .option('--until-idle', 'stop once no job is queued or running and nothing is marked for processing')
    .action(async (given: { concurrency?: number; roles?: WorkerRole[]; staleAfter?: number; untilIdle?: boolean }, cmd: Command) => {
      const { config } = await import('../../config/current.ts');
      const settings = config().worker;
      const configuredRoles = settings.roles.length > 0 ? [...settings.roles] : undefined;
      const opts = {
        ...given,
        concurrency: given.concurrency ?? settings.concurrency,
        staleAfter: given.staleAfter ?? settings.staleAfterSeconds,
        roles: given.roles ?? configuredRoles,
      };
      const { unfinishedJobs } = await import('../../store/jobs.ts');
      const { anyPending } = await import('../../store/pending.ts');
      const { openQueue } = await import('../../jobs/queue.ts');
      await withStore(cmd, async (store) => {
        const queue = await openQueue(store);
        await queue.work({ concurrency: Math.max(1, opts.concurrency), ...(opts.roles ? { roles: opts.roles } : {}), staleAfterMs: opts.staleAfter * 1000 });
        process.stderr.write(
          `Bantay worker on ${store.describe} (${queue.backend}): taking ${opts.roles?.join(', ') ?? 'every kind of'} job(s), ${opts.concurrency} at a time. Stop with Ctrl-C.\n`,
        );
        await new Promise<void>((resolveStop) => {
          process.once('SIGINT', () => resolveStop());
          process.once('SIGTERM', () => resolveStop());
          if (!opts.untilIdle) return;
          // Idle twice in a row, a sweep apart: a job queued meanwhile is seen.
          let idleBefore = false;
          const poll = setInterval(
            () =>
              void (async () => {
                const idle = (await unfinishedJobs(store.db)) === 0 && !(await anyPending(store.db));
                if (idle && idleBefore) {
                  clearInterval(poll);
                  resolveStop();
                }
                idleBefore = idle;
              })().catch(() => undefined),
            3000,
          );
        });
        process.stderr.write('Stopping: the running job finishes first.\n');
        await queue.close();
      });
    });

  program
    .command('process')
    .description(
      'run the derived stages (hash signals, links, subjects, deconfliction, payments, scores) over everything marked stale: what an interrupted run left, a list import, an exclusion',
    )
    .option('--rebuild', 'mark every key of every stage first: a full rebuild through the same stages (same result)')
    .option('--no-wait', 'queue the job for a `bantay worker` or `bantay serve` instead of running it here')
    .option('--json', 'print the job as JSON')
    .action(async (opts: { rebuild?: boolean; wait: boolean; json?: boolean }, cmd: Command) => {
      const { getJob } = await import('../../store/jobs.ts');
      const { markEverything } = await import('../../pipeline/process.ts');
      const { openQueue } = await import('../../jobs/queue.ts');
      const job = await withStore(cmd, async (store) => {
        if (opts.rebuild) await markEverything(store);
        const queue = await openQueue(store);
        try {
          const id = await queue.enqueue('process');
          return opts.wait ? await queue.waitFor(id) : await getJob(store.db, id);
        } finally {
          await queue.close();
        }
      });
      if (!job) throw internal('the job went missing');
      if (opts.json) return printJson(job);
      if (job.state === 'queued') return void process.stdout.write(`Queued as job ${job.id} (see: bantay jobs).\n`);
      const r = job.result as { stages?: { stage: string; keys: number; ms: number }[] } | null;
      process.stdout.write(
        `Job ${job.id} ${job.state}${job.error ? `: ${job.error}` : ''}. ${(r?.stages ?? []).map((x) => `${x.stage} ${x.keys} key(s) ${(x.ms / 1000).toFixed(1)} s`).join(', ') || 'Nothing was stale.'}\n`,
      );
      if (job.state !== 'completed') process.exitCode = 1;
    });

  const jobs = program
    .command('jobs')
    .description('queued, running and failed jobs with their progress (`bantay jobs show ID`, `bantay jobs retry ID`)')
    .option('--state <state>', `only jobs in this state: ${STATES.join(', ')}`)
    .option('--all', 'completed jobs too')
    .option('--limit <n>', 'at most this many', positiveInt('--limit'), 50)
    .option('--json', 'print as JSON')
    .action(async (opts: { state?: string; all?: boolean; limit: number; json?: boolean }, cmd: Command) => {
      const { listJobs } = await import('../../store/jobs.ts');
      const { pendingWork } = await import('../../pipeline/process.ts');
      if (opts.state && !STATES.includes(opts.state as JobState)) throw badInput('BAD_OPTION', `--state must be one of ${STATES.join(', ')}`);
      const states: JobState[] | undefined = opts.state ? [opts.state as JobState] : opts.all ? undefined : ['queued', 'running', 'failed'];
      const { rows, pending } = await withStore(
        cmd,
        async (s) => ({ rows: await listJobs(s.db, { ...(states ? { states } : {}), limit: opts.limit }), pending: await pendingWork(s) }),
        { quick: true },
      );
      if (opts.json) return printJson({ jobs: rows, pending });
      if (rows.length === 0) process.stdout.write('No jobs.\n');
      else
        process.stdout.write(
          `${table(
            ['id', 'kind', 'state', 'tries', 'progress', 'created', 'error'],
            rows.map((j) => [j.id, j.kind, j.state, `${j.attempts}/${j.maxAttempts}`, progressText(j), j.createdAt.slice(0, 19), (j.error ?? '').slice(0, 60)]),
          )}\n`,
        );
      const waiting = Object.entries(pending)
        .map(([stage, n]) => `${stage} ${n}`)
        .join(', ');
      if (waiting) process.stdout.write(`Keys waiting for processing: ${waiting}\n`);
    });
  jobs
    .command('show')
    .description('one job with its parameters, progress and result')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { getJob } = await import('../../store/jobs.ts');
      const job = await withStore(cmd, (s) => getJob(s.db, id), { quick: true });
      if (!job) throw notFound('NOT_FOUND', `no job ${id}`);
      printJson(job);
    });
  jobs
    .command('retry')
    .description('put a failed job back in the queue (with fresh attempts)')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { openQueue } = await import('../../jobs/queue.ts');
      const ok = await withStore(cmd, async (s) => {
        const queue = await openQueue(s);
        try {
          return await queue.retry(id);
        } finally {
          await queue.close();
        }
      });
      if (!ok) throw conflict('NOT_FAILED', `job ${id} is not a failed job`);
      process.stdout.write(`Job ${id} is queued again; a worker (or the next \`bantay ingest\` on this machine) runs it.\n`);
    });
}
