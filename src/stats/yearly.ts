// The figures an agency reports yearly (docs/statistics.md), opt-in: written only when someone
// asks, counts and durations only, small counts suppressed. Reports received by incident type,
// ESP, triage tier and outcome; time to first look and to decision; referrals by partner agency;
// subjects and children identified.
import type { Store } from '../store/database.ts';
import { receivedBy, receivedByTier, receivedCount, referralsBy, subjectCounts, timingOf, victimCounts } from '../store/statistics.ts';
import { reportDecisions, type TimeWindow } from '../store/cases.ts';
import { NCMEC_OUTCOMES, ncmecOutcomeOf } from '../cases/feedback.ts';
import { appendAudit } from '../cases/audit.ts';
import { actorFields, CLI_ACTOR, type Actor } from '../cases/accounts.ts';
import { toCsv } from '../export/tabular.ts';
import { DEFAULT_THRESHOLD, MIN_THRESHOLD, oneWay, twoWay, type Shown } from './suppress.ts';
import { badInput } from '../model/error.ts';

export { DEFAULT_THRESHOLD, MIN_THRESHOLD };

/** One published table: a label column, value columns, a total row when the rows add up. */
export interface StatTable {
  id: string;
  title: string;
  rowHeader: string;
  columns: string[];
  rows: { label: string; values: (Shown | null)[] }[];
  /** The totals row, when the rows add up to it. */
  total?: (Shown | null)[];
}

/** The yearly statistics as published. */
export interface YearlyStatistics {
  format: 'bantay-yearly-statistics';
  version: 1;
  year: number;
  threshold: number;
  generatedAt: string;
  notes: string[];
  tables: StatTable[];
}

/** What a statistics run is asked for. */
export interface StatisticsOptions {
  year: number;
  threshold?: number;
  now?: Date;
}

/** Checks the year and threshold; returns the year's UTC window. */
export function statisticsWindow(o: StatisticsOptions): { window: TimeWindow; threshold: number } {
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(o.year) || o.year < 2000 || o.year > 2100)
    throw badInput('BAD_OPTION', `the year must be a whole number from 2000 to 2100, got ${o.year}`);
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD || threshold > 1000)
    throw badInput('BAD_OPTION', `the threshold must be a whole number from ${MIN_THRESHOLD} to 1000, got ${threshold}`);
  return { window: { from: new Date(Date.UTC(o.year, 0, 1)), to: new Date(Date.UTC(o.year + 1, 0, 1)) }, threshold };
}

const hours = (h: number | null): number | null => (h === null ? null : Math.round(h * 10) / 10);

