// The geo stage: boundary layers an agency imports (bantay geo import), kept in the database and
// served to the map; the province map shipped with the app stays the default.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Store } from '../store/database.ts';
import { geoFeatures, geoLayers, replaceGeoLayer, type GeoLayerRow } from '../store/geo.ts';
import { parseBoundaries, type BoundaryOptions, type GeoLevel } from './boundaries.ts';
import { badInput, tooLarge } from '../model/error.ts';

/** The largest boundary file read (a simplified national municipality layer is a few tens of MB). */
export const MAX_BOUNDARY_BYTES = 512 * 1024 * 1024;

/** What an import did. */
export interface GeoImportSummary {
  name: string;
  level: GeoLevel;
  keyProperty: string;
  nameProperty: string | null;
  features: number;
  rejected: { index: number; reason: string }[];
  unchanged: boolean;
}

/** Imports a GeoJSON or TopoJSON boundary file as a layer (replacing a layer of the same name). */
export async function importBoundaries(
  store: Pick<Store, 'db' | 'copy'>,
  file: string,
  opts: BoundaryOptions & { name?: string } = {},
): Promise<GeoImportSummary> {
  const size = (await stat(file)).size;
  if (size > MAX_BOUNDARY_BYTES)
    throw tooLarge('TOO_LARGE', `${file} is ${Math.round(size / 1048576)} MB; simplify it first (at most ${MAX_BOUNDARY_BYTES / 1048576} MB)`);
  const bytes = await readFile(file);
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseBoundaries(bytes.toString('utf8'), opts);
  const name = opts.name ?? parsed.level;
  if (!/^[A-Za-z0-9._-]{1,60}$/.test(name)) throw badInput('BAD_NAME', `a layer name is letters, digits, ".", "_" or "-" (got "${name}")`);
  const prior = (await geoLayers(store.db)).find((l) => l.name === name);
  const summary = {
    name,
    level: parsed.level,
    keyProperty: parsed.keyProperty,
    nameProperty: parsed.nameProperty,
    features: parsed.features.length,
    rejected: parsed.rejected,
  };
  if (prior?.contentHash === contentHash) return { ...summary, unchanged: true };
  if (parsed.features.length === 0)
    throw badInput(
      'BAD_FILE',
      `no feature of ${file} could be used: ${parsed.rejected
        .slice(0, 3)
        .map((r) => r.reason)
        .join('; ')}`,
    );
  await replaceGeoLayer(
    store,
    {
      name,
      level: parsed.level,
      source: basename(file),
      keyProperty: parsed.keyProperty,
      features: parsed.features.length,
      rejected: parsed.rejected,
      contentHash,
    },
    parsed.features,
  );
  return { ...summary, unchanged: false };
}

/** The imported layers. */
export async function listGeoLayers(store: Pick<Store, 'db'>): Promise<GeoLayerRow[]> {
  return geoLayers(store.db);
}

/** A layer as a GeoJSON FeatureCollection (id and properties.code = the PSGC code), or undefined. */
export async function geoLayerCollection(
  store: Pick<Store, 'db'>,
  name: string,
): Promise<
  | {
      type: 'FeatureCollection';
      features: { type: 'Feature'; id: string; properties: { code: string; name: string; centre: [number, number] }; geometry: unknown }[];
    }
  | undefined
> {
  const fs = await geoFeatures(store.db, name);
  if (!fs) return undefined;
  return {
    type: 'FeatureCollection',
    features: fs.map((f) => ({ type: 'Feature', id: f.code, properties: { code: f.code, name: f.name, centre: f.centre }, geometry: f.geometry })),
  };
}
