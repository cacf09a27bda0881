// The Philippines map: the Natural Earth outline, one mark per province coloured and sized by the chosen figure.
import { useMemo, type ReactNode } from 'react';
import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, MultiPolygon } from 'geojson';
import outline from './geo/philippines.json';
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

/** An SVG map; each province mark is focusable and opens with Enter. */
export default function PhilippinesMap({ units, metric, label, describe, onPick }: PhilippinesMapProps): ReactNode {
  const shape = outline as unknown as Feature<MultiPolygon>;
  const { d, project } = useMemo(() => {
    const projection = geoMercator().fitExtent([[10, 10], [W - 10, H - 10]], shape);
    return { d: geoPath(projection)(shape) ?? '', project: (c: [number, number]) => projection(c) ?? [0, 0] };
  }, [shape]);
  const max = Math.max(0, ...units.map((u) => u[metric]));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="map-svg" role="group" aria-label={label}>
      <path d={d} className="land" />
      {units.map((u) => {
        const [x, y] = project(u.centre);
        const v = u[metric];
        const r = 4 + (max > 0 ? Math.sqrt(v / max) * 18 : 0);
        return (
          <g key={u.id} className="unit" data-unit={u.id} role="link" tabIndex={0} aria-label={describe(u)}
            onClick={() => onPick(u)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(u); } }}>
            <circle cx={x} cy={y} r={r} fill={rampColour(v, max)} />
            <title>{describe(u)}</title>
          </g>
        );
      })}
    </svg>
  );
}
