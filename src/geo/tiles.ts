// The agency's own imagery under the map, offline: base layers are .pmtiles files the agency places
// in a folder on the server (served whole by Bantay with HTTP Range, which is how PMTiles clients
// read them), .mbtiles files in the same folder (opened at start-up and served tile by tile), or a
// tile-server URL on the agency's own network. Nothing is fetched from the internet: with none of
// them, the map has no base layer but the shipped outlines.
import { createReadStream, type ReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MBTILES_MAX_BYTES, openMbtiles, plainAttribution, type MbtilesArchive } from './mbtiles.ts';
import { badInput } from '../model/error.ts';

/** Where base layers come from (bantay serve --tiles, --tile-url). */
export interface TileConfig {
  /** A folder of .pmtiles and .mbtiles files (each with an optional NAME.json: {"name", "attribution"}). */
  dir?: string;
  /** A tile-server URL template on the agency's network ({z}/{x}/{y}), with its licence's attribution. */
  url?: { template: string; name?: string; attribution: string };
  /** The largest .mbtiles file loaded into memory (default DEFAULT_MBTILES_MAX_BYTES). */
  mbtilesMaxBytes?: number;
  /** Hears why a file of the folder is not served (a damaged or non-MBTiles file), at start-up. */
  notice?: (message: string) => void;
}

/** The base layers opened at start-up: the configuration, the .mbtiles archives served, and the files refused with why. */
export interface TileSet {
  cfg: TileConfig;
  mbtiles: Map<string, { file: string; archive: MbtilesArchive }>;
  refused: { file: string; reason: string }[];
  close(): void;
}

const MBTILES = /^[A-Za-z0-9._-]{1,120}\.mbtiles$/;

/**
 * Opens the .mbtiles files of the folder. A file that cannot be served (too large, damaged, not
 * MBTiles, vector tiles, or named like a .pmtiles file beside it) is refused with the reason, told
 * to `cfg.notice`, and the others are served.
 */
export async function openTiles(cfg: TileConfig): Promise<TileSet> {
  const mbtiles = new Map<string, { file: string; archive: MbtilesArchive }>();
  const refused: { file: string; reason: string }[] = [];
  const names = cfg.dir ? await readdir(cfg.dir).catch(() => [] as string[]) : [];
  for (const file of names.filter((n) => MBTILES.test(n)).sort()) {
    const id = file.slice(0, -'.mbtiles'.length);
    const opened = names.includes(`${id}.pmtiles`)
      ? { refused: `${id}.pmtiles has the same name; rename one` }
      : await openMbtiles(join(cfg.dir!, file), cfg.mbtilesMaxBytes ?? DEFAULT_MBTILES_MAX_BYTES).catch((e: unknown) => ({
          refused: e instanceof Error ? e.message : String(e),
        }));
    if ('refused' in opened) {
      refused.push({ file, reason: opened.refused });
      cfg.notice?.(`base layer ${file} is not served: ${opened.refused}`);
    } else {
      mbtiles.set(id, { file, archive: opened });
    }
  }
  return {
    cfg,
    mbtiles,
    refused,
    close() {
      for (const m of mbtiles.values()) m.archive.close();
      mbtiles.clear();
    },
  };
}

/** One base layer as the map lists it. */
export interface BaseLayer {
  id: string;
  name: string;
  kind: 'pmtiles' | 'mbtiles' | 'xyz';
  /** For pmtiles, the file's address on this server; for mbtiles, this server's {z}/{x}/{y} template; for xyz, the tile server's. */
  url: string;
  attribution: string;
  /** The deepest zoom the file holds (mbtiles metadata `maxzoom`): the map enlarges its tiles beyond. */
  maxZoom?: number;
}

type Sidecar = { name?: unknown; attribution?: unknown };

async function sidecar(dir: string, id: string): Promise<Sidecar> {
  return readFile(join(dir, `${id}.json`), 'utf8')
    .then((t) => JSON.parse(t) as Sidecar)
    .catch(() => ({}));
}

const FILE = /^[A-Za-z0-9._-]{1,120}\.pmtiles$/;

const noAttribution = (file: string, id: string): string => `${file} (no attribution given: add ${id}.json beside it)`;

