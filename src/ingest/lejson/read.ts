// readLeJson: the reader for one file of LE JSON (the per-tip JSON NCMEC's systems give law
// enforcement). A file is one document, an array of documents, or JSON Lines; each document is
// split out within the reader limits, parsed on its own and mapped onto the canonical model.

import { resolveLimits, type ReaderLimits } from '../cybertip/limits.ts';
import { XmlDecoder } from '../cybertip/decode.ts';
import { invalidBytesClause, rawBytesOf, type InvalidBytes } from '../cybertip/invalid-bytes.ts';
import type { Position, ReaderItem, SourceRef } from '../cybertip/types.ts';
import { escapeHostileChars, hostileChar, replaceHostileChars } from '../../model/text-safety.ts';
import { isTransactionsHeader } from '../transactions/read.ts';
import { isObject } from './fields.ts';
import { leReportId, mapLeDocument } from './map-report.ts';
import { LeJsonSplitter, type SplitDoc } from './split.ts';

/**
 * What readLeJson yields: the reader's items, or word that the file's first document is not LE
 * JSON at all (so a folder walk can skip it), and whether it is a transactions record instead.
 */
export type LeReaderItem = ReaderItem | { kind: 'not-lejson'; reason: string; transactions?: boolean };

/** What a JSON document that is not a report is, in words (for the list of skipped files). */
function notReport(value: Record<string, unknown>): { kind: 'not-lejson'; reason: string; transactions?: boolean } {
  const keys = Object.keys(value);
  if (isTransactionsHeader(keys))
    return { kind: 'not-lejson', reason: 'a transactions file (its records have txn_id, timestamp, amount and currency), not LE JSON', transactions: true };
  const shown =
    keys
      .slice(0, 6)
      .map((k) => JSON.stringify(k))
      .join(', ') + (keys.length > 6 ? `, … (${keys.length} keys)` : '');
  if (keys.length > 0 && keys.every((k) => /^\d{1,19}$/.test(k))) {
    return {
      kind: 'not-lejson',
      reason: `not LE JSON: an object keyed by report numbers (${shown}), such as a sidecar of per-report data (case status, notes), not a report`,
    };
  }
  return { kind: 'not-lejson', reason: `not LE JSON: the first document has neither "reportId" nor "reportedInformation" (its keys: ${shown || 'none'})` };
}

function positionOf(d: { line: number; column: number; index: number }): Position {
  return { line: d.line, column: d.column, index: d.index };
}

function label(d: SplitDoc): string {
  return `document ${d.index} at line ${d.line}`;
}

// JSON escapes that can spell a character no stored text may hold (\u0000, a surrogate half), or
// such a character itself: only a document that has one is walked.
const MAYBE_HOSTILE = /\\u(?:0000|[dD][89a-fA-F])|[\u0000\ud800-\udfff]/;

/**
 * Replaces NUL and lone surrogates in every string and key of a parsed document by U+FFFD, in
 * place; returns where each was (a document path) and which character it was.
 */
function scrubHostile(value: unknown, path: string, found: { path: string; code: string }[]): unknown {
  if (typeof value === 'string') {
    const h = hostileChar(value);
    if (!h) return value;
    found.push({ path, code: h.code });
    return replaceHostileChars(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = scrubHostile(value[i], `${path}[${i}]`, found);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      const at = path === '' ? key : `${path}/${key}`;
      const v = scrubHostile(value[key], at, found);
      const h = hostileChar(key);
      if (h) {
        found.push({ path: at, code: h.code });
        delete value[key];
        value[replaceHostileChars(key)] = v;
      } else value[key] = v;
    }
  }
  return value;
}

function hostileWarning(found: { path: string; code: string }[]): string {
  // A path may run through a key that held the character: it is shown escaped.
  const shown = found
    .slice(0, 5)
    .map((f) => `${f.code} in ${escapeHostileChars(f.path)}`)
    .join(', ');
  const more = found.length > 5 ? ` and ${found.length - 5} more` : '';
  return `characters that cannot be stored (${shown}${more}) were replaced by U+FFFD; the raw text keeps them`;
}

