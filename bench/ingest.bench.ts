// `npm run bench:ingest [-- --reports N --seed S]`: generates (or reuses) a synthetic corpus,
// measures the floor (the streaming XML parser alone reading the same bytes, gunzip included),
// then a full ingest into a fresh embedded database in a child process (commits synced to disk,
// the default, and once more without syncing for the cost of durability), and prints them with
// their ratios. Figures only: nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { SaxesParser } from 'saxes';
import { generate } from '../src/synth/generate.ts';
import { xmlFiles } from './xml-files.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { reports: { type: 'string', default: '100000' }, seed: { type: 'string', default: '7' }, days: { type: 'string', default: '30' } },
});
const reports = Number(values.reports);
const seed = Number(values.seed);
const corpus = resolve(here, 'out', `corpus-${reports}-${seed}`);

if (!existsSync(join(corpus, 'truth.json'))) {
  const t0 = performance.now();
  const g = await generate({ reports, seed, out: corpus, days: Number(values.days) });
  const s = (performance.now() - t0) / 1000;
  console.log(`generated ${g.reports} reports, ${(g.bytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s (${Math.round(g.reports / s)} reports/s)`);
}
const files = xmlFiles(corpus);

// The floor: read every file (gunzip where needed) through saxes with no handlers.
const floorStart = performance.now();
let xmlBytes = 0;
for (const file of files) {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    xmlBytes += Buffer.byteLength(chunk);
    parser.write(chunk);
  }
  parser.close();
}
const floorSeconds = (performance.now() - floorStart) / 1000;

// The ingest runs the built code, as users run it: build first so that dist/ matches the sources.
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: resolve(here, '..'), encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
// Each commit synced to disk (the default) and, for the cost of that, without syncing.
function ingestOnce(durability: 'full' | 'relaxed') {
  const dataDir = mkdtempSync(join(tmpdir(), 'bantay-bench-'));
  const child = spawnSync(process.execPath, [join(here, 'ingest-child.mjs'), durability, dataDir, join(corpus, 'reports')], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  rmSync(dataDir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`ingest failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    summary: { reportsRead: number; loaded: number; quarantined: number; seconds: number; bytesRead: number };
    maxRssMB: number;
  };
}
const { summary, maxRssMB } = ingestOnce('full');
const relaxed = ingestOnce('relaxed');

const mb = xmlBytes / 1e6;
const rate = summary.reportsRead / summary.seconds;
const rows: [string, string][] = [
  ['corpus', `${summary.reportsRead} reports in ${files.length} files, ${mb.toFixed(0)} MB of XML (seed ${seed})`],
  ['floor: saxes alone', `${floorSeconds.toFixed(1)} s  (${(mb / floorSeconds).toFixed(1)} MB/s, ${Math.round(summary.reportsRead / floorSeconds)} reports/s)`],
  ['ingest, embedded', `${summary.seconds.toFixed(1)} s  (${(mb / summary.seconds).toFixed(1)} MB/s, ${Math.round(rate)} reports/s)`],
  ['ratio ingest/floor', `${(summary.seconds / floorSeconds).toFixed(2)}x`],
  [
    'ingest, not synced',
    `${relaxed.summary.seconds.toFixed(1)} s  (fsync off; the durable default costs ${(summary.seconds / relaxed.summary.seconds).toFixed(2)}x)`,
  ],
  ['peak RSS (ingest)', `${maxRssMB.toFixed(0)} MB for ${mb.toFixed(0)} MB of XML (the ingest process; memory stays flat as input grows)`],
  ['loaded / quarantined', `${summary.loaded} / ${summary.quarantined}`],
  [
    'target',
    `>= 1000 reports/s: ${rate >= 1000 ? 'met' : 'NOT met'}; RSS < 600 MB for 1 GB: ${mb >= 1000 ? (maxRssMB < 600 ? 'met' : 'NOT met') : `input is ${mb.toFixed(0)} MB; run --reports with a larger count for 1 GB`}`,
  ],
];
for (const [k, v] of rows) console.log(`${k.padEnd(22)} ${v}`);
