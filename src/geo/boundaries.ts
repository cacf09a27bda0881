// Reading a boundary file (pure): GeoJSON or TopoJSON, each feature keyed by its PSGC code. The key
// and name properties are found by what they hold (the property with the most distinct codes, e.g.
// OCHA's ADM3_PCODE; the property named like a name, e.g. ADM3_EN) unless the agency names them.
// A feature without a usable code or polygon is set aside with a reason; the rest are kept.
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { badInput } from '../model/error.ts';

/** The administrative level of a layer. */
export type GeoLevel = 'region' | 'province' | 'municipality';

/** A boundary ready to store. */
export interface Boundary {
  code: string;
  name: string;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  centre: [number, number];
}

/** What a file held. */
export interface ParsedBoundaries {
  level: GeoLevel;
  keyProperty: string;
  nameProperty: string | null;
  features: Boundary[];
  rejected: { index: number; reason: string }[];
}

/** Options: the properties and level when the file does not make them plain. */
export interface BoundaryOptions {
  keyProperty?: string;
  nameProperty?: string;
  level?: GeoLevel;
  /** TopoJSON: the object to read (default every object). */
  object?: string;
}

interface RawFeature {
  type?: unknown;
  properties?: Record<string, unknown> | null;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

/**
 * A 10-digit PSGC code from the ways files write it: "1380600000", OCHA's "PH137404000" (the
 * 9-digit PSGC before 2021, whose province part gains a leading 0) or "PH1380600000"; else null.
 */
export function psgcCode(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).trim().replace(/^PH/i, '');
  if (!/^\d{9,10}$/.test(s)) return null;
  return s.length === 10 ? s : `${s.slice(0, 2)}0${s.slice(2)}`;
}

/** The level a code names: RR PPP MM BBB (region, province, city or municipality, barangay); a highly urbanised city reads as a province. */
export function levelOf(code: string): GeoLevel | 'barangay' {
  if (code.slice(7) !== '000') return 'barangay';
  if (code.slice(5, 7) !== '00') return 'municipality';
  return code.slice(2, 5) === '000' ? 'region' : 'province';
}

function featuresOf(doc: unknown, object: string | undefined): RawFeature[] {
  const d = doc as { type?: unknown; features?: unknown; objects?: Record<string, unknown> };
  if (d?.type === 'FeatureCollection' && Array.isArray(d.features)) return d.features as RawFeature[];
  if (d?.type === 'Feature') return [d as RawFeature];
  if (d?.type === 'Topology' && d.objects && typeof d.objects === 'object') {
    const names = object ? [object] : Object.keys(d.objects);
    if (object && !(object in d.objects)) throw badInput('BAD_FILE', `the TopoJSON has no object "${object}" (it has ${Object.keys(d.objects).join(', ')})`);
    return names.flatMap((n) => {
      const f = feature(doc as Topology, n as never) as unknown as { type: string; features?: RawFeature[] };
      return f.type === 'FeatureCollection' ? (f.features ?? []) : [f as RawFeature];
    });
  }
  throw badInput('BAD_FILE', 'not a GeoJSON FeatureCollection or a TopoJSON Topology');
}

function pickKey(fs: RawFeature[]): string | null {
  const codes = new Map<string, Set<string>>();
  for (const f of fs) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      const c = psgcCode(v);
      if (c) (codes.get(k) ?? codes.set(k, new Set()).get(k)!).add(c);
    }
  }
  // The finest level has the most distinct codes (ADM3_PCODE over ADM2_PCODE over ADM1_PCODE).
  return [...codes].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

function pickName(fs: RawFeature[], key: string): string | null {
  const props = new Set(fs.flatMap((f) => Object.keys(f.properties ?? {})));
  const named = [...props].filter(
    (p) => p !== key && /(^name$|_en$|^name_|adm\d_en|municipal|city)/i.test(p) && fs.some((f) => typeof f.properties?.[p] === 'string'),
  );
  // Prefer the name at the key's own level (ADM3_EN for ADM3_PCODE).
  const level = /adm(\d)/i.exec(key)?.[1];
  return named.find((p) => level && new RegExp(`adm${level}_en`, 'i').test(p)) ?? named.find((p) => /^name$/i.test(p)) ?? named[0] ?? null;
}

const ROUND = 1e5; // about a metre: enough for a map, and files shrink by half

