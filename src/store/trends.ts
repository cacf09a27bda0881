// Repository functions of the trends stage: which reports' series keys are stale, what they are
// computed from, the delta writes that keep daily counts in step, the corridor watermark, the
// series windows the detector reads and the alerts it stores.
import { sql } from 'kysely';
import type { Store } from './database.ts';
import { bulkWrite, chunks, type Db } from './bulk.ts';
import { reportVisibleSql, type VisibleTo } from './cases.ts';
import { iso } from '../model/dates.ts';

/** What a report's series keys are computed from. */
export interface TrendInputRow {
  reportId: string;
  inputs: string;
  receivedAt: string | null;
  esp: string | null;
  incidentType: string;
  annotations: string[];
  fileAnnotations: string[];
  provinceCode: string | null;
  municipalityCode: string | null;
  subjectId: string | null;
  /** Each file's hashes carried by at least one other report (`type:value`), by file id. */
  sharedHashes: Map<string, string[]>;
}

/** One series a report counts toward. */
export interface TrendKeyRow {
  reportId: string;
  dim: string;
  key: string;
  /** YYYY-MM-DD. */
  day: string;
}

// What a report's keys depend on: a change here makes its keys stale. Hash-group membership also
// depends on other reports (a second carrier), which the stage handles by re-planning neighbours.
const INPUTS = sql<string>`concat_ws('|', 't1', r.current_version, coalesce(r.received_at::text, '-'), coalesce(e.province_code, '-'),
  coalesce(e.municipality_code, '-'), coalesce(ls.subject_id, '-'), coalesce(hr.version::text, '-'))`;

const JOINS = sql`from reports r
  left join report_enrichment e on e.report_id = r.report_id
  left join link_subjects ls on ls.report_id = r.report_id
  left join hashed_reports hr on hr.report_id = r.report_id`;

/** Reports whose series keys are missing or were computed from other inputs (report id order, after a key). */
export async function staleTrendReports(db: Db, opts: { after?: string; limit: number; all?: boolean; ids?: string[] }): Promise<string[]> {
  const rows = await sql<{ report_id: string }>`select r.report_id ${JOINS}
    left join trend_reports t on t.report_id = r.report_id
    where ${opts.after !== undefined ? sql`r.report_id > ${opts.after}` : sql`true`}
      and ${opts.ids ? sql`r.report_id = any(${opts.ids}::text[])` : sql`true`}
      and ${opts.all ? sql`true` : sql`(t.report_id is null or t.inputs is distinct from ${INPUTS})`}
    order by r.report_id limit ${opts.limit}`.execute(db);
  return rows.rows.map((r) => r.report_id);
}

/** The inputs of the given reports. */
export async function trendInputs(db: Db, ids: string[]): Promise<TrendInputRow[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{
    report_id: string;
    inputs: string;
    received_at: Date | string | null;
    esp: string | null;
    incident_type: string;
    annotations: string[];
    file_annotations: string[] | null;
    province_code: string | null;
    municipality_code: string | null;
    subject_id: string | null;
  }>`select r.report_id, ${INPUTS} as inputs, r.received_at, r.esp, r.incident_type, r.annotations, e.province_code, e.municipality_code, ls.subject_id,
      (select array_agg(distinct a) from report_versions v, jsonb_array_elements(case when jsonb_typeof(v.doc->'files') = 'array' then v.doc->'files' else '[]'::jsonb end) f,
        jsonb_array_elements_text(case when jsonb_typeof(f->'fileAnnotations') = 'array' then f->'fileAnnotations' else '[]'::jsonb end) a
        where v.report_id = r.report_id and v.version = r.current_version) as file_annotations
    ${JOINS} where r.report_id = any(${ids}::text[])`.execute(db);
  // A hash counts as a group only when another report carries it too (one probe, not a count).
  const hashes = await sql<{ report_id: string; file_id: string; hash_type: string; value: string }>`
    select f.report_id, f.file_id, f.hash_type, f.value from file_hashes f
    where f.report_id = any(${ids}::text[])
      and exists (select 1 from file_hashes g where g.value = f.value and g.hash_type = f.hash_type and g.report_id <> f.report_id)`.execute(db);
  const shared = new Map<string, Map<string, string[]>>();
  for (const h of hashes.rows) {
    const byFile = shared.get(h.report_id) ?? shared.set(h.report_id, new Map()).get(h.report_id)!;
    const list = byFile.get(h.file_id) ?? byFile.set(h.file_id, []).get(h.file_id)!;
    list.push(`${h.hash_type}:${h.value}`);
  }
  return rows.rows.map((r) => ({
    reportId: r.report_id,
    inputs: r.inputs,
    receivedAt: iso(r.received_at),
    esp: r.esp,
    incidentType: r.incident_type,
    annotations: r.annotations ?? [],
    fileAnnotations: r.file_annotations ?? [],
    provinceCode: r.province_code,
    municipalityCode: r.municipality_code,
    subjectId: r.subject_id,
    sharedHashes: shared.get(r.report_id) ?? new Map(),
  }));
}

