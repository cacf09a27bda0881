// `npm run bench:hashes [-- --reports N --list M --seed S --sample K]`: generates (or reuses) a
// synthetic corpus, ingests it into a fresh embedded database, fills the hash store, then matches
// every file hash of the corpus against a list of M records, each with an exact hash and a PDQ
// (random, plus planted copies of corpus hashes, PDQ ones with bits flipped): exact by hash set and by the database join, PDQ
// by the 16x16-bit multi-index, and the brute-force linear scan timed on a sample of the same
// queries in the same run (the floor-side comparison), checked to give the same answers.
// Figures only: nothing here asserts a time.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { generate } from '../src/synth/generate.ts';
import { openStore } from '../src/store/database.ts';
import { ingestPaths } from '../src/ingest/run.ts';
import { updateHashes } from '../src/hashes/update.ts';
import { PdqIndex } from '../src/hashes/pdq.ts';
import { allFileHashes, exactListMatches, saveHashList, type HashListEntryInput } from '../src/store/hashes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '100000' },
    list: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '7' },
    days: { type: 'string', default: '30' },
    sample: { type: 'string', default: '500' },
  },
});
const reports = Number(values.reports);
const listSize = Number(values.list);
const seed = Number(values.seed);
const sample = Number(values.sample);
const corpus = resolve(here, 'out', `corpus-${reports}-${seed}`);
const secs = (t0: number): number => (performance.now() - t0) / 1000;