function polygons(g: RawFeature['geometry']): number[][][][] | string {
  if (!g || typeof g !== 'object') return 'no geometry';
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? (g.coordinates as unknown[]) : null;
  if (!polys || !Array.isArray(polys)) return `a ${String(g.type)} is not an area (Polygon or MultiPolygon expected)`;
  const out: number[][][][] = [];
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) return 'an empty polygon';
    const rings: number[][][] = [];
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 4) return 'a ring of fewer than 4 positions';
      const pts: number[][] = [];
      for (const p of ring) {
        if (
          !Array.isArray(p) ||
          typeof p[0] !== 'number' ||
          typeof p[1] !== 'number' ||
          !Number.isFinite(p[0]) ||
          !Number.isFinite(p[1]) ||
          Math.abs(p[0]) > 180 ||
          Math.abs(p[1]) > 90
        ) {
          return 'a position that is not longitude, latitude in degrees (is the file projected? boundaries must be WGS 84)';
        }
        pts.push([Math.round(p[0] * ROUND) / ROUND, Math.round(p[1] * ROUND) / ROUND]);
      }
      rings.push(pts);
    }
    out.push(rings);
  }
  return out;
}

function ringArea(r: number[][]): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j]![0]! + r[i]![0]!) * (r[j]![1]! - r[i]![1]!);
  return Math.abs(a / 2);
}

/** The centre of the largest polygon's outer ring (its vertex-weighted centroid): where a point or label goes. */
export function centreOf(mp: number[][][][]): [number, number] {
  const outer = mp.map((p) => p[0]!).sort((a, b) => ringArea(b) - ringArea(a))[0]!;
  const pts = outer.slice(0, -1);
  const x = pts.reduce((s, p) => s + p[0]!, 0) / pts.length;
  const y = pts.reduce((s, p) => s + p[1]!, 0) / pts.length;
  return [Math.round(x * ROUND) / ROUND, Math.round(y * ROUND) / ROUND];
}

/** Reads a boundary file's text. Throws only when the file as a whole cannot be read. */
export function parseBoundaries(text: string, opts: BoundaryOptions = {}): ParsedBoundaries {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw badInput('BAD_FILE', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fs = featuresOf(doc, opts.object);
  if (fs.length === 0) throw badInput('BAD_FILE', 'the file holds no features');
  const key = opts.keyProperty ?? pickKey(fs);
  if (!key) throw badInput('BAD_FILE', 'no property holds PSGC codes (give it with --key)');
  const nameProperty = opts.nameProperty ?? pickName(fs, key);
  const rejected: { index: number; reason: string }[] = [];
  const byCode = new Map<string, Boundary>();
  const levels = new Map<GeoLevel | 'barangay', number>();
  fs.forEach((f, index) => {
    const code = psgcCode(f?.properties?.[key]);
    if (!code) return void rejected.push({ index, reason: `no PSGC code in "${key}" (${JSON.stringify(f?.properties?.[key] ?? null)})` });
    const geom = polygons(f.geometry);
    if (typeof geom === 'string') return void rejected.push({ index, reason: `${code}: ${geom}` });
    const name = nameProperty && typeof f.properties?.[nameProperty] === 'string' ? (f.properties[nameProperty] as string).trim() : code;
    const prior = byCode.get(code);
    // A unit drawn as several features (islands split in some files) is one unit.
    const coordinates = prior ? [...prior.geometry.coordinates, ...geom] : geom;
    byCode.set(code, { code, name: prior?.name ?? name, geometry: { type: 'MultiPolygon', coordinates }, centre: centreOf(coordinates) });
    levels.set(levelOf(code), (levels.get(levelOf(code)) ?? 0) + 1);
  });
  // Highly urbanised cities carry province-like codes (RR PPP 00 000), so a layer of towns is
  // known by its key's name (OCHA: ADM3 = city or municipality) or by any town code in it.
  const named: GeoLevel | undefined = /adm3|mun|city|town/i.test(key)
    ? 'municipality'
    : /adm2|prov/i.test(key)
      ? 'province'
      : /adm1|reg/i.test(key)
        ? 'region'
        : undefined;
  if ((levels.get('barangay') ?? 0) > byCode.size / 2 && !opts.level)
    throw badInput('BAD_FILE', 'the codes are barangay codes: Bantay maps provinces and cities or municipalities (give --level to force)');
  const inferred: GeoLevel = levels.has('municipality') ? 'municipality' : levels.has('province') ? 'province' : 'region';
  const level = opts.level ?? named ?? inferred;
  return { level, keyProperty: key, nameProperty, features: [...byCode.values()], rejected };
}
