// The children: a victim-centred list in danger order, one child with its reports and people, and
// the rescue workflow. A child follows its reports' access (rules `child`, `child-all`); every view
// of a child and every step is in the audit trail.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { recordRescueStep } from '../../cases/rescue.ts';
import { RESCUE_STEPS } from '../../children/run.ts';
import { childPage, childrenFor } from '../../cases/child-view.ts';
import { viewerOf } from '../../cases/work.ts';
import { grantOf } from '../access.ts';
import { sessionOf } from '../auth.ts';
import { withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

const Str = Type.Union([Type.String(), Type.Null()]);
const Step = Type.Union(RESCUE_STEPS.map((s) => Type.Literal(s)));
const Status = Type.Union([Type.Literal('open'), ...RESCUE_STEPS.map((s) => Type.Literal(s))]);

const Child = Type.Object({
  id: Type.String(),
  name: Str,
  handle: Str,
  school: Str,
  band: Type.String(),
  age: Type.Union([Type.Integer(), Type.Null()]),
  ageNow: Type.Union([Type.Integer(), Type.Null()]),
  firstSeen: Str,
  lastSeen: Str,
  reports: Type.Array(Type.String()),
  subjects: Type.Array(Type.String()),
  place: Type.Object({ text: Str, provinceCode: Str, municipalityCode: Str }),
  ongoing: Type.Object({ recent: Type.Boolean(), livestream: Type.Boolean(), escalation: Type.Boolean(), payments: Type.Boolean(), lastPaymentAt: Str }),
  identified: Type.Array(Type.String()),
  people: Type.Array(Type.Object({ name: Str, handle: Str })),
  household: Type.Boolean(),
  annotations: Type.Array(Type.String()),
  status: Status,
  steps: Type.Array(
    Type.Object({
      id: Type.Integer(),
      childId: Type.String(),
      step: Type.String(),
      at: Type.String(),
      userId: Type.Union([Type.Integer(), Type.Null()]),
      username: Str,
      note: Type.String(),
    }),
  ),
  danger: Type.Array(Type.String()),
});
const Seen = Type.Object({ ...Child.properties, hiddenReports: Type.Integer() });
const Page = Type.Object({
  ...Seen.properties,
  reportRows: Type.Array(
    Type.Object({
      reportId: Type.String(),
      receivedAt: Str,
      incidentType: Str,
      tier: Str,
      score: Type.Union([Type.Number(), Type.Null()]),
      status: Type.String(),
    }),
  ),
});
const ChildId = Type.Object({ id: Type.String({ pattern: '^C-[A-Za-z0-9._:-]{1,200}$' }) });

/** Registers the children routes. */
export function childrenRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.route({
    method: 'GET',
    url: '/api/children',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Every child the reports name or their files imply, the child in most danger now first (bantay children)',
      tags: ['children'],
      querystring: Type.Object({
        status: Type.Optional(Status),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
      }),
      response: withErrors(Type.Object({ total: Type.Integer(), items: Type.Array(Seen) })),
    },
    handler: async (req) =>
      childrenFor(ctx.store, await viewerOf(ctx.store, sessionOf(req).user), {
        limit: req.query.limit,
        offset: req.query.offset,
        ...(req.query.status ? { status: req.query.status } : {}),
      }),
  });

  app.route({
    method: 'GET',
    url: '/api/children/:id',
    config: { roles: WORKERS, object: 'child' },
    schema: {
      summary: 'One child with the reports the caller may see, their tiers and a count of the others (the view is audited)',
      tags: ['children'],
      params: ChildId,
      response: withErrors(Page),
    },
    handler: async (req) => {
      const c = await childPage(ctx.store, { user: sessionOf(req).user, ip: req.ip }, grantOf(req), req.params.id);
      if (!c) throw notFound('NOT_FOUND', `no child ${req.params.id}`);
      return c;
    },
  });

  app.route({
    // A step re-scores every report of the child, so it needs them all (supervisors see every report).
    method: 'POST',
    url: '/api/children/:id/steps',
    config: { roles: WORKERS, object: 'child-all' },
    schema: {
      summary: 'Records a rescue step (identified, located, referred, rescued, aftercare), forward only, with a note; audited; needs every report of the child',
      tags: ['children'],
      params: ChildId,
      body: Type.Object({ step: Step, note: Type.String({ minLength: 1, maxLength: 4000 }) }),
      response: withErrors(Child),
    },
    handler: async (req) => recordRescueStep(ctx.store, { user: sessionOf(req).user, ip: req.ip }, req.params.id, req.body.step, req.body.note),
  });
}