/** Where in the file a JSON.parse error points, from the position its message names (Node's wording varies by version). */
function parseError(err: Error, d: SplitDoc): string {
  const m = /position (\d+)/.exec(err.message);
  let what = err.message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  if (what === '') what = 'syntax error';
  if (!m) return `not valid JSON: ${what}`;
  const pos = Number(m[1]);
  const before = d.text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const lines = before.split('\n').length - 1;
  const line = d.line + lines;
  const column = nl < 0 ? d.column + pos : pos - nl;
  return `not valid JSON at line ${line}, column ${column}: ${what}`;
}

/** A quick look for the report number of a document that cannot be parsed or was cut, for the quarantine entry. */
function sniffId(text: string): string | undefined {
  const m = /"reportId"\s*:\s*(?:"(\+?\d{1,19})"|(\d{1,19})\s*[,}])/.exec(text.slice(0, 4096));
  return m ? (leReportId(m[1] ?? m[2]!) ?? undefined) : undefined;
}

function reject(d: SplitDoc, reason: string): ReaderItem {
  const id = sniffId(d.text);
  return id
    ? { kind: 'rejected', position: positionOf(d), reason, reportId: id, raw: d.text }
    : { kind: 'rejected', position: positionOf(d), reason, raw: d.text };
}

/** The bytes the encoding could not decode in a document, and the encoding's name. */
interface BadBytes {
  records: InvalidBytes[];
  encoding: string;
}

/** A rejection of a document with bytes that could not be decoded: the reason says where, the raw bytes are kept as they were. */
function withBadBytes(item: Extract<ReaderItem, { kind: 'rejected' }>, d: SplitDoc, bad: BadBytes): ReaderItem {
  item.reason = `${item.reason}; ${invalidBytesClause(bad.records, bad.encoding)}`;
  item.rawBytes = rawBytesOf(d.text, d.start, bad.records, bad.encoding);
  return item;
}

function readDoc(d: SplitDoc, limits: ReaderLimits, bad: BadBytes | null): LeReaderItem {
  const item = readDocText(d, limits, bad);
  if (!bad || item.kind !== 'rejected' || item.rawBytes) return item;
  return withBadBytes(item, d, bad);
}

function readDocText(d: SplitDoc, limits: ReaderLimits, bad: BadBytes | null): LeReaderItem {
  if (d.oversize) return reject(d, `${label(d)}: larger than the limit of ${limits.maxReportBytes} characters`);
  if (d.tooDeep) return reject(d, `${label(d)}: values nested deeper than ${limits.maxDepth} levels`);
  if (d.longText) return reject(d, `${label(d)}: a text value is longer than the limit of ${limits.maxTextBytes} characters`);
  if (d.values > limits.maxElements) return reject(d, `${label(d)}: more than ${limits.maxElements} values in one document`);
  let value: unknown;
  try {
    value = JSON.parse(d.text);
  } catch (err) {
    return reject(d, `${label(d)}: ${parseError(err as Error, d)}`);
  }
  if (d.index === 0 && isObject(value) && !('reportId' in value) && !('reportedInformation' in value)) return notReport(value);
  if (bad) {
    // JSON is UTF-8 (RFC 8259): a document with bytes that are not is set aside whole, bytes kept.
    const item = reject(d, `${label(d)}: ${invalidBytesClause(bad.records, bad.encoding)}; set aside with its raw bytes`);
    if (item.kind === 'rejected') item.rawBytes = rawBytesOf(d.text, d.start, bad.records, bad.encoding);
    return item;
  }
  const hostile: { path: string; code: string }[] = [];
  if (MAYBE_HOSTILE.test(d.text)) value = scrubHostile(value, '', hostile);
  const out = mapLeDocument(value, label(d));
  if (!out.ok) {
    const item = reject(d, out.reason);
    if (out.reportId && item.kind === 'rejected') item.reportId = out.reportId;
    return item;
  }
  if (hostile.length > 0) out.report.warnings.push(hostileWarning(hostile));
  return { kind: 'report', report: out.report, raw: d.text, position: positionOf(d) };
}

