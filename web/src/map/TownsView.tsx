// The map at the level people act on: provinces or cities and municipalities (from the boundaries
// the agency imported with `bantay geo import`), filled by queue totals that equal the queues they
// open, over the agency's imagery when it has some. A click opens the queue of that area.
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Geometry } from 'geojson';
import { get } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { aggregateByUnit } from './aggregate.ts';
import { unitShapes } from './PhilippinesMap.tsx';
import type { Area, BaseLayer, ReportPoint, ReportPoints } from './TownsMap.tsx';

const TownsMap = lazy(() => import('./TownsMap.tsx'));

/** A boundary layer as `GET /api/geo/layers` lists it. */
interface GeoLayer {
  name: string;
  level: string;
  source: string;
  features: number;
}
/** `GET /api/geo/layers/:name`. */
interface LayerShapes {
  features: Array<{ id: string; properties: { code: string; name: string; centre: number[] }; geometry: Geometry }>;
}
/** `GET /api/geo/totals`. */
interface Total {
  code: string;
  count: number;
  urgent: number;
}

type Level = 'province' | 'municipality';

/** The queue address an area opens: its municipality codes, or the province codes of a map unit. */
export function areaQueueUrl(level: Level, a: Pick<Area, 'codes'>): string {
  return `/queue?${level}=${encodeURIComponent(a.codes.join(','))}`;
}

/** Areas of an imported layer with their totals; codes with reports but no shape come back apart. */
export function areasOf(shapes: LayerShapes, totals: readonly Total[]): { areas: Area[]; unshaped: Total[] } {
  const byCode = new Map(totals.map((t) => [t.code, t]));
  const areas: Area[] = shapes.features.map((f) => {
    const t = byCode.get(f.properties.code);
    const c = f.properties.centre;
    return {
      id: f.properties.code,
      name: f.properties.name,
      geometry: f.geometry,
      centre: [c[0] ?? 0, c[1] ?? 0],
      count: t?.count ?? 0,
      urgent: t?.urgent ?? 0,
      codes: [f.properties.code],
    };
  });
  const shaped = new Set(areas.map((a) => a.id));
  return { areas, unshaped: totals.filter((t) => !shaped.has(t.code)) };
}

