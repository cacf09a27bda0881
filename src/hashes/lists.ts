// Known-hash list parsers: CSV (`hash,type,category,...`), Project VIC VICS JSON (2.x and 1.x
// shapes) and NCMEC hash-sharing XML (streamed with saxes; DTDs refused). Every parser yields
// normalised entries; the empty-file hashes are dropped (a list that names one is wrong, and
// matching it would flag every empty upload).
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { isEmptyFileHash, normaliseHash } from './normalize.ts';
import type { HashListEntryInput } from '../store/hashes.ts';
import { badInput } from '../model/error.ts';

/** The list formats Bantay reads. */
export type ListFormat = 'csv' | 'vics' | 'ncmec';

/** A parsed list: entries plus what the file says about itself and what was dropped. */
export interface ParsedList {
  entries: HashListEntryInput[];
  /** The date the file carries (VICS export date, NCMEC maxTimestamp), when it does. */
  listDate: string | null;
  /** The VICS category profile (US, CA, UK), when the file names one. */
  profile: string | null;
  /** Values dropped, with why (for the import report). */
  dropped: { empty: number; invalid: number; duplicate: number };
}

/** The US Project VIC category codes and their meaning (VICS 2.0, US profile). */
export const VICS_US_CATEGORIES: Readonly<Record<string, string>> = {
  '0': 'non-pertinent',
  '1': 'child abuse material',
  '2': 'child exploitive (age difficult)',
  '3': 'CGI/animation',
  '4': 'comparison',
};

/** The reason given for any list file that declares a DOCTYPE. */
export const LIST_DTD_REASON = 'DTD not allowed: the list declares a DOCTYPE; Bantay never processes DTDs or entities';

class Collector {
  readonly entries: HashListEntryInput[] = [];
  readonly dropped = { empty: 0, invalid: 0, duplicate: 0 };
  private seen = new Set<string>();
  add(type: string, value: string, extra: Omit<HashListEntryInput, 'type' | 'value'>): void {
    if (isEmptyFileHash(value)) {
      this.dropped.empty++;
      return;
    }
    const n = normaliseHash(type, value);
    if (!n) {
      this.dropped.invalid++;
      return;
    }
    const k = `${n.type}:${n.value}`;
    if (this.seen.has(k)) {
      this.dropped.duplicate++;
      return;
    }
    this.seen.add(k);
    this.entries.push({ type: n.type, value: n.value, ...extra });
  }
}

// One CSV line split on commas, with RFC 4180 double quotes.
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function truthy(v: string | undefined): boolean | null {
  if (v === undefined || v === '') return null;
  return /^(1|true|yes|y)$/i.test(v);
}

