// readSources: every CyberTip report under a list of paths (files, folders, .gz, .zip), in a
// deterministic order, each item saying which file or zip entry it came from. Each file's text is
// read as XML or as LE JSON according to its first character (docs/lejson.md).

import { closeSync, createReadStream, openSync, readFileSync, readSync, type ReadStream } from 'node:fs';
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
import { csvHeader, isTransactionsHeader, REQUIRED_COLUMNS } from './transactions/read.ts';
import { entryRefusal, openEntry, openZip } from './zip-entries.ts';

export type { Position, ReaderItem, SourceRef } from './cybertip/types.ts';

/** What readSources yields: file boundaries, the reader's items with their source, and files set aside or skipped. */
export type SourceItem =
  | { kind: 'file-start'; source: SourceRef; bytes: number }
  | { kind: 'file-end'; source: SourceRef; bytesRead: number }
  | { kind: 'report'; source: SourceRef; report: Extract<ReaderItem, { kind: 'report' }>['report']; raw: string; position: Position }
  | (Extract<ReaderItem, { kind: 'rejected' }> & { source: SourceRef })
  | { kind: 'skipped'; source: SourceRef; reason: string }
  /** A transactions file (CSV or JSON Lines, recognised by its header): ingest loads it as transactions. */
  | { kind: 'transactions'; source: SourceRef };

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
  else if (head[0] === 0xff && head[1] === 0xfe)
    i = 2; // UTF-16LE: the ASCII byte comes first
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
const TXN_NOT_PLAIN = 'a transactions file inside a zip or gzip is not read: unpack it, or load it with bantay payments ingest';

type NotLeJson = Extract<LeReaderItem, { kind: 'not-lejson' }>;

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
 * Bounded per file (see Quarantine bounds): repeats collapse, entries are capped, time is limited.
 */
async function* startedBy(
  items: AsyncGenerator<SourceItem | NotLeJson>,
  start: SourceItem | null,
  source: SourceRef,
  named: boolean,
  limits: ReaderLimits,
  plain = false,
): AsyncGenerator<SourceItem> {
  const first = await items.next();
  if (!first.done && first.value.kind === 'not-lejson') {
    await items.return(undefined);
    // A transactions file is loaded as such where it can be opened again by path (a plain file).
    if (first.value.transactions && plain) {
      yield { kind: 'transactions', source };
      return;
    }
    const reason = first.value.transactions ? TXN_NOT_PLAIN : `${NOT_LEJSON_PREFIX}${first.value.reason}`;
    yield named ? { kind: 'rejected', source, position: null, reason } : { kind: 'skipped', source, reason };
    return;
  }
  if (start) yield start;
  if (first.done) return;
  const bounds = new FileBounds(source, limits);
  const rest = async function* (): AsyncGenerator<SourceItem> {
    if (first.value.kind !== 'not-lejson') yield first.value;
    for await (const item of items) if (item.kind !== 'not-lejson') yield item;
  };
  const it = rest();
  try {
    for await (const item of it) {
      if (item.kind === 'file-end') yield* bounds.flush();
      yield* bounds.pass(item);
      if (bounds.overTime()) {
        yield* bounds.flush();
        yield bounds.stopReading();
        return;
      }
    }
    yield* bounds.flush();
  } finally {
    await it.return(undefined);
  }
}

type Rejected = Extract<SourceItem, { kind: 'rejected' }>;

/**
 * The bounds on one file's quarantine: items that are not reports and share a repeat key (a
 * stray element, say) become one entry with a count; past maxRejectsPerFile entries the rest are
 * counted in one; reading stops after maxFileSeconds. A flood of a million stray elements in a
 * small file so costs a handful of rows.
 */
class FileBounds {
  private readonly repeats = new Map<string, { item: Rejected; last: Position | null }>();
  private entries = 0;
  private overflow: { first: Rejected; count: number } | null = null;
  private readonly started = performance.now();
  private flushed = false;

  constructor(
    private readonly source: SourceRef,
    private readonly limits: ReaderLimits,
  ) {}

  /** The item as it goes on: a report or file boundary unchanged, a rejection counted, held or passed. */
  *pass(item: SourceItem): Generator<SourceItem> {
    if (item.kind !== 'rejected') {
      yield item;
      return;
    }
    if (item.repeatKey !== undefined) {
      const seen = this.repeats.get(item.repeatKey);
      if (seen) {
        seen.item.count = (seen.item.count ?? 1) + (item.count ?? 1);
        seen.last = item.position;
        return;
      }
      this.repeats.set(item.repeatKey, { item: { ...item, count: item.count ?? 1 }, last: item.position });
      return;
    }
    yield* this.record(item);
  }