/** Computes the year's figures with small counts suppressed. */
export async function yearlyStatistics(store: Pick<Store, 'db'>, o: StatisticsOptions): Promise<YearlyStatistics> {
  const { window: w, threshold } = statisticsWindow(o);
  const db = store.db;
  const total = await receivedCount(db, w);
  const received = (id: string, title: string, rowHeader: string, counts: { key: string; n: number }[]): StatTable => {
    const t = oneWay(counts, total, threshold);
    return { id, title, rowHeader, columns: ['reports'], rows: t.rows.map((r) => ({ label: r.label, values: [r.value] })), total: [t.total] };
  };

  const outcomes = new Map<string, number>([...NCMEC_OUTCOMES, 'open'].map((k) => [k, 0]));
  let decided = 0;
  for (const d of await reportDecisions(db, { received: w })) {
    const out = ncmecOutcomeOf(d);
    if (out) {
      outcomes.set(out, outcomes.get(out)! + 1);
      decided++;
    }
  }
  outcomes.set('open', total - decided);

  const timing = await timingOf(db, w);
  const timingRow = (label: string, t: { n: number; median: number | null; p90: number | null }): { label: string; values: (Shown | null)[] } =>
    // A median of fewer reports than the threshold describes too few people: withheld with the count.
    t.n < threshold ? { label, values: [`<${threshold}`, null, null] } : { label, values: [t.n, hours(t.median), hours(t.p90)] };

  const refs = await referralsBy(db, w);
  const agencies = [...new Set(refs.map((r) => r.agency))].sort();
  const kinds = ['referral', 'endorsement', ...new Set(refs.map((r) => r.kind).filter((k) => k !== 'referral' && k !== 'endorsement'))];
  const refTable = twoWay(agencies, kinds, (a, k) => refs.find((r) => r.agency === a && r.kind === k)?.n ?? 0, threshold);

  const subjects = await subjectCounts(db, w);
  const victims = await victimCounts(db, w);
  const scalar = (n: number): Shown => (n < threshold ? `<${threshold}` : n);

  return {
    format: 'bantay-yearly-statistics',
    version: 1,
    year: o.year,
    threshold,
    generatedAt: (o.now ?? new Date()).toISOString(),
    notes: [
      `Reports received from ${w.from.toISOString().slice(0, 10)} to ${new Date(w.to.getTime() - 1).toISOString().slice(0, 10)} (UTC); durations in hours from receipt.`,
      `Counts under ${threshold} (zero included) are shown as "<${threshold}"; where one hidden count could be worked out from a total, the next smallest count of that row or column is hidden too (docs/statistics.md).`,
      'Outcomes are read off case work: acted on (in a case), referred, no nexus, insufficient information, no action, duplicate; open: no outcome yet.',
      'Subjects: two or more reports linked to one person; children: victims named in the reports (Bantay does not record rescues).',
      'No identifier of any person, account, device, report or case is in this file.',
    ],
    tables: [
      received('byIncidentType', 'Reports received by incident type', 'incident type', await receivedBy(db, w, 'incidentType')),
      received('byEsp', 'Reports received by reporting company (ESP)', 'ESP', await receivedBy(db, w, 'esp')),
      received('byTier', 'Reports received by triage tier', 'tier', await receivedByTier(db, w)),
      received(
        'byOutcome',
        'Reports received by outcome',
        'outcome',
        [...outcomes].map(([key, n]) => ({ key, n })),
      ),
      {
        id: 'timing',
        title: 'Time from receipt (hours)',
        rowHeader: 'measure',
        columns: ['reports', 'median hours', '90th percentile hours'],
        rows: [timingRow('first look', timing.firstLook), timingRow('decision', timing.decision)],
      },
      {
        id: 'referrals',
        title: "Referrals and endorsements of the year's reports, by partner agency",
        rowHeader: 'partner agency',
        columns: [...kinds, 'total'],
        rows: refTable.rows,
        total: refTable.totals,
      },
      {
        id: 'people',
        title: 'Subjects and children identified',
        rowHeader: 'figure',
        columns: ['count'],
        rows: [
          { label: 'subjects (linked reports) with a report this year', values: [scalar(subjects.subjects)] },
          { label: 'of which in a case', values: [scalar(subjects.inCases)] },
          { label: 'children named as victims', values: [scalar(victims.victims)] },
          { label: 'reports naming a child victim', values: [scalar(victims.reports)] },
        ],
      },
    ],
  };
}

/** The statistics as CSV: one line per figure (table, row, column, value), the notes under them. */
export function statisticsCsv(s: YearlyStatistics): Uint8Array {
  const rows: (string | number)[][] = [];
  for (const t of s.tables) {
    const lines = [...t.rows, ...(t.total ? [{ label: 'total', values: t.total }] : [])];
    for (const r of lines) r.values.forEach((v, i) => rows.push([t.title, r.label, t.columns[i] ?? '', v === null ? 'withheld' : v]));
  }
  return toCsv({
    title: `statistics ${s.year}`,
    headers: ['table', 'row', 'column', 'value'],
    rows,
    notes: [`Bantay yearly statistics ${s.year}, generated ${s.generatedAt}, threshold ${s.threshold}.`, ...s.notes],
  });
}

/** The export as a file: CSV or JSON, audited (what left the agency: the year, the threshold, the format). */
export async function exportStatistics(
  store: Pick<Store, 'db'>,
  o: StatisticsOptions & { format?: 'csv' | 'json'; actor?: Actor },
): Promise<{ filename: string; contentType: string; bytes: Uint8Array; statistics: YearlyStatistics }> {
  const s = await yearlyStatistics(store, o);
  const format = o.format ?? 'csv';
  const bytes = format === 'json' ? new TextEncoder().encode(`${JSON.stringify(s, null, 2)}\n`) : statisticsCsv(s);
  await appendAudit(store, {
    ...actorFields(o.actor ?? CLI_ACTOR),
    action: 'stats.export',
    targetKind: 'statistics',
    targetId: String(s.year),
    detail: { year: s.year, threshold: s.threshold, format },
  });
  return {
    filename: `bantay-statistics-${s.year}.${format}`,
    contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
    bytes,
    statistics: s,
  };
}
