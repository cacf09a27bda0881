// Cases (a lead investigator, subjects and reports) and partner agencies.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS, SUPERVISORS, ADMINS } from '../../cases/roles.ts';
import { addToCase, closeCase, createCase, viewerOf } from '../../cases/work.ts';
import { visibleToOf } from '../../cases/access.ts';
import { listAgencies, listCases, upsertAgency } from '../../store/cases.ts';
import { caseDetail } from '../../cases/case-work.ts';
import { grantOf } from '../access.ts';
import { appendAudit } from '../../cases/audit.ts';
import { sessionOf } from '../auth.ts';
import { ItemKind, Ok, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

const CaseSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  leadId: Type.Integer(),
  lead: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  closeReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});
const CaseBody = Type.Object({
  ...CaseSummary.properties,
  items: Type.Array(Type.Object({ kind: Type.String(), itemId: Type.String(), addedAt: Type.String() })),
});
const CaseDetailBody = Type.Object({
  ...CaseBody.properties,
  legalStatus: Type.String(),
  reports: Type.Array(
    Type.Object({
      reportId: Type.String(),
      tier: Type.Union([Type.String(), Type.Null()]),
      score: Type.Union([Type.Number(), Type.Null()]),
      receivedAt: Type.Union([Type.String(), Type.Null()]),
      incidentType: Type.Union([Type.String(), Type.Null()]),
      esp: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
      assignee: Type.Union([Type.String(), Type.Null()]),
      viaSubject: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  hiddenReports: Type.Integer({ description: 'reports of the case the caller may not see (left out)' }),
  subjects: Type.Array(
    Type.Object({
      id: Type.String(),
      inCase: Type.Boolean(),
      tier: Type.Union([Type.String(), Type.Null()]),
      score: Type.Union([Type.Number(), Type.Null()]),
      reports: Type.Integer(),
    }),
  ),
  log: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      authorId: Type.Integer(),
      author: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
      channel: Type.Union([Type.String(), Type.Null()]),
      direction: Type.Union([Type.String(), Type.Null()]),
      counterpart: Type.Union([Type.String(), Type.Null()]),
      text: Type.String(),
    }),
  ),
  attachments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      sha256: Type.String(),
      md5: Type.Union([Type.String(), Type.Null()]),
      bytes: Type.Union([Type.Integer(), Type.Null()]),
      note: Type.Union([Type.String(), Type.Null()]),
      addedBy: Type.Union([Type.String(), Type.Null()]),
      addedAt: Type.String(),
    }),
  ),
  referrals: Type.Array(Type.Object({ id: Type.Integer(), agency: Type.String(), type: Type.String(), sentAt: Type.String(), sent: Type.Unknown() })),
});
const Items = Type.Array(Type.Object({ kind: ItemKind, itemId: Type.String({ minLength: 1, maxLength: 200 }) }), { maxItems: 1000 });
const CaseId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Agency = Type.Object({ code: Type.String(), name: Type.String(), purpose: Type.String(), enabled: Type.Boolean() });

/** Registers the case and agency routes. */
export function caseRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({ user: sessionOf(req).user, ip: req.ip });

  app.route({
    method: 'GET',
    url: '/api/cases',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Cases, newest first',
      tags: ['cases'],
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])) }),
      response: withErrors(Type.Array(CaseSummary)),
    },
    handler: async (req) => listCases(ctx.store.db, req.query.status, visibleToOf(await viewerOf(ctx.store, sessionOf(req).user)).visibleTo),
  });
  app.route({
    method: 'POST',
    url: '/api/cases',
    config: { roles: SUPERVISORS, object: 'items' },
    schema: {
      summary: 'Opens a case; its subjects and reports are deconflicted',
      tags: ['cases'],
      body: Type.Object({ title: Type.String({ minLength: 1, maxLength: 300 }), leadId: Type.Integer(), items: Type.Optional(Items) }),
      response: withErrors(CaseBody, 201),
    },
    handler: async (req, reply) => {
      reply.code(201);
      return createCase(ctx.store, actor(req), { title: req.body.title, leadId: req.body.leadId, items: req.body.items ?? [] });
    },
  });
  app.route({
    method: 'GET',
    url: '/api/cases/:id',
    config: { roles: WORKERS, object: 'case' },
    schema: {
      summary: 'One case: its items, legal status, log, attachments (hashes), referrals, and its reports and subjects with their tiers (audited view)',
      tags: ['cases'],
      params: CaseId,
      response: withErrors(CaseDetailBody),
    },
    handler: async (req) => {
      const c = await caseDetail(ctx.store, actor(req), req.params.id, grantOf(req));
      if (!c) throw notFound('NOT_FOUND', `no case ${req.params.id}`);
      return c;
    },
  });
  app.route({
    method: 'POST',
    url: '/api/cases/:id/items',
    config: { roles: SUPERVISORS, object: 'case' },
    schema: {
      summary: 'Adds subjects or reports to a case',
      tags: ['cases'],
      params: CaseId,
      body: Type.Object({ items: Items }),
      response: withErrors(CaseBody),
    },
    handler: async (req) => addToCase(ctx.store, actor(req), req.params.id, req.body.items),
  });
  app.route({
    method: 'POST',
    url: '/api/cases/:id/close',
    config: { roles: SUPERVISORS, object: 'case' },
    schema: {
      summary: 'Closes a case; its reports leave deconfliction',
      tags: ['cases'],
      params: CaseId,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }),
      response: withErrors(CaseBody),
    },
    handler: async (req) => closeCase(ctx.store, actor(req), req.params.id, req.body.reason),
  });
  app.route({
    method: 'GET',
    url: '/api/agencies',
    config: { roles: WORKERS, object: 'none' },
    schema: { summary: 'Partner agencies for referral and endorsement', tags: ['cases'], response: withErrors(Type.Array(Agency)) },
    handler: async () => listAgencies(ctx.store.db),
  });
  app.route({
    method: 'PUT',
    url: '/api/agencies/:code',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Adds or changes a partner agency',
      tags: ['cases'],
      params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9-]{2,40}$' }) }),
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 300 }), purpose: Type.String({ maxLength: 300 }), enabled: Type.Boolean() }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      await upsertAgency(ctx.store.db, { code: req.params.code, ...req.body });
      await appendAudit(ctx.store, {
        action: 'agency.set',
        userId: sessionOf(req).user.id,
        username: sessionOf(req).user.username,
        ip: req.ip,
        targetKind: 'agency',
        targetId: req.params.code,
        detail: req.body,
      });
      return { ok: true };
    },
  });
}
