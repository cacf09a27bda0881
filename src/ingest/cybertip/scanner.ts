// The synchronous heart of the reader: decoded text goes in, finished reports and rejections come
// out. saxes does the tokenising; this class keeps only the report being read (a small tree and
// its source text) and forgets it as soon as it is mapped, so memory stays flat whatever the size
// of the file.

import { SaxesParser, type SaxesStartTagPlain, type SaxesTagPlain } from 'saxes';
import type { ReaderLimits } from './limits.ts';
import { MapContext } from './map-context.ts';
import { mapBareReport, mapEnvelopeReport, type BareId, type MapOutcome } from './map-report.ts';
import { idFromContent, idFromFileName } from './report-id.ts';
import { truncateUtf8 } from './text-bounds.ts';
import type { Position, ReaderItem, SourceRef } from './types.ts';
import { normalizeReportNumber } from './values.ts';
import type { XmlNode } from './xml-node.ts';
import { codeOf } from '../../model/text-safety.ts';
import { invalidBytesClause, rawBytesOf, type InvalidBytes, type InvalidByteTracker } from './invalid-bytes.ts';

/** The reason given for any file that declares a DOCTYPE. */
export const DTD_REASON = 'DTD not allowed: the file declares a DOCTYPE; Bantay never processes DTDs or entities';

// saxes is fed pieces of at most this many characters, so a limit is noticed within one piece of
// being crossed.
const PIECE = 1 << 16;
// Text kept behind the current position between reports: a start tag's name may straddle pieces.
const KEEP_BEHIND = 4096;

// saxes keeps the value it is reading (text, attribute value, comment, CDATA) in private fields.
// They are read after each piece so a runaway value is noticed mid-way and dropped instead of
// growing without bound; if saxes ever renames them these checks quietly do nothing and the
// per-event checks still reject the report.
interface SaxesInternals {
  text?: unknown;
  name?: unknown;
  entity?: unknown;
  attribList?: unknown;
}

class Stop extends Error {}

// saxes's messages for a character outside XML's Char production, in text or attribute values,
// or a character reference to one (&#0;); not those in names, which break the markup itself.
const BAD_CHAR = /^\d+:\d+: (disallowed character\.|malformed character entity\.)$/;

interface Unit {
  name: string;
  start: number;
  line: number;
  column: number;
  index: number;
  reportId?: string;
  /** Set aside: read on to its end without keeping anything. */
  skipping: boolean;
  /** Why the report is set aside once its end is read (its raw text is still kept whole). */
  taint?: string;
  /** Elements read so far. */
  elements: number;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function plainMessage(message: string, lastClosed: string): string {
  const m = message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
  if (m === 'unexpected close tag') return `an end tag does not match the open element <${lastClosed}>`;
  if (m === 'undefined entity') {
    return 'an entity reference other than the five XML built-ins (&amp; &lt; &gt; &quot; &apos;) or a character reference; Bantay expands no other entities';
  }
  const unclosed = /^unclosed tag: (.*)$/.exec(m);
  if (unclosed) return `the input ends inside <${unclosed[1]}>: the file is truncated or cut short`;
  if (m === 'unexpected end') return 'the input ends in the middle of markup: the file is truncated or cut short';
  return m;
}

/** Feeds CyberTip XML text through saxes and collects the resulting items. */
export class CybertipScanner {
  /** True once the file needs no more input (it was set aside, or reading stopped at an error). */
  done = false;

  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly internals: SaxesInternals;
  private items: ReaderItem[] = [];
  private shape: 'batch' | 'single' | 'bare' | null = null;
  private unitDepth = 0;
  private depth = 0;
  private unit: Unit | null = null;
  private nextIndex = 0;
  private fileElements = 0;
  private stack: XmlNode[] = [];
  private sawRoot = false;
  // saxes reports a mismatched end tag after closing the element it wrongly ends; named in the message.
  private lastClosed = '';
  private sniffed = false;
  private prevTail = '';
  // The text window: the pieces written since the current report started (between reports, the
  // last few KiB).
  private pieces: string[] = [];
  private piecesStart = 0;
  private written = 0;

