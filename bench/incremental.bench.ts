// `npm run bench:incremental [-- --reports 20000 --delivery 100 --seed 7 --trials 10 --kill-reports 2000 --scale 1000000 --only incremental,server,kill,scale]`
// The targets of the stage runtime and job queue (issue 19), each printed with its figure:
//   incremental  the derived stages of a delivery of ~100 reports into a database of --reports
//                reports, against the same delivery into an empty database (ratio; target ≤ 2),
//                with the number of reports re-scored beside it; peak memory of both ingests, and of
//                the large ingest with its derived work (target < 600 MB);
//   server       the same corpus ingested into a PostgreSQL server and processed by two
//                `bantay worker` processes gives the same subjects and scores as the embedded run;
//   kill         kill -9 at random moments of an ingest (embedded) and of a worker (server, two
//                workers): after the work is run again, nothing lost, nothing twice;
//   scale        (only when asked) the same delivery into a database of --scale seeded reports
//                (rows made in the database, bench/api-seed.ts: reports, versions, identifiers,
//                subjects, scores, file hashes) against an empty one: whether any derived stage's
//                cost follows the size of its tables. The seeded rows share no content or account
//                with the delivery, so this measures table size, not the reach of content groups
//                (the incremental part measures that on real reports).
// Every command runs on the built code (dist/) in its own process. Figures only: nothing asserts a time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { generate } from '../src/synth/generate.ts';
import { xmlFiles } from './xml-files.ts';
import { openStore, type StoreLocation } from '../src/store/database.ts';
import { findPgBin, startPgServer, type PgServer } from '../test/support/pg-server.ts';
import { seedReports } from './api-seed.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '20000' },
    delivery: { type: 'string', default: '100' },
    seed: { type: 'string', default: '7' },
    trials: { type: 'string', default: '10' },
    'kill-reports': { type: 'string', default: '2000' },
    scale: { type: 'string', default: '1000000' },
    only: { type: 'string', default: 'incremental,server,kill' },
  },
});
const only = new Set(values.only!.split(','));
const AS_OF = '2026-03-01T00:00:00Z';
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// The built CLI must match the sources: rebuild it when a source file is newer.
function ensureBuilt(): void {
  const built = join(root, 'dist', 'cli', 'main.js');
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir).map((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs;
      }),
    );
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'src'))) return;
  console.log('building dist/ (tsc -p tsconfig.build.json)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed');
}

async function corpus(reports: number, seed: number): Promise<string> {
  const dir = resolve(here, 'out', `corpus-${reports}-${seed}`);
  if (!existsSync(join(dir, 'truth.json'))) {
    const t0 = performance.now();
    await generate({ reports, seed, out: dir, days: 30 });
    console.log(`generated ${reports} reports in ${secs(performance.now() - t0)}`);
  }
  return join(dir, 'reports');
}

// The last files of the stream (its newest days) holding at least `n` reports: the delivery.
function splitDelivery(dir: string, n: number): { base: string[]; delivery: string[]; reports: number } {
  const files = xmlFiles(dir);
  let reports = 0;
  let k = files.length;
  while (k > 0 && reports < n) {
    k--;
    const text = readFileSync(files[k]!, 'utf8');
    reports += (text.match(/<cybertipReport[\s>]/g) ?? []).length + (text.match(/<report[\s>]/g) ?? []).length;
  }
  return { base: files.slice(0, k), delivery: files.slice(k), reports };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssMB: number;
  ms: number;
  killed: boolean;
}

// Runs `bantay ARGS` on the built code; kills it with SIGKILL after `killAfterMs` when given.
function cli(args: string[], env: NodeJS.ProcessEnv = {}, killAfterMs?: number): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(here, 'cli-child.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, BANTAY_DATA: '', DATABASE_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let killed = false;
  const timer =
    killAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAfterMs);
  return new Promise((done) =>
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const rss = /@@maxrss ([\d.]+)/.exec(stderr);
      done({ code, stdout, stderr, maxRssMB: rss ? Number(rss[1]) : Number.NaN, ms: performance.now() - t0, killed: killed && code === null });
    }),
  );
}

const embedded = (dataDir: string): string[] => ['--data', dataDir];
const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `bantay-bench-inc-${name}-`));

interface IngestJson {
  runId: number;
  loaded: number;
  processed?: { stages: { stage: string; keys: number; ms: number; peakRssMB?: number }[]; scored: number };
}

function parseIngest(r: Run): IngestJson {
  if (r.code !== 0 && r.code !== 3) throw new Error(`bantay ingest exited ${r.code}: ${r.stderr.slice(-2000)}${r.stdout.slice(-2000)}`);
  return JSON.parse(r.stdout) as IngestJson;
}

