import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load.ts';
import { ConfigError } from './error.ts';
import { settings } from './settings.ts';
import { DEFAULTS } from './defaults.ts';
import { repoRoot } from '../../test/support/shared.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bantay-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// A folder of its own per case, so that no ./bantay.config.json of another case is found.
function folder(name: string, file?: unknown): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  if (file !== undefined) writeFileSync(join(d, 'bantay.config.json'), typeof file === 'string' ? file : JSON.stringify(file));
  return d;
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return err.message;
  }
  assert.fail('the configuration was accepted');
}

describe('configuration', () => {
  test('without a file or variables every setting has its default', () => {
    const c = loadConfig({ env: { XDG_CONFIG_HOME: '/xdg' }, cwd: folder('empty') });
    assert.deepEqual(c.database, DEFAULTS.database);
    assert.deepEqual(c.server, DEFAULTS.server);
    assert.deepEqual(c.worker, DEFAULTS.worker);
    assert.deepEqual(c.cache, DEFAULTS.cache);
    assert.deepEqual(c.triage, DEFAULTS.triage);
    assert.deepEqual(c.ingest, DEFAULTS.ingest);
    assert.deepEqual(c.tiles, DEFAULTS.tiles);
    assert.deepEqual(c.secrets, { dir: '/xdg/bantay' });
    assert.equal(loadConfig({ env: {}, cwd: folder('empty') }).secrets.dir.endsWith('/.config/bantay'), true);
    assert.throws(
      () => {
        (c.server as { port: number }).port = 1;
      },
      TypeError,
      'the configuration is frozen',
    );
  });

  test('a bad variable is refused with its name, its setting and its value', () => {
    const cwd = folder('empty');
    assert.match(
      refusal(() => loadConfig({ env: { BANTAY_DB_POOL_SIZE: 'ten' }, cwd })),
      /BANTAY_DB_POOL_SIZE \(database\.poolSize\) is "ten": must be integer/,
    );
    assert.match(
      refusal(() => loadConfig({ env: { BANTAY_PORT: '70000' }, cwd })),
      /BANTAY_PORT \(server\.port\) is 70000: must be <= 65535/,
    );
    assert.match(
      refusal(() => loadConfig({ env: { BANTAY_WORKER_ROLES: 'stages,nope' }, cwd })),
      /BANTAY_WORKER_ROLES \(worker\.roles\.1\) is "nope": must be one of stages, ingest, exports/,
    );
    assert.match(
      refusal(() => loadConfig({ env: { BANTAY_SECURE_COOKIES: 'maybe' }, cwd })),
      /BANTAY_SECURE_COOKIES \(server\.secureCookies\) is "maybe": must be boolean/,
    );
    assert.match(
      refusal(() => loadConfig({ env: { DATABASE_URL: 'mysql://h/db' }, cwd })),
      /DATABASE_URL \(database\.url\) is "mysql:\/\/h\/db": must match pattern/,
    );
    // Every problem at once, not the first only.
    const both = refusal(() => loadConfig({ env: { BANTAY_DB_POOL_SIZE: '0', BANTAY_INGEST_MAX_FILE_SECONDS: '-1' }, cwd }));
    assert.match(both, /database\.poolSize\) is 0: must be >= 1/);
    assert.match(both, /ingest\.maxFileSeconds\) is -1: must be >= 1/);
  });

  test('a bad file is refused with its path, the setting and its value', () => {
    const cwd = folder('bad', { server: { port: 0.5, prot: 1 }, ingest: { maxFileElements: 'many' }, nonsense: {} });
    const file = join(cwd, 'bantay.config.json');
    const m = refusal(() => loadConfig({ env: {}, cwd }));
    assert.ok(m.includes(`${file}: server.port is 0.5: must be integer`), m);
    assert.ok(m.includes(`${file}: ingest.maxFileElements is "many": must be integer`), m);
    assert.ok(m.includes(`${file}: unknown setting server.prot`), m);
    assert.ok(m.includes(`${file}: unknown setting nonsense`), m);
    assert.match(
      refusal(() => loadConfig({ env: {}, cwd: folder('section', { server: 8080 }) })),
      /server is 8080: must be object/,
    );
    assert.match(
      refusal(() => loadConfig({ env: {}, cwd: folder('json', '{"server": {"port": 8080,}}') })),
      /bantay\.config\.json is not valid JSON/,
    );
    assert.match(
      refusal(() => loadConfig({ env: {}, cwd: folder('array', '[]') })),
      /must hold a JSON object/,
    );
  });

  test('a key is never read from the file, and never printed', () => {
    const key = 'ab'.repeat(32);
    const m = refusal(() => loadConfig({ env: {}, cwd: folder('secret', { secrets: { auditKey: key } }) }));
    assert.match(
      m,
      /secrets\.auditKey is a secret and is never read from the configuration file; set BANTAY_AUDIT_KEY or name a key file \(secrets\.auditKeyFile\)/,
    );
    assert.ok(!m.includes(key));
    assert.ok(!refusal(() => loadConfig({ env: { BANTAY_AUDIT_KEY: key, BANTAY_PORT: 'x' }, cwd: folder('empty') })).includes(key));
    // Named key files are fine in the file.
    assert.equal(
      loadConfig({ env: {}, cwd: folder('keyfile', { secrets: { auditKeyFile: '/etc/bantay/audit.key' } }) }).secrets.auditKeyFile,
      '/etc/bantay/audit.key',
    );
  });

  test('the environment wins over the file, which wins over the defaults', () => {
    const cwd = folder('layers', { database: { poolSize: 3, url: 'postgres://file/db' }, server: { port: 9000 }, worker: { roles: ['stages'] } });
    const c = loadConfig({ env: { BANTAY_PORT: '9100', BANTAY_WORKER_CONCURRENCY: '4' }, cwd });
    assert.equal(c.database.poolSize, 3);
    assert.equal(c.database.url, 'postgres://file/db');
    assert.equal(c.server.port, 9100);
    assert.equal(c.server.host, DEFAULTS.server.host);
    assert.deepEqual(c.worker, { ...DEFAULTS.worker, roles: ['stages'], concurrency: 4 });
    // An empty variable is unset: it does not clear what the file says.
    assert.equal(loadConfig({ env: { DATABASE_URL: '' }, cwd }).database.url, 'postgres://file/db');
    assert.equal(loadConfig({ env: { DATABASE_URL: 'postgres://env/db' }, cwd }).database.url, 'postgres://env/db');
  });

  test('the file is the one named by --config, else BANTAY_CONFIG, else ./bantay.config.json', () => {
    const cwd = folder('choice', { server: { port: 1001 } });
    const named = join(dir, 'named.json');
    const fromEnv = join(dir, 'from-env.json');
    writeFileSync(named, JSON.stringify({ server: { port: 1002 } }));
    writeFileSync(fromEnv, JSON.stringify({ server: { port: 1003 } }));
    assert.equal(loadConfig({ env: {}, cwd }).server.port, 1001);
    assert.equal(loadConfig({ env: { BANTAY_CONFIG: fromEnv }, cwd }).server.port, 1003);
    assert.equal(loadConfig({ env: { BANTAY_CONFIG: fromEnv }, cwd, file: named }).server.port, 1002);
    assert.match(
      refusal(() => loadConfig({ env: { BANTAY_CONFIG: join(dir, 'missing.json') }, cwd })),
      /cannot read the configuration file .*missing\.json: no such file/,
    );
  });

  test('docs/configuration.md lists every setting with its variable and default', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'configuration.md'), 'utf8');
    const rows = new Map(
      doc
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => {
          const cells = l.split(' | ').map((c) => c.replace(/^\| /, '').trim());
          return [cells[0]!.replace(/`/g, ''), cells] as const;
        }),
    );
    for (const s of settings()) {
      const row = rows.get(s.key);
      assert.ok(row, `docs/configuration.md has no row for ${s.key}`);
      if (s.env) assert.equal(row[1], `\`${s.env}\``, `${s.key}: its variable`);
      if (s.default !== undefined) {
        const shown = typeof s.default === 'number' ? String(s.default) : `\`${typeof s.default === 'string' ? s.default : JSON.stringify(s.default)}\``;
        assert.ok(row[2]!.startsWith(shown), `${s.key}: its default ${shown}, the table says ${row[2]}`);
      }
    }
    const keys = new Set(settings().map((s) => s.key));
    for (const key of rows.keys()) assert.ok(keys.has(key), `docs/configuration.md lists ${key}, which is no setting`);
  });
});
