// The queue's SQL: one set of filters and one ordering for every reader (the CLI, the demo, the
// API and its exports). The service on top (src/cases/queue.ts) explains rows and caches totals.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import { iso } from '../model/dates.ts';

type Db = Kysely<BantayDatabase>;

/** Who reads the queue: an analyst of a closed queue sees their own and their team's work only. */
export interface QueueReader {
  userId: number;
  role: string;
  team: string | null;
  /** The agency opened the whole queue to every analyst. */
  openQueue: boolean;
}

/** The queue's filters, already checked (the service validates what a person typed). */
export interface QueueFilter {
  tier?: string | undefined;
  /** The ruleset's paused tier (default PAUSED): reports held by a case, whether or not re-scored since. */
  pausedTier?: string | undefined;
  incidentType?: string | undefined;
  esp?: string | undefined;
  /** PSGC codes: a map unit can be several (Metro Manila's cities, a province with its HUCs). */
  provinces?: string[] | undefined;
  annotation?: string | undefined;
  /** One viral batch: its key (see ReportSignal.viralKey). */
  viralBatch?: string | undefined;
  /** PSGC codes of cities or municipalities (report_enrichment.municipality_code). */
  municipalities?: string[] | undefined;
  /** One trend series, `dimension:key`: the reports the trends stage counted in it (a corridor: the reports of its parties). */
  trend?: string | undefined;
  /** First and last Manila day (YYYY-MM-DD): of the trend series when one is given, else of receipt. */
  from?: string | undefined;
  to?: string | undefined;
  /** `me`, `none`, `any` or a user id. */
  assigned?: string | undefined;
  /** `open` (default: everything not closed), `all`, or one status. */
  status?: string | undefined;
  /** Paused reports too, after every other (default: only under the paused tier). */
  includePaused?: boolean | undefined;
  /** `priority` (default: triage order when scores exist, else newest first), `received_desc`, `received_asc`. */
  sort?: 'priority' | 'received_desc' | 'received_asc' | undefined;
}

/** One queue row as stored. */
export interface QueueRow {
  report_id: string;
  received_at: Date | string | null;
  incident_type: string;
  esp: string | null;
  batched: boolean;
  status: string | null;
  held: boolean | null;
  assignee_id: number | null;
  tier: string | null;
  harm: number | string | null;
  actionability: number | string | null;
  score: number | string | null;
  first_in_tier: boolean | null;
  paused: boolean | null;
  reasons: string | null;
  ruleset_version: number | null;
  preservation_deadline: Date | string | null;
  username: string | null;
  case_id: string | null;
  province_code: string | null;
  viral_key: string | null;
}

// A report is paused when triage paused it or when an active case holds it and triage has not yet
// re-scored it: opening a case moves its reports under the paused tier at once.
const HELD = sql<SqlBool>`exists (select 1 from deconflicted_reports d where d.report_id = r.report_id)`;
const PAUSED = sql<SqlBool>`(coalesce(s.paused, false) or ${HELD})`;

