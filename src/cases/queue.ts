// The work queue: reports in queue order with their work state. Until triage's queuePage exists the
// order is newest received first; the work filters (assigned, status, team) are joined here.
import { sql, type Kysely, type SqlBool, type Expression } from 'kysely';
import type { Store } from '../store/database.ts';
import type { BantayDatabase } from '../store/schema.ts';
import type { UserRow } from '../store/accounts.ts';
import { ruleTexts } from '../triage/queue.ts';

/** Queue filters as the API accepts them. */
export interface QueueQuery {
  limit: number;
  offset: number;
  tier?: string | undefined;
  incidentType?: string | undefined;
  esp?: string | undefined;
  province?: string | undefined;
  annotation?: string | undefined;
  /** One viral batch: its key (see ReportSignal.viralKey). */
  viralBatch?: string | undefined;
  /** PSGC codes of cities or municipalities, comma-separated. */
  municipality?: string | undefined;
  /** One trend series, `dimension:key` (trends stage); with from/to, the reports behind an alert. */
  trend?: string | undefined;
  /** First and last Manila day (YYYY-MM-DD): of the trend series when one is given, else of receipt. */
  from?: string | undefined;
  to?: string | undefined;
  /** `me`, `none`, `any` or a user id. */
  assigned?: string | undefined;
  /** `open` (default: everything not closed), `all`, or one status. */
  status?: string | undefined;
  /** Include reports paused by deconfliction (default false). */
  includePaused?: boolean | undefined;
  /** `priority` (default: triage order when scores exist, else newest first), `received_desc`, `received_asc`. */
  sort?: 'priority' | 'received_desc' | 'received_asc' | undefined;
}

/** One queue row. Triage fields are null until triage scores exist. */
export interface QueueItem {
  reportId: string;
  tier: string | null;
  harm: number | null;
  actionability: number | null;
  score: number | null;
  reasons: { rule: string; effect: string; evidence: string; description: string }[];
  receivedAt: string | null;
  incidentType: string;
  esp: string | null;
  provinceCode: string | null;
  ageDays: number | null;
  preservationDeadline: string | null;
  assignee: string | null;
  assigneeId: number | null;
  status: string;
  held: boolean;
  /** The viral batch key (the viral content's representative hash), null when the report is not viral. */
  viralBatch: string | null;
  /** Open reports in that batch the viewer may work (null without a batch). */
  viralBatchOpen: number | null;
  /** NCMEC batched the report as viral (batchedReport), whether or not a batch key was found. */
  espBatched: boolean;
  deconflicted: { caseId: string } | null;
}

/** Who is asking, and whether the agency opened the whole queue to every analyst. */
export interface QueueViewer {
  user: Pick<UserRow, 'id' | 'role' | 'team'>;
  openQueue: boolean;
}

type Db = Kysely<BantayDatabase>;

