// Helpers of the API tests: an app on a fresh database with one account per role, signed in.
import { after, before } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestBackend } from './support/stores.ts';
import type { Store } from '../src/store/database.ts';
import { buildApp, type AppOptions } from '../src/api/app.ts';
import { createUser } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { totpCode } from '../src/cases/totp.ts';
import type { Role } from '../src/cases/roles.ts';
import { openQueue } from '../src/jobs/queue.ts';
import type { JobRow } from '../src/store/jobs.ts';

/** A signed-in caller. */
export interface Caller {
  id: number;
  username: string;
  password: string;
  role: Role;
  cookie: string;
  csrf: string;
  totpSecret?: string;
}

/** The secret of an otpauth:// URI. */
export function secretOf(uri: string): string {
  return new URL(uri).searchParams.get('secret')!;
}

/** Signs in through the API and returns the cookie and CSRF token. */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password: string,
  totpSecret?: string,
  at = Date.now(),
): Promise<{ cookie: string; csrf: string; res: LightMyRequestResponse }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...(totpSecret ? { totp: totpCode(totpSecret, username, at) } : {}) },
  });
  const set = res.headers['set-cookie'];
  const cookie = ((Array.isArray(set) ? set[0] : set) ?? '').split(';')[0] ?? '';
  const csrf = res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '';
  return { cookie, csrf, res };
}

/** Creates an account with a generated password and signs it in. */
export async function account(app: FastifyInstance, store: Store, username: string, role: Role, team: string | null = null): Promise<Caller> {
  const password = randomPassword();
  const made = await createUser(store, { username, password, role, team });
  const totpSecret = made.totpUri ? secretOf(made.totpUri) : undefined;
  const s = await signIn(app, username, password, totpSecret);
  if (s.res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${s.res.body}`);
  return { id: made.user.id, username, password, role, cookie: s.cookie, csrf: s.csrf, ...(totpSecret ? { totpSecret } : {}) };
}

/** The app with one signed-in caller per role (and a second analyst). */
export async function appWithRoles(store: Store, opts: AppOptions = {}): Promise<{ app: FastifyInstance; as: Record<Role | 'analyst2', Caller> }> {
  const app = await buildApp(store, { validateResponses: true, webDir: '/nonexistent', ...opts });
  const as = {
    admin: await account(app, store, 'admin1', 'admin'),
    supervisor: await account(app, store, 'super1', 'supervisor', 'team-a'),
    analyst: await account(app, store, 'analyst1', 'analyst', 'team-a'),
    analyst2: await account(app, store, 'analyst2', 'analyst', 'team-b'),
    auditor: await account(app, store, 'auditor1', 'auditor'),
  };
  return { app, as };
}

/** A call as someone (CSRF header included on state-changing methods). */
export function call(
  app: FastifyInstance,
  who: Caller | undefined,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (who) {
    headers.cookie = who.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = who.csrf;
  }
  return app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

/** A multipart/form-data body with one `file` part per file (as a browser upload sends it). */
export function multipart(files: { name: string; content: Buffer | string; type?: string }[]): { body: Buffer; type: string } {
  const boundary = `----bantay${Date.now()}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.from(f.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** The suite's database and app, filled by the hooks `apiSuite` registers. */
export interface ApiSuite {
  store: Store;
  app: FastifyInstance;
  as: Record<Role | 'analyst2', Caller>;
}

/** Registers hooks that open a fresh database with an app and one signed-in caller per role before the suite, and close both after. */
export function apiSuite(backend: TestBackend, opts: AppOptions = {}): ApiSuite {
  const suite = {} as ApiSuite;
  before(async () => {
    suite.store = await backend.open();
    Object.assign(suite, await appWithRoles(suite.store, opts));
  });
  after(async () => {
    await suite.app?.close();
    await suite.store?.close();
  });
  return suite;
}

/** Runs a queued job to its end (as a worker would, in this process) and returns it. */
export async function finishJob(store: Store, jobId: string): Promise<JobRow> {
  const queue = await openQueue(store, { boss: { pollingIntervalSeconds: 0.5 } });
  try {
    return await queue.waitFor(jobId);
  } finally {
    await queue.close();
  }
}

/** A route's path with its parameters filled in (`:id` → `idValue`). */
export function concrete(url: string, idValue = '100000001'): string {
  return url.replace(':code', 'PNP-WCPC').replace(':id', idValue);
}

/** The same path written the ways a router may still match it: percent-encoded, double-encoded, mixed case, doubled slashes. */
export function disguises(path: string): string[] {
  const enc = (c: string): string => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  const segs = path.split('/');
  return [
    path.replace('/api/', `/${enc('a')}pi/`),
    path.replace('/api/', `/${enc('A')}PI/`),
    path.replace('/api/', '/%2561pi/'),
    segs.map((s, i) => (i > 1 && s.length > 0 && !s.startsWith(':') ? `${enc(s[0]!)}${s.slice(1)}` : s)).join('/'),
    path.replace('/api/', '/API/'),
    path.replace('/api/', '/Api/'),
    path.replace('/api/', '//api/'),
    path.replace('/api/', '/api//'),
    `${path}/`,
    path.replace('/api/', '/./api/'),
    path.replace('/api/', '/x/../api/'),
    path.replace('/api/', '/api%2f'),
  ];
}
