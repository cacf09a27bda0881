// Regenerates web/src/map/geo/philippines.json: the outline of the Philippines from Natural Earth
// (public domain, via the world-atlas package's 1:10m countries), simplified so the map chunk stays small.
// Run: node --import tsx web/scripts/geometry.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
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
    if (d > max) { max = d; at = i; }
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
const geo = { type: 'Feature', properties: { name: 'Philippines', source: 'Natural Earth 1:10m via world-atlas' }, geometry: { type: 'MultiPolygon', coordinates: out } };
writeFileSync(new URL('../src/map/geo/philippines.json', import.meta.url), JSON.stringify(geo));
console.log(`${out.length} polygons, ${out.reduce((n, p) => n + (p[0]?.length ?? 0), 0)} points`);