// The process's peak memory as each stage ended: the stage that raises it most set the peak (the
// first stage's figure includes the ingest before it, so it is not counted as a rise).
function memoryByStage(j: IngestJson, run: Run): string {
  const stages = j.processed?.stages ?? [];
  let before = stages[0]?.peakRssMB ?? 0;
  let culprit = '';
  let rise = 0;
  for (const s of stages.slice(1)) {
    const peak = s.peakRssMB ?? 0;
    if (peak - before > rise) {
      rise = peak - before;
      culprit = s.stage;
    }
    before = Math.max(before, peak);
  }
  const parts = stages.map((s) => `${s.stage} ${s.peakRssMB ?? '?'}`);
  return `peak memory ${run.maxRssMB.toFixed(0)} MB; as each stage ended (MB; the first includes the ingest): ${parts.join(', ')}${culprit ? ` (largest rise: ${culprit}, +${rise} MB)` : ''}`;
}

const stageMs = (j: IngestJson): number => (j.processed?.stages ?? []).reduce((n, s) => n + s.ms, 0);

// Everything the derived stages wrote, as counts and one hash per table; scores are compared after
// a full re-score at one fixed clock (scores read the clock), and checked complete before it.
async function digest(location: StoreLocation): Promise<{ complete: boolean; pending: number; tables: Record<string, string> }> {
  const store = await openStore(location);
  try {
    const one = async (q: ReturnType<typeof sql>): Promise<string> => String(((await q.execute(store.db)).rows[0] as { d: string }).d);
    const unscored = Number(
      await one(sql`select count(*)::text as d from reports r where not exists (select 1 from triage_scores s where s.report_id = r.report_id)`),
    );
    const pending = Number(await one(sql`select count(*)::text as d from stage_pending`));
    const tables: Record<string, string> = {
      versions: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_id || ':' || version || ':' || content_hash, ',' order by report_id collate "C", version)) as d from report_versions`,
      ),
      fileHashes: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_id || '|' || file_id || '|' || hash_type || '|' || value, ',' order by report_id || '|' || file_id || '|' || hash_type || '|' || value collate "C")) as d from file_hashes`,
      ),
      signals: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_id || novelty || known || viral || coalesce(viral_key, '') || new_files || evidence::text, ',' order by report_id collate "C")) as d from report_hash_signals`,
      ),
      identifiers: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_id || '|' || key || '|' || role || '|' || strength, ',' order by report_id || '|' || key || '|' || role || '|' || strength collate "C")) as d from link_identifiers`,
      ),
      evidence: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_a || '|' || report_b || '|' || key || '|' || strength, ',' order by report_a || '|' || report_b || '|' || key || '|' || strength collate "C")) as d from link_evidence`,
      ),
      subjects: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_id || ':' || subject_id, ',' order by report_id collate "C")) as d from link_subjects`,
      ),
      enrichment: await one(
        sql`select count(*) || ' ' || md5(string_agg(report_id || countries::text || ip_flags::text || coalesce(province_code, ''), ',' order by report_id collate "C")) as d from report_enrichment`,
      ),
    };
    await store.close();
    const rescore = await cli(
      [...(location.backend === 'embedded' ? embedded(location.dataDir) : []), 'score', '--all', '--as-of', AS_OF, '--json'],
      location.backend === 'server' ? { DATABASE_URL: location.url } : {},
    );
    if (rescore.code !== 0) throw new Error(`bantay score --all failed: ${rescore.stderr.slice(-1000)}`);
    const again = await openStore(location);
    try {
      tables.scores = String(
        (
          await sql<{
            d: string;
          }>`select count(*) || ' ' || md5(string_agg(report_id || ':' || score || tier || paused || reasons, ',' order by report_id collate "C")) as d from triage_scores`.execute(
            again.db,
          )
        ).rows[0]!.d,
      );
    } finally {
      await again.close();
    }
    return { complete: unscored === 0, pending, tables };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