/** Parses CSV `hash,type,category,...` (header optional; named columns series, victim_identified, quality). */
export function parseCsvList(text: string): ParsedList {
  const c = new Collector();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  let cols = ['hash', 'type', 'category'];
  const first = lines[0] ? csvFields(lines[0]).map((f) => f.toLowerCase()) : [];
  if (first.includes('hash') || first.includes('value') || first.includes('md5') || first.includes('type')) {
    cols = first.map((f) => (f === 'value' ? 'hash' : f.replace(/[\s-]/g, '_')));
    lines.shift();
  }
  for (const line of lines) {
    const f = csvFields(line);
    const get = (name: string): string | undefined => {
      const i = cols.indexOf(name);
      return i >= 0 ? f[i] : undefined;
    };
    const q = Number(get('quality'));
    c.add(get('type') ?? '', get('hash') ?? '', {
      category: get('category') || null,
      series: get('series') || null,
      victimIdentified: truthy(get('victim_identified')),
      quality: get('quality') && Number.isFinite(q) ? q : null,
    });
  }
  return { entries: c.entries, listDate: null, profile: null, dropped: c.dropped };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
// VICS property names vary in case between exporters (MD5 / Md5 / md5): look them up case-blind.
function prop(o: JsonObject, name: string): Json | undefined {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

const VICS_HASH_FIELDS: [string, string][] = [
  ['MD5', 'md5'],
  ['SHA1', 'sha1'],
  ['SHA256', 'sha256'],
  ['PhotoDNA', 'photodna'],
  ['PDQ', 'pdq'],
];

/**
 * Parses a Project VIC VICS JSON file. 2.x: `{"@odata.context"|"odata.metadata", "value":
 * [media...]}`; 1.x: `{"odata.metadata", "value": [{ "CaseID", "Media": [media...] }]}`. Each
 * media record's MD5 / SHA1 / SHA256 / PhotoDNA become entries with its Category (code kept as
 * written; the profile is the file's or `profile`), VictimIdentified and Series.
 */
export function parseVicsList(text: string, profile?: string): ParsedList {
  const root = JSON.parse(text) as Json;
  if (!isObject(root)) throw badInput('BAD_FILE', 'not a VICS file: the top level is not a JSON object');
  const value = prop(root, 'value');
  if (!Array.isArray(value)) throw badInput('BAD_FILE', 'not a VICS file: no "value" array (VICS 1.x and 2.x both carry one)');
  const c = new Collector();
  const media: JsonObject[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const nested = prop(item, 'Media'); // 1.x: cases holding media
    if (Array.isArray(nested))
      for (const m of nested) {
        if (isObject(m)) media.push(m);
      }
    else media.push(item);
  }
  const walk = (m: JsonObject, inherited: string | null): void => {
    const category = str(prop(m, 'Category')) ?? inherited;
    const series = str(prop(m, 'Series'));
    const vi = prop(m, 'VictimIdentified');
    const victimIdentified = typeof vi === 'boolean' ? vi : typeof vi === 'string' ? truthy(vi) : null;
    for (const [field, type] of VICS_HASH_FIELDS) {
      const v = str(prop(m, field));
      if (v) c.add(type, v, { category, series, victimIdentified, quality: null });
    }
    const sub = prop(m, 'SubMedia'); // 2.x: frames of a video, each hashed
    if (Array.isArray(sub)) for (const s of sub) if (isObject(s)) walk(s, category);
  };
  for (const m of media) walk(m, null);
  const date = str(prop(root, 'ExportDate')) ?? str(prop(root, 'DateCreated'));
  return {
    entries: c.entries,
    listDate: date,
    profile: profile ?? str(prop(root, 'CategoryProfile')) ?? str(prop(root, 'Profile')) ?? 'US',
    dropped: c.dropped,
  };
}

// NCMEC hash-sharing fingerprint element names and the canonical types they map to.
const NCMEC_FINGERPRINTS: Readonly<Record<string, string>> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', pdna: 'photodna', pdq: 'pdq' };

/**
 * Parses NCMEC hash-sharing XML (`queryResult` with `images/image` and `videos/video`, each with
 * `fingerprints/{md5,sha1,pdna,pdq,...}` and a `classification`), streamed through saxes.
 * Entries under `deletedImages`/`deletedVideos` are withdrawals and are skipped. A DOCTYPE is refused.
 */
export async function parseNcmecList(path: string): Promise<ParsedList> {
  const c = new Collector();
  const p = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let text = '';
  let entry: { classification: string | null; fps: [string, string][] } | null = null;
  let maxTimestamp: string | null = null;
  let failure: Error | null = null;
  p.on('doctype', () => {
    throw badInput('BAD_FILE', LIST_DTD_REASON);
  });
  p.on('error', (err) => {
    throw badInput('BAD_FILE', `malformed NCMEC XML: ${err.message}`);
  });
  p.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, ''); // namespace prefixes vary; local names decide
    const parent = stack[stack.length - 1];
    stack.push(name);
    text = '';
    if ((name === 'image' || name === 'video') && (parent === 'images' || parent === 'videos')) entry = { classification: null, fps: [] };
    if ((name === 'images' || name === 'videos') && typeof tag.attributes.maxTimestamp === 'string') {
      const ts = tag.attributes.maxTimestamp;
      if (!maxTimestamp || ts > maxTimestamp) maxTimestamp = ts;
    }
  });
  p.on('text', (t) => {
    text += t;
  });
  p.on('closetag', () => {
    const name = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (entry && parent === 'fingerprints' && NCMEC_FINGERPRINTS[name.toLowerCase()]) entry.fps.push([NCMEC_FINGERPRINTS[name.toLowerCase()]!, text.trim()]);
    else if (entry && name === 'classification') entry.classification = text.trim() || null;
    else if (entry && (name === 'image' || name === 'video') && (parent === 'images' || parent === 'videos')) {
      for (const [type, value] of entry.fps) c.add(type, value, { category: entry.classification, series: null, victimIdentified: null, quality: null });
      entry = null;
    }
    text = '';
  });
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) p.write(chunk as string);
    p.close();
  } catch (err) {
    failure = err as Error;
    stream.destroy();
  }
  if (failure) throw failure;
  return { entries: c.entries, listDate: maxTimestamp, profile: null, dropped: c.dropped };
}

/** Guesses a list file's format from its name and first bytes. */
export function detectFormat(path: string, head: string): ListFormat {
  if (/\.xml$/i.test(path) || head.trimStart().startsWith('<')) return 'ncmec';
  if (/\.json$/i.test(path) || head.trimStart().startsWith('{')) return 'vics';
  return 'csv';
}

// The first bytes of a file, for format detection without reading a large list twice.
function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(256);
    return buf.subarray(0, readSync(fd, buf, 0, 256, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads and parses a list file in the given (or detected) format. */
export async function parseListFile(path: string, format?: ListFormat, opts: { profile?: string } = {}): Promise<ParsedList & { format: ListFormat }> {
  const fmt = format ?? detectFormat(path, head(path));
  if (fmt === 'ncmec') return { ...(await parseNcmecList(path)), format: fmt };
  const text = readFileSync(path, 'utf8');
  if (fmt === 'vics') return { ...parseVicsList(text, opts.profile), format: fmt };
  return { ...parseCsvList(text), format: fmt };
}

/** The content hash of a parsed list: the same entries (in any order) give the same hash. */
export function listContentHash(entries: HashListEntryInput[], extra: string): string {
  const lines = entries.map((e) => [e.type, e.value, e.category ?? '', e.series ?? '', e.victimIdentified ?? '', e.quality ?? ''].join('\t')).sort();
  const h = createHash('sha256').update(extra);
  for (const l of lines) h.update(`${l}\n`);
  return h.digest('hex');
}