/** The base layers on offer: the folder's .pmtiles files as they are now, the .mbtiles files opened at start-up, the tile server. */
export async function baseLayers(set: TileSet): Promise<BaseLayer[]> {
  const cfg = set.cfg;
  const out: BaseLayer[] = [];
  if (cfg.dir) {
    const names = await readdir(cfg.dir).catch(() => [] as string[]);
    for (const f of names.filter((n) => FILE.test(n)).sort()) {
      const id = f.slice(0, -'.pmtiles'.length);
      const side = await sidecar(cfg.dir, id);
      out.push({
        id,
        kind: 'pmtiles',
        url: `/api/tiles/${f}`,
        name: typeof side.name === 'string' ? side.name : id,
        attribution: typeof side.attribution === 'string' ? side.attribution : noAttribution(f, id),
      });
    }
    for (const [id, { file, archive }] of set.mbtiles) {
      const side = await sidecar(cfg.dir, id);
      const meta = archive.metadata;
      const attribution = typeof side.attribution === 'string' ? side.attribution : meta.attribution ? plainAttribution(meta.attribution) : '';
      out.push({
        id,
        kind: 'mbtiles',
        url: `/api/tiles/${encodeURIComponent(id)}/{z}/{x}/{y}`,
        name: typeof side.name === 'string' ? side.name : meta.name?.trim() ? plainAttribution(meta.name) : id,
        attribution: attribution || noAttribution(file, id),
        ...(archive.maxZoom !== undefined ? { maxZoom: archive.maxZoom } : {}),
      });
    }
    out.sort((a, b) => a.id.localeCompare(b.id));
  }
  if (cfg.url)
    out.push({ id: 'agency-tiles', kind: 'xyz', url: cfg.url.template, name: cfg.url.name ?? 'Agency tile server', attribution: cfg.url.attribution });
  return out;
}

/**
 * Where the page must be allowed to load images from for these base layers (none by default):
 * `blob:` for PMTiles, whose tiles are read by range and shown from memory, and the tile server's
 * origin for --tile-url.
 */
export function tileImageSources(cfg: TileConfig): string[] {
  // .mbtiles tiles come from this server ('self').
  return [...(cfg.dir ? ['blob:'] : []), ...(cfg.url ? [tileServerOrigin(cfg.url.template)] : [])];
}

/** The origin of a tile-server URL template; throws on anything but an http(s) URL. */
export function tileServerOrigin(template: string): string {
  let u: URL;
  try {
    u = new URL(template.replace(/\{[a-z]+\}/g, '0'));
  } catch {
    throw badInput('BAD_OPTION', `--tile-url ${template} is not a URL (e.g. http://tiles.agency.local/{z}/{x}/{y}.png)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw badInput('BAD_OPTION', `--tile-url must be an http or https address, not ${u.protocol}`);
  return u.origin;
}

/** A byte range of a tile file, or why it cannot be served. */
export type TileRead = { status: 200 | 206; stream: ReadStream; start: number; end: number; size: number } | { status: 404 } | { status: 416; size: number };

/**
 * Opens a .pmtiles file of the folder for a Range request (one range: PMTiles clients ask for one).
 * The name must be a plain file name of the folder: no path, no other extension.
 */
export async function readTileFile({ cfg }: TileSet, file: string, range: string | undefined): Promise<TileRead> {
  if (!cfg.dir || !FILE.test(file)) return { status: 404 };
  const path = join(cfg.dir, file);
  const size = await stat(path)
    .then((s) => (s.isFile() ? s.size : -1))
    .catch(() => -1);
  if (size < 0) return { status: 404 };
  if (!range) return { status: 200, stream: createReadStream(path), start: 0, end: size - 1, size };
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { status: 416, size };
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return { status: 416, size };
  return { status: 206, stream: createReadStream(path, { start, end }), start, end, size };
}

/** One tile of an .mbtiles base layer, z/x/y in the XYZ scheme, with its content type; undefined when there is none. */
export function readMbtilesTile(set: TileSet, id: string, z: number, x: number, y: number): { bytes: Uint8Array; contentType: string } | undefined {
  const m = set.mbtiles.get(id);
  const bytes = m?.archive.tile(z, x, y);
  return m && bytes ? { bytes, contentType: m.archive.contentType } : undefined;
}
