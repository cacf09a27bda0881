// Sign-in, sign-out, who am I, and the user's language.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listOwnSessions, login, logout, revokeSessions } from '../../cases/sessions.ts';
import { updateUser } from '../../store/accounts.ts';
import { appendAudit } from '../../cases/audit.ts';
import { EVERYONE } from '../../cases/roles.ts';
import { SESSION_COOKIE, sessionCookieOptions, sessionOf } from '../auth.ts';
import { ErrorBody, Ok, UserBody, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { BantayError, notFound } from '../../model/error.ts';

const REFUSAL_TEXT = {
  BAD_CREDENTIALS: 'wrong username, password or code',
  TOTP_REQUIRED: 'enter the 6-digit code from your authenticator app',
  TOTP_NOT_SET_UP: 'this account needs a second factor; an administrator runs `bantay user totp USERNAME`',
  THROTTLED: 'too many failed sign-ins; wait and try again (the wait doubles with each further failure, up to 15 minutes)',
} as const;

/** Registers the auth routes. */
export function authRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const Me = Type.Object({ user: UserBody, csrfToken: Type.String() });

  app.route({
    method: 'POST',
    url: '/api/auth/login',
    config: { roles: 'public' },
    schema: {
      summary: 'Sign in; sets the session cookie and returns the CSRF token',
      tags: ['auth'],
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
        totp: Type.Optional(Type.String({ maxLength: 12 })),
      }),
      response: { 200: Me, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
    handler: async (req, reply) => {
      const out = await login(
        ctx.store,
        { username: req.body.username, password: req.body.password, totp: req.body.totp, ip: req.ip, userAgent: req.headers['user-agent'] ?? null },
        ctx.policy,
        ctx.now(),
      );
      if (!out.ok) {
        if (out.retryAfterSeconds !== undefined) reply.header('retry-after', String(out.retryAfterSeconds));
        throw new BantayError(out.refusal, REFUSAL_TEXT[out.refusal], out.retryAfterSeconds !== undefined ? { retryAfterSeconds: out.retryAfterSeconds } : {});
      }
      reply.setCookie(SESSION_COOKIE, out.token, sessionCookieOptions(ctx.policy, ctx.secureCookies));
      return { user: out.user, csrfToken: out.csrfToken };
    },
  });

  app.route({
    method: 'POST',
    url: '/api/auth/logout',
    config: { roles: EVERYONE, object: 'none' },
    schema: { summary: 'Sign out', tags: ['auth'], response: withErrors(Ok) },
    handler: async (req, reply) => {
      await logout(ctx.store, sessionOf(req), req.ip);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/auth/me',
    config: { roles: EVERYONE, object: 'none' },
    schema: { summary: 'The signed-in user and the CSRF token', tags: ['auth'], response: withErrors(Me) },
    handler: async (req) => {
      const s = sessionOf(req);
      return { user: s.user, csrfToken: s.csrfToken };
    },
  });

  app.route({
    method: 'PUT',
    url: '/api/me/locale',
    config: { roles: EVERYONE, object: 'none' },
    schema: {
      summary: 'Sets the user interface language',
      tags: ['auth'],
      body: Type.Object({ locale: Type.Union([Type.Literal('en'), Type.Literal('fil')]) }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      const s = sessionOf(req);
      await updateUser(ctx.store.db, s.user.id, { locale: req.body.locale });
      await appendAudit(ctx.store, {
        action: 'user.locale',
        userId: s.user.id,
        username: s.user.username,
        ip: req.ip,
        targetKind: 'user',
        targetId: String(s.user.id),
        detail: { locale: req.body.locale },
      });
      return { ok: true };
    },
  });

  const OwnSession = Type.Object({
    id: Type.String(),
    createdAt: Type.String(),
    lastSeenAt: Type.String(),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean(),
  });
  app.route({
    method: 'GET',
    url: '/api/me/sessions',
    config: { roles: EVERYONE, object: 'none' },
    schema: {
      summary: "The caller's own sessions (where and when signed in), most recently used first",
      tags: ['auth'],
      response: withErrors(Type.Array(OwnSession)),
    },
    handler: async (req) => {
      const s = sessionOf(req);
      return listOwnSessions(ctx.store, s.user.id, s.id);
    },
  });

  app.route({
    method: 'DELETE',
    url: '/api/me/sessions/:id',
    config: { roles: EVERYONE, object: 'none' },
    schema: {
      summary: "Ends one of the caller's own sessions (audited)",
      tags: ['auth'],
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) }),
      response: withErrors(Ok),
    },
    handler: async (req, reply) => {
      const s = sessionOf(req);
      if ((await revokeSessions(ctx.store, s.user, req.params.id, { userId: s.user.id, username: s.user.username, ip: req.ip })) === 0)
        throw notFound('NOT_FOUND', 'no such session of yours');
      if ((await listOwnSessions(ctx.store, s.user.id, s.id)).every((x) => !x.current)) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  });
}
