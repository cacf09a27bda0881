// `npm run bench:quality [-- --reports 20000,100000 --seed 1 --world both|standard|adversarial --fresh --payments]`
// Issue 17's yardstick. For each size and world: generate the stream, ingest it through the full
// pipeline `bantay ingest` runs (with the world's hash lists imported first), measure it, and
// print every measure beside its target (PASS/FAIL), the worlds side by side. Then the
// calibration target: write outcomes from truth (reportId,outcome), calibrate on 30% with
// `bantay rules calibrate --outcomes FILE` when that command exists, and measure urgent recall in
// the top 2×U of the held-out 70% with the live ruleset and with the calibrated draft. Builds are
// kept under bench/out/quality/ and reused unless --fresh. Figures only: nothing here asserts.
import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildProgram } from '../src/cli/main.ts';
import { splitOutcomes, writeOutcomes } from '../src/evaluate/outcomes.ts';
import { formatWorlds, type CalibrationResult, type WorldQuality } from '../src/evaluate/quality.ts';
import { readTruth } from '../src/evaluate/truth-file.ts';
import { buildWorld, heldOutRecall, measureWorld, type WorldBuild } from '../src/evaluate/worlds.ts';
import { openStore } from '../src/store/database.ts';
import { rulesetVersions } from '../src/triage/rulesets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    world: { type: 'string', default: 'both' },
    fresh: { type: 'boolean', default: false },
    payments: { type: 'boolean', default: false },
    'calibration-share': { type: 'string', default: '0.3' },
  },
});
const sizes = values.reports.split(',').map((x) => Number(x.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 200)) throw new Error('--reports takes whole numbers >= 200, comma-separated');
const seed = Number(values.seed);
const worlds = values.world === 'both' ? ['standard', 'adversarial'] : [values.world];
const trainShare = Number(values['calibration-share']);
const secs = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const load = (): string =>
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')} on ${cpus().length} cores`;

function hasCalibrate(): boolean {
  const rules = buildProgram().commands.find((c) => c.name() === 'rules');
  return rules?.commands.some((c) => c.name() === 'calibrate') ?? false;
}

function cli(args: string[]): { status: number; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'cli-run.ts'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

async function calibrate(b: WorldBuild): Promise<CalibrationResult> {
  if (!hasCalibrate()) return { status: 'not available yet', detail: 'no `bantay rules calibrate` in this build' };
  const truth = readTruth(b.truthPath);
  const { train, test } = splitOutcomes(truth, trainShare, seed);
  const trainCsv = join(b.dir, 'outcomes-train.csv');
  writeOutcomes(trainCsv, truth, train);
  writeOutcomes(join(b.dir, 'outcomes-test.csv'), truth, test);
  const versionsOf = async (): Promise<number[]> => {
    const store = await openStore({ backend: 'embedded', dataDir: b.dataDir });
    try {
      return (await rulesetVersions(store)).map((v) => v.version);
    } finally {
      await store.close();
    }
  };
  const before = new Set(await versionsOf());
  const run = cli(['--data', b.dataDir, 'rules', 'calibrate', '--outcomes', trainCsv]);
  if (run.status !== 0) return { status: 'failed', detail: run.out.trim().split('\n').slice(-3).join(' ') };
  const fresh = (await versionsOf()).filter((v) => !before.has(v));
  const draft = fresh.length > 0 ? Math.max(...fresh) : undefined;
  const testSet = new Set(test);
  const beforeRecall = await heldOutRecall(b, testSet);
  if (draft === undefined)
    return { status: 'failed', detail: 'calibrate stored no new ruleset version', trainReports: train.length, testReports: test.length, before: beforeRecall };
  return {
    status: 'done',
    trainReports: train.length,
    testReports: test.length,
    before: beforeRecall,
    after: await heldOutRecall(b, testSet, draft),
    draftVersion: draft,
  };
}

console.log(`quality bench: sizes ${sizes.join(', ')}, seed ${seed}, worlds ${worlds.join(', ')}${values.payments ? ', with payments' : ''}; ${load()}`);
for (const n of sizes) {
  const qs: WorldQuality[] = [];
  for (const world of worlds) {
    const t0 = performance.now();
    const b = await buildWorld({
      world,
      reports: n,
      seed,
      dir: resolve(here, 'out', 'quality', `${world}-${n}-${seed}${values.payments ? '-pay' : ''}`),
      fresh: values.fresh,
      payments: values.payments,
    });
    const steps = Object.entries(b.seconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ');
    console.log(`${world} ${n}: ${b.reused ? 'reused the earlier build' : `built in ${secs(t0)} (${steps})`}; ${load()}`);
    const t1 = performance.now();
    const q = await measureWorld(b);
    console.log(`${world} ${n}: measured in ${secs(t1)}`);
    const t2 = performance.now();
    q.calibration = await calibrate(b);
    console.log(`${world} ${n}: calibration: ${q.calibration.status}${q.calibration.detail ? ` (${q.calibration.detail})` : ''} in ${secs(t2)}`);
    qs.push(q);
  }
  console.log(`\n${n.toLocaleString('en-US')} reports per world, seed ${seed}:\n${formatWorlds(qs)}\n`);
  for (const q of qs) {
    const misses = q.triage.misses.filter((m) => m.kind === 'urgent').slice(0, 8);
    if (misses.length > 0)
      console.log(
        `${q.world}: first urgent misses: ${misses.map((m) => `${m.reportId} ${m.scenario ?? m.category} at ${m.place} (${m.tier} ${m.score})`).join('; ')}`,
      );
  }
}
