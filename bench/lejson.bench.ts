// `node --import tsx bench/lejson.bench.ts [--reports N --seed S --rounds R]`: generates (or reuses)
// one stream as XML and as LE JSON (`generate --format both`) and reads both through readSources
// (decompression, splitting, parsing, mapping: no database), rounds interleaved so that load on
// the machine hits both alike. Prints reports/s and MB/s of each and the ratio LE JSON / XML,
// the XML reader of the same run being the floor. Figures only: nothing here asserts a time.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from '../src/synth/generate.ts';
import { readSources } from '../src/ingest/sources.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
    rounds: { type: 'string', default: '3' },
  },
});
const reports = Number(values.reports);
const seed = Number(values.seed);
const corpus = resolve(here, 'out', `lejson-${reports}-${seed}`);
if (!existsSync(join(corpus, 'truth.json'))) {
  const t0 = performance.now();
  await generate({ reports, seed, out: corpus, days: 30, format: 'both' });
  console.log(`generated ${reports} reports as XML and LE JSON in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

interface Run {
  reports: number;
  bytes: number;
  ms: number;
}

async function readAll(folder: string): Promise<Run> {
  const t0 = performance.now();
  let n = 0;
  let bytes = 0;
  for await (const item of readSources([folder])) {
    if (item.kind === 'report') n++;
    else if (item.kind === 'file-end') bytes += item.bytesRead;
    else if (item.kind === 'rejected') throw new Error(`unexpected rejection: ${item.reason}`);
  }
  return { reports: n, bytes, ms: performance.now() - t0 };
}

const best = { xml: Number.POSITIVE_INFINITY, json: Number.POSITIVE_INFINITY };
let xmlRun: Run | undefined;
let jsonRun: Run | undefined;
for (let r = 0; r < Number(values.rounds); r++) {
  xmlRun = await readAll(join(corpus, 'reports'));
  jsonRun = await readAll(join(corpus, 'reports-lejson'));
  best.xml = Math.min(best.xml, xmlRun.ms);
  best.json = Math.min(best.json, jsonRun.ms);
  console.log(`round ${r + 1}: XML ${xmlRun.ms.toFixed(0)} ms, LE JSON ${jsonRun.ms.toFixed(0)} ms`);
}
const line = (name: string, run: Run, ms: number): string =>
  `${name.padEnd(8)} ${run.reports} reports, ${(run.bytes / 1e6).toFixed(1)} MB on disk: ${(run.reports / (ms / 1000)).toFixed(0)} reports/s, ${(run.bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s (best of ${values.rounds})`;
console.log(line('XML', xmlRun!, best.xml));
console.log(line('LE JSON', jsonRun!, best.json));
console.log(`LE JSON / XML time: ${(best.json / best.xml).toFixed(2)}`);