/**
 * Other reports that carry a hash group these keys name but do not count toward it yet (the
 * first carrier of a file that just gained a second one). Bounded by the groups' sizes.
 */
export async function hashNeighbours(db: Db, keys: string[], exclude: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const out = new Set<string>();
  for (const part of chunks(keys)) {
    const rows = await sql<{ report_id: string }>`
      select distinct f.report_id from file_hashes f
      join unnest(${part}::text[]) k(key) on f.hash_type || ':' || f.value = k.key
      where f.value = any(${part.map((k) => k.slice(k.indexOf(':') + 1))}::text[])
        and not (f.report_id = any(${exclude}::text[]))
        and not exists (select 1 from trend_report_keys t where t.report_id = f.report_id and t.dim = 'hash' and t.key = k.key)`.execute(db);
    for (const r of rows.rows) out.add(r.report_id);
  }
  return [...out];
}

/**
 * Replaces the series keys of these reports and moves the daily counts by the difference, in one
 * transaction: the old keys are subtracted, the new ones added, emptied days removed.
 */
export async function replaceTrendKeys(store: Pick<Store, 'db' | 'copy'>, reports: { reportId: string; inputs: string }[], keys: TrendKeyRow[]): Promise<void> {
  if (reports.length === 0) return;
  await store.db.transaction().execute(async (tx) => {
    for (const ids of chunks(reports.map((r) => r.reportId))) {
      await sql`with old as (delete from trend_report_keys where report_id = any(${ids}::text[]) returning dim, key, day),
        gone as (select dim, key, day, count(*)::int as c from old group by dim, key, day)
        update trend_daily d set n = d.n - g.c from gone g where d.dim = g.dim and d.key = g.key and d.day = g.day`.execute(tx);
      await tx.deleteFrom('trend_reports').where('report_id', 'in', ids).execute();
    }
    await sql`delete from trend_daily where n <= 0`.execute(tx);
    await bulkWrite(
      tx,
      store.copy,
      'trend_report_keys',
      ['report_id', 'dim', 'key', 'day'],
      keys.map((k) => [k.reportId, k.dim, k.key, k.day]),
    );
    await bulkWrite(
      tx,
      store.copy,
      'trend_reports',
      ['report_id', 'inputs'],
      reports.map((r) => [r.reportId, r.inputs]),
    );
    for (const ids of chunks(reports.map((r) => r.reportId))) {
      await sql`insert into trend_daily (dim, key, day, n)
        select dim, key, day, count(*)::int from trend_report_keys where report_id = any(${ids}::text[]) group by dim, key, day
        on conflict (dim, key, day) do update set n = trend_daily.n + excluded.n`.execute(tx);
    }
  });
}

/** Adds counts to daily series (corridors: counted once per stored payment). */
export async function addDailyCounts(db: Db, rows: { dim: string; key: string; day: string; n: number }[]): Promise<void> {
  for (const part of chunks(rows)) {
    await sql`insert into trend_daily (dim, key, day, n)
      select * from unnest(${part.map((r) => r.dim)}::text[], ${part.map((r) => r.key)}::text[], ${part.map((r) => r.day)}::date[], ${part.map((r) => r.n)}::int[])
      on conflict (dim, key, day) do update set n = trend_daily.n + excluded.n`.execute(db);
  }
}

