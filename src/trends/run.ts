// The trends stage: plan (reports whose series keys are stale, payments stored since the last
// run), compute (each report's keys, pure), write (delta updates of the daily counts), then judge
// the series that moved in the last days against their own baselines and store the alerts.
// The cost follows what changed: a delivery of five reports touches those five reports' keys and
// the few series they count toward; nothing is recounted.
import { createHash } from 'node:crypto';
import type { Store } from '../store/database.ts';
import type { VisibleTo } from '../store/cases.ts';
import {
  activeSeries,
  addDailyCounts,
  hashNeighbours,
  listAlerts,
  newestTrendDay,
  paymentsSince,
  replaceAlerts,
  replaceTrendKeys,
  seriesCounts,
  seriesReports,
  setTrendState,
  staleTrendReports,
  trendInputs,
  trendState,
  type TrendAlertRow,
} from '../store/trends.ts';
import { DAILY, episodes, exceedances, WEEKLY, type DetectorConfig } from './detect.ts';
import { addDays, corridorKey, dayDiff, manilaDay, reportKeys, weekdayOf, type Dimension } from './series.ts';

/** Options of a trends run. */
export interface TrendsOptions {
  /** The last day judged (YYYY-MM-DD, Manila); default the newest day with a count. */
  asOf?: string;
  /** Days back from `asOf` whose alerts are (re)judged and stored (default 14). */
  days?: number;
  /** Recompute every report's keys (same counts as the incremental runs). */
  rebuild?: boolean;
  /** Only update the series, do not judge them. */
  noDetect?: boolean;
  batchSize?: number;
}

/** What a run did. */
export interface TrendsSummary {
  reportsUpdated: number;
  paymentsCounted: number;
  seriesJudged: number;
  alerts: number;
  asOf: string | null;
  ms: number;
}

/** An alert as the CLI, the API and the web app show it. */
export interface TrendAlert {
  id: string;
  dimension: string;
  key: string;
  period: 'day' | 'week';
  /** First day of the episode, the day the detector fired, and its last day (Manila, YYYY-MM-DD). */
  start: string;
  fired: string;
  end: string;
  observed: number;
  expected: number;
  /** observed / expected over the episode. */
  ratio: number;
  /** Farrington's exceedance score at the peak (above 1 is an alarm). */
  score: number;
  /** Upper-tail probability at the peak. */
  p: number;
  /** Reports behind it (payments for a corridor) and the first of them. */
  reports: { total: number; sample: string[] };
  /** The queue filter that lists the reports behind it. */
  queue: { trend: string; from: string; to: string };
}

const BATCH = 2000;

/** Brings every report's (or these reports') series keys and the daily counts up to date; returns the reports updated. */
export async function updateSeries(
  store: Pick<Store, 'db' | 'copy'>,
  opts: { rebuild?: boolean; batchSize?: number; reportIds?: string[] } = {},
): Promise<number> {
  const limit = opts.batchSize ?? BATCH;
  let after: string | undefined;
  let updated = 0;
  for (;;) {
    const ids = await staleTrendReports(store.db, {
      limit,
      ...(after !== undefined ? { after } : {}),
      ...(opts.rebuild ? { all: true } : {}),
      ...(opts.reportIds ? { ids: opts.reportIds } : {}),
    });
    if (ids.length === 0) break;
    updated += await writeKeys(store, ids);
    after = ids[ids.length - 1];
    if (ids.length < limit) break;
  }
  return updated;
}

async function writeKeys(store: Pick<Store, 'db' | 'copy'>, ids: string[]): Promise<number> {
  const inputs = await trendInputs(store.db, ids);
  const keys = inputs.flatMap(reportKeys);
  await replaceTrendKeys(
    store,
    inputs.map((r) => ({ reportId: r.reportId, inputs: r.inputs })),
    keys,
  );
  // A file that just gained a second carrier makes a group: its first carrier counts toward it now.
  const neighbours = await hashNeighbours(store.db, [...new Set(keys.filter((k) => k.dim === 'hash').map((k) => k.key))], ids);
  if (neighbours.length > 0) {
    const more = await trendInputs(store.db, neighbours);
    await replaceTrendKeys(
      store,
      more.map((r) => ({ reportId: r.reportId, inputs: r.inputs })),
      more.flatMap(reportKeys),
    );
  }
  return ids.length + neighbours.length;
}

