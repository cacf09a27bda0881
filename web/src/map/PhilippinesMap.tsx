// The Philippines map: province polygons (Natural Earth admin-1 merged into map units) filled by the chosen
// figure; the few units Natural Earth has no polygon for are drawn as a mark at their centre.
import { useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import outline from './geo/philippines.json';
import provinces from './geo/provinces.json';
import { rampColour, type UnitTotal } from './aggregate.ts';

const W = 560;
const H = 720;

/** Props: unit totals, which figure to show, and what to do on a click. */
export interface PhilippinesMapProps {
  units: UnitTotal[];
  metric: 'count' | 'urgent';
  label: string;
  describe: (u: UnitTotal) => string;
  onPick: (u: UnitTotal) => void;
}

type UnitShapes = FeatureCollection<Polygon | MultiPolygon, { name: string }>;

/** The unit polygons shipped with the app, keyed by map unit id. */
export function unitShapes(): Map<string, Feature<Polygon | MultiPolygon, { name: string }>> {
  const topo = provinces as unknown as Topology<{ provinces: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.provinces) as UnitShapes;
  return new Map(fc.features.map((f) => [String(f.id), f]));
}

/** An SVG choropleth; each province (polygon or mark) is focusable and opens with Enter or Space. */
export default function PhilippinesMap({ units, metric, label, describe, onPick }: PhilippinesMapProps): ReactNode {
  const shape = outline as unknown as Feature<MultiPolygon>;
  const { land, paths, project } = useMemo(() => {
    const projection = geoMercator().fitExtent(
      [
        [10, 10],
        [W - 10, H - 10],
      ],
      shape,
    );
    const path = geoPath(projection);
    const d = new Map<string, string>();
    for (const [id, f] of unitShapes()) d.set(id, path(f) ?? '');
    return { land: path(shape) ?? '', paths: d, project: (c: [number, number]) => projection(c) ?? [0, 0] };
  }, [shape]);
  const max = Math.max(0, ...units.map((u) => u[metric]));
  const open = (u: UnitTotal) => ({
    onClick: () => onPick(u),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onPick(u);
      }
    },
  });
  // Polygons first, marks on top, so a mark inside a polygon (Dinagat in Surigao del Norte) stays clickable.
  const withShape = units.filter((u) => paths.has(u.id));
  const marksOnly = units.filter((u) => !paths.has(u.id));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="map-svg" role="group" aria-label={label}>
      <path d={land} className="land" />
      {withShape.map((u) => (
        <g key={u.id} className="unit area" data-unit={u.id} role="link" tabIndex={0} aria-label={describe(u)} {...open(u)}>
          <path d={paths.get(u.id)} fill={rampColour(u[metric], max)} />
          <title>{describe(u)}</title>
        </g>
      ))}
      {marksOnly.map((u) => {
        const [x, y] = project(u.centre);
        return (
          <g key={u.id} className="unit mark" data-unit={u.id} role="link" tabIndex={0} aria-label={describe(u)} {...open(u)}>
            <circle cx={x} cy={y} r={6} fill={rampColour(u[metric], max)} />
            <title>{describe(u)}</title>
          </g>
        );
      })}
    </svg>
  );
}
