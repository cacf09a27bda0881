// `npm run bench:cli [-- --reports N --runs R]`: how soon the command line answers, run as users
// run it (bin/bantay.js on the built code, a fresh process each time): `bantay --help`,
// `bantay queue --help`, and the read-only `bantay stats` and `bantay queue --limit 20` on a small
// embedded database, against the floor of starting Node itself (`node -e 0`) measured in the same
// run; then the same help through `npm run bantay --`, for what npm adds. Figures only: nothing
// here asserts a time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { reports: { type: 'string', default: '200' }, runs: { type: 'string', default: '5' }, seed: { type: 'string', default: '7' } },
});
const runs = Number(values.runs);
const bin = join(root, 'bin', 'bantay.js');
// A database chosen by the caller's environment must not be the one measured (or written).
const env = { ...process.env, BANTAY_DATA: '', DATABASE_URL: '', BANTAY_OWNER_DATABASE_URL: '' };
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadBefore = load();

function run(command: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

// The command line runs the built code, as users run it: build first so that dist/ matches the sources.
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);

const work = mkdtempSync(join(tmpdir(), 'bantay-bench-cli-'));
const data = join(work, 'db');
try {
  run(process.execPath, [bin, 'generate', '--reports', values.reports!, '--seed', values.seed!, '--out', join(work, 'gen'), '--json']);
  run(process.execPath, [bin, '--data', data, 'ingest', join(work, 'gen', 'reports'), '--no-progress', '--json']);

  const cases: { name: string; command: string; args: string[]; target?: number }[] = [
    { name: 'floor: node -e 0', command: process.execPath, args: ['-e', '0'] },
    { name: 'bantay --help', command: process.execPath, args: [bin, '--help'], target: 300 },
    { name: 'bantay queue --help', command: process.execPath, args: [bin, 'queue', '--help'], target: 300 },
    { name: 'bantay stats', command: process.execPath, args: [bin, '--data', data, 'stats'], target: 1000 },
    { name: 'bantay queue --limit 20', command: process.execPath, args: [bin, '--data', data, 'queue', '--limit', '20'], target: 1000 },
    { name: 'npm run bantay -- --help', command: 'npm', args: ['run', '--silent', 'bantay', '--', '--help'] },
  ];
  // Rounds rather than one command after another, so that a change of load touches every command alike.
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const c of cases) times.get(c.name)!.push(run(c.command, c.args));

  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const floor = median(times.get(cases[0]!.name)!);
  console.log(
    `${values.reports} generated reports in an embedded database; ${runs} runs of each; ${availableParallelism()} cores; load average ${loadBefore} before, ${load()} after`,
  );
  console.log(`${'command'.padEnd(26)} ${'median'.padStart(8)} ${'fastest'.padStart(8)} ${'/floor'.padStart(7)}  target`);
  for (const c of cases) {
    const xs = times.get(c.name)!;
    const m = median(xs);
    const verdict = c.target === undefined ? '' : `< ${c.target / 1000} s: ${m < c.target ? 'met' : 'NOT met'}`;
    console.log(
      `${c.name.padEnd(26)} ${(m / 1000).toFixed(2).padStart(7)}s ${(Math.min(...xs) / 1000).toFixed(2).padStart(7)}s ${(m / floor).toFixed(1).padStart(6)}x  ${verdict}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
