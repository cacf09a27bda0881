// The queue, "next report", and per-report case work.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { checkQueueQuery, readQueue } from '../../cases/queue.ts';
import { addNote, assign, closeViralBatch, nextReport, refer, setHold, setStatus, viewerOf, STATUSES, CLOSE_REASONS } from '../../cases/work.ts';
import { getReport } from '../../store/reports.ts';
import { reportView } from '../../cases/report-view.ts';
import { sessionOf } from '../auth.ts';
import { Anything, IdParam, ItemKind, Ok, Open, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { badInput, notFound } from '../../model/error.ts';

const QueueItem = Type.Object({
  reportId: Type.String(),
  tier: Type.Union([Type.String(), Type.Null()]),
  harm: Type.Union([Type.Number(), Type.Null()]),
  actionability: Type.Union([Type.Number(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  reasons: Type.Array(
    Type.Object({
      rule: Type.String(),
      effect: Type.String(),
      evidence: Type.String(),
      description: Type.String(),
      textKey: Type.Union([Type.String(), Type.Null()], {
        description: 'catalogue key of the rule text (shipped rules); null: show the description as written',
      }),
    }),
  ),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  incidentType: Type.String(),
  esp: Type.Union([Type.String(), Type.Null()]),
  provinceCode: Type.Union([Type.String(), Type.Null()]),
  ageDays: Type.Union([Type.Integer(), Type.Null()]),
  preservationDeadline: Type.Union([Type.String(), Type.Null()]),
  assignee: Type.Union([Type.String(), Type.Null()]),
  assigneeId: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String(),
  held: Type.Boolean(),
  viralBatch: Type.Union([Type.String(), Type.Null()], { description: 'viral batch key (representative hash of the viral content), null when not viral' }),
  viralBatchOpen: Type.Union([Type.Integer(), Type.Null()], { description: 'open reports in that batch the caller sees' }),
  espBatched: Type.Boolean({ description: 'NCMEC batched the report as viral' }),
  deconflicted: Type.Union([Type.Object({ caseId: Type.String() }), Type.Null()]),
});

/** Another agency's active case holding an identifier of a report or subject (docs/deconfliction.md). */
export const ExternalMarks = Type.Array(
  Type.Object({
    agency: Type.String(),
    contact: Type.String(),
    since: Type.String({ description: "YYYY-MM-DD: since when the identifier is in that agency's active case" }),
    expiresAt: Type.String(),
    via: Type.Union([Type.Literal('report'), Type.Literal('subject')]),
    kinds: Type.Array(Type.String(), { description: 'the kinds of the matching identifiers here (phone, email...)' }),
  }),
  { description: "deconfliction between agencies: visible to everyone, like the marks of this agency's own cases" },
);

/** The queue query string (shared with the CSV export). */
export const QueueQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  tier: Type.Optional(Type.String({ maxLength: 40 })),
  incidentType: Type.Optional(Type.String({ maxLength: 200 })),
  esp: Type.Optional(Type.String({ maxLength: 200 })),
  province: Type.Optional(Type.String({ maxLength: 400, pattern: '^[0-9]{10}(,[0-9]{10})*$', description: 'PSGC codes, comma-separated' })),
  annotation: Type.Optional(Type.String({ maxLength: 200 })),
  viralBatch: Type.Optional(Type.String({ maxLength: 300, pattern: '^[a-z0-9]+:[^\\s]+$', description: 'one viral batch key (as in the items)' })),
  municipality: Type.Optional(
    Type.String({ maxLength: 400, pattern: '^[0-9]{10}(,[0-9]{10})*$', description: 'PSGC codes of cities or municipalities, comma-separated' }),
  ),
  trend: Type.Optional(
    Type.String({
      maxLength: 300,
      pattern: '^(esp|incidentType|province|municipality|annotation|hash|subject|corridor):.+$',
      description: 'one trend series, dimension:key (as in a trend alert)',
    }),
  ),
  from: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'first Manila day (of the trend series, else of receipt)' })),
  to: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'last Manila day' })),
  assigned: Type.Optional(Type.String({ pattern: '^(me|none|any|[0-9]{1,9})$' })),
  status: Type.Optional(Type.Union([...['open', 'all', ...STATUSES].map((s) => Type.Literal(s))])),
  includePaused: Type.Optional(
    Type.Boolean({ description: 'paused reports (held by a case) too, after every other; without it they show only under the paused tier' }),
  ),
  sort: Type.Optional(Type.Union([Type.Literal('priority'), Type.Literal('received_desc'), Type.Literal('received_asc')])),
});

