// The command line reads its configuration once at start-up: a bad setting stops every command
// (exit 2, the setting, where it was set and its value) before anything is opened; --help reads none.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';

describe("the command line's configuration", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bantay-config-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a bad setting in the file or the environment stops the command with exit 2 and opens nothing', async () => {
    const data = join(dir, 'never-made');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ database: { data, poolSize: 0 } }));
    const fromFile = await runCli(['--config', file, 'init']);
    assert.equal(fromFile.code, 2, fromFile.stderr);
    assert.ok(fromFile.stderr.includes(`${file}: database.poolSize is 0: must be >= 1`), fromFile.stderr);
    const fromEnv = await runCli(['init'], undefined, { BANTAY_DATA: data, BANTAY_WORKER_CONCURRENCY: 'two' });
    assert.equal(fromEnv.code, 2, fromEnv.stderr);
    assert.match(fromEnv.stderr, /BANTAY_WORKER_CONCURRENCY \(worker\.concurrency\) is "two": must be integer/);
    assert.equal(existsSync(data), false, 'no database was made');
    // Help answers whatever the configuration holds: it reads none.
    const help = await runCli(['--help'], undefined, { BANTAY_CONFIG: join(dir, 'missing.json') });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--config <file>/);
  });

  test('the file chooses the database; --data still wins', async () => {
    const fromFile = join(dir, 'from-file');
    const given = join(dir, 'given');
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify({ database: { data: fromFile } }));
    const init = await runCli(['init'], undefined, { BANTAY_CONFIG: file });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stderr, new RegExp(`embedded database in ${fromFile}`));
    const over = await runCli(['--config', file, '--data', given, 'init']);
    assert.equal(over.code, 0, over.stderr);
    assert.match(over.stderr, new RegExp(`embedded database in ${given}`));
  });
});