const PAYMENTS_MARK = 'payments.ingested_at';

/** Counts payments stored since the last run into corridor series; returns how many. */
export async function updateCorridors(store: Pick<Store, 'db'>): Promise<number> {
  // All payments since the mark at once: rows stored by one transaction share one timestamp, so a
  // page boundary could split them.
  const rows = await paymentsSince(store.db, await trendState(store.db, PAYMENTS_MARK));
  if (rows.length === 0) return 0;
  const counts = new Map<string, { dim: string; key: string; day: string; n: number }>();
  for (const r of rows) {
    const key = corridorKey(r.sender, r.receiver);
    const day = manilaDay(r.ts);
    const k = `${key}\u0000${day}`;
    const c = counts.get(k) ?? counts.set(k, { dim: 'corridor', key, day, n: 0 }).get(k)!;
    c.n++;
  }
  // Counts and watermark move together: a run that dies in between counts nothing twice.
  await store.db.transaction().execute(async (tx) => {
    await addDailyCounts(tx, [...counts.values()]);
    await setTrendState(tx, PAYMENTS_MARK, rows[rows.length - 1]!.ingestedAt);
  });
  return rows.length;
}

/** The newest day with a count, or null. */
async function newestDay(store: Pick<Store, 'db'>): Promise<string | null> {
  const d = await newestTrendDay(store.db);
  return d ? manilaDayOfDate(d) : null;
}

// A `date` column comes back as a Date at midnight UTC (or a string): its calendar day as written.
function manilaDayOfDate(d: Date | string): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

function alertId(dim: string, key: string, period: string, start: string): string {
  return createHash('sha256').update(`${dim}\u0000${key}\u0000${period}\u0000${start}`).digest('hex').slice(0, 20);
}

// Periods of history read before the first judged period: baseline, guard and the longest window.
const history = (cfg: DetectorConfig): number => cfg.baseline + cfg.guard + Math.max(...cfg.windows);

/** Judges the series that moved in [asOf − days + 1, asOf] and stores their alerts. */
export async function detectAlerts(store: Pick<Store, 'db' | 'copy'>, asOf: string, days: number): Promise<{ judged: number; alerts: number }> {
  const from = addDays(asOf, -(days - 1));
  const series = await activeSeries(store.db, from, asOf);
  // Weekly judging reads whole Monday-to-Sunday weeks.
  const weekStart = addDays(from, -weekdayOf(from));
  const readFrom = addDays(weekStart, -7 * history(WEEKLY));
  const dailyFrom = addDays(from, -history(DAILY) - 14);
  const first = readFrom < dailyFrom ? readFrom : dailyFrom;
  const counts = await seriesCounts(store.db, series, first, asOf);
  const bySeries = new Map<string, Map<string, number>>();
  for (const c of counts) {
    const k = `${c.dim}\u0000${c.key}`;
    (bySeries.get(k) ?? bySeries.set(k, new Map()).get(k)!).set(c.day, c.n);
  }
  const span = dayDiff(first, asOf) + 1;
  const alerts: TrendAlertRow[] = [];
  for (const s of series) {
    const byDay = bySeries.get(`${s.dim}\u0000${s.key}`) ?? new Map<string, number>();
    const daily = Array.from({ length: span }, (_, i) => byDay.get(addDays(first, i)) ?? 0);
    const dayAt = (i: number): string => addDays(first, i);
    const judgedFrom = dayDiff(first, from);
    for (const e of episodes(
      daily,
      exceedances(daily, DAILY, (i) => weekdayOf(dayAt(i)), judgedFrom),
    )) {
      alerts.push(toRow(s, 'day', dayAt(e.start), dayAt(e.firedAt), dayAt(e.end), e));
    }
    // Weeks from the Monday on or before `first` (the leading partial week reads as low; it is history only).
    const offset = weekdayOf(first);
    const weeks: number[] = [];
    for (let i = -offset; i < span; i += 7) {
      let n = 0;
      for (let j = Math.max(0, i); j < Math.min(span, i + 7); j++) n += daily[j]!;
      weeks.push(n);
    }
    const weekDay = (w: number): string => addDays(first, w * 7 - offset);
    // Only complete weeks are judged: the current week is judged once it ends.
    const lastFull = weeks.length - (dayDiff(weekDay(weeks.length - 1), asOf) >= 6 ? 1 : 2);
    const judgedWeek = Math.max(0, Math.floor((judgedFrom + offset) / 7));
    for (const e of episodes(
      weeks.slice(0, lastFull + 1),
      exceedances(weeks.slice(0, lastFull + 1), WEEKLY, () => 0, judgedWeek),
    )) {
      alerts.push(toRow(s, 'week', weekDay(e.start), weekDay(e.firedAt), addDays(weekDay(e.end), 6), e));
    }
  }
  await replaceAlerts(store, series, from, alerts);
  return { judged: series.length, alerts: alerts.length };
}

