// Sign-in, TOTP, throttling, session expiry, cookies, logout, disabling; one run over real loopback HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testBackends } from './support/stores.ts';
import type { Store } from '../src/store/database.ts';
import { buildApp } from '../src/api/app.ts';
import { createUser, setDisabled, setPassword } from '../src/cases/accounts.ts';
import { randomPassword, verifyPassword } from '../src/cases/passwords.ts';
import { totpCode } from '../src/cases/totp.ts';
import { updateUser, userByName } from '../src/store/accounts.ts';
import { DEFAULT_POLICY } from '../src/cases/sessions.ts';
import { call, secretOf, signIn } from './api-support.ts';

const MIN = 60_000;

for (const backend of testBackends()) {
  describe(`API sign-in and sessions on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let clock = Date.now();
    before(async () => {
      store = await backend.open();
      app = await buildApp(store, { validateResponses: true, webDir: '/nonexistent', now: () => new Date(clock) });
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('passwords are stored as argon2id; a wrong password is refused; the cookie is httpOnly and SameSite=Strict', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'ana', password, role: 'analyst' });
      const u = await userByName(store.db, 'ana');
      assert.match(u!.passwordHash, /^\$argon2id\$/);
      assert.ok(await verifyPassword(u!.passwordHash, password));
      const bad = await signIn(app, 'ana', `${password}x`, undefined, clock);
      assert.equal(bad.res.statusCode, 401);
      assert.equal(bad.res.json().error.code, 'BAD_CREDENTIALS');
      const ok = await signIn(app, 'ana', password, undefined, clock);
      assert.equal(ok.res.statusCode, 200);
      const set = String(ok.res.headers['set-cookie']);
      assert.match(set, /bantay_session=/);
      assert.match(set, /HttpOnly/);
      assert.match(set, /SameSite=Strict/);
      assert.ok(!ok.res.body.includes('passwordHash') && !ok.res.body.includes('totpSecret'));
      const nobody = await signIn(app, 'nobody-here', password, undefined, clock);
      assert.equal(nobody.res.json().error.code, 'BAD_CREDENTIALS');
    });

    test('weak passwords are refused and there is no default password', async () => {
      await assert.rejects(createUser(store, { username: 'weak', password: 'short', role: 'analyst' }), /at least 12/);
      await assert.rejects(createUser(store, { username: 'weak', password: 'weak-weak-weak-weak', role: 'analyst' }), /username/);
      await assert.rejects(createUser(store, { username: 'weak2', password: randomPassword(), role: 'root' }), /role/);
      // Long enough, varied enough, and still on every list of common passwords.
      for (const p of ['Password1234', 'qwertyuiop123', 'iloveyou12345'])
        await assert.rejects(createUser(store, { username: 'weak3', password: p, role: 'analyst' }), /too easy to guess/, p);
    });

    test('admins need TOTP: no code → TOTP_REQUIRED, a wrong code and a replayed code are refused', async () => {
      const password = randomPassword();
      const made = await createUser(store, { username: 'boss', password, role: 'admin' });
      assert.ok(made.totpUri?.startsWith('otpauth://totp/'));
      const secret = secretOf(made.totpUri!);
      const none = await signIn(app, 'boss', password, undefined, clock);
      assert.equal(none.res.statusCode, 401);
      assert.equal(none.res.json().error.code, 'TOTP_REQUIRED');
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'boss', password, totp: totpCode(secret, 'boss', clock + 10 * MIN) },
      });
      assert.equal(wrong.json().error.code, 'BAD_CREDENTIALS');
      const ok = await signIn(app, 'boss', password, secret, clock);
      assert.equal(ok.res.statusCode, 200);
      const replay = await signIn(app, 'boss', password, secret, clock);
      assert.equal(replay.res.statusCode, 401, 'the same code twice');
      // An admin whose second factor was removed cannot sign in at all.
      await updateUser(store.db, made.user.id, { totpSecret: null });
      const unset = await signIn(app, 'boss', password, undefined, clock);
      assert.equal(unset.res.statusCode, 403);
      assert.equal(unset.res.json().error.code, 'TOTP_NOT_SET_UP');
    });

    test('throttling per account: after 5 failures even the right password is refused until the window passes', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'tess', password, role: 'analyst' });
      for (let i = 0; i < DEFAULT_POLICY.maxAccountFailures; i++)
        assert.equal((await signIn(app, 'tess', 'wrong-password-123', undefined, clock)).res.statusCode, 401);
      const blocked = await signIn(app, 'tess', password, undefined, clock);
      assert.equal(blocked.res.statusCode, 429);
      assert.equal(blocked.res.json().error.code, 'THROTTLED');
      clock += (DEFAULT_POLICY.throttleWindowMinutes + 1) * MIN;
      assert.equal((await signIn(app, 'tess', password, undefined, clock)).res.statusCode, 200);
    });

    test('throttling per address: after many failures the address keeps only the accounts that signed in from it', async () => {
      const busy = await buildApp(store, { validateResponses: true, webDir: '/nonexistent', now: () => new Date(clock), policy: { maxAddressFailures: 10 } });
      try {
        const password = randomPassword();
        await createUser(store, { username: 'uma', password, role: 'analyst' });
        await createUser(store, { username: 'vic', password, role: 'analyst' });
        assert.equal((await signIn(busy, 'uma', password, undefined, clock)).res.statusCode, 200);
        for (let i = 0; i < 10; i++) await signIn(busy, `guess${i}`, 'wrong-password-123', undefined, clock);
        assert.equal((await signIn(busy, 'uma', password, undefined, clock)).res.statusCode, 200, 'a known account still signs in from the busy address');
        const blocked = await signIn(busy, 'vic', password, undefined, clock);
        assert.equal(blocked.res.json().error.code, 'THROTTLED', 'an account new to the address is refused');
        assert.ok(Number(blocked.res.headers['retry-after']) > 0);
        clock += (DEFAULT_POLICY.throttleWindowMinutes + 1) * MIN;
        assert.equal((await signIn(busy, 'vic', password, undefined, clock)).res.statusCode, 200);
      } finally {
        await busy.close();
      }
    });

    test('sessions expire when idle and at the absolute limit; logout ends them', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'ivy', password, role: 'analyst' });
      let s = await signIn(app, 'ivy', password, undefined, clock);
      const me = (): Promise<import('fastify').LightMyRequestResponse> => app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
      assert.equal((await me()).statusCode, 200);
      clock += (DEFAULT_POLICY.idleMinutes + 1) * MIN;
      const idle = await me();
      assert.equal(idle.statusCode, 401);
      assert.equal(idle.json().error.code, 'SESSION_EXPIRED');
      // Active all along, the session still ends at the absolute limit.
      s = await signIn(app, 'ivy', password, undefined, clock);
      const steps = Math.ceil(DEFAULT_POLICY.absoluteMinutes / (DEFAULT_POLICY.idleMinutes - 5));
      let expiredAt = -1;
      for (let i = 1; i <= steps + 1; i++) {
        clock += (DEFAULT_POLICY.idleMinutes - 5) * MIN;
        if ((await me()).statusCode === 401) {
          expiredAt = i * (DEFAULT_POLICY.idleMinutes - 5);
          break;
        }
      }
      assert.ok(
        expiredAt > DEFAULT_POLICY.absoluteMinutes && expiredAt <= DEFAULT_POLICY.absoluteMinutes + DEFAULT_POLICY.idleMinutes,
        `expired after ${expiredAt} min`,
      );
      s = await signIn(app, 'ivy', password, undefined, clock);
      const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      assert.equal(out.statusCode, 200);
      assert.equal((await me()).statusCode, 401);
    });

    test('a new password or disabling the account ends its sessions', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'zed', password, role: 'analyst' });
      let s = await signIn(app, 'zed', password, undefined, clock);
      const newPassword = randomPassword();
      await setPassword(store, 'zed', newPassword);
      assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode, 401);
      assert.equal((await signIn(app, 'zed', password, undefined, clock)).res.statusCode, 401);
      s = await signIn(app, 'zed', newPassword, undefined, clock);
      await setDisabled(store, 'zed', true);
      assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode, 401);
      assert.equal((await signIn(app, 'zed', newPassword, undefined, clock)).res.json().error.code, 'BAD_CREDENTIALS');
    });

    test('the language is kept per user', async () => {
      const password = randomPassword();
      await createUser(store, { username: 'lia', password, role: 'analyst' });
      const s = await signIn(app, 'lia', password, undefined, clock);
      const who = { id: 0, username: 'lia', password, role: 'analyst' as const, cookie: s.cookie, csrf: s.csrf };
      assert.equal((await call(app, who, 'PUT', '/api/me/locale', { locale: 'fil' })).statusCode, 200);
      assert.equal((await call(app, who, 'GET', '/api/auth/me')).json().user.locale, 'fil');
      assert.equal((await call(app, who, 'PUT', '/api/me/locale', { locale: 'xx' })).statusCode, 400);
    });
  });
}

describe('over real loopback HTTP', () => {
  const backend = testBackends()[0]!;
  let store: Store;
  let app: FastifyInstance;
  before(async () => {
    store = await backend.open();
    app = await buildApp(store, { webDir: '/nonexistent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  test('health, sign-in with a cookie, me, CSRF refusal, the not-built page', async () => {
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    assert.equal(address.address, '127.0.0.1');
    const base = `http://127.0.0.1:${address.port}`;
    assert.deepEqual(await (await fetch(`${base}/api/health`)).json(), { ok: true });
    const password = randomPassword();
    await createUser(store, { username: 'http-user', password, role: 'analyst' });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'http-user', password }),
    });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
    assert.equal(((await me.json()) as { user: { username: string } }).user.username, 'http-user');
    assert.equal(me.headers.get('cache-control'), 'no-store');
    const noCsrf = await fetch(`${base}/api/queue/next`, { method: 'POST', headers: { cookie } });
    assert.equal(noCsrf.status, 403);
    const withCsrf = await fetch(`${base}/api/queue/next`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    assert.equal(withCsrf.status, 200);
    const page = await fetch(`${base}/some/app/route`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /not built/);
  });
});
