// A Leaflet map of areas (provinces or cities and municipalities) filled by their queue totals,
// with a point layer at each area's centre and, when ticked, the reports at their own places
// (clustered with supercluster), over the agency's own imagery when it configured some: PMTiles
// archives read by HTTP Range from this server (the pmtiles package draws them), MBTiles tiles this
// server reads, or its own tile server. Without any there is no base layer: nothing is fetched from
// the internet.
import { useEffect, useRef, type ReactNode } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { leafletRasterLayer, PMTiles } from 'pmtiles';
import Supercluster from 'supercluster';
import type { GeoJsonObject, Geometry } from 'geojson';
import type { QueuePoint } from '../../../src/store/queue.ts';
import { rampColour } from './aggregate.ts';

/** A base layer as `GET /api/tiles` lists it. */
export interface BaseLayer {
  id: string;
  name: string;
  kind: 'pmtiles' | 'mbtiles' | 'xyz';
  url: string;
  attribution: string;
  /** The deepest zoom an MBTiles file holds: Leaflet enlarges its tiles beyond. */
  maxZoom?: number;
}

/** One report at its own place, as `GET /api/geo/points` gives it. */
export type ReportPoint = QueuePoint;

/** `GET /api/geo/points`. */
export interface ReportPoints {
  layer: string | null;
  total: number;
  unplaced: number;
  cap: number;
  points: ReportPoint[];
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
  labels: { none: string; areas: string; points: string; reports: string; map: string };
  describe: (a: Area) => string;
  onPick: (a: Area) => void;
  /** The reports at their own places (drawn while their layer is ticked). */
  reports: ReportPoints | undefined;
  /** Hears the reports' layer ticked or unticked (they are fetched only while it is). */
  onReportsShown: (on: boolean) => void;
  /** A report point's popup: its title, link and lines (source, precision). */
  describeReport: (p: ReportPoint) => { title: string; href: string; lines: string[] };
  /** A cluster's title for n reports. */
  clusterLabel: (n: number) => string;
}

// The Philippines, when there is nothing to fit the view to.
const PHILIPPINES: L.LatLngBoundsExpression = [
  [4.5, 116.5],
  [21.2, 127],
];

// pmtiles' Leaflet layer extends the global `L` (it is written for a script-tag Leaflet).
(globalThis as unknown as { L: typeof L }).L = L;

// Leaflet writes attributions as HTML: the text a file or the agency gave is shown, never run.
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function baseLayerOf(b: BaseLayer): L.Layer {
  const attribution = escapeHtml(b.attribution);
  if (b.kind === 'xyz') return L.tileLayer(b.url, { attribution, maxZoom: 20 });
  if (b.kind === 'mbtiles') return L.tileLayer(b.url, { attribution, maxZoom: 20, ...(b.maxZoom !== undefined ? { maxNativeZoom: b.maxZoom } : {}) });
  return leafletRasterLayer(new PMTiles(b.url), { attribution, maxZoom: 20 }) as L.Layer;
}

// How sure a point is shows in its mark: a solid dot for the ESP's coordinates, a ring for a town's
// centre, a wide dashed ring for an IP address's city.
const POINT_STYLE: Record<string, L.CircleMarkerOptions> = {
  exact: { radius: 5, color: '#0a3069', weight: 1, fillColor: '#0969da', fillOpacity: 0.9 },
  town: { radius: 7, color: '#0969da', weight: 2, fillOpacity: 0.15 },
  'ip-city': { radius: 10, color: '#8250df', weight: 1.5, dashArray: '3 3', fillOpacity: 0.08 },
};

function popupOf(d: { title: string; href: string; lines: string[] }): HTMLElement {
  const box = document.createElement('div');
  box.className = 'report-popup';
  const a = document.createElement('a');
  a.href = d.href;
  a.textContent = d.title;
  box.append(a);
  for (const line of d.lines) {
    const p = document.createElement('p');
    p.textContent = line;
    box.append(p);
  }
  return box;
}

/** The map; areas are clickable (the table beside it offers the same by keyboard). */
export default function TownsMap({
  areas,
  metric,
  baseLayers,
  labels,
  describe,
  onPick,
  reports,
  onReportsShown,
  describeReport,
  clusterLabel,
}: TownsMapProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | undefined>(undefined);
  const pick = useRef(onPick);
  pick.current = onPick;
  const shown = useRef(onReportsShown);
  shown.current = onReportsShown;
  // One layer for the whole life of the map, so that its tick survives redraws of the areas.
  const reportLayer = useRef(L.layerGroup());

  useEffect(() => {
    if (!box.current) return;
    const m = L.map(box.current, { zoomSnap: 0.5, attributionControl: true });
    m.fitBounds(PHILIPPINES);
    m.on('overlayadd', (e) => {
      if (e.layer === reportLayer.current) shown.current(true);
    });
    m.on('overlayremove', (e) => {
      if (e.layer === reportLayer.current) shown.current(false);
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const group = reportLayer.current;
    if (!m || !reports) return;
    // A map drawn anew (another level) while the points are on shows them ticked.
    if (!m.hasLayer(group)) group.addTo(m);
    const index = new Supercluster<ReportPoint>({ radius: 40, maxZoom: 16 });
    index.load(reports.points.map((p) => ({ type: 'Feature', properties: p, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })));
    const draw = (): void => {
      group.clearLayers();
      const b = m.getBounds();
      for (const c of index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], Math.floor(m.getZoom()))) {
        const [lon, lat] = c.geometry.coordinates as [number, number];
        const props = c.properties;
        if ('cluster' in props && props.cluster) {
          const n = props.point_count;
          const size = 24 + Math.min(24, 4 * Math.log2(n));
          const mark = L.marker([lat, lon], {
            icon: L.divIcon({ className: 'report-cluster', html: `<span>${Number(n)}</span>`, iconSize: [size, size] }),
            title: clusterLabel(n),
            keyboard: true,
          });
          mark.on('click', () => m.setView([lat, lon], Math.min(index.getClusterExpansionZoom(props.cluster_id), 18)));
          group.addLayer(mark);
        } else {
          const p = props as ReportPoint;
          const dot = L.circleMarker([lat, lon], {
            ...(POINT_STYLE[p.precision] ?? POINT_STYLE['ip-city']!),
            className: `report-point precision-${p.precision}`,
          });
          dot.bindPopup(() => popupOf(describeReport(p)));
          group.addLayer(dot);
        }
      }
    };
    draw();
    m.on('moveend', draw);
    return () => {
      m.off('moveend', draw);
      group.clearLayers();
    };
  }, [reports, describeReport, clusterLabel]);

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
        const dot = L.circleMarker([a.centre[1], a.centre[0]], {
          className: `point code-${a.id}`,
          radius: 3 + 9 * Math.sqrt(a[metric] / Math.max(1, max)),
          color: '#0a3069',
          weight: 1,
          fillColor: '#cf222e',
          fillOpacity: 0.8,
        });
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
    const control = L.control
      .layers(bases, { [labels.areas]: shapes, [labels.points]: points, [labels.reports]: reportLayer.current }, { collapsed: false })
      .addTo(m);
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
