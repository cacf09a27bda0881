// The work a case carries (legal status, log, attachments by hash), the referral package in one
// step from a report, subject or case, and undo of one's last close.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { addCaseAttachment, addCaseLog, LEGAL_STATUSES, LOG_KINDS, setLegalStatus } from '../../cases/case-work.ts';
import { sendReferralPackage, type PackageFor } from '../../cases/referral.ts';
import { lastClose, undoLastClose } from '../../cases/work.ts';
import { contentDisposition } from '../../export/index.ts';
import { sessionOf } from '../auth.ts';
import { IdParam, Ok, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';

const CaseId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Recipient = Type.Object({
  recipient: Type.String({ minLength: 1, maxLength: 200, description: 'the receiving agency: a partner agency code records the referral too' }),
});

/** Sends a built package as a ZIP download, with the referral it recorded (if any) in a header. */
export async function sendPackage(
  ctx: ApiContext,
  req: Parameters<typeof sessionOf>[0] & { ip: string },
  reply: FastifyReply,
  t: PackageFor,
  recipient: string,
): Promise<FastifyReply> {
  const built = await sendReferralPackage(ctx.store, { user: sessionOf(req).user, ip: req.ip }, t, recipient, ctx.now());
  if (built.referralId !== null) reply.header('x-bantay-referral', String(built.referralId));
  return reply.type(built.file.contentType).header('content-disposition', contentDisposition(built.file.filename)).send(Buffer.from(built.file.bytes));
}

/** Registers the case-work, package and undo routes. */
export function caseWorkRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({ user: sessionOf(req).user, ip: req.ip });

  app.route({
    method: 'POST',
    url: '/api/cases/:id/legal',
    config: { roles: WORKERS, object: 'case' },
    schema: {
      summary: 'Moves a case to a step of the legal process (its lead or a supervisor; written to the case log; audited)',
      tags: ['cases'],
      params: CaseId,
      body: Type.Object({ status: Type.Union(LEGAL_STATUSES.map((s) => Type.Literal(s))), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      await setLegalStatus(ctx.store, actor(req), req.params.id, req.body.status, req.body.note ?? null);
      return { ok: true };
    },
  });
  app.route({
    method: 'POST',
    url: '/api/cases/:id/log',
    config: { roles: WORKERS, object: 'case' },
    schema: {
      summary: 'Adds a communication (with channel, direction, counterpart) or a handover note between shifts to a case (audited)',
      tags: ['cases'],
      params: CaseId,
      body: Type.Object({
        kind: Type.Union(LOG_KINDS.map((k) => Type.Literal(k))),
        text: Type.String({ minLength: 1, maxLength: 20000 }),
        channel: Type.Optional(Type.String({ maxLength: 100 })),
        direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
        counterpart: Type.Optional(Type.String({ maxLength: 300 })),
      }),
      response: withErrors(Type.Object({ id: Type.Integer() }), 201),
    },
    handler: async (req, reply) => {
      reply.code(201);
      return { id: await addCaseLog(ctx.store, actor(req), req.params.id, req.body) };
    },
  });
  app.route({
    method: 'POST',
    url: '/api/cases/:id/attachments',
    config: { roles: WORKERS, object: 'case' },
    schema: {
      summary: 'Records an attachment of a case by its hashes and size; the file itself is never sent (audited)',
      tags: ['cases'],
      params: CaseId,
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 300 }),
          sha256: Type.String({ pattern: '^[0-9A-Fa-f]{64}$' }),
          md5: Type.Optional(Type.String({ pattern: '^[0-9A-Fa-f]{32}$' })),
          bytes: Type.Optional(Type.Integer({ minimum: 0 })),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
      response: withErrors(Type.Object({ id: Type.Integer() }), 201),
    },
    handler: async (req, reply) => {
      reply.code(201);
      return { id: await addCaseAttachment(ctx.store, actor(req), req.params.id, req.body) };
    },
  });

  for (const kind of ['report', 'subject'] as const) {
    app.route({
      method: 'POST',
      url: `/api/${kind}s/:id/package`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject-all' },
      schema: {
        summary: `Builds the referral package of a ${kind} for a recipient (ZIP with manifest; audited with the recipient; a partner agency also records the referral)`,
        tags: ['exports'],
        params: IdParam,
        body: Recipient,
        response: withErrors(Type.Unknown()),
      },
      handler: async (req, reply) => sendPackage(ctx, req, reply, { kind, id: req.params.id }, req.body.recipient),
    });
  }

  const LastClose = Type.Object({ kind: Type.String(), itemIds: Type.Array(Type.String()), reason: Type.String(), at: Type.String() });
  app.route({
    method: 'GET',
    url: '/api/work/last-close',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: "The caller's last close, which an undo would reopen (null when there is none)",
      tags: ['work'],
      response: withErrors(Type.Union([LastClose, Type.Null()])),
    },
    handler: async (req) => (await lastClose(ctx.store, { user: sessionOf(req).user })) ?? null,
  });
  app.route({
    method: 'POST',
    url: '/api/work/undo-close',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: "Undoes the caller's last close: items still closed with that reason get their status back (audited)",
      tags: ['work'],
      response: withErrors(
        Type.Object({
          kind: Type.String(),
          reopened: Type.Array(Type.Object({ itemId: Type.String(), status: Type.String() })),
          skipped: Type.Array(Type.String()),
        }),
      ),
    },
    handler: async (req) => undoLastClose(ctx.store, actor(req)),
  });
}