if (!existsSync(join(corpus, 'truth.json'))) {
  const t0 = performance.now();
  await generate({ reports, seed, out: corpus, days: Number(values.days) });
  console.log(`generated ${reports} reports in ${secs(t0).toFixed(1)} s`);
}
const dataDir = mkdtempSync(join(tmpdir(), 'bantay-bench-hashes-'));
const store = await openStore({ backend: 'embedded', dataDir });
try {
  let t0 = performance.now();
  const ing = await ingestPaths(store, [corpus]);
  console.log(`ingested ${ing.loaded} reports in ${secs(t0).toFixed(1)} s`);

  t0 = performance.now();
  const up = await updateHashes(store);
  console.log(
    `hashes update: ${up.reportsExtracted} reports, ${up.fileHashes} file hashes (${up.emptyIgnored} empty-file ignored) in ${secs(t0).toFixed(1)} s; novelty ${JSON.stringify(up.novelty)}`,
  );

  const files = await allFileHashes(store.db);
  const pdqFiles = files.filter((f) => f.type === 'pdq');
  const exactFiles = files.filter((f) => f.type !== 'pdq');

  // The list: listSize exact and listSize PDQ hashes, mostly random, 1% planted from the corpus (exact copies; PDQ with 1..20 bits flipped).
  t0 = performance.now();
  const entries: HashListEntryInput[] = [];
  const flip = (hex: string, bits: number): string => {
    const b = Buffer.from(hex, 'hex');
    for (let k = 0; k < bits; k++) {
      const p = (k * 53 + 7) % 256;
      b[p >> 3]! ^= 1 << (p & 7);
    }
    return b.toString('hex');
  };
  const planted = Math.floor(listSize / 100);
  for (let i = 0; i < planted; i++) {
    if (i % 2 === 0 && exactFiles.length) {
      const f = exactFiles[(i * 7919) % exactFiles.length]!;
      entries.push({ type: f.type, value: f.value, category: '1', series: null, victimIdentified: null, quality: null });
    } else if (pdqFiles.length) {
      const f = pdqFiles[(i * 7919) % pdqFiles.length]!;
      entries.push({ type: 'pdq', value: flip(f.value, 1 + (i % 20)), category: '1', series: null, victimIdentified: null, quality: 100 });
    }
  }
  // Each random list record carries an exact hash (MD5 or SHA1) and a PDQ, as VICS and NCMEC
  // records do: listSize records of each kind.
  const rnd = randomBytes(64 * listSize);
  for (let i = 0; entries.length < 2 * listSize; i++) {
    const exact = rnd.subarray(i * 64, i * 64 + 32).toString('hex');
    entries.push({
      type: i % 2 ? 'sha1' : 'md5',
      value: i % 2 ? exact.slice(0, 40) : exact.slice(0, 32),
      category: '1',
      series: null,
      victimIdentified: null,
      quality: null,
    });
    entries.push({
      type: 'pdq',
      value: rnd.subarray(i * 64 + 32, i * 64 + 64).toString('hex'),
      category: '1',
      series: null,
      victimIdentified: null,
      quality: 100,
    });
  }
  const unique = [...new Map(entries.map((e) => [`${e.type}:${e.value}`, e])).values()];
  console.log(`list: ${unique.length} entries (${unique.filter((e) => e.type === 'pdq').length} PDQ) built in ${secs(t0).toFixed(1)} s`);

  // Exact, in memory: one hash-set probe per file hash.
  t0 = performance.now();
  const set = new Set(unique.filter((e) => e.type !== 'pdq').map((e) => `${e.type}:${e.value}`));
  const tSet = secs(t0);
  t0 = performance.now();
  let exactHits = 0;
  for (const f of exactFiles) if (set.has(`${f.type}:${f.value}`)) exactHits++;
  const tExact = secs(t0);
  console.log(
    `exact (memory): ${exactFiles.length} file hashes against ${set.size} list hashes: ${exactHits} hits in ${(tExact * 1000).toFixed(1)} ms (set built in ${tSet.toFixed(2)} s)`,
  );

  // Exact, in the database: load the list (COPY) and run the join the signals use.
  t0 = performance.now();
  await saveHashList(store, { name: 'bench', format: 'csv', source: 'bench', category: null, listDate: null, profile: null }, 'bench', unique);
  console.log(`list import into the database: ${secs(t0).toFixed(1)} s`);
  t0 = performance.now();
  const dbHits = await exactListMatches(store.db);
  console.log(`exact (database join): ${dbHits.length} hits in ${(secs(t0) * 1000).toFixed(0)} ms`);

  // PDQ: multi-index versus linear scan of the same list.
  const idx = new PdqIndex<number>();
  t0 = performance.now();
  unique.forEach((e, i) => {
    if (e.type === 'pdq') idx.add(e.value, i);
  });
  idx.query('0'.repeat(64)); // builds the postings
  console.log(`PDQ index: ${idx.size} hashes built in ${secs(t0).toFixed(2)} s`);
  t0 = performance.now();
  let pdqHits = 0;
  const indexed: number[][] = [];
  for (const f of pdqFiles) {
    const h = idx.query(f.value, 31);
    pdqHits += h.length;
    if (indexed.length < sample) indexed.push(h.map((x) => x.index).sort((a, b) => a - b));
  }
  const tIdx = secs(t0);
  console.log(
    `PDQ (multi-index, ≤31): ${pdqFiles.length} file hashes, ${pdqHits} hits in ${tIdx.toFixed(2)} s (${((tIdx * 1e6) / Math.max(1, pdqFiles.length)).toFixed(0)} µs a query)`,
  );
  const n = Math.min(sample, pdqFiles.length);
  t0 = performance.now();
  let same = 0;
  for (let i = 0; i < n; i++) {
    const h = idx
      .scan(pdqFiles[i]!.value, 31)
      .map((x) => x.index)
      .sort((a, b) => a - b);
    if (JSON.stringify(h) === JSON.stringify(indexed[i])) same++;
  }
  const tScan = secs(t0);
  const perScan = tScan / Math.max(1, n);
  console.log(
    `PDQ (linear scan, floor side): ${n} sampled queries in ${tScan.toFixed(2)} s (${(perScan * 1000).toFixed(2)} ms a query; all ${pdqFiles.length} would take ~${(perScan * pdqFiles.length).toFixed(0)} s); same answers as the index: ${same}/${n}`,
  );
  console.log(`speed-up of the index over the scan: ${(perScan / (tIdx / Math.max(1, pdqFiles.length))).toFixed(0)}x`);
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