function conditions(q: QueueQuery, v: QueueViewer, scored: boolean): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  // Once triage has scored, the queue is the scored reports (as triage's own queuePage).
  if (scored) c.push(sql<SqlBool>`s.report_id is not null`);
  if (q.incidentType) c.push(sql<SqlBool>`r.incident_type = ${q.incidentType}`);
  if (q.esp) c.push(sql<SqlBool>`r.esp = ${q.esp}`);
  // No report has a tier until triage scores exist, so a tier filter then matches nothing.
  if (q.tier) c.push(scored ? sql<SqlBool>`s.tier = ${q.tier}` : sql<SqlBool>`false`);
  // A map unit can be several PSGC units (Metro Manila's cities, Cebu with its HUCs): a comma list.
  const provinces = (q.province ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (provinces.length) c.push(sql<SqlBool>`exists (select 1 from report_enrichment e where e.report_id = r.report_id and e.province_code in (${sql.join(provinces)}))`);
  if (q.annotation) c.push(sql<SqlBool>`${q.annotation} = any(r.annotations)`);
  if (q.viralBatch) c.push(sql<SqlBool>`exists (select 1 from report_hash_signals h where h.report_id = r.report_id and h.viral_key = ${q.viralBatch})`);
  const towns = (q.municipality ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (towns.length) c.push(sql<SqlBool>`exists (select 1 from report_enrichment e where e.report_id = r.report_id and e.municipality_code in (${sql.join(towns)}))`);
  c.push(...trendConditions(q));
  const status = q.status ?? 'open';
  if (status === 'open') c.push(sql<SqlBool>`coalesce(w.status, 'new') <> 'closed'`);
  else if (status !== 'all') c.push(sql<SqlBool>`coalesce(w.status, 'new') = ${status}`);
  const a = q.assigned;
  if (a === 'me') c.push(sql<SqlBool>`w.assignee_id = ${v.user.id}`);
  else if (a === 'none') c.push(sql<SqlBool>`w.assignee_id is null`);
  else if (a && a !== 'any' && /^\d+$/.test(a)) c.push(sql<SqlBool>`w.assignee_id = ${Number(a)}`);
  if (!q.includePaused) c.push(sql<SqlBool>`not exists (select 1 from deconflicted_reports d where d.report_id = r.report_id)`);
  if (v.user.role === 'analyst' && !v.openQueue) c.push(sql<SqlBool>`(w.assignee_id = ${v.user.id} or (w.team is not null and w.team = ${v.user.team ?? ''}))`);
  return c;
}

const DAY_MS = 86_400_000;

// A trend series is what the trends stage counted (trend_report_keys), so the queue behind an alert
// holds exactly the reports the alert counted. A corridor counts payments: its queue is the reports
// linked to the parties that sent or received payments in that corridor in those days.
function trendConditions(q: QueueQuery): Expression<SqlBool>[] {
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
    return [sql<SqlBool>`exists (select 1 from payment_party_reports pr join payment_nodes n on n.party_id = pr.party_id
      join payment_txns t on t.sender_node = n.node or t.receiver_node = n.node
      where pr.report_id = r.report_id and ${country('t.sender_country', sender)} and ${country('t.receiver_country', receiver)}
        and ((t.ts at time zone 'UTC') + interval '8 hours')::date between ${from}::date and ${to}::date)`];
  }
  return [sql<SqlBool>`exists (select 1 from trend_report_keys k where k.report_id = r.report_id and k.dim = ${dim} and k.key = ${key} and k.day between ${from}::date and ${to}::date)`];
}

// Counting a million-row queue costs more than fetching a page. A total is computed once per
// filter and then served from memory; once older than a few seconds the next page still gets the
// remembered total while one recount runs behind it (totals may lag decisions by that much), and
// concurrent first requests share one count instead of each running their own.
const COUNT_TTL_MS = 5_000;
// A count that takes long is recounted less often (at most 5% of the time spent counting), so
// that a million-row queue does not keep a core busy with totals.
const COUNT_COST_SHARE = 20;
interface CountEntry { at: number; n?: number; ms?: number; pending?: Promise<number> }
const countCaches = new WeakMap<object, Map<string, CountEntry>>();

function countCacheOf(store: Pick<Store, 'db'>): Map<string, CountEntry> {
  let c = countCaches.get(store.db);
  if (!c) countCaches.set(store.db, (c = new Map()));
  return c;
}

/** The queue total for a filter key: remembered, recounted behind the page when stale. */
async function cachedCount(store: Pick<Store, 'db'>, key: string, now: number, count: () => Promise<number>): Promise<number> {
  const cache = countCacheOf(store);
  let entry = cache.get(key);
  if (!entry) {
    if (cache.size > 1000) cache.clear();
    cache.set(key, (entry = { at: now }));
  }
  const e = entry;
  const recount = (): Promise<number> => {
    const t0 = performance.now();
    e.pending ??= count().then((n) => {
      e.n = n;
      e.at = now;
      e.ms = performance.now() - t0;
      return n;
    }).finally(() => { e.pending = undefined; });
    return e.pending;
  };
  if (e.n === undefined) return recount();
  const ttl = Math.max(COUNT_TTL_MS, COUNT_COST_SHARE * (e.ms ?? 0));
  if ((now - e.at >= ttl || e.at > now) && !e.pending) recount().catch(() => { /* the remembered total stands */ });
  return e.n;
}

/** Forgets cached queue totals (after a change of assignment, status or deconfliction). */
export function forgetQueueCounts(store: Pick<Store, 'db'>): void {
  countCaches.get(store.db)?.clear();
}

// Once triage has scored a database it stays scored (a full re-score swaps tables atomically),
// so the answer is remembered per database after the first yes.
const scoredDbs = new WeakSet<object>();

/** True when triage has scored at least one report (the queue then follows triage's order). */
export async function triageScored(store: Pick<Store, 'db'>): Promise<boolean> {
  if (scoredDbs.has(store.db)) return true;
  const r = await sql<{ e: boolean }>`select exists (select 1 from triage_scores) as e`.execute(store.db);
  if (r.rows[0]?.e === true) scoredDbs.add(store.db);
  return r.rows[0]?.e === true;
}