function conditions(q: QueueFilter, v: QueueReader | undefined, scored: boolean): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  // Once triage has scored, the queue is the scored reports.
  if (scored) c.push(sql<SqlBool>`s.report_id is not null`);
  if (q.incidentType) c.push(sql<SqlBool>`r.incident_type = ${q.incidentType}`);
  if (q.esp) c.push(sql<SqlBool>`r.esp = ${q.esp}`);
  const pausedTier = q.pausedTier ?? 'PAUSED';
  if (q.tier === pausedTier) c.push(scored ? PAUSED : HELD);
  // No report has a tier until triage scores exist, so a tier filter then matches nothing.
  else if (q.tier) c.push(scored ? sql<SqlBool>`s.tier = ${q.tier} and not ${PAUSED}` : sql<SqlBool>`false`);
  else if (!q.includePaused) c.push(sql<SqlBool>`not ${PAUSED}`);
  if (q.provinces?.length)
    c.push(sql<SqlBool>`exists (select 1 from report_enrichment e where e.report_id = r.report_id and e.province_code in (${sql.join(q.provinces)}))`);
  if (q.annotation) c.push(sql<SqlBool>`${q.annotation} = any(r.annotations)`);
  if (q.viralBatch) c.push(sql<SqlBool>`exists (select 1 from report_hash_signals h where h.report_id = r.report_id and h.viral_key = ${q.viralBatch})`);
  if (q.municipalities?.length)
    c.push(sql<SqlBool>`exists (select 1 from report_enrichment e where e.report_id = r.report_id and e.municipality_code in (${sql.join(q.municipalities)}))`);
  for (const t of trendConditions(q)) c.push(t);
  const status = q.status ?? 'open';
  if (status === 'open') c.push(sql<SqlBool>`coalesce(w.status, 'new') <> 'closed'`);
  else if (status !== 'all') c.push(sql<SqlBool>`coalesce(w.status, 'new') = ${status}`);
  const a = q.assigned;
  if (a === 'me') c.push(v ? sql<SqlBool>`w.assignee_id = ${v.userId}` : sql<SqlBool>`false`);
  else if (a === 'none') c.push(sql<SqlBool>`w.assignee_id is null`);
  else if (a && a !== 'any' && /^\d+$/.test(a)) c.push(sql<SqlBool>`w.assignee_id = ${Number(a)}`);
  if (v && v.role === 'analyst' && !v.openQueue) c.push(sql<SqlBool>`(w.assignee_id = ${v.userId} or (w.team is not null and w.team = ${v.team ?? ''}))`);
  return c;
}

// A trend series is what the trends stage counted (trend_report_keys), so the queue behind an alert
// holds exactly the reports the alert counted. A corridor counts payments: its queue is the reports
// linked to the parties that sent or received payments in that corridor in those days.
function trendConditions(q: QueueFilter): Expression<SqlBool>[] {
  const from = q.from ?? '0001-01-01';
  const to = q.to ?? '9999-12-31';
  if (!q.trend) {
    if (!q.from && !q.to) return [];
    return [sql<SqlBool>`((r.received_at at time zone 'UTC') + interval '8 hours')::date between ${from}::date and ${to}::date`];
  }
  const i = q.trend.indexOf(':');
  const dim = q.trend.slice(0, i);
  const key = q.trend.slice(i + 1);
  if (dim === 'corridor') {
    const [sender, receiver] = key.split('>');
    const country = (col: string, v: string | undefined) => (v && v !== '??' ? sql`${sql.ref(col)} = ${v}` : sql`${sql.ref(col)} is null`);
    return [
      sql<SqlBool>`exists (select 1 from payment_party_reports pr join payment_nodes n on n.party_id = pr.party_id
      join payment_txns t on t.sender_node = n.node or t.receiver_node = n.node
      where pr.report_id = r.report_id and ${country('t.sender_country', sender)} and ${country('t.receiver_country', receiver)}
        and ((t.ts at time zone 'UTC') + interval '8 hours')::date between ${from}::date and ${to}::date)`,
    ];
  }
  return [
    sql<SqlBool>`exists (select 1 from trend_report_keys k where k.report_id = r.report_id and k.dim = ${dim} and k.key = ${key} and k.day between ${from}::date and ${to}::date)`,
  ];
}

// Once triage has scored a database it stays scored (a full re-score swaps tables atomically),
// so the answer is remembered per database after the first yes.
const scoredDbs = new WeakSet<object>();

/** True when triage has scored at least one report (the queue then follows triage's order). */
export async function triageScored(db: Db): Promise<boolean> {
  if (scoredDbs.has(db)) return true;
  const r = await sql<{ e: boolean }>`select exists (select 1 from triage_scores) as e`.execute(db);
  if (r.rows[0]?.e === true) scoredDbs.add(db);
  return r.rows[0]?.e === true;
}

// Triage's order: paused last, first in tier (a child at immediate risk), score down, oldest
// first, report id (index triage_scores_queue).
// With paused reports shown, a report a case holds but triage has not re-scored goes last too.
function orderOf(q: QueueFilter, scored: boolean) {
  if (q.sort === 'received_asc') return sql`r.received_at asc nulls last, r.report_id desc`;
  if (q.sort === 'received_desc' || !scored) return sql`r.received_at desc nulls last, r.report_id`;
  return q.includePaused && !q.tier
    ? sql`${PAUSED}, s.first_in_tier desc, s.score desc, s.received_at, s.report_id`
    : sql`s.paused, s.first_in_tier desc, s.score desc, s.received_at, s.report_id`;
}

