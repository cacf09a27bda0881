// The one error type: every code has an HTTP status of its class and a CLI exit code, the docs list
// every code, no other error is thrown in src/, and the real app and the real command line answer
// each class as the tables say.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Fastify from 'fastify';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import { repoRoot } from './support/shared.ts';
import { apiSuite, call, multipart } from './api-support.ts';
import { BantayError, ERROR_CODES, errorClass, internal, isBantayError, notFound, type ErrorClass } from '../src/model/error.ts';
import { HTTP_ERRORS, installErrorHandlers } from '../src/api/errors.ts';
import { EXIT_CODES } from '../src/cli/exit.ts';
import type { StoreLocation } from '../src/store/database.ts';

// The statuses a class may answer with.
const STATUSES: Record<ErrorClass, number[]> = {
  badInput: [400, 422],
  unauthenticated: [401],
  forbidden: [403],
  notFound: [404],
  conflict: [409],
  tooLarge: [413],
  tooMany: [429],
  unavailable: [503],
  internal: [500],
};

test('every code has a status of its class, a title and an exit code', () => {
  assert.ok(ERROR_CODES.length >= 60, `only ${ERROR_CODES.length} codes`);
  for (const code of ERROR_CODES) {
    const { status, title } = HTTP_ERRORS[code];
    assert.ok(STATUSES[errorClass(code)].includes(status), `${code} (${errorClass(code)}) answers ${status}`);
    assert.ok(title.length > 5, `${code} has no title`);
    assert.ok(Number.isInteger(EXIT_CODES[errorClass(code)]), `${code} has no exit code`);
  }
  assert.deepEqual(Object.keys(HTTP_ERRORS).sort(), [...ERROR_CODES].sort(), 'the table holds exactly the codes of the union');
  // 0 is success and 3 is "some items set aside" (ingest, geo import): no error class may use them.
  for (const [cls, exit] of Object.entries(EXIT_CODES)) assert.ok(exit !== 0 && exit !== 3, `${cls} exits ${exit}`);
  assert.equal(EXIT_CODES.badInput, 2, 'bad input exits 2, as a bad option or setting always did');
});

test('a factory makes a BantayError of its class', () => {
  const e = notFound('NO_SUCH_USER', 'no account named x');
  assert.ok(e instanceof BantayError && e instanceof Error);
  assert.equal(e.kind, 'notFound');
  assert.ok(isBantayError(e, 'NO_SUCH_USER'));
  assert.ok(!isBantayError(e, 'NOT_FOUND'));
  const cause = new Error('disk full');
  assert.equal(internal('could not write', cause).cause, cause);
});

test('docs/api.md lists every code with its status', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');
  for (const code of ERROR_CODES) {
    assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${HTTP_ERRORS[code].status} \\|`), `docs/api.md does not list ${code}`);
  }
});

// Control-flow signals caught in the module that throws them; they never leave it.
const LOCAL_SIGNALS = new Set(['src/ingest/cybertip/scanner.ts Stop', 'src/ingest/sources.ts SourceFailure']);

test('src/ throws BantayError only (the configuration its own ConfigError; commander its argument errors)', () => {
  const files = (readdirSync(join(repoRoot, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const strays: string[] = [];
  for (const f of files) {
    const path = relative(repoRoot, join(repoRoot, 'src', f));
    const text = readFileSync(join(repoRoot, path), 'utf8');
    for (const m of text.matchAll(/class (\w+) extends Error\b/g)) {
      if (m[1] !== 'BantayError' && m[1] !== 'ConfigError' && !LOCAL_SIGNALS.has(`${path} ${m[1]}`)) strays.push(`${path}: class ${m[1]}`);
    }
    for (const m of text.matchAll(/new (\w*Error)\(/g)) {
      if (!['BantayError', 'ConfigError', 'InvalidArgumentError'].includes(m[1]!)) strays.push(`${path}: new ${m[1]}`);
    }
  }
  // The one allowed plain Error: the job queue turning a thrown non-Error value into one to record.
  assert.deepEqual(strays, ['src/jobs/queue.ts: new Error']);
});

test('the error handler answers by the table and never sends a fault’s text', async () => {
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  app.get('/internal', async () => {
    throw internal('cannot open /var/secret/bantay/pg: permission denied');
  });
  app.get('/plain', async () => {
    throw new Error('select * from users failed');
  });
  app.get('/unavailable', async () => {
    throw new BantayError('NO_SHARED_KEY', 'no shared deconfliction key: put it in /etc/bantay/deconflict.key');
  });
  app.get('/conflict', async () => {
    throw new BantayError('CONFIRM_REQUIRED', 'confirm first', { items: [1] });
  });
  try {
    for (const [url, status, code] of [
      ['/internal', 500, 'INTERNAL'],
      ['/plain', 500, 'INTERNAL'],
      ['/unavailable', 503, 'NO_SHARED_KEY'],
    ] as const) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, status, url);
      const body = r.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, code);
      assert.equal(body.error.message, HTTP_ERRORS[code].title, `${url} sends the table's title, not the fault`);
      assert.doesNotMatch(r.body, /secret|select|\/etc/);
    }
    const c = await app.inject({ method: 'GET', url: '/conflict' });
    assert.equal(c.statusCode, 409);
    assert.deepEqual(c.json(), { error: { code: 'CONFIRM_REQUIRED', message: 'confirm first', items: [1] } });
  } finally {
    await app.close();
  }
});