/** The level switcher, the map and a table of the same figures. */
export default function TownsView({ metric }: { metric: 'count' | 'urgent' }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const layers = useApi(() => get<GeoLayer[]>('/geo/layers'), []);
  const tiles = useApi(() => get<BaseLayer[]>('/tiles'), []);
  const townLayer = layers.data?.find((l) => l.level === 'municipality');
  const provinceLayer = layers.data?.find((l) => l.level === 'province');
  const [chosen, setLevel] = useState<Level | undefined>();
  const level: Level = chosen ?? (townLayer ? 'municipality' : 'province');
  const shapeLayer = level === 'municipality' ? townLayer : provinceLayer;
  const totals = useApi(() => get<Total[]>('/geo/totals', { by: level }), [level]);
  const shapes = useApi(
    () => (shapeLayer ? get<LayerShapes>(`/geo/layers/${encodeURIComponent(shapeLayer.name)}`) : Promise.resolve(undefined)),
    [shapeLayer?.name],
  );
  // The reports at their own places, fetched only while their layer is ticked; towns placed at the centres of the town layer drawn.
  const [reportsOn, setReportsOn] = useState(false);
  const reports = useApi(
    () => (reportsOn ? get<ReportPoints>('/geo/points', townLayer ? { layer: townLayer.name } : {}) : Promise.resolve(undefined)),
    [reportsOn, townLayer?.name],
  );

  const { areas, unshaped } = useMemo((): { areas: Area[]; unshaped: Total[] } => {
    const tot = totals.data ?? [];
    if (shapes.data) return areasOf(shapes.data, tot);
    if (level === 'municipality') return { areas: [], unshaped: tot };
    // Provinces without an imported layer: the outlines shipped with the app.
    const agg = aggregateByUnit(tot.map((x) => ({ provinceCode: x.code, count: x.count, urgent: x.urgent })));
    const drawn = unitShapes();
    return {
      areas: agg.units.map((u) => ({
        id: u.id,
        name: u.name,
        geometry: drawn.get(u.id)?.geometry ?? null,
        centre: u.centre,
        count: u.count,
        urgent: u.urgent,
        codes: u.codes,
      })),
      unshaped: agg.unknown.map((s) => ({ code: s.provinceCode, count: s.count, urgent: s.urgent })),
    };
  }, [shapes.data, totals.data, level]);

  const pick = useCallback(
    (a: Area): void => {
      void navigate(areaQueueUrl(level, a));
    },
    [navigate, level],
  );
  const describe = useCallback(
    (a: Area): string => t('map.unitLabel', { name: a.name, count: a.count, n: fmt.num(a.count), urgent: fmt.num(a.urgent) }),
    [t, fmt],
  );
  const labels = useMemo(
    () => ({ none: t('towns.noImagery'), areas: t('towns.areas'), points: t('towns.points'), reports: t('towns.reports'), map: t('towns.mapLabel') }),
    [t],
  );
  const describeReport = useCallback(
    (p: ReportPoint) => ({
      title: t('towns.pointReport', { id: p.reportId }),
      href: `#/reports/${encodeURIComponent(p.reportId)}`,
      lines: [
        t('towns.pointFrom', {
          source: t(`towns.source.${p.source}`, { defaultValue: p.source }),
          whose: p.role ? t('towns.pointWhose', { role: p.role }) : '',
        }),
        t(`towns.precision.${p.precision}`, { defaultValue: p.precision }),
      ],
    }),
    [t],
  );
  const clusterLabel = useCallback((n: number) => t('towns.cluster', { n: fmt.num(n) }), [t, fmt]);
  const sorted = [...areas].filter((a) => a.count > 0).sort((a, b) => b[metric] - a[metric]);
  const error = layers.error ?? tiles.error ?? totals.error ?? shapes.error;

  return (
    <div className="towns-view">
      <div className="seg" role="radiogroup" aria-label={t('towns.level')}>
        <button type="button" role="radio" aria-checked={level === 'province'} onClick={() => setLevel('province')}>
          {t('towns.provinces')}
        </button>
        <button type="button" role="radio" aria-checked={level === 'municipality'} disabled={!townLayer} onClick={() => setLevel('municipality')}>
          {t('towns.municipalities')}
        </button>
      </div>
      {layers.data && !townLayer && <p className="muted small">{t('towns.noLayer')}</p>}
      {error && <ErrorBox error={error} />}
      {(!totals.data || !tiles.data || shapes.loading) && !error ? (
        <Loading />
      ) : (
        <div className="map-layout">
          <div>
            <Suspense fallback={<Loading />}>
              <TownsMap
                areas={areas}
                metric={metric}
                baseLayers={tiles.data ?? []}
                labels={labels}
                describe={describe}
                onPick={pick}
                reports={reportsOn ? reports.data : undefined}
                onReportsShown={setReportsOn}
                describeReport={describeReport}
                clusterLabel={clusterLabel}
              />
            </Suspense>
            {reports.error && <ErrorBox error={reports.error} />}
            <p className="muted small" data-testid="report-points" data-total={reports.data?.total} data-shown={reports.data?.points.length}>
              {reportsOn && reports.data
                ? t('towns.pointsShown', {
                    shown: fmt.num(reports.data.points.length),
                    total: fmt.num(reports.data.total),
                    cap: fmt.num(reports.data.cap),
                    unplaced: fmt.num(reports.data.unplaced),
                  })
                : t('towns.pointsOff')}
            </p>
            <p className="muted small" data-testid="towns-sources">
              {shapeLayer ? t('towns.boundaries', { source: shapeLayer.source }) : t('map.attribution')}{' '}
              {(tiles.data ?? []).length === 0 ? t('towns.noBase') : (tiles.data ?? []).map((b) => `${b.name}: ${b.attribution}`).join(' · ')}
            </p>
          </div>
          <div className="map-table">
            {sorted.length === 0 ? (
              <Empty>{t('map.empty')}</Empty>
            ) : (
              <table className="grid towns-table">
                <caption>{t(level === 'municipality' ? 'towns.tableCaption' : 'map.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(level === 'municipality' ? 'towns.town' : 'map.province')}</th>
                    <th scope="col">{t('map.count')}</th>
                    <th scope="col">{t('map.urgent')}</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((a) => (
                    <tr key={a.id} data-code={a.codes.join(',')} data-count={a.count}>
                      <td>
                        <button type="button" className="link" onClick={() => pick(a)}>
                          {a.name}
                        </button>
                      </td>
                      <td className="num">{fmt.num(a.count)}</td>
                      <td className="num">{fmt.num(a.urgent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {unshaped.length > 0 && (
              <p className="muted small">{t('towns.unshaped', { count: unshaped.length, n: fmt.num(unshaped.reduce((s, u) => s + u.count, 0)) })}</p>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
