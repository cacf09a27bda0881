// Object-level access for every /api route: the route's declared object rule names which ids of
// the request to check, and src/cases/access.ts decides. Runs after schema validation, before the
// handler, so that no handler can forget it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/database.ts';
import { authorise, type AccessTarget, type Granted, type ObjectRule } from '../cases/access.ts';
import { deconflictionMark, viewerOf } from '../cases/work.ts';
import { appendAudit } from '../cases/audit.ts';
import { sessionOf } from './auth.ts';
import { sendError } from './errors.ts';
import { forbidden, internal } from '../model/error.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route touches and how it is checked (src/cases/access.ts OBJECT_RULES). */
    object?: ObjectRule;
  }
  interface FastifyRequest {
    /** The access granted by the route's object rule (the visible reports of a subject or case). */
    access?: Granted;
  }
}

type Loose = Record<string, unknown> | undefined;

/** The ids a rule applies to in this request; undefined when the request names none (e.g. a batch given by key). */
export function accessTarget(rule: ObjectRule, req: Pick<FastifyRequest, 'params' | 'body'>): AccessTarget | undefined {
  const params = req.params as Loose;
  const body = req.body as Loose;
  const id = typeof params?.id === 'string' ? params.id : undefined;
  switch (rule) {
    case 'report':
      return id === undefined ? undefined : { kind: 'report', id };
    case 'subject':
    case 'subject-all':
      return id === undefined ? undefined : { kind: 'subject', id, complete: rule === 'subject-all' };
    case 'case':
    case 'case-all':
      return id === undefined ? undefined : { kind: 'case', id, complete: rule === 'case-all' };
    case 'child':
    case 'child-all':
      return id === undefined ? undefined : { kind: 'child', id, complete: rule === 'child-all' };
    case 'party':
      return id === undefined ? undefined : { kind: 'party', id };
    case 'reports': {
      const ids = [...(Array.isArray(body?.reportIds) ? body.reportIds : []), body?.reportId, body?.reportA, body?.reportB].filter(
        (x): x is string => typeof x === 'string',
      );
      return ids.length ? { kind: 'reports', ids } : undefined;
    }
    case 'items': {
      const items = Array.isArray(body?.items) ? (body.items as { kind: 'report' | 'subject'; itemId: string }[]) : [];
      return items.length ? { kind: 'items', items } : undefined;
    }
    default:
      return undefined;
  }
}

/** The access the route's rule granted (routes with a subject or case rule always have one). */
export function grantOf(req: FastifyRequest): Granted {
  if (!req.access) throw internal(`route ${req.routeOptions.url} reads its grant but declares no object rule that makes one`);
  return req.access;
}

/** Installs the object check: 403 NOT_YOUR_TEAM (audited as `access.denied`) when the rule refuses. */
export function installObjectAccess(app: FastifyInstance, store: Pick<Store, 'db'>): void {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const rule = req.routeOptions.config?.object;
    if (!rule || !req.session) return;
    const target = accessTarget(rule, req);
    if (!target) return;
    const s = sessionOf(req);
    const decision = await authorise(store, await viewerOf(store, s.user), target);
    if (decision.ok) {
      req.access = decision;
      return;
    }
    const targetId = 'id' in target ? target.id : null;
    await appendAudit(store, {
      action: 'access.denied',
      userId: s.user.id,
      username: s.user.username,
      ip: req.ip,
      targetKind: target.kind,
      targetId,
      detail: { method: req.method, route: req.routeOptions.url, denied: decision.denied.slice(0, 20), deniedCount: decision.denied.length },
    });
    // A refused report still says which case holds it (deconfliction marks are for everyone).
    const mark = target.kind === 'report' ? await deconflictionMark(store, target.id) : null;
    return sendError(reply, forbidden('NOT_YOUR_TEAM', decision.reason, mark ? { deconfliction: mark } : {}));
  });
}
