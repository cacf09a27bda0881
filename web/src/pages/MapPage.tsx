import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import type { ProvinceStat, WorldStat } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { saveCsv } from '../components/download.ts';
import { useFormat } from '../i18n/format.ts';
import { aggregateByUnit, RAMP_COLOURS, type UnitTotal } from '../map/aggregate.ts';

const PhilippinesMap = lazy(() => import('../map/PhilippinesMap.tsx'));
const WorldMap = lazy(() => import('../map/WorldMap.tsx'));
const TownsView = lazy(() => import('../map/TownsView.tsx'));

// Natural Earth spells a few countries differently from Intl's English names.
const NE_NAMES: Record<string, string> = {
  US: 'United States of America',
  CZ: 'Czechia',
  KR: 'South Korea',
  KP: 'North Korea',
  RU: 'Russia',
  CD: 'Dem. Rep. Congo',
  CF: 'Central African Rep.',
  BA: 'Bosnia and Herz.',
  DO: 'Dominican Rep.',
  SS: 'S. Sudan',
  GQ: 'Eq. Guinea',
  CI: "Côte d'Ivoire",
  HK: 'Hong Kong',
  MK: 'North Macedonia',
  SB: 'Solomon Is.',
};

/** The Natural Earth name for an ISO 3166-1 alpha-2 code or a name given as is. */
export function naturalEarthName(country: string): string {
  const c = country.trim();
  if (/^[A-Za-z]{2}$/.test(c)) {
    const up = c.toUpperCase();
    return NE_NAMES[up] ?? new Intl.DisplayNames(['en'], { type: 'region' }).of(up) ?? up;
  }
  return c;
}

