// Authentication, CSRF and role checks, run for every /api request before its body is read.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/database.ts';
import { resolveSession, type ActiveSession, type SessionPolicy } from '../cases/sessions.ts';
import type { Role } from '../cases/roles.ts';
import { sendError } from './errors.ts';
import { unauthenticated, forbidden, internal } from '../model/error.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'bantay_session';
/** The header a state-changing call carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: a list of roles, or 'public' (no session needed). */
    roles?: readonly Role[] | 'public';
  }
  interface FastifyRequest {
    session?: ActiveSession;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in session of a request (routes behind a role check always have one). */
export function sessionOf(req: FastifyRequest): ActiveSession {
  if (!req.session) throw internal('route without a session check reached a handler that needs one');
  return req.session;
}

/** Cookie options of the session cookie. */
export function sessionCookieOptions(
  policy: SessionPolicy,
  secure: boolean,
): { httpOnly: true; sameSite: 'strict'; path: string; secure: boolean; maxAge: number } {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: policy.absoluteMinutes * 60 };
}

/**
 * Declares the access of routes that do not carry one: an /api route without `roles` (or, unless
 * public, without an object rule) refuses to start the server; anything else (the web app's static
 * files) is public.
 */
export function requireDeclaredAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (r) => {
    if (r.config?.roles) {
      if (r.url.startsWith('/api') && r.config.roles !== 'public' && !r.config.object)
        throw internal(
          `route ${String(r.method)} ${r.url} declares no object rule: every signed-in API route must say which reports, subjects or cases it touches (src/cases/access.ts)`,
        );
      return;
    }
    if (r.url.startsWith('/api')) throw internal(`route ${String(r.method)} ${r.url} declares no roles: every API route must say who may call it`);
    r.config = { ...r.config, roles: 'public' };
  });
}

/**
 * Installs the hook: 401 without a live session, 403 without a matching CSRF token or the right role.
 * It decides on the route the router matched (after decoding), never on the raw URL, so an encoded
 * or oddly written path reaches the same check as the plain one.
 */
export function installAuth(app: FastifyInstance, store: Pick<Store, 'db'>, policy: SessionPolicy, now: () => Date): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // No matched route: the not-found handler answers, and it reads nothing.
    if (!req.routeOptions.url) return;
    const roles = req.routeOptions.config?.roles;
    if (roles === 'public') return;
    if (!roles) return sendError(reply, forbidden('FORBIDDEN', 'this route declares no roles'));
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return sendError(reply, unauthenticated('UNAUTHENTICATED', 'sign in first'));
    const s = await resolveSession(store, token, policy, now());
    if (s === 'EXPIRED' || s === 'NONE') {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return s === 'EXPIRED'
        ? sendError(reply, unauthenticated('SESSION_EXPIRED', 'the session has expired; sign in again'))
        : sendError(reply, unauthenticated('UNAUTHENTICATED', 'sign in first'));
    }
    if (!SAFE.has(req.method)) {
      const header = req.headers[CSRF_HEADER];
      if (!sameToken(Array.isArray(header) ? header[0] : header, s.csrfToken))
        return sendError(reply, forbidden('CSRF', `a state-changing call needs the ${CSRF_HEADER} header from login or /api/auth/me`));
    }
    if (!roles.includes(s.user.role as Role)) return sendError(reply, forbidden('FORBIDDEN', `this needs one of the roles: ${roles.join(', ')}`));
    req.session = s;
  });
}