// The same order over a page already cut (the columns as the inner page query names them).
function pageOrderOf(q: QueueFilter, scored: boolean) {
  if (q.sort === 'received_asc') return sql`p.received_at asc nulls last, p.report_id desc`;
  if (q.sort === 'received_desc' || !scored) return sql`p.received_at desc nulls last, p.report_id`;
  return sql`p.held_now, p.first_in_tier desc, p.score desc, p.score_received_at, p.report_id`;
}

// The queue's joins; `conditions` refers to these aliases. Three tables only: the other facts are
// sub-queries (filters as exists, page columns per row shown), because planning a seven-table
// join took longer than running it (5 ms a page on a million reports).
function queueBase(db: Db, where: Expression<SqlBool>[]) {
  return db
    .selectFrom('reports as r')
    .leftJoin('triage_scores as s', 's.report_id', 'r.report_id')
    .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
    .where((eb) => eb.and(where));
}

/** How many reports match the filters. */
export async function countQueue(db: Db, q: QueueFilter, v: QueueReader | undefined): Promise<number> {
  const scored = await triageScored(db);
  const r = await queueBase(db, conditions(q, v, scored))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/** One page of queue rows in queue order. */
export async function queueRows(db: Db, q: QueueFilter, v: QueueReader | undefined, page: { limit: number; offset: number }): Promise<QueueRow[]> {
  const scored = await triageScored(db);
  // The page is cut first; the per-row sub-queries then run for its rows only, not for the rows an
  // offset skips.
  const rows = await db
    .selectFrom(
      queueBase(db, conditions(q, v, scored))
        .select([
          'r.report_id',
          'r.received_at',
          'r.incident_type',
          'r.esp',
          'r.batched',
          'w.status',
          'w.held',
          'w.assignee_id',
          's.tier',
          's.harm',
          's.actionability',
          's.score',
          's.first_in_tier',
          's.paused',
          's.reasons',
          's.ruleset_version',
          's.preservation_deadline',
          's.received_at as score_received_at',
          sql<boolean>`${scored ? PAUSED : HELD}`.as('held_now'),
        ])
        .orderBy(orderOf(q, scored))
        .limit(page.limit)
        .offset(page.offset)
        .as('p'),
    )
    .selectAll('p')
    .select([
      sql<string | null>`(select u.username from users u where u.id = p.assignee_id)`.as('username'),
      sql<string | null>`(select d.case_id from deconflicted_reports d where d.report_id = p.report_id)`.as('case_id'),
      sql<string | null>`(select e.province_code from report_enrichment e where e.report_id = p.report_id)`.as('province_code'),
      sql<string | null>`(select h.viral_key from report_hash_signals h where h.report_id = p.report_id)`.as('viral_key'),
    ])
    .orderBy(pageOrderOf(q, scored))
    .execute();
  return rows as QueueRow[];
}

/** Open reports per viral batch that the reader may work (the queue's default view narrowed to each batch). */
export async function openPerBatch(db: Db, keys: string[], v: QueueReader | undefined): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const scored = await triageScored(db);
  const where = [...conditions({}, v, scored), sql<SqlBool>`h.viral_key in (${sql.join(keys)})`];
  const rows = await queueBase(db, where)
    .innerJoin('report_hash_signals as h', 'h.report_id', 'r.report_id')
    .select(['h.viral_key', sql<number>`count(*)::int`.as('n')])
    .groupBy('h.viral_key')
    .execute();
  return new Map(rows.flatMap((r) => (r.viral_key === null ? [] : [[r.viral_key, r.n] as const])));
}

/**
 * The open reports of one viral batch the reader sees in the queue, in queue order (at most `limit`);
 * with `workable`, only those unassigned or assigned to the reader (what an analyst may close).
 */