/** Map of the Philippines by province (click through to the queue) and a world view of foreign reporters and payers. */
export default function MapPage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [metric, setMetric] = useState<'count' | 'urgent'>('count');
  const [view, setView] = useState<'ph' | 'world' | 'towns'>('ph');
  // The open queue per province: the figures are those of the queue each province opens.
  const map = useApi(() => get<{ urgentTier: string; total: number; withoutProvince: number; provinces: ProvinceStat[] }>('/stats/map'), []);
  const stats = { ...map, data: map.data?.provinces };
  const world = useApi(() => (view === 'world' ? get<WorldStat[]>('/stats/world') : Promise.resolve([] as WorldStat[])), [view]);
  const agg = useMemo(() => aggregateByUnit(stats.data ?? []), [stats.data]);
  const [worldMetric, setWorldMetric] = useState<'reporters' | 'payers'>('reporters');
  // Foreign only: the Philippines would swamp the colour scale of a map about who is abroad.
  const worldValues = useMemo(
    () =>
      new Map(
        (world.data ?? [])
          .filter((w) => !['PH', 'PHL', 'PHILIPPINES'].includes(w.country.toUpperCase()))
          .map((w) => [naturalEarthName(w.country), w[worldMetric]]),
      ),
    [world.data, worldMetric],
  );
  // The urgent layer opens the province's queue at the urgent tier: the count shown is what it lists.
  const pick = (u: UnitTotal): void => {
    const tier = metric === 'urgent' && map.data ? `&tier=${encodeURIComponent(map.data.urgentTier)}` : '';
    void navigate(`/queue?province=${encodeURIComponent(u.codes.join(','))}${tier}`);
  };
  const describe = (u: UnitTotal): string => t('map.unitLabel', { name: u.name, count: u.count, n: fmt.num(u.count), urgent: fmt.num(u.urgent) });
  const sorted = [...agg.units].sort((a, b) => b[metric] - a[metric]);

  return (
    <section className="map-page">
      <div className="page-head">
        <h1>{t('map.title')}</h1>
        <span className="spacer" />
        <div role="radiogroup" aria-label={t('map.view')} className="seg">
          <button type="button" role="radio" aria-checked={view === 'ph'} onClick={() => setView('ph')}>
            {t('map.philippines')}
          </button>
          <button type="button" role="radio" aria-checked={view === 'world'} onClick={() => setView('world')}>
            {t('map.world')}
          </button>
          <button type="button" role="radio" aria-checked={view === 'towns'} onClick={() => setView('towns')}>
            {t('towns.view')}
          </button>
        </div>
      </div>

      {view === 'ph' && (
        <>
          <div className="seg" role="radiogroup" aria-label={t('map.metric')}>
            <button type="button" role="radio" aria-checked={metric === 'count'} onClick={() => setMetric('count')}>
              {t('map.byCount')}
            </button>
            <button type="button" role="radio" aria-checked={metric === 'urgent'} onClick={() => setMetric('urgent')}>
              {t('map.byUrgent')}
            </button>
            <button
              type="button"
              onClick={() =>
                saveCsv(
                  'provinces.csv',
                  ['unit', 'name', 'codes', 'count', 'urgent'],
                  sorted.map((u) => [u.id, u.name, u.codes.join(' '), u.count, u.urgent]),
                )
              }
            >
              {t('common.csv')}
            </button>
          </div>
          {stats.loading && !stats.data && <Loading />}
          {stats.error && <ErrorBox error={stats.error} retry={stats.reload} />}
          {stats.data && (
            <div className="map-layout">
              <div>
                <Suspense fallback={<Loading />}>
                  <PhilippinesMap units={agg.units} metric={metric} label={t('map.phLabel')} describe={describe} onPick={pick} />
                </Suspense>
                <p className="legend small" data-testid="map-legend">
                  <strong>{t(metric === 'count' ? 'map.legendTitle' : 'map.legendTitleUrgent')}</strong> {t('map.legendLow')}{' '}
                  {RAMP_COLOURS.map((c) => (
                    <span key={c} className="swatch" style={{ background: c }} />
                  ))}{' '}
                  {t('map.legendHigh')} ({t('map.legendRange', { max: fmt.num(Math.max(0, ...agg.units.map((u) => u[metric]))) })})
                </p>
                <p className="muted small">
                  {t('map.hucNote')} {t('map.markNote')}
                </p>
              </div>
              <div className="map-table">
                {stats.data.length === 0 ? (
                  <Empty>{t('map.empty')}</Empty>
                ) : (
                  <table className="grid">
                    <caption>{t('map.tableCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('map.province')}</th>
                        <th scope="col">{t('map.count')}</th>
                        <th scope="col">{t('map.urgent')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {sorted
                        .filter((u) => u.count > 0)
                        .map((u) => (
                          <tr key={u.id} data-codes={u.codes.join(',')}>
                            <td>
                              <button type="button" className="link" onClick={() => pick(u)}>
                                {u.name}
                              </button>
                            </td>
                            <td className="num">{fmt.num(u.count)}</td>
                            <td className="num">{fmt.num(u.urgent)}</td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                )}
                {agg.unknown.length > 0 && <p className="muted small">{t('map.unknownCodes', { count: agg.unknown.length })}</p>}
                {map.data && map.data.total > 0 && (
                  <p className="small" data-testid="without-province" data-count={map.data.withoutProvince}>
                    {t('map.withoutProvince', {
                      count: map.data.withoutProvince,
                      n: fmt.num(map.data.withoutProvince),
                      share: fmt.num((100 * map.data.withoutProvince) / map.data.total, 1),
                      total: fmt.num(map.data.total),
                    })}
                  </p>
                )}
                <p className="muted small">
                  {t('map.openQueueNote', {
                    tier: t(`tier.${(map.data?.urgentTier ?? 'IMMEDIATE').toLowerCase()}`, { defaultValue: map.data?.urgentTier ?? 'IMMEDIATE' }),
                  })}
                </p>
              </div>
            </div>
          )}
        </>
      )}

      {view === 'towns' && (
        <Suspense fallback={<Loading />}>
          <TownsView metric={metric} />
        </Suspense>
      )}

      {view === 'world' && (
        <>
          <div className="seg" role="radiogroup" aria-label={t('map.metric')}>
            <button type="button" role="radio" aria-checked={worldMetric === 'reporters'} onClick={() => setWorldMetric('reporters')}>
              {t('map.reporters')}
            </button>
            <button type="button" role="radio" aria-checked={worldMetric === 'payers'} onClick={() => setWorldMetric('payers')}>
              {t('map.payers')}
            </button>
          </div>
          {world.loading && <Loading />}
          {world.error && <ErrorBox error={world.error} retry={world.reload} />}
          {world.data && (
            <>
              <Suspense fallback={<Loading />}>
                <WorldMap values={worldValues} label={t('map.worldLabel')} />
              </Suspense>
              {world.data.length === 0 ? (
                <Empty>{t('map.worldEmpty')}</Empty>
              ) : (
                <table className="grid">
                  <thead>
                    <tr>
                      <th scope="col">{t('map.country')}</th>
                      <th scope="col">{t('map.payers')}</th>
                      <th scope="col">{t('map.reporters')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...world.data]
                      .sort((a, b) => b[worldMetric] - a[worldMetric])
                      .map((w) => (
                        <tr key={w.country}>
                          <td>{naturalEarthName(w.country)}</td>
                          <td className="num">{fmt.num(w.payers)}</td>
                          <td className="num">{fmt.num(w.reporters)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </>
      )}
      <p className="muted small">{t('map.attribution')}</p>
    </section>
  );
}
