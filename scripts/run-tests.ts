// The test command (`npm test`): starts a throw-away PostgreSQL server so that the repository
// tests run on both backends, runs every *.test.ts with node's test runner, then stops the server.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findPgBin, startPgServer, type PgServer } from '../test/support/pg-server.ts';
import { repoRoot } from '../test/support/shared.ts';

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) out.push(relative(repoRoot, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...testFiles(join(repoRoot, 'src')), ...testFiles(join(repoRoot, 'test'))].filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);

// One audit key for the run, never the user's own (~/.config/bantay/audit.key).
if (!process.env.BANTAY_AUDIT_KEY && !process.env.BANTAY_AUDIT_KEY_FILE) {
  const keyDir = mkdtempSync(join(tmpdir(), 'bantay-test-key-'));
  process.env.BANTAY_AUDIT_KEY_FILE = join(keyDir, 'audit.key');
  writeFileSync(process.env.BANTAY_AUDIT_KEY_FILE, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  process.on('exit', () => rmSync(keyDir, { recursive: true, force: true }));
}

let server: PgServer | undefined;
if (!process.env.TEST_DATABASE_URL) {
  const bin = findPgBin();
  if (bin) {
    server = await startPgServer(bin);
    process.env.TEST_DATABASE_URL = server.url;
    console.log(`# PostgreSQL server for the server-backend tests: ${server.url}`);
  } else if (process.env.BANTAY_REQUIRE_SERVER === '1') {
    console.error('BANTAY_REQUIRE_SERVER=1 but no PostgreSQL server binaries were found (apt-get install postgresql)');
    process.exit(1);
  } else {
    console.log('# server-backend tests will be skipped: no PostgreSQL server binaries (apt-get install postgresql), and TEST_DATABASE_URL is unset');
  }
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=900000', ...files], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: process.env,
});
const stopAll = async (): Promise<void> => {
  await server?.stop();
};
process.on('SIGINT', () => {
  child.kill('SIGINT');
});
const code: number = await new Promise((resolveCode) => child.on('exit', (c, signal) => resolveCode(c ?? (signal ? 1 : 0))));
await stopAll();
process.exit(code);
