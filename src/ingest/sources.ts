// readSources: every CyberTip report under a list of paths (files, folders, .gz, .zip), in a
// deterministic order, each item saying which file or zip entry it came from. Each file's text is
// read as XML or as LE JSON according to its first character (docs/lejson.md).

import { createReadStream, readFileSync, type ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { resolveLimits, type ReaderLimits } from './cybertip/limits.ts';
import { readCybertip } from './cybertip/read.ts';
import type { Position, ReaderItem, SourceRef } from './cybertip/types.ts';
import { readLeJson, type LeReaderItem } from './lejson/read.ts';
import { findInputs, formatOf, type FoundInput } from './input-files.ts';
import { entryRefusal, openEntry, openZip } from './zip-entries.ts';

export type { Position, ReaderItem, SourceRef } from './cybertip/types.ts';

/** What readSources yields: file boundaries, the reader's items with their source, and files set aside or skipped. */
export type SourceItem =
  | { kind: 'file-start'; source: SourceRef; bytes: number }
  | { kind: 'file-end'; source: SourceRef; bytesRead: number }
  | { kind: 'report'; source: SourceRef; report: Extract<ReaderItem, { kind: 'report' }>['report']; raw: string; position: Position }
  | { kind: 'rejected'; source: SourceRef; position: Position | null; reason: string; reportId?: string; raw?: string }
  | { kind: 'skipped'; source: SourceRef; reason: string };

const READ_CHUNK = 256 * 1024;
// Plain files up to this size are read in one call rather than streamed.
const WHOLE_FILE_BYTES = 1024 * 1024;

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

// Wraps a byte stream so an error it raises can be told apart from an error of the reader.
class SourceFailure extends Error {
  constructor(readonly inner: unknown) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

async function* guarded(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<Buffer>;
      try {
        step = await it.next();
      } catch (err) {
        throw new SourceFailure(err);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await it.return?.();
  }
}

function gunzipped(input: Readable): Readable {
  const gunzip = createGunzip();
  // pipeline forwards an error of either stream to the gunzip stream, which is what is read.
  return pipeline(input, gunzip, () => {});
}

function withSource(item: ReaderItem, source: SourceRef): SourceItem {
  return { ...item, source };
}

/** Which reader the first bytes call for: LE JSON when the first character that is not a space is `{` or `[`, XML otherwise; null while only spaces have been seen. */
export function sniffText(head: Uint8Array): 'xml' | 'json' | null {
  let i = 0;
  let step = 1;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  else if (head[0] === 0xff && head[1] === 0xfe) i = 2; // UTF-16LE: the ASCII byte comes first
  else if (head[0] === 0xfe && head[1] === 0xff) i = 3; // UTF-16BE: the ASCII byte comes second
  if (i === 2 || (i === 3 && head[0] === 0xfe)) step = 2;
  for (; i < head.length; i += step) {
    const c = head[i];
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b ? 'json' : 'xml';
  }
  return null;
}

// A text that is not LE JSON at all (a JSON file of something else): skipped in folders and zips,
// set aside when named explicitly.
const NOT_LEJSON_PREFIX = 'not CyberTip input: ';

/** The reader's items for one file's text, XML or LE JSON by the first character; the stream is read once. */
async function* readText(chunks: AsyncIterable<Buffer>, source: SourceRef, limits: ReaderLimits): AsyncGenerator<LeReaderItem> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let kind: 'xml' | 'json' | null = null;
  try {
    while (kind === null) {
      const step = await it.next();
      if (step.done) break;
      head.push(step.value);
      kind = sniffText(head.length === 1 ? step.value : Buffer.concat(head));
    }
    const replay = async function* (): AsyncGenerator<Buffer> {
      yield* head;
      if (kind === null) return;
      for (;;) {
        const step = await it.next();
        if (step.done) return;
        yield step.value;
      }
    };
    if (kind === 'json') yield* readLeJson(replay(), source, limits);
    else yield* readCybertip(replay(), source, limits);
  } finally {
    await it.return?.();
  }
}

/**
 * The items of one file (or zip entry): `start` first, unless its text turns out not to be LE
 * JSON at all, which makes the whole file one `skipped` item (or `rejected` when `named`).
 */
async function* startedBy(items: AsyncGenerator<SourceItem | { kind: 'not-lejson'; reason: string }>, start: SourceItem | null, source: SourceRef, named: boolean): AsyncGenerator<SourceItem> {
  const first = await items.next();
  if (!first.done && first.value.kind === 'not-lejson') {
    await items.return(undefined);
    const reason = `${NOT_LEJSON_PREFIX}${first.value.reason}`;
    yield named ? { kind: 'rejected', source, position: null, reason } : { kind: 'skipped', source, reason };
    return;
  }
  if (start) yield start;
  if (first.done) return;
  if (first.value.kind !== 'not-lejson') yield first.value;
  for await (const item of items) if (item.kind !== 'not-lejson') yield item;
}

function sourceOf(found: FoundInput): SourceRef {
  return { path: found.path, name: found.name };
}

// Reads one stream of XML (already decompressed, or a gzip stream when `gz`), turning a failure
// of the stream into a rejection that says how far reading got.
async function* readStream(
  input: Readable,
  gz: boolean,
  source: SourceRef,
  limits: ReaderLimits,
  progress: (xmlBytes: number) => string,
): AsyncGenerator<SourceItem | { kind: 'not-lejson'; reason: string }> {
  const stream = gz ? gunzipped(input) : input;
  let xmlBytes = 0;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of guarded(stream as AsyncIterable<Buffer>)) {
      xmlBytes += chunk.length;
      yield chunk;
    }
  };
  try {
    for await (const item of readText(counted(), source, limits)) yield item.kind === 'not-lejson' ? item : withSource(item, source);
  } catch (err) {
    if (!(err instanceof SourceFailure)) throw err;
    const what = source.entry ? `zip entry ${JSON.stringify(source.entry)}` : source.path;
    const how = gz ? 'the gzip stream is truncated or corrupt' : 'the data could not be read to its end';
    yield {
      kind: 'rejected',
      source,
      position: null,
      reason: `${what}: ${how}: reading stopped after ${progress(xmlBytes)}; reports completed before that point were kept (${err.message})`,
    };
  } finally {
    stream.destroy();
    input.destroy();
  }
}

