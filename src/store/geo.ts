// Repository functions of the boundary layers (bantay geo import) and the served shapes.
import type { Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import type { Store } from './database.ts';
import { bulkWrite, type Db } from './bulk.ts';
import { iso } from '../model/dates.ts';

/** A layer as listed. */
export interface GeoLayerRow {
  name: string;
  level: string;
  source: string;
  keyProperty: string;
  features: number;
  rejected: { index: number; reason: string }[];
  contentHash: string;
  importedAt: string;
}

/** One boundary to store. */
export interface GeoFeatureRow {
  code: string;
  name: string;
  geometry: unknown;
  centre: [number, number];
}

/** Replaces a layer and its features in one transaction. */
export async function replaceGeoLayer(store: Pick<Store, 'db' | 'copy'>, layer: Omit<GeoLayerRow, 'importedAt'>, features: GeoFeatureRow[]): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('geo_features').where('layer', '=', layer.name).execute();
    await tx.deleteFrom('geo_layers').where('name', '=', layer.name).execute();
    await tx
      .insertInto('geo_layers')
      .values({
        name: layer.name,
        level: layer.level,
        source: layer.source,
        key_property: layer.keyProperty,
        features: layer.features,
        rejected: JSON.stringify(layer.rejected),
        content_hash: layer.contentHash,
        imported_at: new Date(),
      })
      .execute();
    await bulkWrite(
      tx,
      store.copy,
      'geo_features',
      ['layer', 'code', 'name', 'geometry', 'centre'],
      features.map((f) => [layer.name, f.code, f.name, JSON.stringify(f.geometry), JSON.stringify(f.centre)]),
    );
  });
}

/** Every layer, by level then name. */
export async function geoLayers(db: Db): Promise<GeoLayerRow[]> {
  const rows = await db.selectFrom('geo_layers').selectAll().orderBy('level').orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    level: r.level,
    source: r.source,
    keyProperty: r.key_property,
    features: r.features,
    rejected: r.rejected as GeoLayerRow['rejected'],
    contentHash: r.content_hash,
    importedAt: iso(r.imported_at),
  }));
}

/** The features of a layer, or undefined when there is no such layer. */
export async function geoFeatures(db: Kysely<BantayDatabase>, layer: string): Promise<GeoFeatureRow[] | undefined> {
  const l = await db.selectFrom('geo_layers').select('name').where('name', '=', layer).executeTakeFirst();
  if (!l) return undefined;
  const rows = await db.selectFrom('geo_features').select(['code', 'name', 'geometry', 'centre']).where('layer', '=', layer).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, geometry: r.geometry, centre: r.centre as [number, number] }));
}