  constructor(
    private readonly source: SourceRef,
    private readonly limits: ReaderLimits,
    // Where the decoder found bytes it could not decode (absent when text, not bytes, is read).
    private readonly invalid: () => InvalidByteTracker | null = () => null,
  ) {
    this.internals = this.parser as unknown as SaxesInternals;
    const p = this.parser;
    // Seven handlers, no more: saxes stores each as a property of the parser, and from the
    // eighth on V8 turns the parser into a slow dictionary object (parsing runs five times slower).
    p.on('opentagstart', (tag) => this.onOpenTagStart(tag));
    p.on('opentag', (tag) => this.onOpenTag(tag));
    p.on('closetag', (tag) => this.onCloseTag(tag));
    p.on('text', (t) => this.onText(t));
    p.on('cdata', (t) => this.onText(t));
    // writeProlog refuses a DOCTYPE before saxes reads it; this is the backstop.
    p.on('doctype', () => {
      throw this.rejectFile(DTD_REASON);
    });
    p.on('error', (err) => {
      // A character XML does not allow spoils its report only: saxes reads on past it.
      if (BAD_CHAR.test(err.message)) this.badChar(err.message);
      else throw this.malformed(err.message);
    });
  }

  /** Takes the items produced so far. */
  drain(): ReaderItem[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /** Feeds decoded text. */
  write(text: string): void {
    for (let i = 0; i < text.length && !this.done; i += PIECE) {
      this.feed(text.length <= PIECE ? text : text.slice(i, i + PIECE));
    }
  }

  /** Signals the end of the input. */
  end(): void {
    if (this.done) return;
    this.done = true;
    if (!this.sniffed) {
      this.items.push({ kind: 'rejected', position: null, reason: 'the file is empty: it holds no XML' });
      return;
    }
    try {
      this.parser.close();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    this.settleBytes(this.written, this.written);
  }

  private feed(piece: string): void {
    // Tiny inputs (a stream of small chunks) are merged so the window stays a short list.
    const last = this.pieces.length - 1;
    const lastPiece = this.pieces[last];
    if (lastPiece !== undefined && lastPiece.length + piece.length <= PIECE) this.pieces[last] = lastPiece + piece;
    else this.pieces.push(piece);
    this.written += piece.length;
    try {
      if (this.sawRoot) {
        this.parser.write(piece);
      } else {
        this.writeProlog(piece);
      }
      this.checkPending();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      this.done = true;
    }
    this.trimWindow();
  }

  // Before the root element: check the input is XML at all, and refuse a DOCTYPE before saxes
  // reads its internal subset (where entity bombs live).
  private writeProlog(piece: string): void {
    if (!this.sniffed) {
      const m = /[^\s\uFEFF]/.exec(piece);
      if (!m) {
        this.parser.write(piece);
        return;
      }
      this.sniffed = true;
      if (m[0] !== '<') {
        const start = piece.slice(m.index, m.index + 40);
        throw this.rejectFile(`not XML: the content starts with ${JSON.stringify(start)} instead of "<"`);
      }
    }
    const tailLength = this.prevTail.length;
    const found = /<!doctype/i.exec(this.prevTail + piece);
    this.prevTail = (this.prevTail + piece).slice(-8);
    if (!found) {
      this.parser.write(piece);
      return;
    }
    // Negative when the match began in the previous piece, which saxes has already read.
    const at = found.index - tailLength;
    if (at > 0) this.parser.write(piece.slice(0, at));
    // A DOCTYPE-like string after the root has started is content (a CDATA section, say) or a
    // misplaced declaration, which saxes reports itself.
    if (!this.sawRoot) throw this.rejectFile(DTD_REASON);
    this.parser.write(at > 0 ? piece.slice(at) : piece);
  }

  // Bounds on what saxes is holding mid-value, checked after every piece.
  private checkPending(): void {
    const { text, name, entity, attribList } = this.internals;
    const lim = this.limits;
    if (typeof text === 'string' && text.length > lim.maxTextBytes) {
      const u = this.unit;
      if (u && !u.skipping) this.setAside(u, `a text value in ${this.pathHere()} is longer than the limit of ${lim.maxTextBytes} characters`);
      // Whatever it was, nothing of it is kept: drop it so it cannot grow further.
      this.internals.text = '';
    }
    if ((typeof name === 'string' && name.length > lim.maxTextBytes) || (typeof entity === 'string' && entity.length > lim.maxTextBytes)) {
      throw this.fatal(`a name or entity reference longer than ${lim.maxTextBytes} characters`);
    }
    if (Array.isArray(attribList) && attribList.length > lim.maxAttributes * 16) {
      throw this.fatal(`a start tag with more than ${lim.maxAttributes * 16} attributes`);
    }
    const u = this.unit;
    if (u && !u.skipping && this.parser.position - u.start > lim.maxReportBytes) {
      this.setAside(u, `larger than the limit of ${lim.maxReportBytes} bytes`);
    }
  }

  private onOpenTagStart(tag: SaxesStartTagPlain): void {
    if (++this.fileElements > this.limits.maxFileElements) throw this.fatal(`more than ${this.limits.maxFileElements} elements in one file`);
    const depth = ++this.depth;
    if (depth === 1) {
      this.sawRoot = true;
      switch (tag.name) {
        case 'cybertipReports':
          this.shape = 'batch';
          this.unitDepth = 2;
          break;
        case 'cybertipReport':
          this.shape = 'single';
          this.unitDepth = 1;
          break;
        case 'report':
          this.shape = 'bare';
          this.unitDepth = 1;
          break;
        default:
          throw this.rejectFile(`not a CyberTip file: root element <${tag.name}>`);
      }
    }
    if (depth === this.unitDepth) {
      this.startUnit(tag.name);
      return;
    }
    if (depth > this.limits.maxDepth) {
      const u = this.unit;
      if (u && !u.skipping) this.setAside(u, `elements nested deeper than ${this.limits.maxDepth} levels in ${this.pathHere()}`);
      if (depth > this.limits.maxDepth * 4) throw this.fatal(`elements nested deeper than ${this.limits.maxDepth * 4} levels`);
    }
  }

  private startUnit(name: string): void {
    const p = this.parser;
    const pos = p.position;
    // saxes reports the tag after reading its name and one terminator (two for CR LF).
    let start = pos - name.length - 2;
    let newlineEnded = false;
    if (this.charAt(start) !== '<') {
      start = pos - name.length - 3;
      newlineEnded = true;
    }
    const term = this.charAt(pos - 1);
    if (term === '\n' || term === '\r') newlineEnded = true;
    let line = p.line;
    let column = p.column - name.length - 1;
    if (newlineEnded) {
      line -= 1;
      column = this.columnOf(start);
    }
    this.unit = { name, start: Math.max(start, this.piecesStart), line, column, index: this.nextIndex++, skipping: false, elements: 0 };
    this.stack.length = 0;
  }

  private onOpenTag(tag: SaxesTagPlain): void {
    const u = this.unit;
    if (!u || u.skipping) return;
    // Each element is a node in memory: a report of a million empty elements is set aside, not built.
    if (++u.elements > this.limits.maxElements) {
      this.setAside(u, `more than ${this.limits.maxElements} elements in one report`);
      return;
    }
    const attrs = tag.attributes;
    let count = 0;
    for (const key in attrs) {
      count++;
      if ((attrs[key]?.length ?? 0) > this.limits.maxTextBytes) {
        this.setAside(u, `the attribute ${key} of <${tag.name}> in ${this.pathHere()} is longer than the limit of ${this.limits.maxTextBytes} characters`);
        return;
      }
    }
    if (count > this.limits.maxAttributes) {
      this.setAside(u, `<${tag.name}> in ${this.pathHere()} has more than ${this.limits.maxAttributes} attributes`);
      return;
    }
    const node: XmlNode = { name: tag.name, attrs: count === 0 ? null : attrs, children: [], text: '' };
    const stack = this.stack;
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (this.shape !== 'bare' && tag.name === 'cybertipReport') {
        const id = attrs.reportId;
        if (id !== undefined) {
          const n = normalizeReportNumber(id);
          if (n !== null) u.reportId = n;
        }
      } else if (this.shape === 'bare') {
        const id = idFromFileName(this.source.name);
        if (id !== null) u.reportId = id;
      }
    } else {
      if (parent.children.length === 0 && parent.text !== '') {
        // Text before the first child: indentation is dropped, anything else kept in order.
        if (!isBlank(parent.text)) parent.children.push({ name: '', attrs: null, children: [], text: parent.text });
        parent.text = '';
      }
      parent.children.push(node);
    }
    stack.push(node);
  }

  private onText(t: string): void {
    const u = this.unit;
    if (!u || u.skipping) return;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    if (top.children.length === 0) {
      top.text = top.text === '' ? t : top.text + t;
      if (top.text.length > this.limits.maxTextBytes) {
        this.setAside(u, `a text value in ${this.pathHere()} is longer than the limit of ${this.limits.maxTextBytes} characters`);
      }
    } else if (!isBlank(t)) {
      if (t.length > this.limits.maxTextBytes) {
        this.setAside(u, `a text value in ${this.pathHere()} is longer than the limit of ${this.limits.maxTextBytes} characters`);
        return;
      }
      top.children.push({ name: '', attrs: null, children: [], text: t });
    }
  }

  private onCloseTag(tag: SaxesTagPlain): void {
    this.lastClosed = tag.name;
    const depth = this.depth--;
    const u = this.unit;
    if (!u) return;
    if (depth === this.unitDepth) {
      this.unit = null;
      if (!u.skipping) this.finishUnit(u, tag);
      // A report set aside earlier carries what it had; bad bytes after that point go with it.
      else this.settleBytes(u.start, this.parser.position);
      this.stack.length = 0;
    } else if (!u.skipping) {
      this.stack.pop();
    }
  }

  private finishUnit(u: Unit, tag: SaxesTagPlain): void {
    const end = this.parser.position;
    if (!tag.isSelfClosing) {
      // saxes reports every element a mismatched end tag closes before it reports the error;
      // only a report closed by its own end tag is complete.
      const tail = this.slice(Math.max(u.start, end - u.name.length - 64), end);
      const open = tail.lastIndexOf('</');
      if (open < 0 || tail.slice(open + 2, tail.length - 1).trimEnd() !== u.name) return;
    }
    const raw = this.slice(u.start, end);
    const position = this.positionOf(u);
    const bad = this.settleBytes(u.start, end);
    if (bad.length > 0) {
      // As XML's well-formedness rules require: the report is set aside, with the bytes as they were.
      const why = `${this.bytesReason(bad)}; set aside with its raw bytes, as XML requires${u.taint ? `; also ${u.taint}` : ''}`;
      this.reject(u, position, why, raw, bad);
      return;
    }
    if (raw.length > this.limits.maxReportBytes) {
      this.reject(u, position, `larger than the limit of ${this.limits.maxReportBytes} bytes`, raw);
      return;
    }
    const root = this.stack[0];
    if (root === undefined) return;
    if (u.taint !== undefined) {
      this.reject(u, position, u.taint, raw);
      return;
    }
    if (u.name !== 'cybertipReport' && u.name !== 'report') {
      this.items.push({
        kind: 'rejected',
        position,
        reason: `<${u.name}> inside <cybertipReports> is not a report; set aside`,
        raw: truncateUtf8(raw, this.limits.maxReportBytes),
        repeatKey: `stray:${u.name}`,
      });
      return;
    }
    const ctx = new MapContext();
    let outcome: MapOutcome;
    if (this.shape === 'bare') {
      const bare: BareId = u.reportId !== undefined ? { reportId: u.reportId, idSource: 'filename' } : { reportId: idFromContent(raw), idSource: 'content' };
      u.reportId = bare.reportId;
      outcome = mapBareReport(root, bare, ctx);
    } else {
      outcome = mapEnvelopeReport(root, ctx);
    }
    if (outcome.ok) {
      this.items.push({ kind: 'report', report: outcome.report, raw, position });
    } else {
      const item: ReaderItem = { kind: 'rejected', position, reason: `${this.label(outcome.reportId, u)}: ${outcome.violations.join('; ')}`, raw };
      if (outcome.reportId !== undefined) item.reportId = outcome.reportId;
      this.items.push(item);
    }
  }

  private label(reportId: string | undefined, u: Unit): string {
    return reportId !== undefined ? `report ${reportId}` : `report at line ${u.line}`;
  }

  private positionOf(u: Unit): Position {
    return { line: u.line, column: u.column, index: u.index };
  }

  private reject(u: Unit, position: Position, reason: string, raw: string, bad: InvalidBytes[] = []): void {
    const kept = truncateUtf8(raw, this.limits.maxReportBytes);
    const item: ReaderItem = {
      kind: 'rejected',
      position,
      reason: `${this.label(u.reportId, u)}: ${reason}`,
      raw: kept,
    };
    if (bad.length > 0) item.rawBytes = rawBytesOf(kept, u.start, bad, this.invalid()!.encoding);
    if (u.name !== 'cybertipReport' && u.name !== 'report') item.repeatKey = `stray:${u.name}`;
    if (u.reportId !== undefined) item.reportId = u.reportId;
    this.items.push(item);
  }

  // Rejects the current report and reads on to its end without keeping anything.
  private setAside(u: Unit, reason: string): void {
    const upTo = Math.min(this.parser.position, u.start + this.limits.maxReportBytes);
    const bad = this.settleBytes(u.start, upTo);
    this.reject(u, this.positionOf(u), bad.length > 0 ? `${reason}; ${this.bytesReason(bad)}` : reason, this.slice(u.start, upTo), bad);
    u.skipping = true;
    this.stack.length = 0;
  }

  private bytesReason(bad: InvalidBytes[]): string {
    return invalidBytesClause(bad, this.invalid()!.encoding);
  }

  /**
   * The decoder's invalid bytes inside [start, end) of the text; those before `start` lie
   * outside any report and are set aside as one entry per file (the reports are read on).
   */
  private settleBytes(start: number, end: number): InvalidBytes[] {
    const tracker = this.invalid();
    if (!tracker) return [];
    const taken = tracker.takeBefore(end);
    const outside = taken.filter((r) => r.charIndex < start);
    if (outside.length > 0) {
      this.items.push({
        kind: 'rejected',
        position: null,
        reason: `${invalidBytesClause(outside, tracker.encoding)}, outside any report; the file is not well-formed there, its reports are read on`,
        rawBytes: Uint8Array.from(outside.flatMap((r) => r.bytes)),
        repeatKey: 'bytes-outside',
        count: outside.length,
      });
    }
    return outside.length === 0 ? taken : taken.filter((r) => r.charIndex >= start);
  }

  private pathHere(): string {
    const names = this.stack.map((n) => n.name);
    return names.length > 0 ? names.join('/') : (this.unit?.name ?? 'the document');
  }

  // A character XML does not allow (NUL, another control character, a lone surrogate, U+FFFE):
  // the report it is in is set aside, as the well-formedness rules require; outside any report
  // it is noted once for the place and reading goes on.
  private badChar(message: string): void {
    const p = this.parser;
    const ch = this.charAt(p.position - 1);
    const what = message.includes('entity')
      ? 'a character reference to a character XML does not allow'
      : `a character XML does not allow (${ch === '' ? 'a control character' : codeOf(ch)})`;
    const where = `line ${p.line}, column ${Math.max(p.column, 1)}`;
    const u = this.unit;
    if (u) {
      u.taint ??= `${what} at ${where}; XML forbids it, so the report is set aside with its raw text`;
      return;
    }
    this.items.push({
      kind: 'rejected',
      position: { line: p.line, column: Math.max(p.column, 1), index: this.nextIndex },
      reason: `${what} at ${where}, outside any report; the reports of the file are read on`,
      repeatKey: 'bad-char-outside',
    });
  }

  private rejectFile(reason: string): Stop {
    this.items.push({ kind: 'rejected', position: null, reason });
    this.done = true;
    return new Stop(reason);
  }

  private fatal(what: string): Stop {
    const p = this.parser;
    return this.stopWith(`${what} at line ${p.line}, column ${Math.max(p.column, 1)}; reading of this file stopped there`);
  }

  private malformed(message: string): Stop {
    const plain = plainMessage(message, this.lastClosed);
    if (plain === 'inappropriately located doctype declaration') return this.rejectFile(DTD_REASON);
    const p = this.parser;
    return this.stopWith(`the XML is not well-formed at line ${p.line}, column ${Math.max(p.column, 1)}: ${plain}; reading of this file stopped there`);
  }

  // Ends the file with one rejection at the current place, carrying the report in progress.
  private stopWith(reason: string): Stop {
    const p = this.parser;
    const u = this.unit;
    const position: Position = { line: p.line, column: Math.max(p.column, 1), index: u ? u.index : this.nextIndex };
    const bad = this.settleBytes(u && !u.skipping ? u.start : this.written, this.written);
    const item: ReaderItem = {
      kind: 'rejected',
      position,
      reason: bad.length > 0 ? `${reason} (the report in progress has ${this.bytesReason(bad)})` : reason,
    };
    if (u) {
      if (u.reportId !== undefined) item.reportId = u.reportId;
      if (!u.skipping) item.raw = truncateUtf8(this.slice(u.start, Math.min(this.written, u.start + this.limits.maxReportBytes)), this.limits.maxReportBytes);
      if (item.raw !== undefined && bad.length > 0) item.rawBytes = rawBytesOf(item.raw, u.start, bad, this.invalid()!.encoding);
    }
    this.items.push(item);
    this.done = true;
    return new Stop(reason);
  }

  // ---- the text window ----

  private trimWindow(): void {
    const u = this.unit;
    // Between reports, keep enough text behind to find where the next report's start tag began.
    const keepFrom = u && !u.skipping ? u.start : this.written - KEEP_BEHIND;
    while (this.pieces.length > 1) {
      const firstLen = this.pieces[0]?.length ?? 0;
      if (this.piecesStart + firstLen > keepFrom) break;
      this.pieces.shift();
      this.piecesStart += firstLen;
    }
  }

  private charAt(abs: number): string {
    let start = this.written;
    for (let i = this.pieces.length - 1; i >= 0; i--) {
      const piece = this.pieces[i] ?? '';
      start -= piece.length;
      if (abs >= start) return piece.charAt(abs - start);
    }
    return '';
  }

  private slice(from: number, to: number): string {
    let out = '';
    let start = this.piecesStart;
    for (const piece of this.pieces) {
      const end = start + piece.length;
      if (end > from && start < to) out += piece.slice(Math.max(from - start, 0), Math.min(to - start, piece.length));
      start = end;
      if (start >= to) break;
    }
    return out;
  }

  // 1-based column of abs, found by looking back for the previous line break inside the window.
  private columnOf(abs: number): number {
    for (let i = abs - 1; i >= this.piecesStart; i--) {
      const c = this.charAt(i);
      if (c === '\n' || c === '\r') return abs - i;
    }
    return abs - this.piecesStart + 1;
  }
}
