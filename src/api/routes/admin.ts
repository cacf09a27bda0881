// Accounts, agency settings and the audit trail.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ADMINS, AUDITORS, ROLES } from '../../cases/roles.ts';
import { createUser, resetTotp, setDisabled, setPassword } from '../../cases/accounts.ts';
import { appendAudit, auditView, verifyAuditChain } from '../../cases/audit.ts';
import { backupOnline } from '../../cases/backup.ts';
import { OPEN_QUEUE_SETTING, setOpenQueue } from '../../cases/work.ts';
import { allUsers, deleteUserSessions, updateUser, userById } from '../../store/accounts.ts';
import { auditRows } from '../../store/audit.ts';
import { getSetting } from '../../store/cases.ts';
import { sessionOf } from '../auth.ts';
import { Ok, Open, UserBody, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { forbidden, notFound, conflict } from '../../model/error.ts';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const UserId = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Registers the admin and audit routes. */
export function adminRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actorOf = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => {
    const u = sessionOf(req).user;
    return { userId: u.id, username: u.username, ip: req.ip };
  };
  const target = async (id: number) => {
    const u = await userById(ctx.store.db, id);
    if (!u) throw notFound('NOT_FOUND', `no user ${id}`);
    return u;
  };

  app.route({
    method: 'GET',
    url: '/api/users',
    config: { roles: ADMINS, object: 'none' },
    schema: { summary: 'Every account', tags: ['users'], response: withErrors(Type.Array(UserBody)) },
    handler: async () => allUsers(ctx.store.db),
  });
  app.route({
    method: 'POST',
    url: '/api/users',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Creates an account (admins always get TOTP; the URI is returned once)',
      tags: ['users'],
      body: Type.Object({
        username: Type.String({ minLength: 2, maxLength: 64 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
        role: Role,
        displayName: Type.Optional(Type.String({ maxLength: 200 })),
        team: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])),
        totp: Type.Optional(Type.Boolean()),
      }),
      response: withErrors(Type.Object({ user: UserBody, totpUri: Type.Optional(Type.String()) }), 201),
    },
    handler: async (req, reply) => {
      reply.code(201);
      return createUser(ctx.store, req.body, actorOf(req));
    },
  });
  app.route({
    method: 'PATCH',
    url: '/api/users/:id',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Changes role, team, name, language or disables an account',
      tags: ['users'],
      params: UserId,
      body: Type.Object({
        role: Type.Optional(Role),
        team: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])),
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        locale: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('fil')])),
        disabled: Type.Optional(Type.Boolean()),
      }),
      response: withErrors(UserBody),
    },
    handler: async (req) => {
      const u = await target(req.params.id);
      const me = sessionOf(req).user;
      if (u.id === me.id && (req.body.disabled === true || (req.body.role && req.body.role !== 'admin')))
        throw conflict('SELF_LOCKOUT', 'an admin cannot disable or demote their own account');
      const { disabled, ...rest } = req.body;
      if (req.body.role === 'admin' && !u.totpEnabled) throw forbidden('TOTP_NOT_SET_UP', 'set up TOTP for this account first (POST /api/users/:id/totp)');
      await updateUser(ctx.store.db, u.id, rest);
      if (rest.role && rest.role !== u.role) await deleteUserSessions(ctx.store.db, u.id);
      if (disabled !== undefined) await setDisabled(ctx.store, u.username, disabled, actorOf(req));
      await appendAudit(ctx.store, { ...actorOf(req), action: 'user.update', targetKind: 'user', targetId: String(u.id), detail: rest });
      const { passwordHash: _p, totpSecret: _t, totpLastStep: _s, ...out } = (await userById(ctx.store.db, u.id))!;
      return out;
    },
  });
  app.route({
    method: 'POST',
    url: '/api/users/:id/password',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: "Sets a new password (ends the account's sessions)",
      tags: ['users'],
      params: UserId,
      body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      await setPassword(ctx.store, (await target(req.params.id)).username, req.body.password, actorOf(req));
      return { ok: true };
    },
  });
  app.route({
    method: 'POST',
    url: '/api/users/:id/totp',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Sets up a fresh TOTP secret; returns the otpauth URI once',
      tags: ['users'],
      params: UserId,
      response: withErrors(Type.Object({ totpUri: Type.String() })),
    },
    handler: async (req) => ({ totpUri: await resetTotp(ctx.store, (await target(req.params.id)).username, actorOf(req)) }),
  });

  const Settings = Type.Object({ openQueueToAllAnalysts: Type.Boolean() });
  app.route({
    method: 'GET',
    url: '/api/settings',
    config: { roles: ADMINS, object: 'none' },
    schema: { summary: 'Agency settings', tags: ['settings'], response: withErrors(Settings) },
    handler: async () => ({ openQueueToAllAnalysts: await getSetting(ctx.store.db, OPEN_QUEUE_SETTING, true) }),
  });
  app.route({
    method: 'PUT',
    url: '/api/settings',
    config: { roles: ADMINS, object: 'none' },
    schema: { summary: 'Changes agency settings', tags: ['settings'], body: Settings, response: withErrors(Settings) },
    handler: async (req) => {
      await setOpenQueue(ctx.store, req.body.openQueueToAllAnalysts);
      await appendAudit(ctx.store, { ...actorOf(req), action: 'settings.set', detail: req.body });
      return { openQueueToAllAnalysts: req.body.openQueueToAllAnalysts };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/audit',
    config: { roles: AUDITORS, object: 'none' },
    schema: {
      summary: 'Audit entries, newest first (filters: from, to as ISO times; user id; target)',
      tags: ['audit'],
      querystring: Type.Object({
        from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })),
        user: Type.Optional(Type.Integer()),
        targetKind: Type.Optional(Type.String({ maxLength: 40 })),
        targetId: Type.Optional(Type.String({ maxLength: 200 })),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      }),
      response: withErrors(Type.Array(Open({ seq: Type.Integer(), at: Type.String(), action: Type.String(), hash: Type.String() }))),
    },
    handler: async (req) => {
      const q = req.query;
      const rows = await auditRows(ctx.store.db, {
        ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
        ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
        ...(q.user !== undefined ? { userId: q.user } : {}),
        ...(q.targetKind ? { targetKind: q.targetKind } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        limit: q.limit,
        desc: true,
      });
      return rows.map(auditView);
    },
  });
  app.route({
    method: 'GET',
    url: '/api/audit/verify',
    config: { roles: AUDITORS, object: 'none' },
    schema: {
      summary: 'Checks the hash and MAC chain of the whole trail and lists every problem',
      tags: ['audit'],
      response: withErrors(
        Type.Object({
          ok: Type.Boolean(),
          entries: Type.Integer(),
          lastHash: Type.String(),
          keyed: Type.Boolean(),
          unkeyedPrefix: Type.Integer(),
          problems: Type.Array(Type.Object({ fromSeq: Type.Integer(), toSeq: Type.Integer(), problem: Type.String() })),
          firstBad: Type.Optional(Type.Object({ seq: Type.Integer(), problem: Type.String() })),
        }),
      ),
    },
    handler: async () => verifyAuditChain(ctx.store),
  });
  app.route({
    method: 'POST',
    url: '/api/admin/backup',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Writes a consistent backup of the embedded database into its data folder (backups/) while the server runs; audited',
      tags: ['users'],
      response: withErrors(Type.Object({ file: Type.String(), name: Type.String(), bytes: Type.Integer() }), 201),
    },
    handler: async (req, reply) => {
      reply.code(201);
      return backupOnline(ctx.store, actorOf(req));
    },
  });
}
