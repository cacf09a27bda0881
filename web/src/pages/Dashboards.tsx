import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { saveCsv } from '../components/download.ts';
import { useFormat } from '../i18n/format.ts';
import { periods, toSeries, wideRows, type Series } from '../charts/series.ts';

const EChart = lazy(() => import('../charts/EChart.tsx'));

type Row = Record<string, unknown>;

/** Rows of a table-like answer (array of objects, or an object of objects keyed by name). */
function rowsOf(raw: unknown): Row[] {
  if (Array.isArray(raw)) return raw.filter((x): x is Row => typeof x === 'object' && x !== null);
  if (raw && typeof raw === 'object') {
    const o = raw as Row;
    for (const k of ['rows', 'items', 'analysts', 'users']) if (Array.isArray(o[k])) return rowsOf(o[k]);
    return Object.entries(o).map(([k, v]) => (typeof v === 'object' && v !== null ? { name: k, ...(v as Row) } : { name: k, value: v }));
  }
  return [];
}

function GenericTable({ rows, file }: { rows: Row[]; file: string }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (rows.length === 0) return <Empty>{t('dash.noData')}</Empty>;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown, c: string): string =>
    typeof v === 'number'
      ? fmt.num(v, 1)
      : v === null || v === undefined
        ? '—'
        : typeof v === 'object'
          ? JSON.stringify(v)
          : c === 'name'
            ? t(`dash.row.${String(v)}`, { defaultValue: String(v) })
            : String(v);
  const head = (c: string): string =>
    c.startsWith('status_') ? t(`status.${c.slice(7)}`, { defaultValue: c.slice(7) }) : t(`dash.col.${c}`, { defaultValue: c });
  return (
    <>
      <table className="grid">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c} scope="col">
                {head(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {cols.map((c) => (
                <td key={c} className={typeof r[c] === 'number' ? 'num' : undefined}>
                  {cell(r[c], c)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() =>
          saveCsv(
            `${file}.csv`,
            cols,
            rows.map((r) => cols.map((c) => (typeof r[c] === 'object' ? JSON.stringify(r[c]) : r[c]))),
          )
        }
      >
        {t('common.csv')}
      </button>
    </>
  );
}

/** The published yearly figures (bantay stats export): small counts suppressed by the server, audited there. */
function StatisticsDownload(): ReactNode {
  const { t } = useTranslation();
  const [year, setYear] = useState(new Date().getUTCFullYear() - 1);
  const [threshold, setThreshold] = useState(10);
  const query = `year=${year}&threshold=${threshold}`;
  return (
    <div className="actions" aria-label={t('dash.statistics')}>
      <label>
        {t('dash.statisticsYear')}
        <input type="number" name="statisticsYear" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} />
      </label>
      <label>
        {t('dash.statisticsThreshold')}
        <input type="number" name="statisticsThreshold" min={3} max={1000} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
      </label>
      <a className="button" href={`/api/stats/yearly.csv?${query}`}>
        {t('dash.statisticsCsv')}
      </a>
      <a className="button" href={`/api/stats/yearly.json?${query}`}>
        {t('dash.statisticsJson')}
      </a>
      <p className="muted small">{t('dash.statisticsHelp', { threshold })}</p>
    </div>
  );
}

/** Yearly figures from monthly series: total per year and per series name. */
export function yearly(series: readonly Series[]): { header: string[]; rows: Array<Array<string | number>> } {
  const years = [...new Set(periods(series).map((p) => p.slice(0, 4)))].sort();
  const rows = series.map((s) => [s.name, ...years.map((y) => s.points.filter((p) => p.period.startsWith(y)).reduce((n, p) => n + p.value, 0))]);
  rows.push(['total', ...years.map((_, i) => rows.reduce((n, r) => n + (r[i + 1] as number), 0))]);
  return { header: ['', ...years], rows };
}

/** Volume, noise share, timing, workload and the yearly figures, each downloadable. */
export default function Dashboards(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const supervisor = hasRole(user?.role, 'supervisor');
  const [by, setBy] = useState<'esp' | 'incidentType' | 'tier'>('tier');
  const [interval, setInterval] = useState<'day' | 'week' | 'month'>('week');
  const volume = useApi(() => get<unknown>('/stats/volume', { by, interval }), [by, interval]);
  // The tier split now, as triage stored it (every report; a case's reports count as paused).
  const tiers = useApi(() => get<Array<{ tier: string; count: number }>>('/stats/tiers'), []);
  const types = useApi(() => get<unknown>('/stats/volume', { by: 'incidentType', interval: 'month' }), []);
  const timing = useApi(() => (supervisor ? get<unknown>('/stats/timing') : Promise.resolve(null)), [supervisor]);
  const workload = useApi(() => (supervisor ? get<unknown>('/stats/workload') : Promise.resolve(null)), [supervisor]);

  const volSeries = useMemo(() => toSeries(volume.data), [volume.data]);
  const tierTotals = useMemo(() => new Map((tiers.data ?? []).map((r) => [r.tier, r.count])), [tiers.data]);
  const allReports = [...tierTotals.values()].reduce((a, b) => a + b, 0);
  const noise = tierTotals.get('NOISE') ?? 0;
  const typeSeries = useMemo(() => toSeries(types.data), [types.data]);
  // byStatus is a record per analyst: one column per status reads better than a JSON cell.
  const workloadRows = rowsOf(workload.data).map(({ byStatus, ...r }) => ({
    ...r,
    ...(byStatus && typeof byStatus === 'object'
      ? Object.fromEntries(Object.entries(byStatus as Record<string, unknown>).map(([k, v]) => [`status_${k}`, v]))
      : {}),
  }));
  const label = (name: string): string =>
    by === 'tier' ? t(`tier.${name.toLowerCase()}`, { defaultValue: name }) : by === 'incidentType' ? t(`incident.${name}`, { defaultValue: name }) : name;

  const ps = periods(volSeries);
  const volOption = {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: ps.map((p) => (interval === 'month' ? fmt.month(p) : fmt.date(p))) },
    yAxis: { type: 'value' },
    series: volSeries.map((s) => {
      const m = new Map(s.points.map((p) => [p.period, p.value]));
      return { name: label(s.name), type: 'bar', stack: 'v', data: ps.map((p) => m.get(p) ?? 0) };
    }),
  };
  const pieOption = {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [
      { type: 'pie', radius: ['40%', '70%'], data: [...tierTotals].map(([k, v]) => ({ name: t(`tier.${k.toLowerCase()}`, { defaultValue: k }), value: v })) },
    ],
  };

  return (
    <section className="dashboards">
      <div className="page-head">
        <h1>{t('dash.title')}</h1>
      </div>

      <section aria-labelledby="vol">
        <h2 id="vol">{t('dash.volume')}</h2>
        <div className="seg">
          <label>
            {t('dash.by')}
            <select value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
              {(['tier', 'esp', 'incidentType'] as const).map((b) => (
                <option key={b} value={b}>
                  {t(`dash.by_${b}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('dash.interval')}
            <select value={interval} onChange={(e) => setInterval(e.target.value as typeof interval)}>
              {(['day', 'week', 'month'] as const).map((b) => (
                <option key={b} value={b}>
                  {t(`dash.${b}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {volume.loading && !volume.data && <Loading />}
        {volume.error && <ErrorBox error={volume.error} retry={volume.reload} />}
        {volume.data !== undefined &&
          (volSeries.length === 0 ? (
            <Empty>{t('dash.noData')}</Empty>
          ) : (
            <Suspense fallback={<Loading />}>
              <EChart
                option={volOption}
                title={t('dash.volumeBy', { by: t(`dash.by_${by}`) })}
                fileBase={`volume-${by}-${interval}`}
                csv={wideRows(volSeries)}
                pngLabel={t('common.png')}
                csvLabel={t('common.csv')}
              />
            </Suspense>
          ))}
      </section>

      <section aria-labelledby="noise">
        <h2 id="noise">{t('dash.noise')}</h2>
        {tiers.error && <ErrorBox error={tiers.error} retry={tiers.reload} />}
        {tiers.data !== undefined &&
          (allReports === 0 ? (
            <Empty>{t('dash.noData')}</Empty>
          ) : (
            <>
              <p className="big" data-testid="noise-share">
                {t('dash.noiseShare', { share: fmt.num((100 * noise) / allReports, 1), noise: fmt.num(noise), total: fmt.num(allReports) })}
              </p>
              <table className="grid" data-testid="tier-split">
                <tbody>
                  {[...tierTotals].map(([k, v]) => (
                    <tr key={k} data-tier={k}>
                      <td>{t(`tier.${k.toLowerCase()}`, { defaultValue: k })}</td>
                      <td className="num">{fmt.num(v)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Suspense fallback={<Loading />}>
                <EChart
                  option={pieOption}
                  title={t('dash.byTier')}
                  fileBase="tiers"
                  csv={{ header: ['tier', 'reports'], rows: [...tierTotals] }}
                  pngLabel={t('common.png')}
                  csvLabel={t('common.csv')}
                  height={240}
                />
              </Suspense>
            </>
          ))}
      </section>

      {supervisor && (
        <section aria-labelledby="timing">
          <h2 id="timing">{t('dash.timing')}</h2>
          <p className="muted small">{t('dash.timingHelp')}</p>
          {timing.loading && <Loading />}
          {timing.error && <ErrorBox error={timing.error} retry={timing.reload} />}
          {timing.data !== undefined && timing.data !== null && <GenericTable rows={rowsOf(timing.data)} file="timing" />}
        </section>
      )}

      {supervisor && (
        <section aria-labelledby="workload">
          <h2 id="workload">{t('dash.workload')}</h2>
          {workload.loading && <Loading />}
          {workload.error && <ErrorBox error={workload.error} retry={workload.reload} />}
          {workload.data !== undefined && workload.data !== null && <GenericTable rows={workloadRows} file="workload" />}
        </section>
      )}

      <section aria-labelledby="yearly">
        <h2 id="yearly">{t('dash.yearly')}</h2>
        <p className="muted small">{t('dash.yearlyHelp')}</p>
        {supervisor && <StatisticsDownload />}
        {types.error && <ErrorBox error={types.error} retry={types.reload} />}
        {types.data !== undefined &&
          (typeSeries.length === 0 ? (
            <Empty>{t('dash.noData')}</Empty>
          ) : (
            (() => {
              const y = yearly(typeSeries);
              return (
                <>
                  <table className="grid">
                    <thead>
                      <tr>
                        {y.header.map((h, i) => (
                          <th key={i} scope="col">
                            {h || t('report.incidentType')}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {y.rows.map((r, i) => (
                        <tr key={i}>
                          {r.map((c, k) => (
                            <td key={k} className={k > 0 ? 'num' : undefined}>
                              {k === 0 ? (c === 'total' ? t('dash.total') : t(`incident.${String(c)}`, { defaultValue: String(c) })) : fmt.num(c as number)}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <button
                    type="button"
                    onClick={() =>
                      saveCsv(
                        'yearly-figures.csv',
                        y.header.map((h) => h || 'incidentType'),
                        y.rows,
                      )
                    }
                  >
                    {t('common.csv')}
                  </button>
                </>
              );
            })()
          ))}
      </section>
    </section>
  );
}