function differences(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

let server: PgServer | undefined;
async function serverDb(): Promise<{ location: StoreLocation; drop(): Promise<void> } | undefined> {
  if (!server) {
    const bin = findPgBin();
    if (!bin) return undefined;
    server = await startPgServer(bin);
  }
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    location: { backend: 'server', url: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: server!.url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const reportsN = Number(values.reports);
const seed = Number(values.seed);
ensureBuilt();
console.log(`machine load: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (1, 5, 15 min)`);

try {
  let baseDigest: Awaited<ReturnType<typeof digest>> | undefined;
  const dir = await corpus(reportsN, seed);
  const split = splitDelivery(dir, Number(values.delivery));

  if (only.has('incremental') || only.has('server')) {
    const large = tmp('large');
    try {
      const base = await cli([...embedded(large), 'ingest', '--json', '--no-progress', ...split.base]);
      const b = parseIngest(base);
      console.log(
        `base: ${b.loaded} reports ingested and processed in ${secs(base.ms)} (derived stages ${secs(stageMs(b))}); peak memory ${base.maxRssMB.toFixed(0)} MB (target < 600 MB)`,
      );
      console.log(`  ${memoryByStage(b, base)}`);
      if (only.has('server')) baseDigest = await digest({ backend: 'embedded', dataDir: large });
      if (only.has('incremental')) {
        const intoRun = await cli([...embedded(large), 'ingest', '--json', '--no-progress', ...split.delivery]);
        const into = parseIngest(intoRun);
        const empty = tmp('empty');
        try {
          const alone = await cli([...embedded(empty), 'ingest', '--json', '--no-progress', ...split.delivery]);
          const e = parseIngest(alone);
          const ratio = stageMs(into) / Math.max(1, stageMs(e));
          console.log(
            `delivery of ${into.loaded} reports: derived stages ${secs(stageMs(into))} into ${b.loaded} reports vs ${secs(stageMs(e))} into an empty database: ${ratio.toFixed(2)}× (target ≤ 2)`,
          );
          console.log(`  per stage (large): ${(into.processed?.stages ?? []).map((s) => `${s.stage} ${s.keys} keys ${s.ms} ms`).join(', ')}`);
          console.log(`  per stage (empty): ${(e.processed?.stages ?? []).map((s) => `${s.stage} ${s.keys} keys ${s.ms} ms`).join(', ')}`);
          console.log(
            `  peak memory of the delivery's ingest with its derived work: ${intoRun.maxRssMB.toFixed(0)} MB into ${b.loaded} reports, ${alone.maxRssMB.toFixed(0)} MB into an empty database (target < 600 MB)`,
          );
          console.log(`  large: ${memoryByStage(into, intoRun)}`);
          const store = await openStore({ backend: 'embedded', dataDir: large });
          try {
            const bound = (
              await sql<{ n: number; s: number }>`with fresh as (select distinct report_id from report_versions where run_id = ${into.runId}),
              mates as (select s2.report_id from link_subjects s1 join link_subjects s2 on s2.subject_id = s1.subject_id where s1.report_id in (select report_id from fresh))
              select (select count(*)::int from fresh) as n, (select count(*)::int from (select report_id from fresh union select report_id from mates) x) as s`.execute(
                store.db,
              )
            ).rows[0]!;
            console.log(
              `  re-scored: ${into.processed?.scored ?? 0} reports (the ${bound.n} new reports and their subjects' reports: ${bound.s}; more means reports whose hash signals changed, e.g. content that became viral)`,
            );
          } finally {
            await store.close();
          }
        } finally {
          rmSync(empty, { recursive: true, force: true });
        }
      }
    } finally {
      rmSync(large, { recursive: true, force: true });
    }
  }

  if (only.has('server')) {
    const db = await serverDb();
    if (!db || !baseDigest) console.log('server: skipped (no PostgreSQL server binaries)');
    else {
      try {
        const env = { DATABASE_URL: (db.location as { url: string }).url };
        const t0 = performance.now();
        parseIngest(await cli(['ingest', '--json', '--no-progress', '--no-wait', ...split.base], env));
        const workers = await Promise.all([cli(['worker', '--until-idle'], env), cli(['worker', '--until-idle'], env)]);
        const d = await digest(db.location);
        const diff = differences(baseDigest.tables, d.tables);
        console.log(
          `server, two workers: ${secs(performance.now() - t0)} (workers exited ${workers.map((w) => w.code).join(', ')}); every report scored: ${d.complete}; nothing left marked: ${d.pending === 0}; same as the embedded single-process run: ${diff.length === 0 ? 'yes (subjects, scores and every derived table)' : `NO: ${diff.join(', ')}`}`,
        );
      } finally {
        await db.drop();
      }
    }
  }

  if (only.has('scale')) {
    const n = Number(values.scale);
    const big = tmp('scale');
    const empty = tmp('scale-empty');
    try {
      const t0 = performance.now();
      const store = await openStore({ backend: 'embedded', dataDir: big });
      try {
        await seedReports(store.db, 1, n, { scores: true, onChunk: (k) => process.stderr.write(`\rseeded ${k} reports`) });
        // One file per seeded report, as the hash stage stores it (distinct content: no group joins the delivery).
        await sql`insert into file_hashes (report_id, file_id, hash_type, value, version, quality, user_key, seen_at, esp_viral)
          select (100000000 + g)::text, 'f1', 'md5', md5('seed' || g), 1, null, 'u' || g, timestamptz '2026-10-31T00:00:00Z' - g * interval '2 seconds', false
          from generate_series(1, ${n}::int) g`.execute(store.db);
        await sql`insert into hashed_reports (report_id, version) select (100000000 + g)::text, 1 from generate_series(1, ${n}::int) g`.execute(store.db);
        // The seed's stand-in ruleset only names its reasons; the delivery is scored by the built-in default.
        await sql`update triage_rulesets set status = 'retired' where name = 'seed'`.execute(store.db);
        await sql`analyze`.execute(store.db);
      } finally {
        await store.close();
      }
      process.stderr.write('\n');
      console.log(`scale: ${n} reports seeded in ${secs(performance.now() - t0)}`);
      const intoRun = await cli([...embedded(big), 'ingest', '--json', '--no-progress', ...split.delivery]);
      const into = parseIngest(intoRun);
      const alone = await cli([...embedded(empty), 'ingest', '--json', '--no-progress', ...split.delivery]);
      const e = parseIngest(alone);
      console.log(
        `scale: delivery of ${into.loaded} reports: derived stages ${secs(stageMs(into))} into ${n} seeded reports vs ${secs(stageMs(e))} into an empty database: ${(stageMs(into) / Math.max(1, stageMs(e))).toFixed(2)}× (target ≤ 2); re-scored ${into.processed?.scored ?? 0}; peak memory ${intoRun.maxRssMB.toFixed(0)} MB`,
      );
      console.log(`  per stage (seeded): ${(into.processed?.stages ?? []).map((s) => `${s.stage} ${s.keys} keys ${s.ms} ms`).join(', ')}`);
      console.log(`  per stage (empty):  ${(e.processed?.stages ?? []).map((s) => `${s.stage} ${s.keys} keys ${s.ms} ms`).join(', ')}`);
    } finally {
      rmSync(big, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  }

  if (only.has('kill')) {
    const trials = Number(values.trials);
    const small = await corpus(Number(values['kill-reports']), seed + 1);
    const ref = tmp('ref');
    let reference: Awaited<ReturnType<typeof digest>>;
    let full: Run;
    try {
      full = await cli([...embedded(ref), 'ingest', '--json', '--no-progress', small]);
      parseIngest(full);
      reference = await digest({ backend: 'embedded', dataDir: ref });
    } finally {
      rmSync(ref, { recursive: true, force: true });
    }
    console.log(`kill trials on ${Number(values['kill-reports'])} reports; an uninterrupted ingest with processing takes ${secs(full.ms)}`);
    let lost = 0;
    let wrong = 0;
    for (let t = 0; t < trials; t++) {
      const data = tmp('kill');
      try {
        const at = Math.round(full.ms * (0.1 + 0.85 * Math.random()));
        const killed = await cli([...embedded(data), 'ingest', '--json', '--no-progress', small], {}, at);
        const rerun = await cli([...embedded(data), 'ingest', '--json', '--no-progress', small]);
        const d = await digest({ backend: 'embedded', dataDir: data });
        const diff = differences(reference.tables, d.tables);
        if (!d.complete || d.pending > 0) lost++;
        if (diff.length > 0) wrong++;
        console.log(
          `  ingest trial ${t + 1}: killed at ${secs(at)} (${killed.killed ? 'killed' : `finished first, exit ${killed.code}`}); rerun exit ${rerun.code}; every report scored ${d.complete}, left marked ${d.pending}, differs in: ${diff.join(', ') || 'nothing'}`,
        );
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    }
    console.log(`ingest kills: ${lost} trial(s) lost work, ${wrong} trial(s) differ from the uninterrupted run (target 0 and 0)`);

    lost = 0;
    wrong = 0;
    for (let t = 0; t < trials; t++) {
      const db = await serverDb();
      if (!db) {
        console.log('worker kills: skipped (no PostgreSQL server binaries)');
        break;
      }
      try {
        const env = { DATABASE_URL: (db.location as { url: string }).url };
        parseIngest(await cli(['ingest', '--json', '--no-progress', '--no-wait', small], env));
        const at = Math.round(stageMs(JSON.parse(full.stdout) as IngestJson) * (0.1 + 0.85 * Math.random()));
        const [victim, survivor] = await Promise.all([cli(['worker'], env, at), cli(['worker', '--until-idle', '--stale-after', '10'], env)]);
        const d = await digest(db.location);
        const diff = differences(reference.tables, d.tables);
        if (!d.complete || d.pending > 0) lost++;
        if (diff.length > 0) wrong++;
        console.log(
          `  worker trial ${t + 1}: one of two workers killed at ${secs(at)} (${victim.killed ? 'killed' : `exit ${victim.code}`}); the other exited ${survivor.code}; every report scored ${d.complete}, left marked ${d.pending}, differs in: ${diff.join(', ') || 'nothing'}`,
        );
      } finally {
        await db.drop();
      }
    }
    console.log(`worker kills: ${lost} trial(s) lost work, ${wrong} trial(s) differ from the uninterrupted run (target 0 and 0)`);
  }
} finally {
  await server?.stop();
}