  /** The held repeats and the overflow entry, at the end of the file. */
  *flush(): Generator<SourceItem> {
    if (this.flushed) return;
    this.flushed = true;
    for (const { item, last } of this.repeats.values()) {
      const n = item.count ?? 1;
      if (n > 1)
        item.reason = `${item.reason} (${n} times in this file${last && item.position ? `, from line ${item.position.line} to line ${last.line}` : ''}; kept once, with the first one's raw text)`;
      yield* this.record(item);
    }
    this.repeats.clear();
    if (this.overflow) {
      const { first, count } = this.overflow;
      yield {
        kind: 'rejected',
        source: this.source,
        position: null,
        count,
        reason: `${count} more item(s) of this file were set aside but not recorded one by one (at most ${this.limits.maxRejectsPerFile} entries per file; fix the file and ingest it again); the first of them: ${first.reason}`,
      };
      this.overflow = null;
    }
  }

  /** Whether reading this file has taken longer than maxFileSeconds. */
  overTime(): boolean {
    return performance.now() - this.started > this.limits.maxFileSeconds * 1000;
  }

  /** The entry that says reading stopped on time. */
  stopReading(): SourceItem {
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    return {
      kind: 'rejected',
      source: this.source,
      position: null,
      reason: `reading of this file stopped after ${secs} s, over the limit of ${this.limits.maxFileSeconds} s per file (maxFileSeconds); the reports read before were kept`,
    };
  }

  private *record(item: Rejected): Generator<SourceItem> {
    if (this.entries < this.limits.maxRejectsPerFile) {
      this.entries++;
      yield item;
      return;
    }
    if (this.overflow) this.overflow.count += item.count ?? 1;
    else this.overflow = { first: item, count: item.count ?? 1 };
  }
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
): AsyncGenerator<SourceItem | NotLeJson> {
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

// A CSV is a transactions file when its header names the transactions columns; otherwise skipped
// (or refused when named), saying what its header was.
function csvInput(found: Extract<FoundInput, { kind: 'file' }>, source: SourceRef): SourceItem {
  let head: string;
  try {
    const handle = openSync(found.path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(found.size, 64 * 1024));
      head = buf.subarray(0, readSync(handle, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      closeSync(handle);
    }
  } catch (err) {
    return { kind: 'rejected', source, position: null, reason: `cannot be read: ${(err as Error).message}` };
  }
  const header = csvHeader(head);
  if (isTransactionsHeader(header)) return { kind: 'transactions', source };
  const shown =
    header
      .slice(0, 8)
      .map((h) => JSON.stringify(h))
      .join(', ') + (header.length > 8 ? ', …' : '');
  const reason = `not CyberTip input or transactions: a CSV whose header (${shown || 'empty'}) lacks the transactions columns ${REQUIRED_COLUMNS.join(', ')}`;
  return found.named ? { kind: 'rejected', source, position: null, reason } : { kind: 'skipped', source, reason };
}

async function* readFile(found: Extract<FoundInput, { kind: 'file' }>, limits: ReaderLimits): AsyncGenerator<SourceItem> {
  const source = sourceOf(found);
  if (found.format === 'csv') {
    yield csvInput(found, source);
    return;
  }
  if (found.format === 'sniff') {
    let ok: boolean;
    try {
      ok = await startsLikeInput(found.path);
    } catch (err) {
      yield { kind: 'rejected', source, position: null, reason: `cannot be read: ${(err as Error).message}` };
      return;
    }
    if (!ok) {
      yield {
        kind: 'rejected',
        source,
        position: null,
        reason: 'not CyberTip input: the first character that is not a space is neither "<" (XML) nor "{" or "[" (LE JSON)',
      };
      return;
    }
  }
  yield* startedBy(
    fileItems(found, source, limits),
    { kind: 'file-start', source, bytes: found.size },
    source,
    found.named === true,
    limits,
    found.format !== 'gz',
  );
}

async function* fileItems(found: Extract<FoundInput, { kind: 'file' }>, source: SourceRef, limits: ReaderLimits): AsyncGenerator<SourceItem | NotLeJson> {
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
      if (format === 'csv') {
        yield { kind: 'skipped', source, reason: TXN_NOT_PLAIN.replace('a transactions file', 'a CSV (transactions?)') };
        continue;
      }
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
      yield* startedBy(
        readStream(stream, format === 'gz', source, limits, (xml) => `${xml} bytes${format === 'gz' ? ' of XML' : ` of ${size}`}`),
        null,
        source,
        false,
        limits,
      );
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
