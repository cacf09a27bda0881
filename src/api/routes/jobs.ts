// Jobs: long work asked for through the API (a ruleset published, a subject split or merged, an
// upload, a large export) answers 202 with a job id; these routes show its progress and result.
// A user sees the jobs they asked for; supervisors and admins see every job. A job names no
// report, subject or case (object rule `none`), except the file of a queue export, which holds the
// queue as its requester sees it (`filtered`).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { SUPERVISORS, WORKERS } from '../../cases/roles.ts';
import { appendAudit } from '../../cases/audit.ts';
import { getJob, getJobFile, listJobs, type JobRow, type JobState } from '../../store/jobs.ts';
import { sessionOf } from '../auth.ts';
import { Anything, Ok, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import type { FastifyRequest } from 'fastify';
import { dirname } from 'node:path';
import { uploadedName } from '../../ingest/uploads.ts';
import { notFound, conflict } from '../../model/error.ts';

/** A job as the API shows it. */
export const JobBody = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  state: Type.String(),
  progress: Type.Union([
    Type.Object({
      stage: Type.Optional(Type.String()),
      done: Type.Optional(Type.Number()),
      total: Type.Optional(Type.Number()),
      note: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
  result: Anything,
  error: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.Union([Type.Integer(), Type.Null()]),
  requestedByName: Type.Union([Type.String(), Type.Null()], { description: 'the username of who asked; null for work the system queued itself' }),
  hasFile: Type.Boolean(),
  files: Type.Optional(Type.Array(Type.String(), { description: "an upload's files, by the names they were uploaded under" })),
});

/** The 202 answer of a route that queued a job. */
export const Accepted = Type.Object({ jobId: Type.String(), state: Type.String() }, { additionalProperties: true });

function view(j: JobRow): Record<string, unknown> {
  const { paths, folder } = j.params;
  return {
    id: j.id,
    kind: j.kind,
    state: j.state,
    progress: j.progress,
    result: j.result ?? null,
    error: j.error,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    requestedBy: j.requestedBy,
    requestedByName: j.requestedByName ?? null,
    hasFile: j.hasFile === true,
    ...(Array.isArray(paths) && typeof folder === 'string' ? { files: paths.map((p) => uploadedName(String(p), dirname(folder))) } : {}),
  };
}

const seesAll = (req: FastifyRequest): boolean => (SUPERVISORS as readonly string[]).includes(sessionOf(req).user.role);

/** Registers the job routes. */
export function jobRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // Someone else's job is answered as missing: its id says nothing about what others asked for.
  const mine = async (req: FastifyRequest, id: string): Promise<JobRow> => {
    const job = await getJob(ctx.store.db, id);
    if (!job || (!seesAll(req) && job.requestedBy !== sessionOf(req).user.id)) throw notFound('NOT_FOUND', `no job ${id}`);
    return job;
  };
  const JobId = Type.Object({ id: Type.String({ minLength: 36, maxLength: 36 }) });

  app.route({
    method: 'GET',
    url: '/api/jobs',
    config: { roles: WORKERS, object: 'none' },
    schema: {
      summary: "Jobs, newest first: your own (supervisors and admins: everyone's)",
      tags: ['jobs'],
      querystring: Type.Object({
        state: Type.Optional(Type.Union(['queued', 'running', 'completed', 'failed', 'cancelled'].map((s) => Type.Literal(s)))),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      }),
      response: withErrors(Type.Array(JobBody)),
    },
    handler: async (req) => {
      const rows = await listJobs(ctx.store.db, {
        ...(req.query.state ? { states: [req.query.state as JobState] } : {}),
        ...(seesAll(req) ? {} : { requestedBy: sessionOf(req).user.id }),
        limit: req.query.limit,
      });
      return rows.map(view);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/jobs/:id',
    config: { roles: WORKERS, object: 'none' },
    schema: { summary: 'One job: state, progress, result', tags: ['jobs'], params: JobId, response: withErrors(JobBody) },
    handler: async (req) => view(await mine(req, req.params.id)),
  });

  app.route({
    method: 'GET',
    url: '/api/jobs/:id/file',
    config: { roles: WORKERS, object: 'filtered' },
    schema: { summary: 'The file a finished job made (a large export)', tags: ['jobs'], params: JobId },
    handler: async (req, reply) => {
      const job = await mine(req, req.params.id);
      const file = await getJobFile(ctx.store.db, job.id);
      if (!file) throw notFound('NOT_FOUND', job.state === 'completed' ? 'this job made no file' : `the job is ${job.state}`);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .send(Buffer.from(file.bytes));
    },
  });

  app.route({
    method: 'POST',
    url: '/api/jobs/:id/retry',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: { summary: 'Puts a failed job back in the queue (audited)', tags: ['jobs'], params: JobId, response: withErrors(Ok) },
    handler: async (req) => {
      const job = await mine(req, req.params.id);
      if (!(await ctx.jobs.retry(job.id))) throw conflict('NOT_FAILED', `the job is ${job.state}, not failed`);
      const s = sessionOf(req);
      await appendAudit(ctx.store, {
        userId: s.user.id,
        username: s.user.username,
        ip: req.ip,
        action: 'job.retry',
        targetKind: 'job',
        targetId: job.id,
        detail: { kind: job.kind },
      });
      return { ok: true };
    },
  });
}
