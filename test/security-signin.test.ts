// Sign-in that holds: 100 parallel wrong passwords never get more than the free attempts checked
// (so the right one cannot slip through past the limit); back-off per account; hostile characters in
// every kind of text field answer 400; proxies are believed only when listed; security headers; a
// user's own session list with revoke, and the cap on concurrent sessions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import type { Store } from '../src/store/database.ts';
import { buildApp } from '../src/api/app.ts';
import { createUser } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { DEFAULT_POLICY } from '../src/cases/sessions.ts';
import { parseTrustedProxies } from '../src/api/proxies.ts';
import { appWithRoles, call, signIn, type Caller } from './api-support.ts';
import type { Role } from '../src/cases/roles.ts';

const MIN = 60_000;
/** The characters no text field may carry. */
const HOSTILE = { nul: 'a\u0000b', loneHigh: 'a\ud800b', loneLow: '\udc00b' };

for (const backend of testBackends()) {
  describe(`sign-in throttling on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let clock = Date.parse('2026-11-02T08:00:00Z');
    before(async () => {
      store = await backend.open();
      app = await buildApp(store, { webDir: '/nonexistent', now: () => new Date(clock) });
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

    test('100 parallel wrong passwords and then the right one: at most the free attempts are checked', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'racer', password, role: 'analyst' });
      // The right password goes last, behind 99 wrong ones sent at once.
      const answers = await Promise.all([...Array.from({ length: 99 }, (_, i) => login('racer', `wrong-password-${i}`)), login('racer', password)]);
      const codes = answers.map((r) => r.statusCode);
      const checked = codes.filter((c) => c === 401 || c === 200).length;
      assert.ok(checked <= DEFAULT_POLICY.maxAccountFailures, `${checked} attempts were checked: ${JSON.stringify(codes)}`);
      assert.equal(codes.filter((c) => c === 429).length, 100 - checked);
      if (codes[99] === 200) assert.ok(checked <= DEFAULT_POLICY.maxAccountFailures, 'the right one only within the limit');
      else assert.equal((await login('racer', password)).statusCode, 429, 'still locked right after');
    });

    test('back-off per account doubles, and other accounts on the same address are unaffected', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'bo', password, role: 'analyst' });
      await createUser(store, { username: 'bystander', password, role: 'analyst' });
      for (let i = 0; i < DEFAULT_POLICY.maxAccountFailures; i++) assert.equal((await login('bo', 'wrong-password-x')).statusCode, 401);
      const locked = await login('bo', password);
      assert.equal(locked.statusCode, 429);
      assert.equal(Number(locked.headers['retry-after']), 60);
      assert.equal((await login('bystander', password)).statusCode, 200, 'the same address, another account');
      clock += MIN + 1000;
      assert.equal((await login('bo', 'wrong-password-y')).statusCode, 401, 'one more try after the back-off');
      assert.equal(Number((await login('bo', password)).headers['retry-after']), 120, 'the back-off doubled');
      clock += 2 * MIN + 1000;
      assert.equal((await login('bo', password)).statusCode, 200);
      assert.equal((await store.db.selectFrom('login_throttle').selectAll().where('key', '=', 'user:bo').execute()).length, 0, 'a success clears the count');
    });
  });

  describe(`hostile text, proxies, headers and sessions on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    before(async () => {
      store = await backend.open();
      ({ app, as } = await appWithRoles(store, { policy: { maxSessions: 3 } }));
      await sql`insert into reports (report_id, id_source, current_version, version_count, incident_type, incident_time, country, annotations, batched, file_count, reported_count, victim_count)
        values ('100000001', 'report-id', 1, 1, 'x', '2026-10-01T00:00:00Z', 'PH', '{}', false, 0, 0, 0)`.execute(store.db);
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('a NUL or a lone surrogate in any text field answers 400 BAD_TEXT, never 500, and stores nothing', async () => {
      const audited = async (): Promise<number> =>
        (
          await store.db
            .selectFrom('audit_log')
            .select(sql<number>`count(*)::int`.as('n'))
            .where('action', '<>', 'search')
            .executeTakeFirstOrThrow()
        ).n;
      const auditBefore = await audited();
      const cases: { who?: Caller; method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; body?: (t: string) => unknown }[] = [
        { method: 'POST', url: '/api/auth/login', body: (t) => ({ username: t, password: 'whatever-password' }) },
        { method: 'POST', url: '/api/auth/login', body: (t) => ({ username: 'analyst1', password: `pass${t}word-long` }) },
        { who: as.admin, method: 'POST', url: '/api/users', body: (t) => ({ username: `u${t}`, password: randomPassword(), role: 'analyst' }) },
        {
          who: as.admin,
          method: 'POST',
          url: '/api/users',
          body: (t) => ({ username: 'fine-name', password: randomPassword(), role: 'analyst', displayName: t }),
        },
        { who: as.admin, method: 'POST', url: '/api/users', body: (t) => ({ username: 'fine-name', password: `${randomPassword()}${t}`, role: 'analyst' }) },
        { who: as.analyst, method: 'POST', url: '/api/reports/100000001/notes', body: (t) => ({ text: t }) },
        { who: as.analyst, method: 'POST', url: '/api/reports/100000001/refer', body: (t) => ({ agency: 'PNP-WCPC', type: 'referral', sent: { note: t } }) },
        { who: as.supervisor, method: 'POST', url: '/api/cases', body: (t) => ({ title: t, leadId: as.supervisor.id }) },
        { who: as.supervisor, method: 'POST', url: '/api/subjects/merge', body: (t) => ({ reportA: '100000001', reportB: '100000001', comment: t }) },
        { who: as.admin, method: 'PUT', url: '/api/agencies/PNP-WCPC', body: (t) => ({ name: t, purpose: 'x', enabled: true }) },
        { who: as.admin, method: 'PATCH', url: `/api/users/${as.analyst2.id}`, body: (t) => ({ team: t }) },
        { who: as.analyst, method: 'GET', url: '/api/search?q=' },
        { who: as.analyst, method: 'GET', url: '/api/queue?esp=' },
        { who: as.analyst, method: 'GET', url: '/api/reports/' },
        { who: as.auditor, method: 'GET', url: '/api/audit?targetId=' },
      ];
      let n = 0;
      for (const c of cases) {
        if (!c.body) {
          // A URL carries bytes: a NUL arrives as one (refused); a surrogate cannot be UTF-8, so its bytes are invalid and never a 500.
          const nul = await call(app, c.who, 'GET', `${c.url}${encodeURIComponent(HOSTILE.nul)}`);
          assert.equal(nul.statusCode, 400, `${c.url} with a NUL: ${nul.body.slice(0, 200)}`);
          assert.equal(nul.json().error.code, 'BAD_TEXT');
          const bytes = await call(app, c.who, 'GET', `${c.url}x%ED%A0%80`);
          assert.ok(bytes.statusCode < 500, `${c.url} with surrogate bytes: ${bytes.statusCode}`);
          n += 2;
          continue;
        }
        for (const [name, t] of Object.entries(HOSTILE)) {
          // JSON.stringify writes a lone surrogate as its \ud800 escape, which the server's JSON parser turns back into one.
          const res: import('fastify').LightMyRequestResponse = await app.inject({
            method: c.method,
            url: c.url,
            headers: { 'content-type': 'application/json', ...(c.who ? { cookie: c.who.cookie, 'x-csrf-token': c.who.csrf } : {}) },
            payload: JSON.stringify(c.body(t)),
          });
          assert.equal(res.statusCode, 400, `${c.method} ${c.url} with ${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          assert.equal(res.json().error.code, 'BAD_TEXT', `${c.url} ${name}`);
          assert.match(res.json().error.message, /NUL|surrogate/);
          n++;
        }
      }
      assert.ok(n >= 40);
      assert.equal(await audited(), auditBefore, 'a refused request changes nothing, the audit trail included (a search with replaced bytes is a search)');
    });

    test('X-Forwarded-For is believed only from a listed proxy', async () => {
      assert.deepEqual(parseTrustedProxies('10.0.0.1, 192.168.0.0/16,loopback'), ['10.0.0.1', '192.168.0.0/16', 'loopback']);
      assert.throws(() => parseTrustedProxies('10.0.0.1,not-an-ip'), /not-an-ip/);
      assert.throws(() => parseTrustedProxies(' , '), /needs the addresses/);
      const proxied = await buildApp(store, { webDir: '/nonexistent', trustProxy: ['10.0.0.1'] });
      try {
        const password = randomPassword();
        await createUser(store, { username: 'behind-proxy', password, role: 'analyst' });
        const via = async (remoteAddress: string): Promise<string | null> => {
          const res = await proxied.inject({
            method: 'POST',
            url: '/api/auth/login',
            remoteAddress,
            headers: { 'x-forwarded-for': '203.0.113.9' },
            payload: { username: 'behind-proxy', password },
          });
          assert.equal(res.statusCode, 200);
          return (
            await store.db
              .selectFrom('audit_log')
              .select('ip')
              .where('action', '=', 'login')
              .where('username', '=', 'behind-proxy')
              .orderBy('seq', 'desc')
              .limit(1)
              .executeTakeFirstOrThrow()
          ).ip;
        };
        assert.equal(await via('10.0.0.1'), '203.0.113.9', 'from the listed proxy, the forwarded address');
        assert.equal(await via('10.0.0.2'), '10.0.0.2', 'from anyone else, the socket address');
      } finally {
        await proxied.close();
      }
    });

    test('Permissions-Policy on every answer; HSTS only with secure cookies', async () => {
      const plain = await app.inject({ method: 'GET', url: '/api/health' });
      assert.match(String(plain.headers['permissions-policy']), /camera=\(\)/);
      assert.equal(plain.headers['strict-transport-security'], undefined);
      const secure = await buildApp(store, { webDir: '/nonexistent', secureCookies: true });
      try {
        const res = await secure.inject({ method: 'GET', url: '/some/page' });
        assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
        assert.match(String(res.headers['permissions-policy']), /geolocation=\(\)/);
      } finally {
        await secure.close();
      }
    });

    test('a user lists and revokes their own sessions; the oldest ends beyond the cap', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'many', password, role: 'analyst' });
      const sessions = [];
      for (let i = 0; i < 4; i++) sessions.push(await signIn(app, 'many', password));
      const me = (s: { cookie: string }) => app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
      assert.equal((await me(sessions[0]!)).statusCode, 401, 'the least recently used session ended at the cap of 3');
      const who = { id: 0, username: 'many', password, role: 'analyst' as const, cookie: sessions[3]!.cookie, csrf: sessions[3]!.csrf };
      const list = (await call(app, who, 'GET', '/api/me/sessions')).json() as { id: string; current: boolean }[];
      assert.equal(list.length, 3);
      assert.equal(list.filter((x) => x.current).length, 1);
      const other = list.find((x) => !x.current)!;
      assert.equal((await call(app, who, 'DELETE', `/api/me/sessions/${other.id}`)).statusCode, 200);
      assert.equal((await call(app, who, 'GET', '/api/me/sessions')).json().length, 2);
      // Another user's session id is not found among mine.
      const theirs = (await call(app, as.analyst, 'GET', '/api/me/sessions')).json()[0].id as string;
      assert.equal((await call(app, who, 'DELETE', `/api/me/sessions/${theirs}`)).statusCode, 404);
      assert.equal((await me(as.analyst)).statusCode, 200);
    });
  });

  describe(`bantay user sessions on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test("lists an account's sessions and revokes them all", async () => {
      const f = await backend.fresh();
      try {
        const { openStore } = await import('../src/store/database.ts');
        const { login } = await import('../src/cases/sessions.ts');
        const s = await openStore(f.location);
        const password = randomPassword();
        await createUser(s, { username: 'cliuser', password, role: 'analyst' });
        await login(s, { username: 'cliuser', password, ip: '192.0.2.7', userAgent: 'probe' });
        await s.close();
        const list = await runCli(['user', 'sessions', 'cliuser'], f.location);
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, /192\.0\.2\.7/);
        const revoked = await runCli(['user', 'sessions', 'cliuser', '--revoke', 'all'], f.location);
        assert.match(revoked.stdout, /Ended 1 session of cliuser/);
        assert.match(revoked.stdout, /no session/);
        assert.equal((await runCli(['user', 'sessions', 'nobody'], f.location)).code, 4);
      } finally {
        await f.dispose();
      }
    });
  });
}