// An explicitly named file of another extension is read when its first character that is not a
// space starts XML or JSON; four KiB of spaces is not worth reading further.
async function startsLikeInput(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const kind = sniffText(head);
    if (kind === 'json') return true;
    // UTF-16 byte-order marks: the decoders handle these files.
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
    let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
    return head[i] === 0x3c;
  } finally {
    await handle.close();
  }
}

async function* readFile(found: Extract<FoundInput, { kind: 'file' }>, limits: ReaderLimits): AsyncGenerator<SourceItem> {
  const source = sourceOf(found);
  if (found.format === 'sniff') {
    let ok: boolean;
    try {
      ok = await startsLikeInput(found.path);
    } catch (err) {
      yield { kind: 'rejected', source, position: null, reason: `cannot be read: ${(err as Error).message}` };
      return;
    }
    if (!ok) {
      yield { kind: 'rejected', source, position: null, reason: 'not CyberTip input: the first character that is not a space is neither "<" (XML) nor "{" or "[" (LE JSON)' };
      return;
    }
  }
  yield* startedBy(fileItems(found, source, limits), { kind: 'file-start', source, bytes: found.size }, source, found.named === true);
}

async function* fileItems(found: Extract<FoundInput, { kind: 'file' }>, source: SourceRef, limits: ReaderLimits): AsyncGenerator<SourceItem | { kind: 'not-lejson'; reason: string }> {
  const gz = found.format === 'gz';
  if (!gz && found.size <= WHOLE_FILE_BYTES) {
    // Most files hold one small report: one synchronous read (microseconds, page cache) costs
    // far less than a stream, or the four thread-pool round trips of an awaited readFile.
    let data: Buffer;
    try {
      data = readFileSync(found.path);
    } catch (err) {
      yield { kind: 'rejected', source, position: null, reason: `cannot be read: ${(err as Error).message}` };
      yield { kind: 'file-end', source, bytesRead: 0 };
      return;
    }
    const reader = sniffText(data) === 'json' ? readLeJson(once(data), source, limits) : readCybertip(once(data), source, limits);
    for await (const item of reader) yield item.kind === 'not-lejson' ? item : withSource(item, source);
    yield { kind: 'file-end', source, bytesRead: data.length };
    return;
  }
  // A buffer no larger than the file: a 256 KiB buffer for each 2 KiB file is mostly garbage.
  const highWaterMark = Math.min(READ_CHUNK, Math.max(found.size, 16 * 1024));
  const file: ReadStream = createReadStream(found.path, { highWaterMark });
  yield* readStream(file, gz, source, limits, (xml) => `${file.bytesRead} of ${found.size} bytes${gz ? ` (${xml} bytes of XML)` : ''}`);
  yield { kind: 'file-end', source, bytesRead: file.bytesRead };
}

