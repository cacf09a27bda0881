// The one queue reader: the CLI, the demo, the API and its exports read the queue here, with one
// set of filters and one ordering (src/store/queue.ts). Rows come back with their reasons explained
// (rule texts and translation keys), their work state and the report's preserve-by deadline.
import type { Store } from '../store/database.ts';
import type { UserRow } from '../store/accounts.ts';
import {
  countQueue,
  espExists,
  espNames,
  nextRows,
  openPerBatch,
  queueByPlace,
  queueByProvince,
  queuePoints,
  queueRows,
  recentInTier,
  viralBatchRows,
  type QueueFilter,
  type QueuePoint,
  type QueueReader,
  type QueueRow,
} from '../store/queue.ts';
import { gazetteer } from '../enrich/places.ts';
import { geoLayers } from '../store/geo.ts';
import { ruleTexts, type RuleTexts } from '../triage/queue.ts';
import { liveTierNames } from '../triage/rulesets.ts';
import { config } from '../config/current.ts';
import { iso } from '../model/dates.ts';
import { BantayError, badInput } from '../model/error.ts';

/** Queue filters and paging, as the API and the CLI accept them. */
export interface QueueQuery {
  /** Page size (default 50). */
  limit?: number | undefined;
  offset?: number | undefined;
  tier?: string | undefined;
  incidentType?: string | undefined;
  esp?: string | undefined;
  /** PSGC codes, comma-separated (a map unit can be several). */
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
  /** Paused reports (held by a case) too, after every other; without it they show only under the paused tier. */
  includePaused?: boolean | undefined;
  /** `priority` (default: triage order when scores exist, else newest first), `received_desc`, `received_asc`. */
  sort?: 'priority' | 'received_desc' | 'received_asc' | undefined;
}

/** One reason on the queue: the rule, its effect, the evidence it saw, what the rule means and its translation key. */
export interface QueueReason {
  rule: string;
  effect: string;
  evidence: string;
  description: string;
  /** The catalogue key of the rule's text (shipped rules); null for an agency's own wording. */
  textKey: string | null;
}

