// Search, hash lists, rules, ingest upload and exports of a queue slice.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { newUploadFolder, uploadedName, uploadFileName } from '../../ingest/uploads.ts';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { searchIdentifiers } from '../../cases/search.ts';
import { streamQueueExport } from '../../cases/export-queue.ts';
import { viewerOf } from '../../cases/work.ts';
import { appendAudit } from '../../cases/audit.ts';
import { listHashLists } from '../../store/hashes.ts';
import { listQuarantine } from '../../store/quarantine.ts';
import { INPUT_EXTENSIONS } from '../../ingest/input-files.ts';
import { rulesView, testRuleset } from '../../triage/rulesets.ts';
import { enableHashList, importHashListFile, publishRuleset } from '../../cases/decisions.ts';
import { sessionOf } from '../auth.ts';
import { Anything, Open, withErrors } from '../schemas.ts';
import { QueueQuerySchema } from './queue.ts';
import { Accepted } from './jobs.ts';
import type { ApiContext } from '../context.ts';
import { config } from '../../config/current.ts';
import { badInput, notFound, tooLarge } from '../../model/error.ts';

/** The upload limits (`@fastify/multipart`) from the settings server.uploadMaxFileBytes and server.uploadMaxFiles. */
export function uploadLimits(): { fileSize: number; files: number } {
  const { uploadMaxFileBytes, uploadMaxFiles } = config().server;
  return { fileSize: uploadMaxFileBytes, files: uploadMaxFiles };
}

/** Writes every uploaded file of a multipart request under a fresh folder; returns the folder and paths. */
export async function saveUploads(
  req: import('fastify').FastifyRequest,
  dir: string,
): Promise<{ folder: string; paths: string[]; fields: Record<string, string> }> {
  const folder = newUploadFolder(dir);
  mkdirSync(folder, { recursive: true });
  const paths: string[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const path = join(folder, uploadFileName(paths.length, part.filename));
        await pipeline(part.file, createWriteStream(path, { flags: 'wx' }));
        if (part.file.truncated)
          throw tooLarge(
            'TOO_LARGE',
            `${uploadedName(path, dir)} is larger than the upload limit (${Math.floor(uploadLimits().fileSize / 1024 / 1024)} MB a file)`,
            { maxFileBytes: uploadLimits().fileSize },
          );
        paths.push(path);
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    throw err;
  }
  if (paths.length === 0) {
    rmSync(folder, { recursive: true, force: true });
    throw badInput('NO_FILE', 'send the files as multipart/form-data');
  }
  return { folder, paths, fields };
}

