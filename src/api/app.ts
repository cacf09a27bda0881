// The HTTP server: fastify with TypeBox schemas, OpenAPI at /api/openapi.json, the API under /api
// and the built web app at /. Bound to 127.0.0.1 unless told otherwise.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Store } from '../store/database.ts';
import { DEFAULT_POLICY, type SessionPolicy } from '../cases/sessions.ts';
import { installErrorHandlers, sendError } from './errors.ts';
import { findBadText } from '../model/text.ts';
import { installAuth, requireDeclaredAccess } from './auth.ts';
import type { ApiContext } from './context.ts';
import { authRoutes } from './routes/auth.ts';
import { queueRoutes } from './routes/queue.ts';
import { subjectRoutes } from './routes/subjects.ts';
import { caseRoutes } from './routes/cases.ts';
import { adminRoutes } from './routes/admin.ts';
import { statsRoutes } from './routes/stats.ts';
import { dataRoutes, uploadLimits } from './routes/data.ts';
import { exportRoutes } from './routes/exports.ts';
import { versionRoutes } from './routes/versions.ts';
import { warninglistRoutes } from './routes/warninglists.ts';
import { assigneeRoutes } from './routes/assignees.ts';
import { trendRoutes } from './routes/trends.ts';
import { childrenRoutes } from './routes/children.ts';
import { geoRoutes } from './routes/geo.ts';
import { openTiles, tileImageSources, type TileConfig } from '../geo/tiles.ts';
import { caseWorkRoutes } from './routes/casework.ts';
import { followRoutes } from './routes/follow.ts';
import { jobRoutes } from './routes/jobs.ts';
import { openQueue, type WorkerOptions } from '../jobs/queue.ts';
import { letterRoutes } from './routes/letters.ts';
import type { Role } from '../cases/roles.ts';
import type { ObjectRule } from '../cases/access.ts';
import { installObjectAccess } from './access.ts';
import { config } from '../config/current.ts';
import { badInput, notFound, internal } from '../model/error.ts';

/** Options of buildApp. */
export interface AppOptions {
  policy?: Partial<SessionPolicy>;
  /** The clock (tests move it to expire sessions). */
  now?: () => Date;
  /** Mark the cookie Secure (when served behind TLS). Default false: the server binds to loopback. */
  secureCookies?: boolean;
  /** Check every response against its schema and answer 500 when it does not match (tests turn this on). */
  validateResponses?: boolean;
  /** The built web app (default dist/web under the working folder). */
  webDir?: string;
  /** Where uploads are written before ingest (default: the data folder's uploads/, else the system temp folder). */
  uploadDir?: string;
  logger?: boolean;
  /** The reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed; default none. */
  trustProxy?: string[];
  /** The agency's base layers for the map (default none: nothing is fetched from the internet). */
  tiles?: TileConfig;
  /** Run queued jobs in this process too (default: no; `bantay serve` does unless --no-worker). */
  worker?: WorkerOptions | false;
}

