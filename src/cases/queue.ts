// The work queue: reports in queue order with their work state. Until triage's queuePage exists the
// order is newest received first; the work filters (assigned, status, team) are joined here.
import { sql, type Kysely, type SqlBool, type Expression } from 'kysely';
import type { Store } from '../store/database.ts';
import type { BantayDatabase } from '../store/schema.ts';
import type { UserRow } from '../store/accounts.ts';

/** Queue filters as the API accepts them. */
export interface QueueQuery {
  limit: number;
  offset: number;
  tier?: string | undefined;
  incidentType?: string | undefined;
  esp?: string | undefined;
  province?: string | undefined;
  annotation?: string | undefined;
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
  viralBatch: boolean;
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
  if (provinces.length) c.push(sql<SqlBool>`e.province_code in (${sql.join(provinces)})`);
  if (q.annotation) c.push(sql<SqlBool>`${q.annotation} = any(r.annotations)`);
  const status = q.status ?? 'open';
  if (status === 'open') c.push(sql<SqlBool>`coalesce(w.status, 'new') <> 'closed'`);
  else if (status !== 'all') c.push(sql<SqlBool>`coalesce(w.status, 'new') = ${status}`);
  const a = q.assigned;
  if (a === 'me') c.push(sql<SqlBool>`w.assignee_id = ${v.user.id}`);
  else if (a === 'none') c.push(sql<SqlBool>`w.assignee_id is null`);
  else if (a && a !== 'any' && /^\d+$/.test(a)) c.push(sql<SqlBool>`w.assignee_id = ${Number(a)}`);
  if (!q.includePaused) c.push(sql<SqlBool>`d.report_id is null`);
  if (v.user.role === 'analyst' && !v.openQueue) c.push(sql<SqlBool>`(w.assignee_id = ${v.user.id} or (w.team is not null and w.team = ${v.user.team ?? ''}))`);
  return c;
}

const DAY_MS = 86_400_000;

// Counting a million-row queue costs more than fetching a page; while someone pages through it the
// total is reused for a few seconds (it may lag new reports and decisions by that much).
const COUNT_TTL_MS = 5_000;
const countCaches = new WeakMap<object, Map<string, { at: number; n: number }>>();

function countCacheOf(store: Pick<Store, 'db'>): Map<string, { at: number; n: number }> {
  let c = countCaches.get(store.db);
  if (!c) countCaches.set(store.db, (c = new Map()));
  return c;
}

/** Forgets cached queue totals (after a change of assignment, status or deconfliction). */
export function forgetQueueCounts(store: Pick<Store, 'db'>): void {
  countCaches.get(store.db)?.clear();
}

/** True when triage has scored at least one report (the queue then follows triage's order). */
export async function triageScored(store: Pick<Store, 'db'>): Promise<boolean> {
  const r = await sql<{ e: boolean }>`select exists (select 1 from triage_scores) as e`.execute(store.db);
  return r.rows[0]?.e === true;
}

// Triage's order: paused last, score down, oldest first, report id (index triage_scores_queue).
const PRIORITY = sql`s.paused, s.score desc, s.received_at, s.report_id`;

function orderOf(q: QueueQuery, scored: boolean) {
  if (q.sort === 'received_asc') return sql`r.received_at asc nulls last, r.report_id desc`;
  if (q.sort === 'received_desc' || !scored) return sql`r.received_at desc nulls last, r.report_id`;
  return PRIORITY;
}

/** Rule descriptions of the ruleset versions a page refers to. */
async function ruleDescriptions(store: Pick<Store, 'db'>, versions: number[]): Promise<Map<number, Map<string, string>>> {
  const out = new Map<number, Map<string, string>>();
  const unique = [...new Set(versions)];
  if (unique.length === 0) return out;
  const rows = await store.db.selectFrom('triage_rulesets').select(['version', 'doc']).where('version', 'in', unique).execute();
  for (const r of rows) {
    try {
      const doc = JSON.parse(r.doc) as { rules?: { id: string; description?: string }[] };
      out.set(r.version, new Map((doc.rules ?? []).map((x) => [x.id, x.description ?? ''])));
    } catch {
      out.set(r.version, new Map());
    }
  }
  return out;
}

function countKey(q: QueueQuery, v: QueueViewer): string {
  const closedTeam = v.user.role === 'analyst' && !v.openQueue;
  return JSON.stringify([q.tier, q.incidentType, q.esp, q.province, q.annotation, q.status ?? 'open', q.includePaused ?? false,
    q.assigned === 'me' || closedTeam ? [q.assigned, v.user.id, closedTeam ? v.user.team : null] : q.assigned]);
}

/** One page of the queue with its total. */
export async function queuePageWithWork(store: Pick<Store, 'db'>, q: QueueQuery, v: QueueViewer, now: Date = new Date()): Promise<{ total: number; items: QueueItem[] }> {
  const db: Db = store.db;
  const scored = await triageScored(store);
  const where = conditions(q, v, scored);
  const base = () =>
    db
      .selectFrom('reports as r')
      .leftJoin('triage_scores as s', 's.report_id', 'r.report_id')
      .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
      .leftJoin('deconflicted_reports as d', 'd.report_id', 'r.report_id')
      .leftJoin('report_enrichment as e', 'e.report_id', 'r.report_id')
      .where((eb) => eb.and(where));
  const order = orderOf(q, scored);
  const countCache = countCacheOf(store);
  const key = countKey(q, v);
  const cached = countCache.get(key);
  const fresh = cached && now.getTime() - cached.at < COUNT_TTL_MS && cached.at <= now.getTime() ? cached.n : undefined;
  const [count, rows] = await Promise.all([
    fresh !== undefined ? { n: fresh } : base().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    base()
      .leftJoin('users as u', 'u.id', 'w.assignee_id')
      .select(['r.report_id', 'r.received_at', 'r.incident_type', 'r.esp', 'r.batched', 'w.status', 'w.held', 'w.assignee_id', 'u.username', 'd.case_id', 'e.province_code', 's.tier', 's.harm', 's.actionability', 's.score', 's.reasons', 's.ruleset_version', 's.preservation_deadline'])
      .orderBy(order)
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
  ]);
  if (fresh === undefined) {
    if (countCache.size > 1000) countCache.clear();
    countCache.set(key, { at: now.getTime(), n: count.n });
  }
  const texts = await ruleDescriptions(store, rows.flatMap((r) => (r.ruleset_version === null ? [] : [r.ruleset_version])));
  return {
    total: count.n,
    items: rows.map((r) => {
      const received = r.received_at ? new Date(r.received_at) : null;
      const t = r.ruleset_version === null ? undefined : texts.get(r.ruleset_version);
      const reasons = r.reasons ? (JSON.parse(r.reasons) as { rule: string; effect: string; evidence: unknown }[]).map((f) => ({ rule: f.rule, effect: f.effect, evidence: typeof f.evidence === 'string' ? f.evidence : JSON.stringify(f.evidence ?? ''), description: t?.get(f.rule) ?? '' })) : [];
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
        viralBatch: r.batched,
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