// Triage's order: paused last, score down, oldest first, report id (index triage_scores_queue).
const PRIORITY = sql`s.paused, s.score desc, s.received_at, s.report_id`;

function orderOf(q: QueueQuery, scored: boolean) {
  if (q.sort === 'received_asc') return sql`r.received_at asc nulls last, r.report_id desc`;
  if (q.sort === 'received_desc' || !scored) return sql`r.received_at desc nulls last, r.report_id`;
  return PRIORITY;
}

// The same order over a page already cut (the columns as the inner page query names them).
function pageOrderOf(q: QueueQuery, scored: boolean) {
  if (q.sort === 'received_asc') return sql`p.received_at asc nulls last, p.report_id desc`;
  if (q.sort === 'received_desc' || !scored) return sql`p.received_at desc nulls last, p.report_id`;
  return sql`p.paused, p.score desc, p.score_received_at, p.report_id`;
}

function countKey(q: QueueQuery, v: QueueViewer): string {
  const closedTeam = v.user.role === 'analyst' && !v.openQueue;
  return JSON.stringify([q.tier, q.incidentType, q.esp, q.province, q.annotation, q.viralBatch ?? null, q.municipality ?? null, q.trend ?? null, q.from ?? null, q.to ?? null, q.status ?? 'open', q.includePaused ?? false,
    q.assigned === 'me' || closedTeam ? [q.assigned, v.user.id, closedTeam ? v.user.team : null] : q.assigned]);
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

/** Open reports per viral batch that the viewer may work (the queue's default view narrowed to each batch). */
async function openPerBatch(store: Pick<Store, 'db'>, keys: string[], v: QueueViewer, scored: boolean): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const where = [...conditions({ limit: 0, offset: 0 }, v, scored), sql<SqlBool>`h.viral_key in (${sql.join(keys)})`];
  const rows = await queueBase(store.db, where).innerJoin('report_hash_signals as h', 'h.report_id', 'r.report_id')
    .select(['h.viral_key', sql<number>`count(*)::int`.as('n')]).groupBy('h.viral_key').execute();
  return new Map(rows.flatMap((r) => (r.viral_key === null ? [] : [[r.viral_key, r.n] as const])));
}

/**
 * The open reports of one viral batch the viewer sees in the queue, in queue order (at most `limit`);
 * with `workable`, only those unassigned or assigned to the viewer (what an analyst may close).
 */
export async function viralBatchReports(store: Pick<Store, 'db'>, key: string, v: QueueViewer, opts: { limit?: number; workable?: boolean } = {}): Promise<string[]> {
  const limit = opts.limit ?? 5000;
  const scored = await triageScored(store);
  const where = conditions({ limit, offset: 0, viralBatch: key }, v, scored);
  if (opts.workable) where.push(sql<SqlBool>`(w.assignee_id is null or w.assignee_id = ${v.user.id})`);
  const rows = await queueBase(store.db, where)
    .select('r.report_id').orderBy(orderOf({ limit, offset: 0 }, scored)).limit(limit).execute();
  return rows.map((r) => r.report_id);
}