/** One queue row. Triage fields are null until triage scores exist. */
export interface QueueItem {
  reportId: string;
  tier: string | null;
  /** A child at immediate risk (a `first` floor): ahead of the rest of its tier, whatever the score. */
  firstInTier: boolean;
  harm: number | null;
  actionability: number | null;
  score: number | null;
  reasons: QueueReason[];
  /** UTC ISO. */
  receivedAt: string | null;
  incidentType: string;
  esp: string | null;
  provinceCode: string | null;
  /** Days since the report was received, at the time of the query. */
  ageDays: number | null;
  /** The earliest preservation deadline (UTC ISO), or null. */
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

/** A filter value the queue does not know (UNKNOWN_FILTER_VALUE), with the values it does. */
function filterError(field: 'tier' | 'province' | 'esp' | 'assigned', value: string, valid: string[]): BantayError {
  return badInput('UNKNOWN_FILTER_VALUE', `unknown ${field} "${value}"; valid: ${valid.length ? valid.join(', ') : '(none stored yet)'}`, {
    field,
    valid: valid.slice(0, 200),
  });
}

const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 50;

const readerOf = (v: QueueViewer | undefined): QueueReader | undefined =>
  v && { userId: v.user.id, role: v.user.role, team: v.user.team ?? null, openQueue: v.openQueue };

/**
 * Checks and normalises filters a person typed: a tier of the live ruleset (any case), provinces as
 * PSGC codes or names, an ESP some report names. Throws UNKNOWN_FILTER_VALUE listing the valid values.
 */
export async function checkQueueQuery(store: Pick<Store, 'db'>, q: QueueQuery, viewer?: QueueViewer): Promise<QueueQuery> {
  const out: QueueQuery = { ...q };
  if (q.tier !== undefined) {
    const { tiers, paused } = await liveTierNames(store);
    const names = [...tiers, paused];
    const hit = names.find((n) => n.toUpperCase() === q.tier!.trim().toUpperCase());
    if (!hit) throw filterError('tier', q.tier, names);
    out.tier = hit;
  }
  if (q.province !== undefined) {
    const g = gazetteer();
    const codes = q.province
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((p) => {
        const unit = /^\d{10}$/.test(p) ? g.unit(p) : g.resolve({ region: p, country: 'PH' });
        if (!unit)
          throw filterError(
            'province',
            p,
            g.units.map((u) => `${u.code} ${u.name}`),
          );
        return unit.code;
      });
    out.province = codes.join(',') || undefined;
  }
  if (q.esp !== undefined && !(await espExists(store.db, q.esp))) throw filterError('esp', q.esp, await espNames(store.db));
  if (q.assigned === 'me' && !viewer) throw filterError('assigned', 'me', ['none', 'any', 'a user id']);
  return out;
}

async function filterOf(store: Pick<Store, 'db'>, q: QueueQuery): Promise<QueueFilter> {
  const provinces = (q.province ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return {
    tier: q.tier,
    incidentType: q.incidentType,
    esp: q.esp,
    provinces,
    annotation: q.annotation,
    viralBatch: q.viralBatch,
    municipalities: (q.municipality ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    trend: q.trend,
    from: q.from,
    to: q.to,
    assigned: q.assigned,
    status: q.status,
    includePaused: q.includePaused,
    sort: q.sort,
    // Only a tier filter needs the paused tier's name.
    ...(q.tier ? { pausedTier: (await liveTierNames(store)).paused } : {}),
  };
}

// Counting a million-row queue costs more than fetching a page. A total is computed once per
// filter and then served from memory; once older than cache.queueCountSeconds (default 5) the next
// page still gets the remembered total while one recount runs behind it (totals may lag decisions by
// that much), and concurrent first requests share one count instead of each running their own.
// A count that takes long is recounted less often (at most 5% of the time spent counting), so
// that a million-row queue does not keep a core busy with totals.
const COUNT_COST_SHARE = 20;
interface CountEntry {
  at: number;
  n?: number;
  ms?: number;
  pending?: Promise<number>;
}
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
    e.pending ??= count()
      .then((n) => {
        e.n = n;
        e.at = now;
        e.ms = performance.now() - t0;
        return n;
      })
      .finally(() => {
        e.pending = undefined;
      });
    return e.pending;
  };
  if (e.n === undefined) return recount();
  const ttl = Math.max(config().cache.queueCountSeconds * 1000, COUNT_COST_SHARE * (e.ms ?? 0));
  if ((now - e.at >= ttl || e.at > now) && !e.pending)
    recount().catch(() => {
      /* the remembered total stands */
    });
  return e.n;
}

/** Forgets cached queue totals (after a change of assignment, status or deconfliction). */
export function forgetQueueCounts(store: Pick<Store, 'db'>): void {
  countCaches.get(store.db)?.clear();
}

function countKey(f: QueueFilter, v: QueueViewer | undefined): string {
  const closedTeam = v !== undefined && v.user.role === 'analyst' && !v.openQueue;
  return JSON.stringify([
    f.tier,
    f.incidentType,
    f.esp,
    f.provinces,
    f.annotation,
    f.viralBatch ?? null,
    f.municipalities ?? [],
    f.trend ?? null,
    f.from ?? null,
    f.to ?? null,
    f.status ?? 'open',
    f.includePaused ?? false,
    f.assigned === 'me' || closedTeam ? [f.assigned, v?.user.id, closedTeam ? v.user.team : null] : f.assigned,
  ]);
}

const num = (x: number | string | null): number | null => (x === null ? null : Number(x));

/** A stored reason list explained with its ruleset version's texts. */
export function explainReasons(text: string | null, texts: RuleTexts | undefined): QueueReason[] {
  if (!text) return [];
  return (JSON.parse(text) as { rule: string; effect: string; evidence: unknown }[]).map((f) => {
    const t = texts?.get(f.rule);
    return {
      rule: f.rule,
      effect: f.effect,
      evidence: typeof f.evidence === 'string' ? f.evidence : JSON.stringify(f.evidence ?? ''),
      description: t?.description ?? '',
      textKey: t?.textKey ?? null,
    };
  });
}

// Rows to items: rule texts of the page's ruleset versions, and the open count of each viral batch shown.
async function itemsOf(store: Pick<Store, 'db'>, rows: QueueRow[], v: QueueViewer | undefined, pausedTier: string, now: Date): Promise<QueueItem[]> {
  const [texts, batchOpen] = await Promise.all([
    ruleTexts(
      store,
      rows.flatMap((r) => (r.ruleset_version === null ? [] : [r.ruleset_version])),
    ),
    openPerBatch(store.db, [...new Set(rows.flatMap((r) => (r.viral_key === null ? [] : [r.viral_key])))], readerOf(v)),
  ]);
  return rows.map((r) => {
    const received = r.received_at ? new Date(r.received_at) : null;
    return {
      reportId: r.report_id,
      // A report a case holds is paused from the moment the case holds it, re-scored or not.
      tier: r.case_id !== null && r.tier !== null ? pausedTier : r.tier,
      firstInTier: r.case_id === null && r.first_in_tier === true,
      harm: num(r.harm),
      actionability: num(r.actionability),
      score: num(r.score),
      reasons: explainReasons(r.reasons, r.ruleset_version === null ? undefined : texts.get(r.ruleset_version)),
      receivedAt: received ? received.toISOString() : null,
      incidentType: r.incident_type,
      esp: r.esp,
      provinceCode: r.province_code,
      ageDays: received ? Math.floor((now.getTime() - received.getTime()) / DAY_MS) : null,
      preservationDeadline: iso(r.preservation_deadline),
      assignee: r.username,
      assigneeId: r.assignee_id,
      status: r.status ?? 'new',
      held: r.held ?? false,
      viralBatch: r.viral_key,
      viralBatchOpen: r.viral_key === null ? null : (batchOpen.get(r.viral_key) ?? 0),
      espBatched: r.batched,
      deconflicted: r.case_id ? { caseId: r.case_id } : null,
    };
  });
}

/**
 * One page of the queue with its total. Without a viewer (the CLI, the demo) every report is
 * visible; with one, an analyst of a closed queue sees their own and their team's work.
 */
export async function readQueue(
  store: Pick<Store, 'db'>,
  q: QueueQuery = {},
  viewer?: QueueViewer,
  now: Date = new Date(),
): Promise<{ total: number; items: QueueItem[] }> {
  const f = await filterOf(store, q);
  const reader = readerOf(viewer);
  const [n, rows] = await Promise.all([
    cachedCount(store, countKey(f, viewer), now.getTime(), () => countQueue(store.db, f, reader)),
    queueRows(store.db, f, reader, { limit: q.limit ?? DEFAULT_LIMIT, offset: q.offset ?? 0 }),
  ]);
  // The paused tier's name is read only when a row shown is held by a case.
  const paused = f.pausedTier ?? (rows.some((r) => r.case_id !== null) ? (await liveTierNames(store)).paused : 'PAUSED');
  return { total: n, items: await itemsOf(store, rows, viewer, paused, now) };
}

/**
 * Every row the filters match in queue order, a chunk at a time (exports: nothing is cut unless
 * the query gives a limit; from its offset).
 */
export async function* readWholeQueue(
  store: Pick<Store, 'db'>,
  q: QueueQuery,
  viewer?: QueueViewer,
  now: Date = new Date(),
  chunk = 2000,
): AsyncGenerator<QueueItem[]> {
  const f = await filterOf(store, q);
  const reader = readerOf(viewer);
  const { paused } = await liveTierNames(store);
  const end = q.limit === undefined ? Infinity : (q.offset ?? 0) + q.limit;
  for (let offset = q.offset ?? 0; offset < end; offset += chunk) {
    const limit = Math.min(chunk, end - offset);
    const rows = await queueRows(store.db, f, reader, { limit, offset });
    if (rows.length > 0) yield await itemsOf(store, rows, viewer, paused, now);
    if (rows.length < limit) return;
  }
}

/**
 * The open reports of one viral batch the viewer sees in the queue, in queue order (at most `limit`);
 * with `workable`, only those unassigned or assigned to the viewer (what an analyst may close).
 */
export async function viralBatchReports(
  store: Pick<Store, 'db'>,
  key: string,
  v: QueueViewer,
  opts: { limit?: number; workable?: boolean } = {},
): Promise<string[]> {
  return viralBatchRows(store.db, key, readerOf(v), { limit: opts.limit ?? 5000, ...(opts.workable ? { workable: true } : {}) });
}

/** The next few unassigned, open, unpaused, unheld reports the viewer may work, in queue order. */
export async function nextCandidates(store: Pick<Store, 'db'>, v: QueueViewer, n = 8): Promise<string[]> {
  return nextRows(store.db, readerOf(v)!, n);
}

/** The queue per province, as the map draws it: every report, the urgent tier's, and the share without a province. */
export interface QueueMap {
  /** The live ruleset's top tier: the map's urgent layer, and the tier its link opens the queue with. */
  urgentTier: string;
  total: number;
  withoutProvince: number;
  provinces: { provinceCode: string; count: number; urgent: number }[];
}

/** The queue a filter shows (default: the open, unpaused queue), counted per province for the map. */
export async function queueMap(store: Pick<Store, 'db'>, q: QueueQuery = {}, viewer?: QueueViewer): Promise<QueueMap> {
  const [f, tiers] = await Promise.all([filterOf(store, q), liveTierNames(store)]);
  const urgentTier = tiers.tiers[0] ?? 'IMMEDIATE';
  return { urgentTier, ...(await queueByProvince(store.db, f, readerOf(viewer), urgentTier)) };
}

/** The top tier's open reports that arrived in the last day (what the app alerts on), newest first. */
export async function recentUrgent(
  store: Pick<Store, 'db'>,
  viewer: QueueViewer | undefined,
  now: Date = new Date(),
): Promise<{ tier: string; reports: { reportId: string; receivedAt: string | null; ingestedAt: string }[] }> {
  const { tiers } = await liveTierNames(store);
  const tier = tiers[0] ?? 'IMMEDIATE';
  return { tier, reports: await recentInTier(store.db, tier, new Date(now.getTime() - DAY_MS), readerOf(viewer), 50) };
}

/**
 * Queue totals per place under the queue's own filters and visibility (the map's figures): the
 * count on a province or town is the total of the queue it opens, by construction.
 */
export async function queueTotalsBy(
  store: Pick<Store, 'db'>,
  q: QueueQuery,
  v: QueueViewer,
  by: 'province' | 'municipality',
): Promise<{ code: string; count: number; urgent: number }[]> {
  const [f, tiers] = await Promise.all([filterOf(store, q), liveTierNames(store)]);
  return queueByPlace(store.db, f, readerOf(v), by, tiers.tiers[0] ?? 'IMMEDIATE');
}

/** The most report points one request returns (the map clusters them; more would not be read). */
export const MAX_POINTS = 5000;

/** The report points of a queue, as the map draws them, with what was left out. */
export interface QueuePoints {
  /** The boundary layer whose town centres place town-level points (null: none imported, so only coordinates place a point). */
  layer: string | null;
  /** Reports of the queue with a point that can be drawn. */
  total: number;
  /** Reports of the queue whose town has no shape in the layer. */
  unplaced: number;
  /** The most returned: past it, the first in queue order are returned. */
  cap: number;
  points: QueuePoint[];
}

/**
 * The points of the reports a queue filter shows, under the queue's own filters and visibility, at
 * most `limit` (≤ MAX_POINTS) in queue order. Town-level points sit at the town centres of `layer`,
 * by default the first imported layer of cities and municipalities.
 */
export async function queuePointsOf(
  store: Pick<Store, 'db'>,
  q: QueueQuery,
  v: QueueViewer,
  opts: { layer?: string | undefined; limit?: number | undefined } = {},
): Promise<QueuePoints> {
  const layer = opts.layer ?? (await geoLayers(store.db)).find((l) => l.level === 'municipality')?.name ?? null;
  const cap = Math.min(MAX_POINTS, Math.max(1, opts.limit ?? MAX_POINTS));
  const r = await queuePoints(store.db, await filterOf(store, q), readerOf(v), { layer, limit: cap });
  return {
    layer,
    total: r.placed,
    unplaced: r.unplaced,
    cap,
    points: r.points,
  };
}