/** One route as the role matrix sees it. */
export interface RouteEntry {
  method: string;
  url: string;
  roles: readonly Role[] | 'public';
  /** What the route touches (src/cases/access.ts); public routes touch nothing. */
  object: ObjectRule;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every /api route of an app with its roles and object rule (for the security tests and the docs). */
export function routeTable(app: FastifyInstance): RouteEntry[] {
  return tables.get(app) ?? [];
}

/** Builds the server (not listening): call app.listen, or use app.inject in tests. */
export async function buildApp(store: Store, options: AppOptions = {}): Promise<FastifyInstance> {
  const settings = config().server;
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy : false,
    bodyLimit: settings.bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  });
  const uploadDir =
    options.uploadDir ??
    settings.uploadDir ??
    (store.location.backend === 'embedded' ? join(store.location.dataDir, 'uploads') : join(tmpdir(), 'bantay-uploads'));
  const jobs = await openQueue(store);
  if (options.worker) await jobs.work(options.worker);
  app.addHook('onClose', async () => {
    await jobs.close();
  });
  const ctx: ApiContext = {
    store,
    policy: { ...DEFAULT_POLICY, ...options.policy },
    now: options.now ?? (() => new Date()),
    secureCookies: options.secureCookies ?? false,
    uploadDir,
    jobs,
  };
  const entries: RouteEntry[] = [];
  tables.set(app, entries);
  const responseAjv = options.validateResponses ? new Ajv({ strict: false, allErrors: true }) : undefined;
  const validators = new Map<string, Map<number, ValidateFunction>>();
  requireDeclaredAccess(app);
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/')) return;
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === 'HEAD') continue;
      entries.push({ method: m, url: r.url, roles: r.config?.roles ?? [], object: r.config?.object ?? 'none' });
      const resp = (r.schema as { response?: Record<string, unknown> } | undefined)?.response;
      if (responseAjv && resp) {
        const byStatus = new Map<number, ValidateFunction>();
        for (const [status, schema] of Object.entries(resp)) byStatus.set(Number(status), responseAjv.compile(schema as object));
        validators.set(`${m} ${r.url}`, byStatus);
      }
    }
  });
  if (responseAjv) {
    app.addHook('preSerialization', async (req, reply, payload) => {
      const v = validators.get(`${req.method} ${req.routeOptions.url}`)?.get(reply.statusCode);
      if (v && !v(payload)) {
        req.log.error({ errors: v.errors }, 'response does not match its schema');
        throw internal(`response of ${req.method} ${req.routeOptions.url} does not match its schema: ${responseAjv.errorsText(v.errors)}`);
      }
      return payload;
    });
  }

  await app.register(cookie);
  await app.register(multipart, { limits: { ...uploadLimits(), fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Bantay API',
        version: '1',
        description: 'Triage of CyberTipline reports. Sign in with POST /api/auth/login; send x-csrf-token on every state-changing call.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'bantay_session' } } },
      security: [{ session: [] }],
    },
  });
  installErrorHandlers(app);
  installTextCheck(app);
  installAuth(app, store, ctx.policy, ctx.now);
  installObjectAccess(app, store);
  installSecurityHeaders(app, ctx.secureCookies, tileImageSources(options.tiles ?? {}));

  app.route({
    method: 'GET',
    url: '/api/openapi.json',
    config: { roles: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
  app.route({
    method: 'GET',
    url: '/api/health',
    config: { roles: 'public' },
    schema: {
      summary: 'Liveness (no database access)',
      tags: ['meta'],
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } },
    },
    handler: async () => ({ ok: true }),
  });

  authRoutes(app, ctx);
  queueRoutes(app, ctx);
  subjectRoutes(app, ctx);
  caseRoutes(app, ctx);
  adminRoutes(app, ctx);
  statsRoutes(app, ctx);
  dataRoutes(app, ctx);
  exportRoutes(app, ctx);
  versionRoutes(app, ctx);
  warninglistRoutes(app, ctx);
  assigneeRoutes(app, ctx);
  trendRoutes(app, ctx);
  childrenRoutes(app, ctx);
  const tiles = await openTiles(options.tiles ?? {});
  app.addHook('onClose', async () => tiles.close());
  geoRoutes(app, ctx, tiles);
  caseWorkRoutes(app, ctx);
  followRoutes(app, ctx);
  jobRoutes(app, ctx);
  letterRoutes(app, ctx);

  await serveWeb(app, resolve(options.webDir ?? settings.webDir ?? join(process.cwd(), 'dist', 'web')));
  await app.ready();
  return app;
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Bantay</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto">
<h1>Bantay</h1><p>The API is running, but the web app is not built.</p>
<p>Build it with <code>npm run build:web</code> (or <code>npx vite build</code> in the web folder) so that <code>dist/web</code> exists, then restart <code>bantay serve</code>.</p>
<p>The API reference is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>`;

// One place for every text field of every route: a NUL or a lone surrogate is refused with a
// readable 400 before the schema or the handler sees it (PostgreSQL would refuse the NUL with a 500,
// and UTF-8 would silently turn the surrogate into U+FFFD).
function installTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    const bad = findBadText(req.params, 'path') ?? findBadText(req.query, 'query') ?? findBadText(req.body, 'body');
    if (bad) return sendError(reply, badInput('BAD_TEXT', `${bad.path} ${bad.problem}; remove it and send again`));
  });
}

// No browser feature the app does not use: camera, microphone, location, payment, USB, sensors.
const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

function installSecurityHeaders(app: FastifyInstance, secure: boolean, tileImages: string[]): void {
  // Images from this server and inline data; a base layer adds only what it needs (src/geo/tiles.ts).
  const csp = `default-src 'self'; img-src ${["'self'", 'data:', ...tileImages].join(' ')}; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'`;
  app.addHook('onSend', async (req, reply, payload) => {
    // The app and API never need to be framed, sniffed or to leak referrers.
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Only behind TLS (--secure-cookies): a browser then refuses plain HTTP to this host for a year.
    if (secure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // The matched route, not the raw URL: /%61pi/... is an API route too.
    const api = (req.routeOptions.url ?? req.url).startsWith('/api');
    if (!api) reply.header('content-security-policy', csp);
    else reply.header('cache-control', 'no-store');
    return payload;
  });
}

async function serveWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const built = existsSync(join(webDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api') return sendError(reply, notFound('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(reply, notFound('NOT_FOUND', 'not found'));
    // Single-page app: every other path is the app's own route.
    if (built) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
  });
}

/** Builds the app and listens; returns it and the address it listens on. */
export async function startServer(store: Store, opts: { port?: number; host?: string } & AppOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(store, { logger: true, ...opts });
  if (opts.uploadDir) mkdirSync(opts.uploadDir, { recursive: true });
  const url = await app.listen({ port: opts.port ?? config().server.port, host: opts.host ?? config().server.host });
  return { app, url };
}
