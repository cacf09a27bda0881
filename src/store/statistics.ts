// Aggregate counts for the yearly statistics export (src/stats): counts only, never a row.
import { sql } from 'kysely';
import type { Db } from './bulk.ts';
import type { TimeWindow } from './cases.ts';

/** A count per category. */
export interface CategoryCount {
  key: string;
  n: number;
}

const counts = (rows: { key: string | null; n: number | string }[], missing: string): CategoryCount[] =>
  rows.map((r) => ({ key: r.key ?? missing, n: Number(r.n) }));

/** Reports received in the window, by incident type or ESP. */
export async function receivedBy(db: Db, w: TimeWindow, by: 'incidentType' | 'esp'): Promise<CategoryCount[]> {
  // The column comes from a closed list, never from a caller's text.
  const col = by === 'esp' ? sql.ref('esp') : sql.ref('incident_type');
  const rows = await sql<{ key: string | null; n: number }>`select ${col} as key, count(*)::int as n from reports
    where received_at >= ${w.from} and received_at < ${w.to} group by 1 order by 1`.execute(db);
  return counts(rows.rows, 'unknown');
}

/** Reports received in the window, by their live triage tier (`untriaged` when not scored). */
export async function receivedByTier(db: Db, w: TimeWindow): Promise<CategoryCount[]> {
  const rows = await sql<{ key: string | null; n: number }>`select s.tier as key, count(*)::int as n from reports r
    left join triage_scores s on s.report_id = r.report_id
    where r.received_at >= ${w.from} and r.received_at < ${w.to} group by 1 order by 1`.execute(db);
  return counts(rows.rows, 'untriaged');
}

/** How many reports were received in the window. */
export async function receivedCount(db: Db, w: TimeWindow): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from reports where received_at >= ${w.from} and received_at < ${w.to}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Hours from receipt to the first look and to the decision, over reports received in the window (all when none): how many, median, 90th percentile. */
export async function timingOf(db: Db, w?: TimeWindow): Promise<Record<'firstLook' | 'decision', { n: number; median: number | null; p90: number | null }>> {
  const received = w ? sql`r.received_at >= ${w.from} and r.received_at < ${w.to}` : sql`r.received_at is not null`;
  const one = async (col: 'first_viewed_at' | 'decided_at') => {
    const hours = sql`extract(epoch from (w.${sql.ref(col)} - r.received_at)) / 3600`;
    const r = await sql<{ n: number; med: number | null; p90: number | null }>`
      select count(*)::int as n, percentile_cont(0.5) within group (order by ${hours}) as med, percentile_cont(0.9) within group (order by ${hours}) as p90
      from work_items w join reports r on r.report_id = w.item_id
      where w.kind = 'report' and w.${sql.ref(col)} is not null and ${received}`.execute(db);
    const row = r.rows[0]!;
    return { n: Number(row.n), median: row.med === null ? null : Number(row.med), p90: row.p90 === null ? null : Number(row.p90) };
  };
  return { firstLook: await one('first_viewed_at'), decision: await one('decided_at') };
}

/**
 * Referrals and endorsements of the reports received in the window (whenever sent), by partner
 * agency and kind: like every other table, the year's intake and what became of it. A referral
 * of a subject counts once when the subject has a report received in the window.
 */
export async function referralsBy(db: Db, w: TimeWindow): Promise<{ agency: string; kind: string; n: number }[]> {
  const rows = await sql<{
    agency: string;
    kind: string;
    n: number;
  }>`select agency_code as agency, kind_of_referral as kind, count(*)::int as n from referrals f
    where (f.kind = 'report' and exists (select 1 from reports r where r.report_id = f.item_id and r.received_at >= ${w.from} and r.received_at < ${w.to}))
      or (f.kind = 'subject' and exists (select 1 from link_subjects ls join reports r on r.report_id = ls.report_id
        where ls.subject_id = f.item_id and r.received_at >= ${w.from} and r.received_at < ${w.to}))
    group by 1, 2 order by 1, 2`.execute(db);
  return rows.rows.map((r) => ({ agency: r.agency, kind: r.kind, n: Number(r.n) }));
}

/** Subjects (two or more linked reports) with a report received in the window, and those of them in a case. */
export async function subjectCounts(db: Db, w: TimeWindow): Promise<{ subjects: number; inCases: number }> {
  const r = await sql<{ subjects: number; in_cases: number }>`
    with s as (select distinct ls.subject_id from link_subjects ls join reports r on r.report_id = ls.report_id
      where r.received_at >= ${w.from} and r.received_at < ${w.to})
    select count(*)::int as subjects,
      count(*) filter (where exists (select 1 from case_items ci where ci.kind = 'subject' and ci.item_id = s.subject_id)
        or exists (select 1 from case_items ci join link_subjects m on m.report_id = ci.item_id where ci.kind = 'report' and m.subject_id = s.subject_id))::int as in_cases
    from s`.execute(db);
  return { subjects: Number(r.rows[0]?.subjects ?? 0), inCases: Number(r.rows[0]?.in_cases ?? 0) };
}

/** Children named as victims in reports received in the window, and the reports naming at least one. */
export async function victimCounts(db: Db, w: TimeWindow): Promise<{ victims: number; reports: number }> {
  const r = await sql<{
    victims: number;
    reports: number;
  }>`select coalesce(sum(victim_count), 0)::int as victims, count(*) filter (where victim_count > 0)::int as reports
    from reports where received_at >= ${w.from} and received_at < ${w.to}`.execute(db);
  return { victims: Number(r.rows[0]?.victims ?? 0), reports: Number(r.rows[0]?.reports ?? 0) };
}
