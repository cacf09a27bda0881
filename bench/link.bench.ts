// `npm run bench:link [-- --reports N --seed S]`: generates (or reuses) a synthetic corpus, ingests
// it into a fresh embedded database (timed: the yardstick), links it (the first, incremental run),
// measures subjects against the planted truth, rebuilds (checked to give the same subjects) and
// relinks a small batch of reports (the incremental path a new delivery takes).
// Figures only: nothing here asserts a time.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from '../src/synth/generate.ts';
import { openStore } from '../src/store/database.ts';
import { ingestPaths } from '../src/ingest/run.ts';
import { runLink } from '../src/link/run.ts';
import { listSubjects } from '../src/link/query.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { readTruth } from '../src/evaluate/truth-file.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '7' },
    days: { type: 'string', default: '30' },
    batch: { type: 'string', default: '500' },
  },
});
const reports = Number(values.reports);
const seed = Number(values.seed);
const corpus = resolve(here, 'out', `corpus-${reports}-${seed}`);
const secs = (t0: number): number => (performance.now() - t0) / 1000;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

if (!existsSync(join(corpus, 'truth.json'))) {
  const t0 = performance.now();
  await generate({ reports, seed, out: corpus, days: Number(values.days) });
  console.log(`generated ${reports} reports in ${secs(t0).toFixed(1)} s`);
}
const dataDir = mkdtempSync(join(tmpdir(), 'bantay-bench-link-'));
// Ingest and link run as separate commands in practice (`bantay ingest`, then `bantay link`):
// the store is closed and reopened between them so linking does not inherit ingest's memory.
let t0 = performance.now();
const ingestStore = await openStore({ backend: 'embedded', dataDir });
const ing = await ingestPaths(ingestStore, [join(corpus, 'reports')]);
await ingestStore.close();
const tIngest = secs(t0);
console.log(`ingest: ${ing.loaded} reports in ${tIngest.toFixed(1)} s`);
const store = await openStore({ backend: 'embedded', dataDir });
try {
  t0 = performance.now();
  const first = await runLink(store);
  const tLink = secs(t0);
  console.log(
    `link (first run): ${first.reportsExtracted} reports, ${first.identifiers} identifiers, ${first.evidence} shared identifiers, ${first.hubs} hubs, ${first.subjects} subjects in ${tLink.toFixed(1)} s (${((tLink / tIngest) * 100).toFixed(0)}% of ingest)`,
  );

  const e = await evaluate(store.db, readTruth(join(corpus, 'truth.json')));
  if (e.subjects) console.log(`subjects: pairwise precision ${pct(e.subjects.precision)}, recall ${pct(e.subjects.recall)}, F1 ${pct(e.subjects.f1)}`);
  console.log(`false links per trap type: ${JSON.stringify(e.falseLinksPerTrap)}`);

  const before = JSON.stringify(await listSubjects(store, { minReports: 2 }));
  t0 = performance.now();
  await runLink(store, { rebuild: true });
  console.log(
    `link --rebuild: ${secs(t0).toFixed(1)} s; same subjects as the incremental run: ${JSON.stringify(await listSubjects(store, { minReports: 2 })) === before}`,
  );

  // A delivery of new reports: the last `batch` report ids re-extracted and relinked.
  const ids = (await store.db.selectFrom('reports').select('report_id').orderBy('report_id', 'desc').limit(Number(values.batch)).execute()).map(
    (r) => r.report_id,
  );
  t0 = performance.now();
  const inc = await runLink(store, { reportIds: ids });
  console.log(
    `incremental: ${inc.reportsExtracted} reports, ${inc.keysRelinked} keys relinked in ${(secs(t0) * 1000).toFixed(0)} ms; same subjects: ${JSON.stringify(await listSubjects(store, { minReports: 2 })) === before}`,
  );
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