export async function viralBatchRows(db: Db, key: string, v: QueueReader | undefined, opts: { limit: number; workable?: boolean }): Promise<string[]> {
  const scored = await triageScored(db);
  const q: QueueFilter = { viralBatch: key };
  const where = conditions(q, v, scored);
  if (opts.workable && v) where.push(sql<SqlBool>`(w.assignee_id is null or w.assignee_id = ${v.userId})`);
  const rows = await queueBase(db, where).select('r.report_id').orderBy(orderOf(q, scored)).limit(opts.limit).execute();
  return rows.map((r) => r.report_id);
}

/** The next few unassigned, open, unpaused, unheld reports the reader may work, in queue order. */
export async function nextRows(db: Db, v: QueueReader, n: number): Promise<string[]> {
  const closedTeam = v.role === 'analyst' && !v.openQueue;
  const scored = await triageScored(db);
  const rows = await db
    .selectFrom('reports as r')
    .leftJoin('triage_scores as s', 's.report_id', 'r.report_id')
    .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
    .leftJoin('deconflicted_reports as d', 'd.report_id', 'r.report_id')
    .select('r.report_id')
    .where('w.assignee_id', 'is', null)
    .where(sql<SqlBool>`coalesce(w.status, 'new') in ('new', 'in_review')`)
    .where(sql<SqlBool>`not coalesce(w.held, false)`)
    .where('d.report_id', 'is', null)
    .$if(closedTeam, (qb) => qb.where(sql<SqlBool>`w.team = ${v.team ?? ''}`))
    .$if(scored, (qb) => qb.where('s.report_id', 'is not', null).where('s.paused', '=', false))
    .orderBy(orderOf({}, scored))
    .limit(n)
    .execute();
  return rows.map((r) => r.report_id);
}

/** The ESP names the stored reports carry (for an error that lists the valid ones). */
export async function espNames(db: Db): Promise<string[]> {
  const rows = await sql<{ esp: string }>`select distinct esp from reports where esp is not null order by esp`.execute(db);
  return rows.rows.map((r) => r.esp);
}

/** True when some report names this ESP. */
export async function espExists(db: Db, esp: string): Promise<boolean> {
  const r = await sql<{ e: boolean }>`select exists (select 1 from reports where esp = ${esp}) as e`.execute(db);
  return r.rows[0]?.e === true;
}

/**
 * The queue a filter shows, counted per province: every report, and those in the urgent tier (the
 * same conditions as the queue, so that a province's figure is what its queue view lists); and how
 * many of the reports have no province.
 */
export async function queueByProvince(
  db: Db,
  q: QueueFilter,
  v: QueueReader | undefined,
  urgentTier: string,
): Promise<{ provinces: { provinceCode: string; count: number; urgent: number }[]; total: number; withoutProvince: number }> {
  const scored = await triageScored(db);
  const rows = await queueBase(db, conditions(q, v, scored))
    .leftJoin('report_enrichment as e', 'e.report_id', 'r.report_id')
    .select([
      'e.province_code',
      sql<number>`count(*)::int`.as('n'),
      (scored ? sql<number>`count(*) filter (where s.tier = ${urgentTier})::int` : sql<number>`0`).as('urgent'),
    ])
    .groupBy('e.province_code')
    .execute();
  let total = 0;
  let withoutProvince = 0;
  const provinces: { provinceCode: string; count: number; urgent: number }[] = [];
  for (const r of rows) {
    total += r.n;
    if (r.province_code === null) withoutProvince += r.n;
    else provinces.push({ provinceCode: r.province_code, count: r.n, urgent: r.urgent });
  }
  return { provinces, total, withoutProvince };
}

/** Queue totals per province or town (those with one), with the urgent tier's share. */
export async function queueByPlace(
  db: Db,
  q: QueueFilter,
  v: QueueReader | undefined,
  by: 'province' | 'municipality',
  urgentTier: string,
): Promise<{ code: string; count: number; urgent: number }[]> {
  const scored = await triageScored(db);
  const col = by === 'province' ? sql.ref('e.province_code') : sql.ref('e.municipality_code');
  const rows = await queueBase(db, conditions(q, v, scored))
    .innerJoin('report_enrichment as e', 'e.report_id', 'r.report_id')
    .select([
      sql<string>`${col}`.as('code'),
      sql<number>`count(*)::int`.as('count'),
      (scored ? sql<number>`count(*) filter (where s.tier = ${urgentTier})::int` : sql<number>`0`).as('urgent'),
    ])
    .where(sql<SqlBool>`${col} is not null`)
    .groupBy(sql`${col}`)
    .execute();
  return rows.map((r) => ({ code: r.code, count: r.count, urgent: r.urgent }));
}

