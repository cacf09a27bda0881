// The role matrix, generated from the route table: every route refuses an unauthenticated caller
// and every role it does not name; every state-changing route refuses a call without the CSRF token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testBackends } from './support/stores.ts';
import type { Store } from '../src/store/database.ts';
import { routeTable } from '../src/api/app.ts';
import { ROLES, type Role } from '../src/cases/roles.ts';
import { appWithRoles, call, concrete, disguises, type Caller } from './api-support.ts';

const PUBLIC = ['POST /api/auth/login', 'GET /api/health', 'GET /api/openapi.json'];

for (const backend of testBackends()) {
  describe(`API role matrix on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    before(async () => {
      store = await backend.open();
      ({ app, as } = await appWithRoles(store));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('the route table is complete and only login, health and the OpenAPI document are public', () => {
      const routes = routeTable(app);
      assert.ok(routes.length >= 45, `only ${routes.length} routes`);
      const pub = routes
        .filter((r) => r.roles === 'public')
        .map((r) => `${r.method} ${r.url}`)
        .sort();
      assert.deepEqual(pub, [...PUBLIC].sort());
      for (const r of routes) if (r.roles !== 'public') assert.ok(r.roles.length > 0, `${r.method} ${r.url} names no role`);
    });

    test('every route refuses an unauthenticated caller with 401', async () => {
      for (const r of routeTable(app).filter((x) => x.roles !== 'public')) {
        const res = await call(app, undefined, r.method as 'GET', concrete(r.url), r.method === 'GET' ? undefined : {});
        assert.equal(res.statusCode, 401, `${r.method} ${r.url}: ${res.body}`);
        assert.equal(res.json().error.code, 'UNAUTHENTICATED');
      }
    });

    test('no disguise of a path (encoded, double-encoded, mixed case, doubled slashes) reaches a route without a session', async () => {
      let tried = 0;
      for (const r of routeTable(app).filter((x) => x.roles !== 'public')) {
        for (const url of disguises(concrete(r.url))) {
          const res = await app.inject({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload: {} }) });
          tried++;
          if (res.statusCode === 200) {
            // Only the web app's shell may answer: a path that matched no route.
            assert.match(String(res.headers['content-type']), /^text\/html/, `${r.method} ${url}: ${res.body.slice(0, 200)}`);
            continue;
          }
          assert.ok([401, 404].includes(res.statusCode), `${r.method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (res.statusCode === 401) assert.equal(res.json().error.code, 'UNAUTHENTICATED');
        }
      }
      assert.ok(tried > 500, `only ${tried} disguised calls`);
    });

    test('every route refuses each role it does not name with 403 FORBIDDEN (CSRF token present)', async () => {
      let checked = 0;
      for (const r of routeTable(app).filter((x) => x.roles !== 'public')) {
        for (const role of ROLES) {
          if ((r.roles as readonly Role[]).includes(role)) continue;
          const res = await call(app, as[role], r.method as 'GET', concrete(r.url), r.method === 'GET' ? undefined : {});
          assert.equal(res.statusCode, 403, `${role} ${r.method} ${r.url}: ${res.body}`);
          assert.equal(res.json().error.code, 'FORBIDDEN', `${role} ${r.method} ${r.url}`);
          checked++;
        }
      }
      assert.ok(checked > 50, `only ${checked} refusals checked`);
    });

    test("every state-changing route refuses a call without the CSRF token, or with another session's", async () => {
      for (const r of routeTable(app).filter((x) => x.roles !== 'public' && x.method !== 'GET')) {
        const role = (r.roles as readonly Role[])[0]!;
        const who = as[role];
        const missing = await app.inject({ method: r.method as 'POST', url: concrete(r.url), headers: { cookie: who.cookie }, payload: {} });
        assert.equal(missing.statusCode, 403, `${r.method} ${r.url}`);
        assert.equal(missing.json().error.code, 'CSRF');
        const other = role === 'analyst' ? as.analyst2 : as.analyst;
        const wrong = await app.inject({
          method: r.method as 'POST',
          url: concrete(r.url),
          headers: { cookie: who.cookie, 'x-csrf-token': other.csrf },
          payload: {},
        });
        assert.equal(wrong.statusCode, 403, `${r.method} ${r.url}`);
        assert.equal(wrong.json().error.code, 'CSRF');
      }
    });

    test('a permitted role gets past the checks (validation or a real answer, never 401/403)', async () => {
      for (const r of routeTable(app).filter((x) => x.roles !== 'public' && x.method === 'GET')) {
        const role = (r.roles as readonly Role[])[0]!;
        const res = await call(app, as[role], 'GET', concrete(r.url));
        assert.ok(![401, 403, 500].includes(res.statusCode), `${role} GET ${r.url}: ${res.statusCode} ${res.body}`);
      }
    });

    test('the OpenAPI document lists every route, and errors are JSON with a stable code', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      for (const r of routeTable(app)) {
        if (r.url === '/api/openapi.json') continue;
        const path = r.url.replace(/:(\w+)/g, '{$1}');
        assert.ok(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path} missing from openapi.json`);
      }
      const bad = await call(app, as.analyst, 'GET', '/api/queue?limit=0');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VALIDATION');
      const missing = await call(app, as.analyst, 'GET', '/api/no-such-route');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'NOT_FOUND');
    });
  });
}
