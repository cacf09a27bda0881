// An MBTiles archive (an SQLite file of map tiles, https://github.com/mapbox/mbtiles-spec) read with
// sql.js: SQLite compiled to WebAssembly, so nothing native is built or downloaded at install, and a
// hostile file is parsed inside the WebAssembly sandbox. sql.js holds the whole file in memory, so
// a file above the size cap is refused with the advice to convert it to PMTiles (read by range).
import { open } from 'node:fs/promises';
import type { Database, SqlJsStatic } from 'sql.js';
import { badInput } from '../model/error.ts';

/** The largest .mbtiles file loaded by default (each is held in memory while the server runs). */
export const DEFAULT_MBTILES_MAX_BYTES = 256 * 1024 * 1024;

/** Raster formats the map draws, with their content type. */
const RASTER: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

/** An opened archive. */
export interface MbtilesArchive {
  /** The metadata table, name → value. */
  metadata: Record<string, string>;
  /** The tiles' content type (from metadata `format`, else the first tile's bytes). */
  contentType: string;
  minZoom: number | undefined;
  maxZoom: number | undefined;
  /** The tile at z/x/y of the XYZ scheme web maps use, or undefined. */
  tile(z: number, x: number, y: number): Uint8Array | undefined;
  close(): void;
}

let engine: Promise<SqlJsStatic> | undefined;

// Loaded on first use: a server without .mbtiles files never compiles the WebAssembly.
async function sqlJs(): Promise<SqlJsStatic> {
  engine ??= import('sql.js').then((m) => m.default());
  return engine;
}

/** The raster format of a tile from its first bytes (PNG, JPEG, WebP), or undefined. */
export function sniffRaster(b: Uint8Array): string | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  if (String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  return undefined;
}

/** An attribution as plain text: MBTiles writers put HTML links in it, which the map must not run. */
export function plainAttribution(html: string): string {
  const entities: Record<string, string> = { copy: '©', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(copy|amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => entities[e]!)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Opens an .mbtiles file, or says why it cannot be served: too large for memory, not SQLite,
 * damaged, not an MBTiles layout, or vector tiles (the map draws raster imagery).
 */
export async function openMbtiles(path: string, maxBytes: number = DEFAULT_MBTILES_MAX_BYTES): Promise<MbtilesArchive | { refused: string }> {
  const fh = await open(path, 'r');
  let bytes: Buffer;
  try {
    const { size } = await fh.stat();
    if (size > maxBytes) {
      const mb = (n: number): string => (n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${n} bytes`);
      return {
        refused: `${mb(size)} is above the ${mb(maxBytes)} this server loads into memory (--mbtiles-max-mb): convert it with \`pmtiles convert in.mbtiles out.pmtiles\`, which is served by range without loading it`,
      };
    }
    const head = Buffer.alloc(16);
    await fh.read(head, 0, 16, 0);
    if (head.toString('latin1') !== SQLITE_MAGIC) return { refused: 'not an SQLite file (an .mbtiles file is an SQLite database)' };
    bytes = await fh.readFile();
  } finally {
    await fh.close();
  }
  const SQL = await sqlJs();
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = db.exec('pragma quick_check')[0]?.values[0]?.[0];
    if (check !== 'ok') throw badInput('BAD_FILE', `damaged: ${String(check)}`);
    const tables = new Set((db.exec("select name from sqlite_master where type in ('table', 'view')")[0]?.values ?? []).map((r) => String(r[0])));
    for (const t of ['metadata', 'tiles']) if (!tables.has(t)) throw badInput('BAD_FILE', `no "${t}" table: not an MBTiles file`);
    // Both tables must have the spec's columns; preparing the statement checks that.
    db.prepare('select name, value from metadata').free();
    const stmt = db.prepare('select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?');
    const metadata: Record<string, string> = {};
    for (const [name, value] of db.exec('select name, value from metadata')[0]?.values ?? [])
      if (typeof name === 'string' && value !== null) metadata[name] = String(value);
    const first = db.exec('select tile_data from tiles limit 1')[0]?.values[0]?.[0];
    const declared = metadata.format?.trim().toLowerCase();
    const format = declared || (first instanceof Uint8Array ? sniffRaster(first) : undefined);
    if (!format) throw badInput('BAD_FILE', 'no "format" in its metadata and the tiles are not PNG, JPEG or WebP');
    if (!RASTER[format]) throw badInput('BAD_FILE', `tiles in "${format}" format: the map draws raster imagery (png, jpg, webp), not vector tiles`);
    const zoom = (k: string): number | undefined => (/^\d{1,2}$/.test(metadata[k] ?? '') ? Number(metadata[k]) : undefined);
    const open = db;
    return {
      metadata,
      contentType: RASTER[format]!,
      minZoom: zoom('minzoom'),
      maxZoom: zoom('maxzoom'),
      tile(z, x, y) {
        if (![z, x, y].every(Number.isInteger) || z < 0 || z > 30 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) return undefined;
        // MBTiles numbers rows from the south (TMS); web maps from the north.
        const row = stmt.get([z, x, 2 ** z - 1 - y]);
        stmt.reset();
        return row[0] instanceof Uint8Array ? row[0] : undefined;
      },
      close() {
        stmt.free();
        open.close();
      },
    };
  } catch (e) {
    db?.close();
    const message = e instanceof Error ? e.message : String(e);
    return { refused: /not a database|malformed|corrupt/i.test(message) ? `a damaged SQLite file (${message})` : message };
  }
}