async function* readZip(found: Extract<FoundInput, { kind: 'file' }>, limits: ReaderLimits): AsyncGenerator<SourceItem> {
  const archive = sourceOf(found);
  yield { kind: 'file-start', source: archive, bytes: found.size };
  let opened;
  try {
    opened = await openZip(found.path);
  } catch (err) {
    yield { kind: 'rejected', source: archive, position: null, reason: `not a readable zip archive: ${(err as Error).message}` };
    yield { kind: 'file-end', source: archive, bytesRead: found.size };
    return;
  }
  const { zip, entries } = opened;
  try {
    for (const e of entries) {
      if (e.name.endsWith('/')) continue;
      const source: SourceRef = { path: found.path, entry: e.name, name: posix.basename(e.name) };
      const refusal = entryRefusal(e, limits);
      if (refusal) {
        yield { kind: 'rejected', source, position: null, reason: `zip entry ${JSON.stringify(e.name)} ${refusal}; not read` };
        continue;
      }
      const format = formatOf(source.name);
      if (format !== 'plain' && format !== 'gz') {
        yield { kind: 'skipped', source, reason: 'not CyberTip input: only .xml, .json, .jsonl, .ndjson and .gz entries are read from a zip' };
        continue;
      }
      let stream: Readable;
      try {
        stream = await openEntry(zip, e);
      } catch (err) {
        yield { kind: 'rejected', source, position: null, reason: `zip entry ${JSON.stringify(e.name)} cannot be read: ${(err as Error).message}` };
        continue;
      }
      const size = e.entry.uncompressedSize;
      yield* startedBy(readStream(stream, format === 'gz', source, limits, (xml) => `${xml} bytes${format === 'gz' ? ' of XML' : ` of ${size}`}`), null, source, false);
    }
  } finally {
    zip.close();
  }
  yield { kind: 'file-end', source: archive, bytesRead: found.size };
}

/**
 * Reads every CyberTip report under `paths`: files, folders (recursively, entries sorted by name),
 * .xml, .xml.gz/.gz and .zip. Each path in the order given. Never throws for bad input: missing
 * paths, unreadable or hostile files end as `rejected` items, non-input files in folders as `skipped`.
 */
export async function* readSources(paths: string[], limits?: Partial<ReaderLimits>): AsyncGenerator<SourceItem> {
  const lim = resolveLimits(limits);
  for await (const found of findInputs(paths)) {
    if (found.kind === 'skipped') yield { kind: 'skipped', source: sourceOf(found), reason: found.reason };
    else if (found.kind === 'rejected') yield { kind: 'rejected', source: sourceOf(found), position: null, reason: found.reason };
    else if (found.format === 'zip') yield* readZip(found, lim);
    else yield* readFile(found, lim);
  }
}

/** The total size on disk of the files readSources would open under `paths` (for a progress bar). */
export async function measureInputs(paths: string[]): Promise<number> {
  let total = 0;
  for await (const found of findInputs(paths)) if (found.kind === 'file') total += found.size;
  return total;
}
