// Cases (a lead investigator, subjects and reports) and partner agencies.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS, SUPERVISORS, ADMINS } from '../../cases/roles.ts';
import { addToCase, closeCase, createCase, viewerOf } from '../../cases/work.ts';
import { visibleToOf } from '../../cases/access.ts';
import { getCase, listAgencies, listCases, upsertAgency } from '../../store/cases.ts';
import { appendAudit } from '../../cases/audit.ts';
import { ApiError } from '../errors.ts';
import { sessionOf } from '../auth.ts';
import { ItemKind, Ok, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';

const CaseSummary = Type.Object({
  id: Type.String(), title: Type.String(), leadId: Type.Integer(), lead: Type.Union([Type.String(), Type.Null()]), status: Type.String(),
  closeReason: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), closedAt: Type.Union([Type.String(), Type.Null()]),
});
const CaseBody = Type.Object({ ...CaseSummary.properties, items: Type.Array(Type.Object({ kind: Type.String(), itemId: Type.String(), addedAt: Type.String() })) });
const Items = Type.Array(Type.Object({ kind: ItemKind, itemId: Type.String({ minLength: 1, maxLength: 200 }) }), { maxItems: 1000 });
const CaseId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Agency = Type.Object({ code: Type.String(), name: Type.String(), purpose: Type.String(), enabled: Type.Boolean() });

/** Registers the case and agency routes. */
export function caseRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({ user: sessionOf(req).user, ip: req.ip });

  app.route({
    method: 'GET', url: '/api/cases', config: { roles: WORKERS, object: 'filtered' },
    schema: { summary: 'Cases, newest first', tags: ['cases'], querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])) }), response: withErrors(Type.Array(CaseSummary)) },
    handler: async (req) => listCases(ctx.store.db, req.query.status, visibleToOf(await viewerOf(ctx.store, sessionOf(req).user)).visibleTo),
  });
  app.route({
    method: 'POST', url: '/api/cases', config: { roles: SUPERVISORS, object: 'items' },
    schema: { summary: 'Opens a case; its subjects and reports are deconflicted', tags: ['cases'], body: Type.Object({ title: Type.String({ minLength: 1, maxLength: 300 }), leadId: Type.Integer(), items: Type.Optional(Items) }), response: withErrors(CaseBody, 201) },
    handler: async (req, reply) => {
      reply.code(201);
      return createCase(ctx.store, actor(req), { title: req.body.title, leadId: req.body.leadId, items: req.body.items ?? [] });
    },
  });
  app.route({
    method: 'GET', url: '/api/cases/:id', config: { roles: WORKERS, object: 'case' },
    schema: { summary: 'One case with its items', tags: ['cases'], params: CaseId, response: withErrors(CaseBody) },
    handler: async (req) => {
      const c = await getCase(ctx.store.db, req.params.id);
      if (!c) throw new ApiError(404, 'NOT_FOUND', `no case ${req.params.id}`);
      await appendAudit(ctx.store, { action: 'view', userId: sessionOf(req).user.id, username: sessionOf(req).user.username, ip: req.ip, targetKind: 'case', targetId: c.id });
      return c;
    },
  });
  app.route({
    method: 'POST', url: '/api/cases/:id/items', config: { roles: SUPERVISORS, object: 'case' },
    schema: { summary: 'Adds subjects or reports to a case', tags: ['cases'], params: CaseId, body: Type.Object({ items: Items }), response: withErrors(CaseBody) },
    handler: async (req) => addToCase(ctx.store, actor(req), req.params.id, req.body.items),
  });
  app.route({
    method: 'POST', url: '/api/cases/:id/close', config: { roles: SUPERVISORS, object: 'case' },
    schema: { summary: 'Closes a case; its reports leave deconfliction', tags: ['cases'], params: CaseId, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }), response: withErrors(CaseBody) },
    handler: async (req) => closeCase(ctx.store, actor(req), req.params.id, req.body.reason),
  });
  app.route({
    method: 'GET', url: '/api/agencies', config: { roles: WORKERS, object: 'none' },
    schema: { summary: 'Partner agencies for referral and endorsement', tags: ['cases'], response: withErrors(Type.Array(Agency)) },
    handler: async () => listAgencies(ctx.store.db),
  });
  app.route({
    method: 'PUT', url: '/api/agencies/:code', config: { roles: ADMINS, object: 'none' },
    schema: { summary: 'Adds or changes a partner agency', tags: ['cases'], params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9-]{2,40}$' }) }), body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 300 }), purpose: Type.String({ maxLength: 300 }), enabled: Type.Boolean() }), response: withErrors(Ok) },
    handler: async (req) => {
      await upsertAgency(ctx.store.db, { code: req.params.code, ...req.body });
      await appendAudit(ctx.store, { action: 'agency.set', userId: sessionOf(req).user.id, username: sessionOf(req).user.username, ip: req.ip, targetKind: 'agency', targetId: req.params.code, detail: req.body });
      return { ok: true };
    },
  });
}