for (const backend of testBackends()) {
  describe(`each class of error through the real app on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const suite = apiSuite(backend);

    test('bad input, unauthenticated, forbidden, not found and conflict answer their status and code', async () => {
      const { app, as } = suite;
      const expect = async (r: Awaited<ReturnType<typeof call>>, status: number, code: string): Promise<void> => {
        assert.equal(r.statusCode, status, r.body);
        assert.equal((r.json() as { error: { code: string } }).error.code, code);
      };
      // A hash list that is not what it says: the reader's refusal was a 500, now bad input.
      const m = multipart([{ name: 'list.json', content: '[]' }]);
      const boundary = m.type.split('boundary=')[1];
      const field = (name: string, value: string): Buffer => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/hashlists',
        headers: { cookie: as.supervisor.cookie, 'x-csrf-token': as.supervisor.csrf, 'content-type': m.type },
        payload: Buffer.concat([field('name', 'not-vics'), field('format', 'vics'), m.body]),
      });
      await expect(bad, 422, 'BAD_FILE');
      assert.match((bad.json() as { error: { message: string } }).error.message, /not a VICS file/);
      // A ruleset that breaks the rules: bad input with every problem listed.
      const ruleset = await call(app, as.supervisor, 'POST', '/api/rules/test', { ruleset: { name: 'x', tiers: [], rules: [{}] } });
      await expect(ruleset, 400, 'BAD_RULESET');
      assert.ok(Array.isArray((ruleset.json() as { error: { problems: unknown } }).error.problems));
      await expect(await call(app, undefined, 'GET', '/api/queue'), 401, 'UNAUTHENTICATED');
      await expect(await call(app, as.analyst, 'GET', '/api/users'), 403, 'FORBIDDEN');
      await expect(await call(app, as.admin, 'GET', '/api/templates/no-such-template'), 404, 'NOT_FOUND');
      await call(app, as.admin, 'POST', '/api/users', { username: 'twice', password: 'a long enough pass phrase 1', role: 'analyst' });
      await expect(
        await call(app, as.admin, 'POST', '/api/users', { username: 'twice', password: 'a long enough pass phrase 1', role: 'analyst' }),
        409,
        'USERNAME_TAKEN',
      );
    });
  });

  describe(`the command line's exit code per class on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ location, dispose } = await backend.fresh());
    });
    after(async () => {
      await dispose?.();
    });

    test('bad input exits 2, not found 4, conflict 5, each with its message', async () => {
      const made = await runCli(['user', 'add', 'ana', '--role', 'analyst', '--generate-password'], location);
      assert.equal(made.code, 0, made.stderr);
      for (const [args, code, message] of [
        [['user', 'add', 'bob', '--role', 'wizard', '--generate-password'], EXIT_CODES.badInput, /^bantay: role must be one of/],
        [['report', '999999999'], EXIT_CODES.notFound, /^bantay: no report 999999999/],
        [['user', 'disable', 'nobody'], EXIT_CODES.notFound, /^bantay: no account named nobody/],
        [['user', 'add', 'ana', '--role', 'analyst', '--generate-password'], EXIT_CODES.conflict, /^bantay: there is already an account named ana/],
      ] as const) {
        const r = await runCli([...args], location);
        assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'a message, not a stack trace');
      }
    });
  });
}
