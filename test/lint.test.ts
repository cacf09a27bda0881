// `npm run lint` bites: the rules of the house run on two small trees under test/fixtures/lint/.
// `clean` keeps every rule (a stage importing stages to its left, SQL and transactions where they
// belong, type-only imports in the browser app) and passes; in `broken` every file breaks one
// rule (two files of triage import each other, a cycle), and each is reported by name with its
// file, as is each SQL site outside src/store/ and each spread of an array into push.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './support/shared.ts';
import { lintLayers, lintSql } from '../scripts/lint.ts';

const fixtures = join(repoRoot, 'test', 'fixtures', 'lint');

// Runs node with these arguments in the repository; its exit code and everything it printed.
function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot });
    let output = '';
    const collect = (d: Buffer): void => {
      output += d.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', fail);
    child.on('exit', (code) => done({ code: code ?? 1, output }));
  });
}

// Runs the lint command as `npm run lint` does, on another project root.
const lint = (root: string) => run(['--import', 'tsx', join(repoRoot, 'scripts', 'lint.ts'), root]);

test('a tree that keeps the rules of the house passes the lint', async () => {
  const r = await lint(join(fixtures, 'clean'));
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /the layers hold and no SQL is outside src\/store\//);
});

test('every layering rule and every kind of SQL outside the store fails the lint, with its file', async () => {
  const r = await lint(join(fixtures, 'broken'));
  assert.equal(r.code, 1, r.output);
  const layering = [
    'model-imports-nothing: src/model/report.ts → src/store/reports.ts (type-only)',
    'store-imports-model: src/store/reports.ts → src/link/keys.ts',
    'runtime-imports-store: src/runtime/stage.ts → src/triage/score.ts',
    'stage-enrich: src/enrich/phone.ts → src/link/keys.ts (type-only)',
    'stage-payments: src/payments/flags.ts → src/triage/score.ts',
    'stage-triage: src/triage/score.ts → src/cases/work.ts',
    'services-below-api: src/cases/work.ts → src/api/routes.ts',
    'api-below-cli: src/api/routes.ts → src/cli/main.ts',
    'src-not-web: src/cli/main.ts → web/src/page.ts',
    'web-types-only: web/src/page.ts → src/store/reports.ts',
    'folder-has-a-layer: src/misc/helper.ts → src/model/report.ts (type-only)',
    'no-circular: src/triage/rescore-worker.ts → src/triage/rescore.ts (type-only); cycle src/triage/rescore-worker.ts → src/triage/rescore.ts → src/triage/rescore-worker.ts',
  ];
  for (const line of layering) assert.ok(r.output.includes(`layering  ${line}\n`), `expected "${line}" in:\n${r.output}`);
  const sqlSites = [
    'src/api/routes.ts:9  sql.raw',
    "src/cases/work.ts:2  import { sql } from 'kysely'",
    'src/cases/work.ts:10  sql`…` template',
    'src/link/keys.ts:11  .executeQuery(…)',
    'src/link/keys.ts:11  CompiledQuery.raw',
    'src/payments/flags.ts:12  .execute(…) on a query',
    'src/triage/score.ts:12  .selectFrom(…)',
  ];
  for (const line of sqlSites) assert.ok(r.output.includes(`sql       ${line}:`), `expected "${line}" in:\n${r.output}`);
  // A spread of an array into push is reported wherever it is, the store included.
  assert.ok(r.output.includes('spread    src/store/rows.ts:3  .push(...xs)'), r.output);
  assert.equal((r.output.match(/^spread /gm) ?? []).length, 1);
  // The store may hold SQL and a test may read the database: neither is reported.
  assert.doesNotMatch(r.output, /sql {7}src\/store\//);
  assert.doesNotMatch(r.output, /work\.test\.ts/);
  // The imports that break the layers above also close three cycles (model → store → link → model,
  // through enrich), each reported too: 12 listed, 3 more.
  assert.equal((r.output.match(/^layering {2}no-circular: /gm) ?? []).length, 4);
  assert.match(r.output, /15 layering violation\(s\).*9 SQL site\(s\) outside src\/store\/, 1 spread push\(es\)/);
});

test('an exception lets exactly its import or file through', async () => {
  const broken = join(fixtures, 'broken');
  const all = await lintLayers(broken, []);
  const excepted = await lintLayers(broken, [{ from: 'src/payments/flags.ts', to: 'src/triage/score.ts', why: 'test' }]);
  assert.deepEqual(
    all.filter((v) => !(v.from === 'src/payments/flags.ts' && v.to === 'src/triage/score.ts')).map((v) => `${v.from} ${v.to}`),
    excepted.map((v) => `${v.from} ${v.to}`),
  );
  assert.equal(excepted.length, all.length - 1);
  const sites = lintSql(broken, {});
  const less = lintSql(broken, { 'src/cases/work.ts': 'test' });
  assert.deepEqual(
    less,
    sites.filter((f) => f.file !== 'src/cases/work.ts'),
  );
  assert.ok(less.length < sites.length);
});

// `npm run format:check` (in .ci/run) is Prettier's check with the project's .prettierrc.json. The
// fixtures sit under test/fixtures/, which .prettierignore leaves out of the tree's check, so each is
// checked here by name with no ignore file.
const formatCheck = (file: string) =>
  run([join(repoRoot, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '--ignore-path', join(fixtures, '..', 'format', 'none'), file]);

test('the format check passes a file in the house style and fails one that is not, naming it', async () => {
  const ok = await formatCheck(join('test', 'fixtures', 'format', 'formatted.ts'));
  assert.equal(ok.code, 0, ok.output);
  const bad = await formatCheck(join('test', 'fixtures', 'format', 'unformatted.ts'));
  assert.equal(bad.code, 1, bad.output);
  assert.match(bad.output, /unformatted\.ts/);
});
