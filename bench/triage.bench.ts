// `npm run bench:triage [-- --reports N --base B --seed S]`: builds (or reuses) a database of N
// reports: a generated corpus of B reports is ingested, hashed, linked and scored once (which
// computes every report's document features), then multiplied with SQL (insert…select with
// suffixed report and subject ids) up to N. Then it measures, in the same run:
//   floor:    a plain SELECT of the same feature rows, chunk by chunk (what reading alone costs);
//   contexts: the one-off read of every report's scoring context (after ingest or a stage change);
//   re-score: scoreReports({ all: true }), the bulk operation after a ruleset change;
// and prints reports/s and the ratio re-score/floor. Figures only: nothing here asserts a time.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { generate } from '../src/synth/generate.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { ingestPaths } from '../src/ingest/run.ts';
import { updateHashes } from '../src/hashes/update.ts';
import { runLink } from '../src/link/run.ts';
import { refreshContexts } from '../src/triage/score.ts';
import { scoreReports } from '../src/triage/rescore.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000000' },
    base: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    fresh: { type: 'boolean', default: false },
  },
});
const target = Number(values.reports);
const base = Math.min(Number(values.base), target);
const seed = Number(values.seed);
const corpus = resolve(here, 'out', `corpus-${base}-${seed}`);
const dataDir = resolve(here, 'out', `triage-db-${target}-${base}-${seed}`);
const secs = (t0: number): number => (performance.now() - t0) / 1000;
const NOW = new Date('2026-02-01T00:00:00Z');

async function build(): Promise<void> {
  if (!existsSync(join(corpus, 'truth.json'))) {
    const t0 = performance.now();
    await generate({ reports: base, seed, out: corpus, days: 30 });
    console.log(`generated ${base} reports in ${secs(t0).toFixed(1)} s`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  let store = await openStore({ backend: 'embedded', dataDir });
  let t0 = performance.now();
  await ingestPaths(store, [join(corpus, 'reports')]);
  await store.close();
  console.log(`ingest: ${secs(t0).toFixed(1)} s`);
  store = await openStore({ backend: 'embedded', dataDir });
  try {
    t0 = performance.now();
    await updateHashes(store);
    await runLink(store);
    const s = await scoreReports(store, { all: true, now: NOW });
    console.log(`hashes, link and first score of ${s.scored} reports: ${secs(t0).toFixed(1)} s`);
    await multiply(store);
  } finally {
    await store.close();
  }
  writeFileSync(join(dataDir, 'built'), `${target}\n`);
}

// Copies of the base reports under suffixed ids, with their features, hash signals and subjects.
async function multiply(store: Store): Promise<void> {
  const copies = Math.ceil(target / base) - 1;
  const t0 = performance.now();
  for (let k = 1; k <= copies; k++) {
    const left = target - k * base;
    if (left <= 0) break;
    const limit = Math.min(base, left);
    const suffix = `-${k}`;
    await store.db.transaction().execute(async (tx) => {
      await sql`create temp table pick on commit drop as select report_id from reports where report_id not like '%-%' order by report_id limit ${limit}`.execute(
        tx,
      );
      await sql`insert into reports (report_id, id_source, current_version, version_count, received_at, incident_type, incident_time, referral, ncmec_priority, country, esp, annotations, escalation, batched, file_count, reported_count, victim_count)
        select r.report_id || ${suffix}, id_source, current_version, version_count, received_at, incident_type, incident_time, referral, ncmec_priority, country, esp, annotations, escalation, batched, file_count, reported_count, victim_count
        from reports r join pick p using (report_id)`.execute(tx);
      await sql`insert into triage_features (report_id, version, features) select f.report_id || ${suffix}, version, features from triage_features f join pick p using (report_id)`.execute(
        tx,
      );
      await sql`insert into report_hash_signals (report_id, novelty, known, viral, new_files, evidence, computed_at) select h.report_id || ${suffix}, novelty, known, viral, new_files, evidence, computed_at from report_hash_signals h join pick p using (report_id)`.execute(
        tx,
      );
      await sql`insert into link_subjects (report_id, subject_id) select s.report_id || ${suffix}, s.subject_id || ${suffix} from link_subjects s join pick p using (report_id)`.execute(
        tx,
      );
    });
    if (k % 10 === 0) console.log(`  multiplied ×${k + 1} (${secs(t0).toFixed(0)} s)`);
  }
  await sql`analyze`.execute(store.db);
  console.log(`multiplied to ${target} reports in ${secs(t0).toFixed(1)} s`);
}

if (values.fresh || !existsSync(join(dataDir, 'built'))) await build();

const store = await openStore({ backend: 'embedded', dataDir });
try {
  const n = Number((await sql<{ n: string }>`select count(*) as n from reports`.execute(store.db)).rows[0]!.n);
  // Floor: reading the same feature rows in the same chunks, nothing else.
  let t0 = performance.now();
  let after = '';
  let read = 0;
  for (;;) {
    const rows = await sql<{ report_id: string; features: string }>`select r.report_id, f.features from reports r
      left join triage_features f on f.report_id = r.report_id and f.report_id > ${after}
      where r.report_id > ${after} order by r.report_id limit 20000`.execute(store.db);
    if (rows.rows.length === 0) break;
    for (const r of rows.rows) if (r.features) JSON.parse(r.features);
    read += rows.rows.length;
    after = rows.rows[rows.rows.length - 1]!.report_id;
  }
  const floor = secs(t0);
  console.log(`floor: read ${read} feature rows in ${floor.toFixed(1)} s (${Math.round(read / floor)} reports/s)`);

  // Contexts are read once after ingest or a stage change (a database built by an older version
  // has none): not part of a re-score after a ruleset change, so timed on its own.
  t0 = performance.now();
  const refreshed = await refreshContexts(store);
  console.log(`scoring contexts refreshed: ${refreshed} in ${secs(t0).toFixed(1)} s`);

  t0 = performance.now();
  const s = await scoreReports(store, { all: true, now: NOW });
  const full = secs(t0);
  console.log(
    `re-score (all): ${s.scored} of ${n} reports in ${full.toFixed(1)} s (${Math.round(s.scored / full)} reports/s); ${(full / floor).toFixed(2)}× the floor`,
  );
  console.log(`tiers: ${JSON.stringify(s.tiers)}`);

  await sql`update triage_features set version = version where report_id in (select report_id from triage_features order by report_id limit 1000)`.execute(
    store.db,
  );
  // New hash signals on 1,000 reports: the hash stage marks them for scoring.
  await sql`insert into stage_pending (stage, key) select 'scores', report_id from report_hash_signals order by report_id limit 1000 on conflict do nothing`.execute(
    store.db,
  );
  t0 = performance.now();
  const inc = await scoreReports(store, { now: NOW });
  console.log(`incremental after new hash signals on 1,000 reports: ${inc.scored} re-scored in ${secs(t0).toFixed(1)} s (finding them included)`);
} finally {
  await store.close();
}
