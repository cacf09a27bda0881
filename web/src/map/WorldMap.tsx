// The world view: countries of foreign reporters and payers (Natural Earth 1:110m via world-atlas).
import { useMemo, type ReactNode } from 'react';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { rampColour } from './aggregate.ts';

const W = 960;
const H = 480;

/** Props: a value per Natural Earth country name. */
export interface WorldMapProps {
  values: Map<string, number>;
  label: string;
}

/** A world choropleth keyed by country name. */
export default function WorldMap({ values, label }: WorldMapProps): ReactNode {
  const shapes = useMemo(() => {
    const topo = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    const fc = feature(topo, topo.objects.countries);
    const path = geoPath(geoEqualEarth().fitSize([W, H], fc));
    return fc.features.map((f) => ({ name: f.properties?.name ?? String(f.id), d: path(f) ?? '' }));
  }, []);
  const max = Math.max(0, ...values.values());
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="map-svg world" role="img" aria-label={label}>
      {shapes.map((s, i) => (
        <path key={i} d={s.d} fill={values.has(s.name) ? rampColour(values.get(s.name) ?? 0, max) : '#f3f4f6'} stroke="#9ca3af" strokeWidth={0.4}>
          <title>
            {s.name}
            {values.has(s.name) ? `: ${String(values.get(s.name))}` : ''}
          </title>
        </path>
      ))}
    </svg>
  );
}