/** Registers the search, hash list, rules, ingest and export routes. */
export function dataRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const who = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({
    userId: sessionOf(req).user.id,
    username: sessionOf(req).user.username,
    ip: req.ip,
  });

  app.route({
    method: 'GET',
    url: '/api/search',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Finds reports and subjects by any identifier: phone in any format, e-mail, IP, hash, screen name, report number',
      tags: ['search'],
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 500 }) }),
      response: withErrors(
        Type.Object({
          results: Type.Array(
            Type.Object({
              kind: Type.String(),
              value: Type.String(),
              reportIds: Type.Array(Type.String()),
              subjectIds: Type.Array(Type.String()),
              hiddenReports: Type.Integer(),
              deconflicted: Type.Array(Type.Object({ reportId: Type.String(), caseId: Type.String() })),
            }),
          ),
        }),
      ),
    },
    handler: async (req) => {
      const results = await searchIdentifiers(ctx.store, req.query.q, await viewerOf(ctx.store, sessionOf(req).user));
      await appendAudit(ctx.store, { ...who(req), action: 'search', detail: { q: req.query.q, results: results.length } });
      return { results };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/hashlists',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary: 'Imported hash lists',
      tags: ['hashes'],
      response: withErrors(Type.Array(Open({ id: Type.Integer(), name: Type.String(), enabled: Type.Boolean(), entryCount: Type.Integer() }))),
    },
    handler: async () => listHashLists(ctx.store.db),
  });
  app.route({
    method: 'POST',
    url: '/api/hashlists',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary:
        'Imports a hash list (multipart: file, and fields name, format?, category?) → the import summary and the processing job (`processJob`, null when nothing changed) that refreshes the signals',
      tags: ['hashes'],
      consumes: ['multipart/form-data'],
      response: withErrors(Anything),
    },
    handler: async (req) => {
      const up = await saveUploads(req, ctx.uploadDir);
      try {
        const name = up.fields.name;
        if (!name || !/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw badInput('BAD_NAME', 'a list needs a name field (letters, digits, . _ -)');
        const format = up.fields.format as 'csv' | 'vics' | 'ncmec' | undefined;
        if (format && !['csv', 'vics', 'ncmec'].includes(format)) throw badInput('BAD_FORMAT', 'format is csv, vics or ncmec');
        return await importHashListFile(ctx.store, ctx.jobs, { user: sessionOf(req).user, ip: req.ip }, up.paths[0]!, {
          name,
          ...(format ? { format } : {}),
          ...(up.fields.category ? { category: up.fields.category } : {}),
        });
      } finally {
        rmSync(up.folder, { recursive: true, force: true });
      }
    },
  });
  app.route({
    method: 'POST',
    url: '/api/hashlists/:id/enable',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary:
        'Enables or disables a list (by name) → the processing job (`processJob`, null when nothing changed) that refreshes the signals and scores of the reports its entries touch',
      tags: ['hashes'],
      params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
      body: Type.Object({ enabled: Type.Boolean() }),
      response: withErrors(Type.Object({ ok: Type.Boolean(), processJob: Type.Union([Type.String(), Type.Null()]) })),
    },
    handler: async (req) => {
      const r = await enableHashList(ctx.store, ctx.jobs, { user: sessionOf(req).user, ip: req.ip }, req.params.id, req.body.enabled);
      if (!r) throw notFound('NOT_FOUND', `no hash list ${req.params.id}`);
      return { ok: true, ...r };
    },
  });

  // A ruleset arrives as JSON (object) or its text; triage validates it and lists every problem (BAD_RULESET).
  const rulesetText = (r: unknown): string => (typeof r === 'string' ? r : JSON.stringify(r));
  app.route({
    method: 'GET',
    url: '/api/rules',
    config: { roles: WORKERS, object: 'none' },
    schema: {
      summary: "The live ruleset (JSON), every version with its status, and each rule's text key (null: the agency's own wording)",
      tags: ['rules'],
      response: withErrors(
        Type.Object({ live: Anything, versions: Type.Array(Anything), textKeys: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])) }),
      ),
    },
    handler: async () => rulesView(ctx.store),
  });
  app.route({
    method: 'POST',
    url: '/api/rules/test',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary:
        'How the queue would change if this ruleset went live, against the live scores as stored: tier changes (from → to) and reports moving by more than a threshold (nothing is written)',
      tags: ['rules'],
      body: Type.Object({
        ruleset: Type.Unknown(),
        threshold: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 10_000_000,
            description: 'places a report must move by, more than, to count as moved (default 1% of the queue)',
          }),
        ),
      }),
      response: withErrors(Anything),
    },
    handler: async (req) =>
      testRuleset(ctx.store, rulesetText(req.body.ruleset), {
        now: ctx.now(),
        ...(req.body.threshold !== undefined ? { threshold: req.body.threshold } : {}),
      }),
  });
  app.route({
    method: 'POST',
    url: '/api/rules/publish',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary: 'Stores the ruleset as a new version and makes it live (audited); re-scoring every report is a job: 202 with its id',
      tags: ['rules'],
      body: Type.Object({ ruleset: Type.Unknown(), comment: Type.String({ minLength: 1, maxLength: 2000 }) }),
      response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const { version, jobId } = await publishRuleset(
        ctx.store,
        ctx.jobs,
        { user: sessionOf(req).user, ip: req.ip },
        {
          text: rulesetText(req.body.ruleset),
          comment: req.body.comment,
          now: ctx.now(),
        },
      );
      return reply.code(202).send({ jobId, state: 'queued', version });
    },
  });

  app.route({
    method: 'GET',
    url: '/api/ingest',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary: 'What an upload may be: the bytes a file may have, the files a request may carry, and the file names ingest reads',
      tags: ['ingest'],
      response: withErrors(Type.Object({ maxFileBytes: Type.Integer(), maxFiles: Type.Integer(), extensions: Type.Array(Type.String()) })),
    },
    handler: async () => ({ maxFileBytes: uploadLimits().fileSize, maxFiles: uploadLimits().files, extensions: [...INPUT_EXTENSIONS] }),
  });
  app.route({
    method: 'POST',
    url: '/api/ingest',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary:
        "Uploads report files (bundle XML, LE JSON or JSON Lines, .gz, .zip) and transactions files (CSV or JSON Lines, by their header); ingesting them (the CLI's quarantine rules) and processing them is a job: 202 with its id",
      tags: ['ingest'],
      consumes: ['multipart/form-data'],
      response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const up = await saveUploads(req, ctx.uploadDir);
      const jobId = await ctx.jobs.enqueue('ingest', { folder: up.folder, paths: up.paths }, { requestedBy: sessionOf(req).user.id });
      await appendAudit(ctx.store, { ...who(req), action: 'ingest', detail: { files: up.paths.map((p) => uploadedName(p, ctx.uploadDir)), jobId } });
      return reply.code(202).send({ jobId, state: 'queued' });
    },
  });
  app.route({
    method: 'GET',
    url: '/api/quarantine',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary:
        "What ingest set aside and why, newest first (`bantay quarantine list`); `runId` (an ingest job's result) narrows to one run. Files are named as uploaded, never by their server path",
      tags: ['ingest'],
      querystring: Type.Object({ runId: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
      response: withErrors(
        Type.Array(
          Type.Object({
            id: Type.Integer(),
            file: Type.String(),
            entry: Type.Union([Type.String(), Type.Null()]),
            line: Type.Union([Type.Integer(), Type.Null()]),
            column: Type.Union([Type.Integer(), Type.Null()]),
            reportId: Type.Union([Type.String(), Type.Null()]),
            reason: Type.String(),
            count: Type.Integer(),
            lastSeenAt: Type.String(),
          }),
        ),
      ),
    },
    handler: async (req) =>
      (await listQuarantine(ctx.store.db, { limit: req.query.limit, ...(req.query.runId !== undefined ? { runId: req.query.runId } : {}) })).map((q) => ({
        id: q.id,
        file: uploadedName(q.source, ctx.uploadDir),
        entry: q.entry,
        line: q.line,
        column: q.column,
        reportId: q.reportId,
        reason: q.reason,
        count: q.count,
        lastSeenAt: q.lastSeenAt,
      })),
  });

  for (const format of ['csv', 'json'] as const) {
    app.route({
      method: 'GET',
      url: `/api/exports/queue.${format}`,
      config: { roles: WORKERS, object: 'filtered' },
      schema: {
        summary: `Every report of a queue view as ${format.toUpperCase()}, streamed in queue order a chunk at a time (same filters as /api/queue, no page cut; province names and reasons; audited); as a job: POST /api/exports/queue`,
        tags: ['exports'],
        querystring: Type.Object({
          ...QueueQuerySchema.properties,
          limit: Type.Optional(Type.Integer({ minimum: 1, description: 'at most this many rows (default: every row)' })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
      handler: async (req, reply) => {
        const user = sessionOf(req).user;
        const f = await streamQueueExport(
          ctx.store,
          req.query,
          format,
          await viewerOf(ctx.store, user),
          { userId: user.id, username: user.username, ip: req.ip },
          ctx.now(),
        );
        reply.header('content-disposition', `attachment; filename="${f.filename}"`).header('x-total-count', String(f.rows));
        return reply.type(f.contentType).send(Readable.from(f.chunks));
      },
    });
  }
  app.route({
    method: 'POST',
    url: '/api/exports/queue',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary:
        'A large queue slice (up to 100,000 reports) as CSV or JSON, built by a job: 202 with its id; fetch it from GET /api/jobs/:id/file (audited when built)',
      tags: ['exports'],
      body: Type.Object({
        format: Type.Union([Type.Literal('csv'), Type.Literal('json')]),
        query: Type.Object({ ...QueueQuerySchema.properties, limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }) }),
      }),
      response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const jobId = await ctx.jobs.enqueue(
        'export-queue',
        { query: req.body.query, format: req.body.format, userId: sessionOf(req).user.id, ip: req.ip, now: ctx.now().toISOString() },
        { requestedBy: sessionOf(req).user.id },
      );
      return reply.code(202).send({ jobId, state: 'queued' });
    },
  });
}
