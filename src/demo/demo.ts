import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate } from '../synth/generate.ts';
import { ingestPaths, type IngestProgress, type IngestSummary } from '../ingest/run.ts';
import { openStore } from '../store/database.ts';
import { reportOrderFacts, reportRows, storeStats, type ReportRow, type StoreStats } from '../store/reports.ts';
import { baselineOrder, evaluate, type Evaluation } from '../evaluate/evaluate.ts';
import { readTruth } from '../evaluate/truth-file.ts';
import { updateHashes, type UpdateSummary } from '../hashes/update.ts';
import { runLink, type LinkRunSummary } from '../link/run.ts';

/** The folder the demo uses unless --data names another. */
export const DEMO_DATA_DIR = './bantay-demo';
const MARKER = '.bantay-demo';

/** What the demo did and what it found. */
export interface DemoResult {
  dataDir: string;
  streamDir: string;
  generateSeconds: number;
  ingest: IngestSummary;
  hashes: UpdateSummary;
  link: LinkRunSummary;
  stats: StoreStats;
  top: ReportRow[];
  evaluation: Evaluation;
}

/** Options of a demo run. */
export interface DemoOptions {
  dataDir?: string;
  reports?: number;
  seed?: number;
  onStage?: (stage: string) => void;
  onGenerate?: (written: number, total: number) => void;
  onIngest?: (p: IngestProgress) => void;
}

// A demo folder is wiped and made again on every run, so it must never be a folder with real
// reports in it: the marker file says the demo made it.
function prepareFolder(dataDir: string): void {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!existsSync(join(dataDir, MARKER))) {
      throw new Error(`${dataDir} exists and was not made by bantay demo; choose an empty folder with --data so that nothing is overwritten`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, MARKER), 'made by bantay demo; the whole folder is replaced on the next demo run\n');
}

/** Generates a synthetic stream, ingests it into a fresh embedded database and summarises the queue. */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const dataDir = resolve(opts.dataDir ?? DEMO_DATA_DIR);
  prepareFolder(dataDir);
  const streamDir = join(dataDir, 'stream');
  opts.onStage?.('generating');
  const t0 = performance.now();
  const gen = await generate({ reports: opts.reports ?? 20_000, seed: opts.seed ?? 1, out: streamDir, ...(opts.onGenerate ? { onProgress: opts.onGenerate } : {}) });
  const generateSeconds = (performance.now() - t0) / 1000;
  opts.onStage?.('ingesting');
  const store = await openStore({ backend: 'embedded', dataDir });
  try {
    const ingest = await ingestPaths(store, [join(streamDir, 'reports')], opts.onIngest ? { onProgress: opts.onIngest } : {});
    opts.onStage?.('hashes');
    const hashes = await updateHashes(store);
    opts.onStage?.('linking');
    const link = await runLink(store);
    const stats = await storeStats(store.db);
    const top = await reportRows(store.db, baselineOrder(await reportOrderFacts(store.db)).slice(0, 10));
    const evaluation = await evaluate(store.db, readTruth(gen.truthPath));
    return { dataDir, streamDir, generateSeconds, ingest, hashes, link, stats, top, evaluation };
  } finally {
    await store.close();
  }
}
