// Builds a world's database the way an agency would fill one: generate the stream, ingest it
// through the full pipeline `bantay ingest` runs (hash signals, identifiers, links, subjects,
// deconfliction, scores), with the hash lists the world ships imported first (as an agency loads
// its Project VIC / ICSE lists), optionally the transactions; then measure it. Used by
// `bantay evaluate --worlds` and `npm run bench:quality`. Orchestration only.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importHashList } from '../hashes/import.ts';
import { ingestPaths, type IngestProgress } from '../ingest/run.ts';
import { ingestTransactionFiles } from '../ingest/transactions/run.ts';
import { joinPaymentsToSubjects } from '../payments/join.ts';
import { scorePayments } from '../payments/run.ts';
import { processNew } from '../pipeline/process.ts';
import { openStore, type Store } from '../store/database.ts';
import { newestReceivedAt } from '../store/reports.ts';
import { generate } from '../synth/generate.ts';
import { exportRuleset, parseRuleset, queueOrder, scoreInMemory } from '../triage/rulesets.ts';
import { scoreReports } from '../triage/rescore.ts';
import { orderQuality } from './triage-quality.ts';
import { worldQuality, type WorldQuality } from './quality.ts';
import { readTruth } from './truth-file.ts';

/** What to build. */
export interface WorldBuildOptions {
  /** 'standard', 'adversarial' or a world JSON file. */
  world: string;
  reports: number;
  seed: number;
  /** The world's folder: stream/ and db/ inside, and built.json once done. */
  dir: string;
  /** Build again even if dir holds a matching build. */
  fresh?: boolean;
  /** Also load transactions.csv, score payments and join them to subjects (as `bantay demo` does). */
  payments?: boolean;
  onStage?: (stage: string) => void;
  onGenerate?: (written: number, total: number) => void;
  onIngest?: (p: IngestProgress) => void;
}

/** A built world. */
export interface WorldBuild {
  world: string;
  reports: number;
  seed: number;
  payments: boolean;
  dir: string;
  streamDir: string;
  dataDir: string;
  truthPath: string;
  /** The time reports were scored at: the newest report, so that generated streams are not stale. */
  asOf: string;
  /** Seconds per step of this build (empty when a build was reused). */
  seconds: Record<string, number>;
  reused: boolean;
}

const MARKER = 'built.json';

function matches(b: WorldBuild, o: WorldBuildOptions): boolean {
  return b.world === o.world && b.reports === o.reports && b.seed === o.seed && b.payments === (o.payments ?? false);
}

/** Generates, ingests and processes a world into `dir` (or reuses a matching earlier build). */
export async function buildWorld(o: WorldBuildOptions): Promise<WorldBuild> {
  const dir = resolve(o.dir);
  const marker = join(dir, MARKER);
  if (!o.fresh && existsSync(marker)) {
    const b = JSON.parse(readFileSync(marker, 'utf8')) as WorldBuild;
    if (matches(b, o)) return { ...b, seconds: {}, reused: true };
  }
  const streamDir = join(dir, 'stream');
  const dataDir = join(dir, 'db');
  rmSync(marker, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const seconds: Record<string, number> = {};
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    o.onStage?.(step);
    const t0 = performance.now();
    const out = await run();
    seconds[step] = (performance.now() - t0) / 1000;
    return out;
  };
  const gen = await timed('generate', () =>
    generate({ reports: o.reports, seed: o.seed, out: streamDir, world: o.world, ...(o.onGenerate ? { onProgress: o.onGenerate } : {}) }),
  );
  const store = await openStore({ backend: 'embedded', dataDir });
  let asOf: Date;
  try {
    for (const path of gen.hashLists)
      await importHashList(store, path, { name: path.replace(/^.*\//, '').replace(/\.json$/, ''), source: `${gen.world} world` });
    await timed('ingest', () => ingestPaths(store, [join(streamDir, 'reports')], o.onIngest ? { onProgress: o.onIngest } : {}));
    asOf = await newest(store);
    await timed('process', () => processNew(store, { now: asOf, ...(o.onStage ? { onStage: o.onStage } : {}) }));
    if (o.payments) {
      await timed('payments', async () => {
        await ingestTransactionFiles(store, [gen.transactionsPath]);
        await scorePayments(store);
        await joinPaymentsToSubjects(store);
        await scoreReports(store, { now: asOf });
      });
    }
  } finally {
    await store.close();
  }
  const build: WorldBuild = {
    world: o.world,
    reports: o.reports,
    seed: o.seed,
    payments: o.payments ?? false,
    dir,
    streamDir,
    dataDir,
    truthPath: gen.truthPath,
    asOf: asOf.toISOString(),
    seconds,
    reused: false,
  };
  writeFileSync(marker, `${JSON.stringify(build, null, 2)}\n`);
  return build;
}

async function newest(store: Pick<Store, 'db'>): Promise<Date> {
  return (await newestReceivedAt(store.db)) ?? new Date();
}

/** Opens a built world's database and measures it against its truth. */
export async function measureWorld(b: WorldBuild): Promise<WorldQuality> {
  const truth = readTruth(b.truthPath);
  const store = await openStore({ backend: 'embedded', dataDir: b.dataDir });
  try {
    return { ...(await worldQuality(store, truth, { now: new Date(b.asOf) })), world: b.world };
  } finally {
    await store.close();
  }
}

/**
 * Urgent in the top 2×|urgent| of the held-out reports (`test`), scored in memory with a stored
 * ruleset version (the live one when `version` is undefined). Nothing is written.
 */
export async function heldOutRecall(b: WorldBuild, test: ReadonlySet<string>, version?: number): Promise<number> {
  const truth = readTruth(b.truthPath);
  const store = await openStore({ backend: 'embedded', dataDir: b.dataDir });
  try {
    const ruleset = parseRuleset(await exportRuleset(store, version));
    const order = queueOrder(await scoreInMemory(store, ruleset, { now: new Date(b.asOf) }));
    return orderQuality(order, truth, test).urgentInTopTwiceUrgent;
  } finally {
    await store.close();
  }
}
