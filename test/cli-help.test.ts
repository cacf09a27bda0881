// `bantay --help` and a command's help answer at once: they load commander and the small modules
// that name the commands' choices, never the database, the server, the job queue, the offline IP
// data or the configuration's validator (issue 23: help in 2.7 s had all of them load first).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/shared.ts';

const HEAVY =
  /@electric-sql\/pglite|\/fastify\/|\/@fastify\/|\/pg-boss\/|\/node_modules\/pg\/|\/kysely\/|\/typebox\/|\/mmdb-lib\/|\/@ip-location-db\/|\/exceljs\/|\/pdfkit\/|\/docx\/|\/src\/store\/database\.ts|\/src\/api\/app\.ts|\/src\/api\/routes\//;

describe('help loads nothing heavy', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bantay-help-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [['--help'], ['queue', '--help'], ['serve', '--help'], ['deconflict', 'export', '--help']]) {
    test(`bantay ${args.join(' ')}`, () => {
      const trace = join(dir, `${args.join('-')}.txt`);
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--import', join(repoRoot, 'test', 'fixtures', 'module-trace.mjs'), join(repoRoot, 'src', 'cli', 'run.ts'), ...args],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { ...process.env, BANTAY_TRACE_MODULES: trace },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Usage: bantay/);
      const loaded = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((u) => u.startsWith('file:'));
      assert.ok(
        loaded.some((u) => u.includes('/src/cli/main.ts')),
        'the trace saw the command line load',
      );
      assert.deepEqual(
        loaded.filter((u) => HEAVY.test(u)),
        [],
      );
    });
  }
});
