// Figures for the dashboards and the maps, read from the stages' tables: tiers as triage stored
// them (a report an active case holds counts as paused at once), payers from payment alerts.
import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import { iso } from '../model/dates.ts';

type Db = Kysely<BantayDatabase>;

/** The key of reports triage has not scored yet. */
export const UNSCORED = 'UNSCORED';

// A report's tier now: the paused tier while a case holds it, UNSCORED before triage has run.
const tierOf = (paused: string) => sql<string>`case when s.report_id is null then ${UNSCORED}
  when s.paused or exists (select 1 from deconflicted_reports d where d.report_id = r.report_id) then ${paused} else s.tier end`;

/** Reports per tier now (every report, closed or not). */
export async function tierCounts(db: Db, pausedTier: string): Promise<{ tier: string; count: number }[]> {
  const rows = await sql<{ tier: string; n: number }>`
    select ${tierOf(pausedTier)} as tier, count(*)::int as n
    from reports r left join triage_scores s on s.report_id = r.report_id group by 1`.execute(db);
  return rows.rows.map((r) => ({ tier: r.tier, count: r.n }));
}

/** Reports received per interval, split by ESP, incident type or tier. */
export async function volume(
  db: Db,
  by: 'esp' | 'incidentType' | 'tier',
  unit: 'day' | 'week' | 'month',
  pausedTier: string,
): Promise<{ period: string; key: string; count: number }[]> {
  // Column and interval come from closed lists, never from the caller's text.
  const column = by === 'esp' ? sql`coalesce(r.esp, 'unknown')` : by === 'tier' ? tierOf(pausedTier) : sql`r.incident_type`;
  const rows = await sql<{ period: Date; key: string; n: number }>`
    select date_trunc(${unit}, r.received_at) as period, ${column} as key, count(*)::int as n
    from reports r ${by === 'tier' ? sql`left join triage_scores s on s.report_id = r.report_id` : sql``}
    where r.received_at is not null group by 1, 2 order by 1, 2`.execute(db);
  return rows.rows.map((r) => ({ period: iso(r.period), key: r.key, count: r.n }));
}

/** Reports per country (from IPs, phones and addresses) and alerted payers per country. */
export async function worldCounts(db: Db): Promise<{ country: string; reporters: number; payers: number }[]> {
  const [reporters, payers] = await Promise.all([
    sql<{ country: string; n: number }>`select c as country, count(*)::int as n from report_enrichment, unnest(countries) as c group by c`.execute(db),
    // A payer is a party alerted as a sender (the one paying for abuse), counted once per country.
    sql<{ country: string; n: number }>`select upper(p.country) as country, count(distinct p.party_id)::int as n
      from payment_scores ps join payment_parties p on p.party_id = ps.party_id
      where ps.alerted and ps.role = 'sender' and p.country is not null and p.country <> '' group by 1`.execute(db),
  ]);
  const out = new Map<string, { country: string; reporters: number; payers: number }>();
  for (const r of reporters.rows) out.set(r.country.toUpperCase(), { country: r.country, reporters: r.n, payers: 0 });
  for (const p of payers.rows) {
    const e = out.get(p.country);
    if (e) e.payers = p.n;
    else out.set(p.country, { country: p.country, reporters: 0, payers: p.n });
  }
  return [...out.values()].sort((a, b) => b.reporters - a.reporters || b.payers - a.payers || a.country.localeCompare(b.country));
}