const Work = Type.Object({
  status: Type.String(),
  closeReason: Type.Union([Type.String(), Type.Null()]),
  assignee: Type.Union([Type.String(), Type.Null()]),
  assigneeId: Type.Union([Type.Integer(), Type.Null()]),
  team: Type.Union([Type.String(), Type.Null()]),
  held: Type.Boolean(),
  notes: Type.Array(
    Type.Object({
      id: Type.Integer(),
      authorId: Type.Integer(),
      author: Type.Union([Type.String(), Type.Null()]),
      text: Type.String(),
      reportVersion: Type.Union([Type.Integer(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ),
  referrals: Type.Array(Open({ id: Type.Integer(), agency: Type.String(), type: Type.String(), sentAt: Type.String() })),
});

// The second, explicit confirmation a close of the top two tiers needs (src/cases/careful.ts).
const Confirm = Type.Optional(
  Type.Boolean({
    description:
      "true: the caller confirmed closing IMMEDIATE or HIGH items (the careful dialog's second step); without it such a close is 409 CONFIRM_REQUIRED with error.items [{itemId, tier}]",
  }),
);
const Deconfliction = Type.Union([Type.Object({ caseId: Type.String(), since: Type.String() }), Type.Null()]);

/** Registers the queue and report routes. */
export function queueRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (req: { ip: string; session?: unknown } & Parameters<typeof sessionOf>[0]) => ({ user: sessionOf(req).user, ip: req.ip });

  app.route({
    method: 'GET',
    url: '/api/queue',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'A page of the work queue',
      tags: ['queue'],
      querystring: QueueQuerySchema,
      response: withErrors(Type.Object({ total: Type.Integer(), items: Type.Array(QueueItem) })),
    },
    handler: async (req) => {
      const viewer = await viewerOf(ctx.store, sessionOf(req).user);
      return readQueue(ctx.store, await checkQueueQuery(ctx.store, req.query, viewer), viewer, ctx.now());
    },
  });

  app.route({
    method: 'POST',
    url: '/api/queue/next',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Assigns the top unassigned report to the caller, under a lock',
      tags: ['queue'],
      response: withErrors(Type.Object({ reportId: Type.Union([Type.String(), Type.Null()]) })),
    },
    handler: async (req) => ({ reportId: (await nextReport(ctx.store, actor(req))) ?? null }),
  });

  app.route({
    method: 'GET',
    url: '/api/reports/:id',
    config: { roles: WORKERS, object: 'report' },
    schema: {
      summary: 'One report with its identifiers, links, versions and work (audited view)',
      tags: ['reports'],
      params: IdParam,
      response: withErrors(
        Type.Object({
          summary: Open({ reportId: Type.String() }),
          report: Anything,
          score: Anything,
          identifiers: Type.Array(Open({ kind: Type.String(), value: Type.String(), role: Type.String(), strength: Type.String() })),
          enrichment: Anything,
          files: Type.Array(Anything),
          versions: Type.Array(Open({ version: Type.Integer(), contentHash: Type.String() })),
          links: Type.Array(
            Type.Object({ reportId: Type.String(), reasons: Type.Array(Open({ kind: Type.String(), value: Type.String(), strength: Type.String() })) }),
          ),
          subject: Type.Union([Type.String(), Type.Null()]),
          deconfliction: Deconfliction,
          externalDeconfliction: ExternalMarks,
          work: Work,
        }),
      ),
    },
    handler: async (req) => {
      // The route's object rule ('report') has already checked that the caller may see it.
      const view = await reportView(ctx.store, actor(req), req.params.id);
      if (!view) throw notFound('NOT_FOUND', `no report ${req.params.id}`);
      return view;
    },
  });

  for (const kind of ['report', 'subject'] as const) {
    const base = kind === 'report' ? '/api/reports/:id' : '/api/subjects/:id';
    app.route({
      method: 'POST',
      url: `${base}/assign`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject' },
      schema: {
        summary: `Assigns a ${kind} (supervisors: anyone; analysts: themselves)`,
        tags: ['work'],
        params: IdParam,
        body: Type.Object({
          userId: Type.Union([Type.Null(), Type.Integer()]),
          team: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])),
        }),
        response: withErrors(Ok),
      },
      handler: async (req) => {
        await assign(ctx.store, actor(req), kind, req.params.id, req.body.userId, req.body.team);
        return { ok: true };
      },
    });
    app.route({
      method: 'POST',
      url: `${base}/status`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject' },
      schema: {
        summary: `Sets a ${kind}'s status (closing needs a reason; closing one of the top two tiers also needs confirm: true, else 409 CONFIRM_REQUIRED)`,
        tags: ['work'],
        params: IdParam,
        body: Type.Object({
          status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
          reason: Type.Optional(Type.Union([Type.Null(), ...CLOSE_REASONS.map((s) => Type.Literal(s))])),
          confirm: Confirm,
        }),
        response: withErrors(Ok),
      },
      handler: async (req) => {
        await setStatus(ctx.store, actor(req), kind, [req.params.id], req.body.status, req.body.reason ?? null, { confirm: req.body.confirm === true });
        return { ok: true };
      },
    });
    app.route({
      method: 'POST',
      url: `${base}/notes`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject' },
      schema: {
        summary: `Adds a note to a ${kind}`,
        tags: ['work'],
        params: IdParam,
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 20000 }) }),
        response: withErrors(Type.Object({ id: Type.Integer() })),
      },
      handler: async (req) => {
        const version = kind === 'report' ? ((await getReport(ctx.store.db, req.params.id))?.currentVersion ?? null) : null;
        return { id: await addNote(ctx.store, actor(req), kind, req.params.id, req.body.text, version) };
      },
    });
    app.route({
      method: 'POST',
      url: `${base}/hold`,
      config: { roles: SUPERVISORS, object: kind === 'report' ? 'report' : 'subject' },
      schema: {
        summary: `Holds or releases a ${kind} ("next report" skips held reports)`,
        tags: ['work'],
        params: IdParam,
        body: Type.Object({ held: Type.Boolean() }),
        response: withErrors(Ok),
      },
      handler: async (req) => {
        await setHold(ctx.store, actor(req), kind, req.params.id, req.body.held);
        return { ok: true };
      },
    });
    app.route({
      method: 'POST',
      url: `${base}/refer`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject' },
      schema: {
        summary: `Refers or endorses a ${kind} to a partner agency, recording what was sent`,
        tags: ['work'],
        params: IdParam,
        body: Type.Object({
          agency: Type.String({ maxLength: 40 }),
          type: Type.Union([Type.Literal('referral'), Type.Literal('endorsement')]),
          sent: Type.Unknown(),
          comment: Type.Optional(Type.String({ maxLength: 5000 })),
        }),
        response: withErrors(Type.Object({ id: Type.Integer() })),
      },
      handler: async (req) => ({
        id: await refer(ctx.store, actor(req), {
          kind,
          itemId: req.params.id,
          agency: req.body.agency,
          type: req.body.type,
          sent: req.body.sent ?? null,
          comment: req.body.comment ?? null,
        }),
      }),
    });
  }

  app.route({
    method: 'POST',
    url: '/api/reports/close-batch',
    config: { roles: WORKERS, object: 'reports' },
    schema: {
      summary:
        'Closes many reports at once: the given ids (confirm: true when any is of the top two tiers), or the open reports of one viral batch (confirmed by its preview)',
      tags: ['work'],
      body: Type.Object({
        reportIds: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 5000 })),
        viralBatch: Type.Optional(Type.String({ maxLength: 300, pattern: '^[a-z0-9]+:[^\\s]+$' })),
        reason: Type.Union(CLOSE_REASONS.map((s) => Type.Literal(s))),
        confirm: Confirm,
      }),
      response: withErrors(Type.Object({ closed: Type.Integer(), reportIds: Type.Array(Type.String()) })),
    },
    handler: async (req) => {
      const { reportIds, viralBatch, reason } = req.body;
      if (viralBatch !== undefined && reportIds === undefined) {
        const closed = await closeViralBatch(ctx.store, actor(req), viralBatch, reason);
        return { closed: closed.length, reportIds: closed };
      }
      if (reportIds === undefined || viralBatch !== undefined) throw badInput('VALIDATION', 'give either reportIds or viralBatch');
      await setStatus(ctx.store, actor(req), 'report', reportIds, 'closed', reason, { confirm: req.body.confirm === true });
      return { closed: reportIds.length, reportIds };
    },
  });

  void ItemKind;
}
