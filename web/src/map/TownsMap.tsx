// A Leaflet map of areas (provinces or cities and municipalities) filled by their queue totals,
// with a point layer at each area's centre, over the agency's own imagery when it configured some:
// PMTiles archives read by HTTP Range from this server (the pmtiles package draws them), or its
// own tile server. Without either there is no base layer: nothing is fetched from the internet.
import { useEffect, useRef, type ReactNode } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { leafletRasterLayer, PMTiles } from 'pmtiles';
import type { GeoJsonObject, Geometry } from 'geojson';
import { rampColour } from './aggregate.ts';

/** A base layer as `GET /api/tiles` lists it. */
export interface BaseLayer {
  id: string;
  name: string;
  kind: 'pmtiles' | 'xyz';
  url: string;
  attribution: string;
}

/** One area drawn: its shape (null: a point only), centre, figures and the codes its queue filters on. */
export interface Area {
  id: string;
  name: string;
  geometry: Geometry | null;
  centre: [number, number];
  count: number;
  urgent: number;
  codes: string[];
}

/** Props of the map. */
export interface TownsMapProps {
  areas: Area[];
  metric: 'count' | 'urgent';
  baseLayers: BaseLayer[];
  labels: { none: string; areas: string; points: string; map: string };
  describe: (a: Area) => string;
  onPick: (a: Area) => void;
}

// The Philippines, when there is nothing to fit the view to.
const PHILIPPINES: L.LatLngBoundsExpression = [[4.5, 116.5], [21.2, 127]];

// pmtiles' Leaflet layer extends the global `L` (it is written for a script-tag Leaflet).
(globalThis as unknown as { L: typeof L }).L = L;

function baseLayerOf(b: BaseLayer): L.Layer {
  if (b.kind === 'xyz') return L.tileLayer(b.url, { attribution: b.attribution, maxZoom: 20 });
  return leafletRasterLayer(new PMTiles(b.url), { attribution: b.attribution, maxZoom: 20 }) as L.Layer;
}

/** The map; areas are clickable (the table beside it offers the same by keyboard). */
export default function TownsMap({ areas, metric, baseLayers, labels, describe, onPick }: TownsMapProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | undefined>(undefined);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!box.current) return;
    const m = L.map(box.current, { zoomSnap: 0.5, attributionControl: true });
    m.fitBounds(PHILIPPINES);
    map.current = m;
    return () => { m.remove(); map.current = undefined; };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const max = Math.max(0, ...areas.map((a) => a[metric]));
    const shapes = L.layerGroup();
    const points = L.layerGroup();
    for (const a of areas) {
      const style: L.PathOptions = { className: `area code-${a.id}`, color: '#57606a', weight: 0.7, fillColor: rampColour(a[metric], max), fillOpacity: 0.75 };
      if (a.geometry) {
        const shape = L.geoJSON(a.geometry as GeoJsonObject, { style: () => style });
        shape.bindTooltip(describe(a), { sticky: true });
        shape.on('click', () => pick.current(a));
        shapes.addLayer(shape);
      }
      if (a.count > 0) {
        const dot = L.circleMarker([a.centre[1], a.centre[0]], { className: `point code-${a.id}`, radius: 3 + 9 * Math.sqrt(a[metric] / Math.max(1, max)), color: '#0a3069', weight: 1, fillColor: '#cf222e', fillOpacity: 0.8 });
        dot.bindTooltip(describe(a));
        dot.on('click', () => pick.current(a));
        points.addLayer(dot);
      }
    }
    const bases: Record<string, L.Layer> = {};
    for (const b of baseLayers) bases[b.name] = baseLayerOf(b);
    bases[labels.none] = L.layerGroup();
    // The agency's imagery is on by default when it has some.
    const first = Object.values(bases)[0]!;
    first.addTo(m);
    shapes.addTo(m);
    points.addTo(m);
    const control = L.control.layers(bases, { [labels.areas]: shapes, [labels.points]: points }, { collapsed: false }).addTo(m);
    const drawn = areas.filter((a) => a.geometry && a.count > 0);
    if (drawn.length > 0) {
      const bounds = L.latLngBounds(drawn.map((a) => [a.centre[1], a.centre[0]] as [number, number]));
      m.fitBounds(bounds.pad(0.3), { maxZoom: 11 });
    }
    return () => {
      control.remove();
      for (const l of [...Object.values(bases), shapes, points]) l.remove();
    };
  }, [areas, metric, baseLayers, labels, describe]);

  return <div ref={box} className="towns-map" role="region" aria-label={labels.map} data-testid="towns-map" />;
}