/** One report at its own place as the map draws it (see ReportPoint in src/enrich/report-enrichment.ts). */
export interface QueuePoint {
  reportId: string;
  lat: number;
  lon: number;
  /** esp-coordinates, address, estimated-location, ncmec-ip-lookup or ip-data. */
  source: string;
  /** exact (the ESP's coordinates), town (drawn at the centre of its town), ip-city. */
  precision: string;
  role: string | null;
  /** The PSGC town it is drawn at, when drawn at a town. */
  code: string | null;
}

/**
 * The points of the reports a queue filter shows (the same conditions and visibility as the queue),
 * in queue order, at most `limit`: a report placed by coordinates is drawn there, one placed at a
 * town at the centre of that town's shape in `layer`. Counts every report with a point that can be
 * drawn (`placed`) and those whose town has no shape in the layer (`unplaced`).
 */
export async function queuePoints(
  db: Db,
  q: QueueFilter,
  v: QueueReader | undefined,
  opts: { layer: string | null; limit: number },
): Promise<{ points: QueuePoint[]; placed: number; unplaced: number }> {
  const scored = await triageScored(db);
  const base = () =>
    queueBase(db, conditions(q, v, scored))
      .innerJoin('report_enrichment as e', 'e.report_id', 'r.report_id')
      .leftJoin('geo_features as f', (j) => j.on('f.layer', '=', opts.layer ?? '').onRef('f.code', '=', 'e.point_code'))
      .where('e.point_source', 'is not', null);
  const PLACED = sql<SqlBool>`(e.point_lat is not null or f.code is not null)`;
  const [rows, counts] = await Promise.all([
    base()
      .where(PLACED)
      .select([
        'r.report_id as reportId',
        sql<number>`coalesce(e.point_lat, (f.centre->>1)::float8)`.as('lat'),
        sql<number>`coalesce(e.point_lon, (f.centre->>0)::float8)`.as('lon'),
        sql<string>`e.point_source`.as('source'),
        sql<string>`e.point_precision`.as('precision'),
        'e.point_role as role',
        'e.point_code as code',
      ])
      .orderBy(orderOf(q, scored))
      .limit(opts.limit)
      .execute(),
    base()
      .select([sql<number>`count(*) filter (where ${PLACED})::int`.as('placed'), sql<number>`count(*) filter (where not ${PLACED})::int`.as('unplaced')])
      .executeTakeFirstOrThrow(),
  ]);
  return { points: rows.map((r) => ({ ...r, lat: Number(r.lat), lon: Number(r.lon) })), placed: counts.placed, unplaced: counts.unplaced };
}

/** The stored preservation deadlines of some reports (UTC ISO; null when triage found no date). */
export async function preservationDeadlines(db: Db, reportIds: string[]): Promise<Map<string, string | null>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db.selectFrom('triage_scores').select(['report_id', 'preservation_deadline']).where('report_id', 'in', reportIds).execute();
  return new Map(rows.map((r) => [r.report_id, iso(r.preservation_deadline)]));
}

/** Open, unpaused reports of one tier first ingested since a time, newest first (the reader's visible ones). */
export async function recentInTier(
  db: Db,
  tier: string,
  since: Date,
  v: QueueReader | undefined,
  limit: number,
): Promise<{ reportId: string; receivedAt: string | null; ingestedAt: string }[]> {
  const scored = await triageScored(db);
  if (!scored) return [];
  const rows = await queueBase(db, [...conditions({ tier }, v, scored), sql<SqlBool>`r.first_ingested_at >= ${since}`])
    .select(['r.report_id', 'r.received_at', 'r.first_ingested_at'])
    .orderBy('r.first_ingested_at', 'desc')
    .orderBy('r.report_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    reportId: r.report_id,
    receivedAt: iso(r.received_at),
    ingestedAt: iso(r.first_ingested_at),
  }));
}
