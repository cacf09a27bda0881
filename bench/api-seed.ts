// Synthetic rows for the API benchmark and tests: reports, versions and identifiers made with
// generate_series in the database (seconds for a million, where ingesting XML would take minutes).
import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from '../src/store/schema.ts';

const TYPES = `array['Child Pornography (possession, manufacture, and distribution)','Online Enticement of Children for Sexual Acts','Child Sex Trafficking','Unsolicited Obscene Material Sent to a Child']`;
const ESPS = `array['Facebook','Instagram','Google','TikTok','Bigo Live','Discord','Snapchat']`;
const EMPTY_GZIP = '\\x1f8b0800000000000003030000000000000000';

/** Report ids as the seed makes them: 100000001, 100000002, … */
export function seededId(n: number): string {
  return String(100_000_000 + n);
}

/**
 * Inserts reports first..last with one version each and a phone identifier shared by every
 * `groupSize` consecutive reports (those form one subject: S-<group>), in chunks; with `scores`,
 * a triage score for each as well.
 */
export async function seedReports(
  db: Kysely<BantayDatabase>,
  first: number,
  last: number,
  opts: { chunk?: number; groupSize?: number; scores?: boolean; onChunk?: (done: number) => void } = {},
): Promise<void> {
  const chunk = opts.chunk ?? 100_000;
  const group = opts.groupSize ?? 4;
  for (let a = first; a <= last; a += chunk) {
    const b = Math.min(last, a + chunk - 1);
    await sql`insert into reports (report_id, id_source, current_version, version_count, received_at, incident_type, incident_time, referral, ncmec_priority, country, esp, annotations, escalation, batched, file_count, reported_count, victim_count)
      select (100000000 + g)::text, 'report-id', 1, 1, timestamptz '2026-11-01T00:00:00Z' - g * interval '2 seconds',
        (${sql.raw(TYPES)})[1 + g % 4], timestamptz '2026-10-31T00:00:00Z' - g * interval '2 seconds', g % 5 <> 0, case when g % 7 = 0 then 'E' end,
        'PH', (${sql.raw(ESPS)})[1 + g % 7], case when g % 11 = 0 then array['Sextortion'] else '{}'::text[] end,
        case when g % 50 = 0 then 'Child is in imminent danger' end, g % 97 = 0, 1 + g % 3, 1, g % 2
      from generate_series(${a}::int, ${b}::int) g`.execute(db);
    await sql`insert into report_versions (report_id, version, content_hash, received_at, source, raw_gz, raw_bytes, doc)
      select (100000000 + g)::text, 1, md5(g::text), timestamptz '2026-11-01T00:00:00Z' - g * interval '2 seconds', 'seed', ${sql.raw(`'${EMPTY_GZIP}'::bytea`)}, 0,
        jsonb_build_object('reportId', (100000000 + g)::text, 'incidentSummary', jsonb_build_object('incidentType', (${sql.raw(TYPES)})[1 + g % 4]), 'files', '[]'::jsonb)
      from generate_series(${a}::int, ${b}::int) g`.execute(db);
    await sql`insert into link_identifiers (report_id, kind, value, key, role, strength, raw)
      select (100000000 + g)::text, 'phone', '+63917' || lpad(((g - 1) / ${group})::text, 7, '0'), 'phone:+63917' || lpad(((g - 1) / ${group})::text, 7, '0'), 'reported', 'strong', '0917' || lpad(((g - 1) / ${group})::text, 7, '0')
      from generate_series(${a}::int, ${b}::int) g`.execute(db);
    await sql`insert into link_identifiers (report_id, kind, value, key, role, strength, raw)
      select (100000000 + g)::text, 'screen-name', 'facebook:user' || g, 'screen-name:facebook:user' || g, 'reported', 'medium', 'User' || g
      from generate_series(${a}::int, ${b}::int) g`.execute(db);
    await sql`insert into link_subjects (report_id, subject_id)
      select (100000000 + g)::text, 'S-' || ((g - 1) / ${group}) from generate_series(${a}::int, ${b}::int) g`.execute(db);
    if (opts.scores && a === first) {
      // The ruleset version the seeded scores name (its rule texts explain their reasons).
      await sql`insert into triage_rulesets (name, status, doc, content_hash, comment) select 'seed', 'live', ${JSON.stringify({ name: 'seed', rules: [{ id: 'baseline-csam', description: 'A reportable CSAM incident with files: base harm.', source: 'seed' }] })}, 'seed', 'bench seed'
        where not exists (select 1 from triage_rulesets)`.execute(db);
    }
    if (opts.scores) {
      // Scores spread like a real queue: most reports noise, a few percent high or immediate.
      await sql`insert into triage_scores (report_id, ruleset_version, harm, actionability, score, tier, tier_rank, paused, reasons, inputs, received_at, preservation_deadline)
        select (100000000 + g)::text, 1, h, a, h + a, case when h + a >= 90 then 'IMMEDIATE' when h + a >= 70 then 'HIGH' when h + a >= 45 then 'STANDARD' when h + a >= 25 then 'LOW' else 'NOISE' end,
          case when h + a >= 90 then 0 when h + a >= 70 then 1 when h + a >= 45 then 2 when h + a >= 25 then 3 else 4 end, false,
          '[{"rule":"baseline-csam","effect":"harm +15","contribution":15,"evidence":"fileCount = 1"}]', 'seed',
          timestamptz '2026-11-01T00:00:00Z' - g * interval '2 seconds', timestamptz '2027-11-01T00:00:00Z' - g * interval '2 seconds'
        from (select g, (g::bigint * 7919 % 100)::real as h, (g::bigint * 104729 % 30)::real as a from generate_series(${a}::int, ${b}::int) g) x`.execute(db);
    }
    opts.onChunk?.(b - first + 1);
  }
  await sql`analyze reports`.execute(db);
  await sql`analyze link_identifiers`.execute(db);
  if (opts.scores) await sql`analyze triage_scores`.execute(db);
}
