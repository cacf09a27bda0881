// Trend alerts: series that left their own baseline (bantay trends), with the window, what was seen
// against what was expected, the daily series around it, and a link to the queue of exactly the
// reports behind the alert.
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { DIMENSIONS } from '../../../src/model/trend-dimensions.ts';

const EChart = lazy(() => import('../charts/EChart.tsx'));

/** `GET /api/trends/alerts`, one alert. */
export interface TrendAlert {
  id: string;
  dimension: string;
  key: string;
  period: 'day' | 'week';
  start: string;
  fired: string;
  end: string;
  observed: number;
  expected: number;
  ratio: number;
  score: number;
  p: number;
  reports: { total: number; sample: string[] };
  queue: { trend: string; from: string; to: string };
}

/** The queue address that lists the reports behind an alert (every status: the alert counted them all). */
export function alertQueueUrl(a: Pick<TrendAlert, 'queue'>): string {
  const p = new URLSearchParams({ trend: a.queue.trend, from: a.queue.from, to: a.queue.to, status: 'all' });
  return `/queue?${p.toString()}`;
}

function SeriesChart({ alert }: { alert: TrendAlert }): ReactNode {
  const { t } = useTranslation();
  const series = useApi(
    () => get<Array<{ day: string; n: number }>>('/trends/series', { dimension: alert.dimension, key: alert.key, asOf: alert.end, days: 90 }),
    [alert.id],
  );
  const option = useMemo(() => {
    const rows = series.data ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('trends.daily'), t('trends.window')] },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((r) => r.day) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('trends.daily'), type: 'line', data: rows.map((r) => r.n), showSymbol: false },
        // The alert's window drawn as bars over the line, so it stands out without a legend lookup.
        {
          name: t('trends.window'),
          type: 'bar',
          data: rows.map((r) => (r.day >= alert.start && r.day <= alert.end ? r.n : null)),
          itemStyle: { color: '#cf222e' },
        },
      ],
    };
  }, [series.data, alert, t]);
  if (series.error) return <ErrorBox error={series.error} retry={series.reload} />;
  if (!series.data) return <Loading />;
  return (
    <Suspense fallback={<Loading />}>
      <EChart
        option={option}
        title={t('trends.chartTitle', { series: `${alert.dimension}: ${alert.key}` })}
        fileBase={`trend-${alert.dimension}`}
        csv={{ header: ['day', 'reports'], rows: series.data.map((r) => [r.day, r.n]) }}
        pngLabel={t('common.png')}
        csvLabel={t('common.csv')}
      />
    </Suspense>
  );
}

/** The alerts list, newest and strongest first, filtered by period and dimension. */
export default function Trends(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [period, setPeriod] = useState<'' | 'day' | 'week'>('');
  const [dimension, setDimension] = useState('');
  const alerts = useApi(() => get<TrendAlert[]>('/trends/alerts', { period, dimension, limit: 200 }), [period, dimension]);
  const [open, setOpen] = useState<string | undefined>();
  const chosen = alerts.data?.find((a) => a.id === open) ?? alerts.data?.[0];

  return (
    <section className="trends-page">
      <div className="page-head">
        <h1>{t('trends.title')}</h1>
        <span className="spacer" />
        <label>
          {t('trends.period')}
          <select name="period" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
            <option value="">{t('common.any')}</option>
            <option value="day">{t('trends.day')}</option>
            <option value="week">{t('trends.week')}</option>
          </select>
        </label>
        <label>
          {t('trends.dimension')}
          <select name="dimension" value={dimension} onChange={(e) => setDimension(e.target.value)}>
            <option value="">{t('common.any')}</option>
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {t(`trends.dim.${d}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t('trends.help')}</p>
      {alerts.loading && !alerts.data && <Loading />}
      {alerts.error && <ErrorBox error={alerts.error} retry={alerts.reload} />}
      {alerts.data &&
        (alerts.data.length === 0 ? (
          <Empty>{t('trends.empty')}</Empty>
        ) : (
          <>
            <table className="grid trend-alerts">
              <caption>{t('trends.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('trends.series')}</th>
                  <th scope="col">{t('trends.window')}</th>
                  <th scope="col">{t('trends.fired')}</th>
                  <th scope="col">{t('trends.observed')}</th>
                  <th scope="col">{t('trends.expected')}</th>
                  <th scope="col">{t('trends.ratio')}</th>
                  <th scope="col">{t('trends.reports')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('trends.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {alerts.data.map((a) => (
                  <tr key={a.id} data-alert={a.id} data-total={a.reports.total} className={chosen?.id === a.id ? 'cursor' : undefined}>
                    <th scope="row">
                      <button type="button" className="link" onClick={() => setOpen(a.id)} aria-pressed={chosen?.id === a.id}>
                        {t(`trends.dim.${a.dimension}`, { defaultValue: a.dimension })}: <span className="mono">{a.key}</span>
                      </button>
                      <span className="muted small"> ({t(`trends.${a.period}`)})</span>
                    </th>
                    <td>{a.start === a.end ? a.start : `${a.start} – ${a.end}`}</td>
                    <td>{a.fired}</td>
                    <td className="num">{fmt.num(a.observed)}</td>
                    <td className="num">{fmt.num(a.expected, 1)}</td>
                    <td className="num">×{fmt.num(a.ratio, 1)}</td>
                    <td className="num">{fmt.num(a.reports.total)}</td>
                    <td>
                      {a.dimension === 'corridor' ? (
                        <span className="muted small">{t('trends.corridorNote')}</span>
                      ) : (
                        <Link className="button" to={alertQueueUrl(a)}>
                          {t('trends.openQueue', { count: a.reports.total, n: fmt.num(a.reports.total) })}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {chosen && <SeriesChart alert={chosen} />}
          </>
        ))}
    </section>
  );
}
