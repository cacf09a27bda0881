// The agency's own imagery under the map, offline: base layers are .pmtiles files the agency places
// in a folder on the server (served whole by Bantay with HTTP Range, which is how PMTiles clients
// read them), or a tile-server URL on the agency's own network. Nothing is fetched from the
// internet: with neither, the map has no base layer but the shipped outlines.
import { createReadStream, type ReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Where base layers come from (bantay serve --tiles, --tile-url). */
export interface TileConfig {
  /** A folder of .pmtiles files (each with an optional NAME.json: {"name", "attribution"}). */
  dir?: string;
  /** A tile-server URL template on the agency's network ({z}/{x}/{y}), with its licence's attribution. */
  url?: { template: string; name?: string; attribution: string };
}

/** One base layer as the map lists it. */
export interface BaseLayer {
  id: string;
  name: string;
  kind: 'pmtiles' | 'xyz';
  /** For pmtiles, the file's address on this server; for xyz, the template. */
  url: string;
  attribution: string;
}

const FILE = /^[A-Za-z0-9._-]{1,120}\.pmtiles$/;

/** The base layers on offer. */
export async function baseLayers(cfg: TileConfig): Promise<BaseLayer[]> {
  const out: BaseLayer[] = [];
  if (cfg.dir) {
    const names = await readdir(cfg.dir).catch(() => [] as string[]);
    for (const f of names.filter((n) => FILE.test(n)).sort()) {
      const id = f.slice(0, -'.pmtiles'.length);
      const side = await readFile(join(cfg.dir, `${id}.json`), 'utf8').then((t) => JSON.parse(t) as { name?: unknown; attribution?: unknown }).catch(() => ({} as { name?: unknown; attribution?: unknown }));
      out.push({
        id, kind: 'pmtiles', url: `/api/tiles/${f}`,
        name: typeof side.name === 'string' ? side.name : id,
        attribution: typeof side.attribution === 'string' ? side.attribution : `${f} (no attribution given: add ${id}.json beside it)`,
      });
    }
  }
  if (cfg.url) out.push({ id: 'agency-tiles', kind: 'xyz', url: cfg.url.template, name: cfg.url.name ?? 'Agency tile server', attribution: cfg.url.attribution });
  return out;
}

/**
 * Where the page must be allowed to load images from for these base layers (none by default):
 * `blob:` for PMTiles, whose tiles are read by range and shown from memory, and the tile server's
 * origin for --tile-url.
 */
export function tileImageSources(cfg: TileConfig): string[] {
  return [...(cfg.dir ? ['blob:'] : []), ...(cfg.url ? [tileServerOrigin(cfg.url.template)] : [])];
}

/** The origin of a tile-server URL template; throws on anything but an http(s) URL. */
export function tileServerOrigin(template: string): string {
  let u: URL;
  try {
    u = new URL(template.replace(/\{[a-z]+\}/g, '0'));
  } catch {
    throw new Error(`--tile-url ${template} is not a URL (e.g. http://tiles.agency.local/{z}/{x}/{y}.png)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`--tile-url must be an http or https address, not ${u.protocol}`);
  return u.origin;
}

/** A byte range of a tile file, or why it cannot be served. */
export type TileRead =
  | { status: 200 | 206; stream: ReadStream; start: number; end: number; size: number }
  | { status: 404 }
  | { status: 416; size: number };

/**
 * Opens a .pmtiles file of the folder for a Range request (one range: PMTiles clients ask for one).
 * The name must be a plain file name of the folder: no path, no other extension.
 */
export async function readTileFile(cfg: TileConfig, file: string, range: string | undefined): Promise<TileRead> {
  if (!cfg.dir || !FILE.test(file)) return { status: 404 };
  const path = join(cfg.dir, file);
  const size = await stat(path).then((s) => (s.isFile() ? s.size : -1)).catch(() => -1);
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
