// Letters (a preservation request to the ESP, a subscriber request to the carrier), the agency's
// templates for them and for the initial report, and the alert on new reports of the top tier.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ADMINS, SUPERVISORS, WORKERS } from '../../cases/roles.ts';
import { appendAudit } from '../../cases/audit.ts';
import { recentUrgent } from '../../cases/queue.ts';
import { viewerOf } from '../../cases/work.ts';
import {
  contentDisposition,
  checkTemplate,
  DEFAULT_LETTERS,
  DEFAULT_TEMPLATE_NAME,
  exportSources,
  LETTER_KINDS,
  resolveTemplate,
  writeLetter,
  type LetterKind,
} from '../../export/index.ts';
import { deleteTemplate, listTemplates, saveTemplate } from '../../store/templates.ts';
import { sessionOf } from '../auth.ts';
import { IdParam, Ok, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

// The templates shipped in code: the initial report and the letters.
const SHIPPED: Record<string, string> = {
  [DEFAULT_TEMPLATE_NAME]: 'Initial report (shipped)',
  ...Object.fromEntries(Object.entries(DEFAULT_LETTERS).map(([k, v]) => [k, v.description])),
};
const TemplateName = Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$' });

/** Registers the letter, template and alert routes. */
export function letterRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const who = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({
    userId: sessionOf(req).user.id,
    username: sessionOf(req).user.username,
    ip: req.ip,
  });

  for (const kind of ['report', 'subject'] as const) {
    app.route({
      method: 'GET',
      url: `/api/${kind}s/:id/letters/:letter`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject-all' },
      schema: {
        summary: `A letter about a ${kind} from the agency's template: preservation request to the ESP, or subscriber request to the carrier of its IP sessions (audited)`,
        tags: ['exports'],
        params: Type.Object({ ...IdParam.properties, letter: Type.Union(LETTER_KINDS.flatMap((k) => [Type.Literal(`${k}.docx`), Type.Literal(`${k}.pdf`)])) }),
        querystring: Type.Object({
          carrier: Type.Optional(Type.String({ maxLength: 200, description: 'subscriber request: the carrier (default: the one with the most sessions)' })),
          agency: Type.Optional(Type.String({ maxLength: 200 })),
          reference: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
      handler: async (req, reply) => {
        const { id, letter } = req.params;
        const [name, format] = (letter as string).split('.') as [LetterKind, 'docx' | 'pdf'];
        const target = { kind, id };
        const user = sessionOf(req).user;
        const out = await writeLetter(ctx.store, target, name, format, {
          ...(await exportSources(ctx.store)),
          now: ctx.now(),
          preparedBy: user.displayName || user.username,
          ...(req.query.carrier ? { carrier: req.query.carrier } : {}),
          ...(req.query.agency ? { agency: req.query.agency } : {}),
          ...(req.query.reference ? { reference: req.query.reference } : {}),
        });
        await appendAudit(ctx.store, {
          ...who(req),
          action: 'letter',
          targetKind: kind,
          targetId: id,
          detail: {
            letter: name,
            format,
            addressee: out.addressee,
            template: out.template,
            reportIds: out.reportIds,
            ipSessions: name === 'subscriber-request' ? out.rows : undefined,
            filename: out.file.filename,
          },
        });
        return reply.type(out.file.contentType).header('content-disposition', contentDisposition(out.file.filename)).send(Buffer.from(out.file.bytes));
      },
    });
  }

  app.route({
    method: 'GET',
    url: '/api/templates',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary: 'The templates (initial report, letters): shipped and stored',
      tags: ['templates'],
      response: withErrors(
        Type.Array(
          Type.Object({
            name: Type.String(),
            description: Type.String(),
            source: Type.String(),
            version: Type.Integer(),
            updatedAt: Type.Union([Type.String(), Type.Null()]),
            updatedBy: Type.Union([Type.String(), Type.Null()]),
          }),
        ),
      ),
    },
    handler: async () => {
      const stored = await listTemplates(ctx.store.db);
      const names = new Set(stored.map((t) => t.name));
      return [
        ...Object.entries(SHIPPED)
          .filter(([n]) => !names.has(n))
          .map(([name, description]) => ({ name, description, source: 'builtin', version: 0, updatedAt: null, updatedBy: null })),
        ...stored.map((t) => ({
          name: t.name,
          description: t.description,
          source: 'stored',
          version: t.version,
          updatedAt: t.updatedAt,
          updatedBy: t.updatedBy,
        })),
      ].sort((a, b) => a.name.localeCompare(b.name));
    },
  });

  app.route({
    method: 'GET',
    url: '/api/templates/:name',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary: "One template's text (the stored one, else the shipped one)",
      tags: ['templates'],
      params: Type.Object({ name: TemplateName }),
      response: withErrors(Type.Object({ name: Type.String(), body: Type.String(), version: Type.Integer(), source: Type.String() })),
    },
    handler: async (req) => {
      return await resolveTemplate(ctx.store, req.params.name);
    },
  });

  app.route({
    method: 'PUT',
    url: '/api/templates/:name',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Stores a template for every user (checked first; a shipped name replaces the shipped text; audited)',
      tags: ['templates'],
      params: Type.Object({ name: TemplateName }),
      body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 200_000 }), description: Type.Optional(Type.String({ maxLength: 500 })) }),
      response: withErrors(Type.Object({ outcome: Type.String(), version: Type.Integer() })),
    },
    handler: async (req) => {
      checkTemplate(req.body.body);
      const r = await saveTemplate(ctx.store.db, {
        name: req.params.name,
        body: req.body.body,
        description: req.body.description ?? SHIPPED[req.params.name] ?? '',
        updatedBy: sessionOf(req).user.username,
      });
      await appendAudit(ctx.store, { ...who(req), action: 'template.save', targetKind: 'template', targetId: req.params.name, detail: r });
      return r;
    },
  });

  app.route({
    method: 'DELETE',
    url: '/api/templates/:name',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Deletes a stored template (a shipped one comes back; audited)',
      tags: ['templates'],
      params: Type.Object({ name: TemplateName }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      if (!(await deleteTemplate(ctx.store.db, req.params.name))) throw notFound('NOT_FOUND', `no stored template ${req.params.name}`);
      await appendAudit(ctx.store, { ...who(req), action: 'template.delete', targetKind: 'template', targetId: req.params.name });
      return { ok: true };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/alerts/urgent',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Open reports of the top tier (IMMEDIATE) that arrived in the last 24 hours, newest first: the app polls it and alerts on ids it has not seen',
      tags: ['queue'],
      response: withErrors(
        Type.Object({
          tier: Type.String(),
          reports: Type.Array(Type.Object({ reportId: Type.String(), receivedAt: Type.Union([Type.String(), Type.Null()]), ingestedAt: Type.String() })),
        }),
      ),
    },
    // Arrival is wall-clock time (when the report was first stored), whatever the scoring clock.
    handler: async (req) => recentUrgent(ctx.store, await viewerOf(ctx.store, sessionOf(req).user)),
  });
}
