// Follow the people and the money: subjects ranked like `bantay suspects`, flagged payers and
// receivers with their reasons, a search by any account or wallet, a party's money flow and a
// subject's. Only what the caller may see; reads of a flow are audited.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { viewerOf } from '../../cases/work.ts';
import { suspectList } from '../../cases/suspect-list.ts';
import { partyView, paymentParties, subjectFlowView } from '../../cases/payment-view.ts';
import { sessionOf } from '../auth.ts';
import { grantOf } from '../access.ts';
import { IdParam, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

const Reason = Type.Object({ rule: Type.String(), effect: Type.String(), evidence: Type.String(), description: Type.String() });
const Suspect = Type.Object({
  subjectId: Type.String(),
  tier: Type.String(),
  score: Type.Number(),
  reportCount: Type.Integer(),
  hiddenReports: Type.Integer(),
  esps: Type.Array(Type.String()),
  reasons: Type.Array(Reason),
  status: Type.String(),
  assignee: Type.Union([Type.String(), Type.Null()]),
});
const PartyScore = Type.Object({
  role: Type.String(),
  score: Type.Number(),
  alerted: Type.Boolean(),
  reasons: Type.Array(Type.Object({ rule: Type.String(), points: Type.Union([Type.Number(), Type.Null()]), why: Type.String(), evidence: Type.String() })),
});
const Party = Type.Object({
  partyId: Type.String(),
  label: Type.String(),
  country: Type.Union([Type.String(), Type.Null()]),
  keys: Type.Array(Type.String()),
  customers: Type.Array(Type.String()),
  sent: Type.Integer(),
  received: Type.Integer(),
  scores: Type.Array(PartyScore),
  reportIds: Type.Array(Type.String()),
  subjectIds: Type.Array(Type.String()),
  hiddenReports: Type.Integer({ description: 'reports it reaches that the caller may not see' }),
});
const Flow = Type.Object({
  nodes: Type.Array(
    Type.Object({
      id: Type.String(),
      role: Type.String(),
      label: Type.String(),
      country: Type.Union([Type.String(), Type.Null()]),
      flagged: Type.Boolean(),
      score: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  edges: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      amount: Type.Number(),
      currency: Type.String(),
      amountPhp: Type.Number(),
      count: Type.Integer(),
      first: Type.String(),
      last: Type.String(),
    }),
  ),
});
const PartyId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 500 }) });

/** Registers the suspects and payments routes. */
export function followRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({ user: sessionOf(req).user, ip: req.ip });

  app.route({
    method: 'GET',
    url: '/api/suspects',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Subjects ranked by danger like `bantay suspects` (escalations, access to children, new material, repeat reports, payments), with their reasons',
      tags: ['subjects'],
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
        tier: Type.Optional(Type.String({ pattern: '^[A-Z]{1,20}$' })),
      }),
      response: withErrors(Type.Object({ total: Type.Integer(), items: Type.Array(Suspect) })),
    },
    handler: async (req) => suspectList(ctx.store, await viewerOf(ctx.store, sessionOf(req).user), req.query),
  });

  app.route({
    method: 'GET',
    url: '/api/payments/parties',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary:
        'Flagged payers and receivers, highest score first, with their reasons; with q, the parties whose account, wallet, phone, e-mail, name or customer id contains it (search audited)',
      tags: ['payments'],
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
      response: withErrors(Type.Array(Party)),
    },
    handler: async (req) =>
      paymentParties(ctx.store, actor(req), await viewerOf(ctx.store, sessionOf(req).user), { text: req.query.q, limit: req.query.limit }),
  });

  app.route({
    method: 'GET',
    url: '/api/payments/parties/:id',
    config: { roles: WORKERS, object: 'party' },
    schema: {
      summary: 'One payment party: scores and reasons, its money flow, the reports it reaches (audited)',
      tags: ['payments'],
      params: PartyId,
      response: withErrors(Type.Object({ ...Party.properties, flow: Flow })),
    },
    handler: async (req) => {
      const p = await partyView(ctx.store, actor(req), await viewerOf(ctx.store, sessionOf(req).user), req.params.id);
      if (!p) throw notFound('NOT_FOUND', `no payment party ${req.params.id}`);
      return p;
    },
  });

  app.route({
    method: 'GET',
    url: '/api/subjects/:id/payments',
    config: { roles: WORKERS, object: 'subject-all' },
    schema: {
      summary: 'The money flow of a subject: who paid its parties and whom they paid (audited)',
      tags: ['payments'],
      params: IdParam,
      response: withErrors(Flow),
    },
    handler: async (req) => subjectFlowView(ctx.store, actor(req), grantOf(req)),
  });
}