/** One page of the queue with its total. */
export async function queuePageWithWork(store: Pick<Store, 'db'>, q: QueueQuery, v: QueueViewer, now: Date = new Date()): Promise<{ total: number; items: QueueItem[] }> {
  const db: Db = store.db;
  const scored = await triageScored(store);
  const where = conditions(q, v, scored);
  const base = () => queueBase(db, where);
  const order = orderOf(q, scored);
  const total = (): Promise<number> => base().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow().then((r) => r.n);
  const [n, rows] = await Promise.all([
    cachedCount(store, countKey(q, v), now.getTime(), total),
    // The page is cut first; the per-row sub-queries then run for its rows only, not for the
    // rows an offset skips.
    db.selectFrom(base()
      .select(['r.report_id', 'r.received_at', 'r.incident_type', 'r.esp', 'r.batched', 'w.status', 'w.held', 'w.assignee_id', 's.tier', 's.harm', 's.actionability', 's.score', 's.paused', 's.reasons', 's.ruleset_version', 's.preservation_deadline', 's.received_at as score_received_at'])
      .orderBy(order)
      .limit(q.limit)
      .offset(q.offset)
      .as('p'))
      .selectAll('p')
      .select([
        sql<string | null>`(select u.username from users u where u.id = p.assignee_id)`.as('username'),
        sql<string | null>`(select d.case_id from deconflicted_reports d where d.report_id = p.report_id)`.as('case_id'),
        sql<string | null>`(select e.province_code from report_enrichment e where e.report_id = p.report_id)`.as('province_code'),
        sql<string | null>`(select h.viral_key from report_hash_signals h where h.report_id = p.report_id)`.as('viral_key')])
      .orderBy(pageOrderOf(q, scored))
      .execute(),
  ]);
  const [texts, batchOpen] = await Promise.all([
    ruleTexts(store, rows.flatMap((r) => (r.ruleset_version === null ? [] : [r.ruleset_version]))),
    openPerBatch(store, [...new Set(rows.flatMap((r) => (r.viral_key === null ? [] : [r.viral_key])))], v, scored),
  ]);
  return {
    total: n,
    items: rows.map((r) => {
      const received = r.received_at ? new Date(r.received_at) : null;
      const t = r.ruleset_version === null ? undefined : texts.get(r.ruleset_version);
      const reasons = r.reasons ? (JSON.parse(r.reasons) as { rule: string; effect: string; evidence: unknown }[]).map((f) => ({ rule: f.rule, effect: f.effect, evidence: typeof f.evidence === 'string' ? f.evidence : JSON.stringify(f.evidence ?? ''), description: t?.get(f.rule)?.description ?? '' })) : [];
      return {
        reportId: r.report_id,
        tier: r.tier, harm: r.harm === null ? null : Number(r.harm), actionability: r.actionability === null ? null : Number(r.actionability), score: r.score === null ? null : Number(r.score), reasons,
        receivedAt: received ? received.toISOString() : null,
        incidentType: r.incident_type,
        esp: r.esp,
        provinceCode: r.province_code,
        ageDays: received ? Math.floor((now.getTime() - received.getTime()) / DAY_MS) : null,
        preservationDeadline: r.preservation_deadline ? new Date(r.preservation_deadline).toISOString() : null,
        assignee: r.username,
        assigneeId: r.assignee_id,
        status: r.status ?? 'new',
        held: r.held ?? false,
        viralBatch: r.viral_key,
        viralBatchOpen: r.viral_key === null ? null : (batchOpen.get(r.viral_key) ?? 0),
        espBatched: r.batched,
        deconflicted: r.case_id ? { caseId: r.case_id } : null,
      };
    }),
  };
}

/** The next few unassigned, open, unpaused, unheld reports the viewer may work, in queue order. */
export async function nextCandidates(store: Pick<Store, 'db'>, v: QueueViewer, n = 8): Promise<string[]> {
  const closedTeam = v.user.role === 'analyst' && !v.openQueue;
  const scored = await triageScored(store);
  const rows = await store.db
    .selectFrom('reports as r')
    .leftJoin('triage_scores as s', 's.report_id', 'r.report_id')
    .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
    .leftJoin('deconflicted_reports as d', 'd.report_id', 'r.report_id')
    .select('r.report_id')
    .where('w.assignee_id', 'is', null)
    .where(sql<SqlBool>`coalesce(w.status, 'new') in ('new', 'in_review')`)
    .where(sql<SqlBool>`not coalesce(w.held, false)`)
    .where('d.report_id', 'is', null)
    .$if(closedTeam, (qb) => qb.where(sql<SqlBool>`w.team = ${v.user.team ?? ''}`))
    .$if(scored, (qb) => qb.where('s.report_id', 'is not', null).where('s.paused', '=', false))
    .orderBy(orderOf({ limit: n, offset: 0 }, scored))
    .limit(n)
    .execute();
  return rows.map((r) => r.report_id);
}

/**
 * Queue totals per place under the queue's own filters and visibility (the map's figures): the
 * count on a province or town is the total of the queue it opens, by construction.
 */
export async function queueTotalsBy(store: Pick<Store, 'db'>, q: QueueQuery, v: QueueViewer, by: 'province' | 'municipality'): Promise<{ code: string; count: number; urgent: number }[]> {
  const scored = await triageScored(store);
  const col = by === 'province' ? sql.ref('e.province_code') : sql.ref('e.municipality_code');
  const urgent = scored ? sql<number>`count(*) filter (where s.tier = 'IMMEDIATE')::int` : sql<number>`count(*) filter (where r.escalation is not null)::int`;
  const rows = await queueBase(store.db, conditions(q, v, scored))
    .innerJoin('report_enrichment as e', 'e.report_id', 'r.report_id')
    .select([sql<string>`${col}`.as('code'), sql<number>`count(*)::int`.as('count'), urgent.as('urgent')])
    .where(sql<SqlBool>`${col} is not null`)
    .groupBy(sql`${col}`)
    .execute();
  return rows.map((r) => ({ code: r.code, count: r.count, urgent: r.urgent }));
}