/**
 * Reads LE JSON from `chunks` (bytes as UTF-8, or UTF-16 with a byte-order mark; or text) and
 * yields each report or rejection in file order. Problems in the JSON never throw: they end as
 * rejected items, and every document completed before an error that stops the file is kept.
 * Errors raised by `chunks` itself propagate after the documents completed before them.
 */
export async function* readLeJson(chunks: AsyncIterable<Buffer | string>, _source: SourceRef, limits?: Partial<ReaderLimits>): AsyncGenerator<LeReaderItem> {
  const lim = resolveLimits(limits);
  const splitter = new LeJsonSplitter(lim);
  const decoder = new XmlDecoder();
  let stopped = false;
  // The decoder's invalid bytes in [start, end) of the text; those before `start` lie between
  // documents and are set aside as one entry (the documents are read on).
  const settle = function* (start: number, end: number): Generator<LeReaderItem, BadBytes | null> {
    const tracker = decoder.invalid;
    if (!tracker) return null;
    const taken = tracker.takeBefore(end);
    const outside = taken.filter((r) => r.charIndex < start);
    if (outside.length > 0) {
      yield {
        kind: 'rejected',
        position: null,
        reason: `${invalidBytesClause(outside, tracker.encoding)}, between documents; the documents are read on`,
        rawBytes: Uint8Array.from(outside.flatMap((r) => r.bytes)),
        repeatKey: 'bytes-outside',
        count: outside.length,
      };
    }
    const inside = outside.length === 0 ? taken : taken.filter((r) => r.charIndex >= start);
    return inside.length > 0 ? { records: inside, encoding: tracker.encoding } : null;
  };
  const items = function* (): Generator<LeReaderItem> {
    for (const s of splitter.drain()) {
      if (stopped) return;
      if (s.kind === 'doc') {
        const item = readDoc(s.doc, lim, yield* settle(s.doc.start, s.doc.end));
        yield item;
        if (item.kind === 'not-lejson') stopped = true;
      } else if (s.kind === 'stray') {
        const bad = yield* settle(s.start, s.start + 1);
        const item: ReaderItem = {
          kind: 'rejected',
          position: positionOf(s),
          reason: `line ${s.line}, column ${s.column}: ${JSON.stringify(s.text)} cannot start a JSON document; the rest of the line is skipped`,
          raw: s.text,
          repeatKey: 'stray-json',
        };
        if (bad) {
          item.reason = `${item.reason}; ${invalidBytesClause(bad.records, bad.encoding)}`;
          item.rawBytes = Uint8Array.from(bad.records.flatMap((r) => r.bytes));
        }
        yield item;
      } else if (s.kind === 'broken') {
        const bad = yield* settle(s.doc.start, s.doc.end);
        const r = reject(s.doc, `${label(s.doc)}: ${s.reason}; set aside, and reading goes on at the next line that starts a document`);
        yield bad && r.kind === 'rejected' ? withBadBytes(r, s.doc, bad) : r;
      } else if (s.partial) {
        const bad = yield* settle(s.partial.start, s.partial.end);
        const r = reject(s.partial, `${label(s.partial)}: ${s.reason}; the documents before it were kept`);
        yield bad && r.kind === 'rejected' ? withBadBytes(r, s.partial, bad) : r;
      } else {
        yield { kind: 'rejected', position: null, reason: `${s.reason}; the documents before it were kept` };
      }
    }
  };
  for await (const chunk of chunks) {
    splitter.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk));
    yield* items();
    if (splitter.done || stopped) return;
  }
  splitter.write(decoder.end());
  splitter.end();
  yield* items();
  if (!stopped) yield* settle(Infinity, Infinity);
}