function toRow(
  s: { dim: string; key: string },
  period: 'day' | 'week',
  start: string,
  fired: string,
  end: string,
  e: ReturnType<typeof episodes>[number],
): TrendAlertRow {
  return {
    id: alertId(s.dim, s.key, period, start),
    dim: s.dim,
    key: s.key,
    period,
    startDay: start,
    firedDay: fired,
    endDay: end,
    observed: e.observed,
    expected: e.expected,
    score: e.score,
    p: e.p,
    detail: { window: e.peak.window, peakObserved: e.peak.observed, peakExpected: e.peak.expected, threshold: e.peak.threshold, dispersion: e.peak.dispersion },
  };
}

/** Runs the stage: series up to date, then today's judgement. */
export async function runTrends(store: Pick<Store, 'db' | 'copy'>, opts: TrendsOptions = {}): Promise<TrendsSummary> {
  const t0 = Date.now();
  const reportsUpdated = await updateSeries(store, { ...(opts.rebuild ? { rebuild: true } : {}), ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) });
  const paymentsCounted = await updateCorridors(store);
  const asOf = opts.asOf ?? (await newestDay(store));
  let judged = { judged: 0, alerts: 0 };
  if (asOf && !opts.noDetect) judged = await detectAlerts(store, asOf, opts.days ?? 14);
  return { reportsUpdated, paymentsCounted, seriesJudged: judged.judged, alerts: judged.alerts, asOf, ms: Date.now() - t0 };
}

/** Stored alerts in the shape users see, with the reports behind each. */
export async function trendAlerts(
  store: Pick<Store, 'db'>,
  opts: { since?: string; period?: string; dim?: string; limit?: number; id?: string; sample?: number; visibleTo?: VisibleTo } = {},
): Promise<TrendAlert[]> {
  const rows = await listAlerts(store.db, opts);
  const alerts = await Promise.all(
    rows.map(async (a): Promise<TrendAlert | undefined> => {
      const reports =
        a.dim === 'corridor'
          ? { total: a.observed, reportIds: [] }
          : await seriesReports(store.db, a.dim, a.key, a.startDay, a.endDay, opts.sample ?? 10, opts.visibleTo);
      // A subject's name or a file's hash is an identifier: shown only to those who see a report behind it.
      if (opts.visibleTo && NAMES_AN_OBJECT.has(a.dim) && reports.reportIds.length === 0) return undefined;
      return {
        id: a.id,
        dimension: a.dim,
        key: a.key,
        period: a.period,
        start: a.startDay,
        fired: a.firedDay,
        end: a.endDay,
        observed: a.observed,
        expected: Math.round(a.expected * 10) / 10,
        ratio: Math.round((a.observed / Math.max(a.expected, 0.01)) * 10) / 10,
        score: Math.round(a.score * 100) / 100,
        p: a.p,
        reports: { total: reports.total, sample: reports.reportIds },
        queue: { trend: `${a.dim}:${a.key}`, from: a.startDay, to: a.endDay },
      };
    }),
  );
  return alerts.filter((a): a is TrendAlert => a !== undefined);
}

const NAMES_AN_OBJECT: ReadonlySet<string> = new Set(['subject', 'hash']);

/** A series' daily counts over the last `days` days up to `asOf` (for a chart). */
export async function seriesOf(store: Pick<Store, 'db'>, dim: string, key: string, asOf: string, days: number): Promise<{ day: string; n: number }[]> {
  const from = addDays(asOf, -(days - 1));
  const rows = await seriesCounts(store.db, [{ dim, key }], from, asOf);
  const byDay = new Map(rows.map((r) => [r.day, r.n]));
  return Array.from({ length: days }, (_, i) => addDays(from, i)).map((day) => ({ day, n: byDay.get(day) ?? 0 }));
}