/** A watermark of the stage, or undefined. */
export async function trendState(db: Db, name: string): Promise<string | undefined> {
  return (await db.selectFrom('trend_state').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

/** Sets a watermark. */
export async function setTrendState(db: Db, name: string, value: string): Promise<void> {
  await db
    .insertInto('trend_state')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

/** Payments stored after a moment (the corridor watermark), oldest first. */
export async function paymentsSince(
  db: Db,
  after: string | undefined,
): Promise<{ ts: string; sender: string | null; receiver: string | null; ingestedAt: string }[]> {
  // The watermark is the column's own text (microseconds kept), so no payment is counted twice or skipped.
  const rows = await sql<{ ts: Date | string; sender_country: string | null; receiver_country: string | null; mark: string }>`
    select ts, sender_country, receiver_country, ingested_at::text as mark from payment_txns
    where ${after === undefined ? sql`true` : sql`ingested_at > ${after}::timestamptz`}
    order by ingested_at`.execute(db);
  return rows.rows.map((r) => ({ ts: iso(r.ts), sender: r.sender_country, receiver: r.receiver_country, ingestedAt: r.mark }));
}

/** The series with a count on any day in [from, to] (the ones that can alarm), optionally of some dimensions. */
export async function activeSeries(db: Db, from: string, to: string, dims?: string[]): Promise<{ dim: string; key: string }[]> {
  const rows = await db
    .selectFrom('trend_daily')
    .select(['dim', 'key'])
    .distinct()
    .where('day', '>=', from)
    .where('day', '<=', to)
    .$if(dims !== undefined, (q) => q.where('dim', 'in', dims!.length ? dims! : ['']))
    .execute();
  return rows;
}

/** Daily counts of the given series over [from, to] (only days with a count). */
export async function seriesCounts(
  db: Db,
  series: { dim: string; key: string }[],
  from: string,
  to: string,
): Promise<{ dim: string; key: string; day: string; n: number }[]> {
  const out: { dim: string; key: string; day: string; n: number }[] = [];
  for (const part of chunks(series, 500)) {
    const rows = await sql<{ dim: string; key: string; day: string; n: number }>`
      select d.dim, d.key, to_char(d.day, 'YYYY-MM-DD') as day, d.n from trend_daily d
      join unnest(${part.map((s) => s.dim)}::text[], ${part.map((s) => s.key)}::text[]) s(dim, key) on d.dim = s.dim and d.key = s.key
      where d.day >= ${from}::date and d.day <= ${to}::date`.execute(db);
    for (const r of rows.rows) out.push(r);
  }
  return out;
}

/** An alert as stored. */
export interface TrendAlertRow {
  id: string;
  dim: string;
  key: string;
  period: 'day' | 'week';
  startDay: string;
  firedDay: string;
  endDay: string;
  observed: number;
  expected: number;
  score: number;
  p: number;
  detail: unknown;
}

/** Replaces the alerts of the judged series that end on or after `from` (older alerts stay as history). */
export async function replaceAlerts(
  store: Pick<Store, 'db' | 'copy'>,
  judged: { dim: string; key: string }[],
  from: string,
  alerts: TrendAlertRow[],
): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    for (const part of chunks(judged, 500)) {
      await sql`delete from trend_alerts a using unnest(${part.map((s) => s.dim)}::text[], ${part.map((s) => s.key)}::text[]) s(dim, key)
        where a.dim = s.dim and a.key = s.key and a.end_day >= ${from}::date`.execute(tx);
    }
    // An alert already stored for an older window of the same episode is replaced by id.
    for (const part of chunks(alerts.map((a) => a.id))) await tx.deleteFrom('trend_alerts').where('id', 'in', part).execute();
    await bulkWrite(
      tx,
      undefined,
      'trend_alerts',
      ['id', 'dim', 'key', 'period', 'start_day', 'fired_day', 'end_day', 'observed', 'expected', 'score', 'p', 'detail'],
      alerts.map((a) => [a.id, a.dim, a.key, a.period, a.startDay, a.firedDay, a.endDay, a.observed, a.expected, a.score, a.p, JSON.stringify(a.detail)]),
    );
  });
}

const DAY = (col: string) => sql<string>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

/** Stored alerts, strongest recent first: those ending on or after `since`, optionally of one period or dimension. */
export async function listAlerts(db: Db, opts: { since?: string; period?: string; dim?: string; limit?: number; id?: string } = {}): Promise<TrendAlertRow[]> {
  const rows = await db
    .selectFrom('trend_alerts')
    .select(['id', 'dim', 'key', 'period', 'observed', 'expected', 'score', 'p', 'detail'])
    .select([DAY('start_day').as('start'), DAY('fired_day').as('fired'), DAY('end_day').as('end')])
    .$if(opts.since !== undefined, (q) => q.where('end_day', '>=', opts.since!))
    .$if(opts.period !== undefined, (q) => q.where('period', '=', opts.period!))
    .$if(opts.dim !== undefined, (q) => q.where('dim', '=', opts.dim!))
    .$if(opts.id !== undefined, (q) => q.where('id', '=', opts.id!))
    .orderBy('end_day', 'desc')
    .orderBy('score', 'desc')
    .orderBy('id')
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dim: r.dim,
    key: r.key,
    period: r.period as 'day' | 'week',
    startDay: r.start,
    firedDay: r.fired,
    endDay: r.end,
    observed: r.observed,
    expected: Number(r.expected),
    score: Number(r.score),
    p: Number(r.p),
    detail: r.detail,
  }));
}

/** The newest day with a count (a Date at midnight UTC, or a string, as the backend gives a `date`), or null. */
export async function newestTrendDay(db: Db): Promise<Date | string | null> {
  const r = await db
    .selectFrom('trend_daily')
    .select((eb) => eb.fn.max('day').as('d'))
    .executeTakeFirst();
  return r?.d ?? null;
}

/** The reports behind a series over [from, to] (Manila days), newest first: how many and the first `limit` (of those `visibleTo` may see). */
export async function seriesReports(
  db: Db,
  dim: string,
  key: string,
  from: string,
  to: string,
  limit = 50,
  visibleTo?: VisibleTo,
): Promise<{ total: number; reportIds: string[] }> {
  const where = sql`dim = ${dim} and key = ${key} and day >= ${from}::date and day <= ${to}::date`;
  // The count is an aggregate; the ids listed are only those the caller may see.
  const listed = visibleTo ? sql`${where} and ${reportVisibleSql(sql.ref('report_id'), visibleTo)}` : where;
  const [n, rows] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n from trend_report_keys where ${where}`.execute(db),
    sql<{ report_id: string }>`select report_id from trend_report_keys where ${listed} order by day desc, report_id limit ${limit}`.execute(db),
  ]);
  return { total: n.rows[0]?.n ?? 0, reportIds: rows.rows.map((r) => r.report_id) };
}
