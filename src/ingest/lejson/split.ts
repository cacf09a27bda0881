// Splits the text of an LE JSON file into its documents without building them: one document, a
// top-level array of documents, or JSON Lines (any number of top-level values separated by white
// space). It tracks strings, nesting and position only, so a hostile file costs no more memory
// than the bounds allow; each document's text is then parsed on its own (parse.ts).

import type { ReaderLimits } from '../cybertip/limits.ts';

/** One document's text and where it started; flags say which bound it crossed (its text is then cut). */
export interface SplitDoc {
  text: string;
  line: number;
  column: number;
  index: number;
  /** Where the document starts and ends in the file's decoded text (character offsets; end exclusive). */
  start: number;
  end: number;
  /** Characters in the document (counted even past the bound). */
  chars: number;
  oversize: boolean;
  tooDeep: boolean;
  longText: boolean;
  /** Values (objects, arrays and list items) in the document, counted by their brackets and commas. */
  values: number;
}

/** What the splitter produces: documents, and errors that stop the file (with the document in progress, if any). */
export type SplitItem =
  | { kind: 'doc'; doc: SplitDoc }
  | { kind: 'stray'; line: number; column: number; index: number; text: string; start: number }
  | { kind: 'stop'; reason: string; partial?: SplitDoc }
  /** A document of a stream (JSON Lines) that breaks mid-way: it alone is lost, reading goes on at the next line that starts a document. */
  | { kind: 'broken'; reason: string; doc: SplitDoc };

const SP = 0x20,
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c;
const LBRACE = 0x7b,
  RBRACE = 0x7d,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === SP || c === LF || c === CR || c === TAB;
}

function describe(c: string): string {
  return JSON.stringify(c);
}

/**
 * Feeds text in chunks; yields documents as each ends. The first value decides the shape: `[` makes
 * the file an array of documents, anything else a stream of top-level values (one document or
 * JSON Lines).
 */
export class LeJsonSplitter {
  done = false;
  /** Documents (and stray values) seen so far. */
  count = 0;

  private items: SplitItem[] = [];
  private mode: 'start' | 'stream' | 'array' = 'start';
  // Array mode: what may come next between elements.
  private expect: 'valueOrEnd' | 'value' | 'commaOrEnd' | 'after' = 'valueOrEnd';
  // The document in progress.
  private inDoc = false;
  private scalar = false;
  private stack: number[] = [];
  private inString = false;
  private escape = false;
  private stringChars = 0;
  private pieces: string[] = [];
  private kept = 0;
  private doc: SplitDoc | null = null;
  // Stream mode: skipping the rest of a line after a stray character.
  private skipLine = false;
  // Stream mode, after a broken document: skipping lines until one starts a document at column 1.
  private resync = false;
  // Objects and arrays in the file so far (the per-file bound).
  private fileValues = 0;
  private line = 1;
  private lineStart = 0;
  private offset = 0;

  constructor(private readonly limits: ReaderLimits) {}

  /** Takes the items produced so far. */
  drain(): SplitItem[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /** Feeds decoded text. */
  write(text: string): void {
    if (this.done) return;
    let segStart = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inDoc) {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (c === BACKSLASH) this.escape = true;
          else if (c === QUOTE) {
            this.inString = false;
            if (this.scalar && this.stack.length === 0) {
              this.finishDoc(text, segStart, i + 1);
              continue;
            }
          }
          if (this.inString && ++this.stringChars > this.limits.maxTextBytes && this.doc) this.doc.longText = true;
          if (c === LF) {
            // JSON strings hold no line break: in a stream the document ends broken here.
            if (this.mode === 'stream') {
              this.broken(`a line break inside a string at line ${this.line}: the document is cut short or malformed`, text, segStart, i);
              this.newLine(i);
              this.skipLine = false;
              continue;
            }
            this.newLine(i);
          }
          continue;
        }
        if (this.scalar && this.stack.length === 0) {
          // A bare number or literal ends at the first delimiter, which is read again outside the document.
          if (isSpace(c) || c === COMMA || c === RBRACKET || c === RBRACE || c === LBRACE || c === LBRACKET || c === QUOTE) {
            this.finishDoc(text, segStart, i);
            i--;
            continue;
          }
          continue;
        }
        if (c === QUOTE) {
          this.inString = true;
          this.stringChars = 0;
        } else if (c === COMMA) {
          if (this.doc) this.doc.values++;
        } else if (c === LBRACE || c === LBRACKET) {
          if (this.doc) this.doc.values++;
          if (++this.fileValues > this.limits.maxFileElements) {
            this.stop(
              `more than ${this.limits.maxFileElements} values in one file at line ${this.line}, column ${this.col(i)}; reading of this file stopped there`,
              text,
              segStart,
              i,
            );
            return;
          }
          this.stack.push(c);
          if (this.stack.length > this.limits.maxDepth && this.doc) this.doc.tooDeep = true;
          if (this.stack.length > 4 * this.limits.maxDepth) {
            this.stop(
              `values nested deeper than ${4 * this.limits.maxDepth} levels at line ${this.line}, column ${this.col(i)}; reading of this file stopped there`,
              text,
              segStart,
              i,
            );
            return;
          }
        } else if (c === RBRACE || c === RBRACKET) {
          const open = this.stack.pop();
          if ((c === RBRACE && open !== LBRACE) || (c === RBRACKET && open !== LBRACKET)) {
            if (this.mode === 'stream') {
              this.broken(
                `the JSON is not well-formed at line ${this.line}, column ${this.col(i)}: ${describe(text[i]!)} does not close the open ${open === undefined ? 'value' : describe(String.fromCharCode(open))}`,
                text,
                segStart,
                i,
              );
              continue;
            }
            this.stop(
              `the JSON is not well-formed at line ${this.line}, column ${this.col(i)}: ${describe(text[i]!)} does not close the open ${open === undefined ? 'value' : describe(String.fromCharCode(open))}; reading of this file stopped there`,
              text,
              segStart,
              i,
            );
            return;
          }
          if (this.stack.length === 0) {
            this.finishDoc(text, segStart, i + 1);
            continue;
          }
        } else if (c === LF) this.newLine(i);
        continue;
      }
      // Between documents.
      if (c === LF) {
        this.newLine(i);
        this.skipLine = false;
        continue;
      }
      if (this.resync && !this.skipLine) {
        if (this.col(i) === 1 && (c === LBRACE || c === LBRACKET)) this.resync = false;
        else this.skipLine = true;
      }
      if (this.skipLine || isSpace(c)) continue;
      if (this.mode === 'start') {
        if (c === LBRACKET) {
          this.mode = 'array';
          continue;
        }
        this.mode = 'stream';
      }
      if (this.mode === 'array') {
        if (this.expect === 'after') {
          this.stop(
            `the JSON is not well-formed at line ${this.line}, column ${this.col(i)}: ${describe(text[i]!)} after the end of the array; reading of this file stopped there`,
            text,
            i,
            i,
          );
          return;
        }
        if (c === RBRACKET && this.expect !== 'value') {
          this.expect = 'after';
          continue;
        }
        if (c === COMMA && this.expect === 'commaOrEnd') {
          this.expect = 'value';
          continue;
        }
        if (this.expect === 'commaOrEnd' || c === COMMA || c === RBRACKET || c === RBRACE || c === 0x3a) {
          const wanted = this.expect === 'commaOrEnd' ? '"," or "]"' : 'a value';
          this.stop(
            `the JSON is not well-formed at line ${this.line}, column ${this.col(i)}: expected ${wanted} in the array of documents, found ${describe(text[i]!)}; reading of this file stopped there`,
            text,
            i,
            i,
          );
          return;
        }
        this.expect = 'commaOrEnd';
      } else if (c === COMMA || c === RBRACKET || c === RBRACE || c === 0x3a) {
        // JSON Lines: a stray character spoils its line only.
        this.items.push({ kind: 'stray', line: this.line, column: this.col(i), index: this.count++, text: text[i]!, start: this.offset + i });
        this.skipLine = true;
        continue;
      }
      this.startDoc(c, i);
      segStart = i;
      if (this.scalar && c === QUOTE) {
        this.inString = true;
        this.stringChars = 0;
      }
    }
    if (this.inDoc) this.keep(text, segStart, n);
    this.offset += n;
  }

  /** Signals the end of the input. */
  end(): void {
    if (this.done) return;
    if (this.inDoc && this.scalar && !this.inString) {
      this.finishDoc('', 0, 0);
    } else if (this.inDoc) {
      const doc = this.takeDoc();
      doc.end = this.offset;
      this.items.push({
        kind: 'stop',
        reason: `the input ends inside the document that starts at line ${doc.line}, column ${doc.column}: the file is truncated or cut short`,
        partial: doc,
      });
    } else if (this.mode === 'array' && this.expect !== 'after') {
      this.items.push({ kind: 'stop', reason: 'the input ends before the array of documents is closed with "]": the file is truncated or cut short' });
    }
    this.done = true;
  }

  private col(i: number): number {
    return this.offset + i - this.lineStart + 1;
  }

  private newLine(i: number): void {
    this.line++;
    this.lineStart = this.offset + i + 1;
  }

  private startDoc(c: number, i: number): void {
    this.inDoc = true;
    this.scalar = c !== LBRACE && c !== LBRACKET;
    this.stack = this.scalar ? [] : [c];
    this.inString = false;
    this.escape = false;
    this.pieces = [];
    this.kept = 0;
    this.doc = {
      text: '',
      line: this.line,
      column: this.col(i),
      index: this.count++,
      start: this.offset + i,
      end: this.offset + i,
      chars: 0,
      oversize: false,
      tooDeep: false,
      longText: false,
      values: 0,
    };
  }

  private keep(text: string, from: number, to: number): void {
    const doc = this.doc!;
    const len = to - from;
    doc.chars += len;
    if (doc.chars > this.limits.maxReportBytes) doc.oversize = true;
    const room = this.limits.maxReportBytes - this.kept;
    if (room <= 0 || len <= 0) return;
    const piece = len <= room ? (from === 0 && to === text.length ? text : text.slice(from, to)) : text.slice(from, from + room);
    this.pieces.push(piece);
    this.kept += piece.length;
  }

  private takeDoc(): SplitDoc {
    const doc = this.doc!;
    doc.text = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
    this.pieces = [];
    this.doc = null;
    this.inDoc = false;
    this.inString = false;
    return doc;
  }

  private finishDoc(text: string, segStart: number, end: number): void {
    this.keep(text, segStart, end);
    const doc = this.takeDoc();
    doc.end = this.offset + end;
    this.items.push({ kind: 'doc', doc });
  }

  // A stream's document that cannot be read on: set aside up to here, and reading resumes at the
  // next line that starts with "{" or "[" (a JSON Lines file: the next line).
  private broken(reason: string, text: string, segStart: number, at: number): void {
    this.keep(text, segStart, at);
    const doc = this.takeDoc();
    doc.end = this.offset + at;
    this.stack = [];
    this.items.push({ kind: 'broken', reason, doc });
    this.resync = true;
    this.skipLine = true;
  }

  private stop(reason: string, text: string, segStart: number, at: number): void {
    let partial: SplitDoc | undefined;
    if (this.inDoc) {
      this.keep(text, segStart, at);
      partial = this.takeDoc();
      partial.end = this.offset + at;
    }
    this.items.push(partial ? { kind: 'stop', reason, partial } : { kind: 'stop', reason });
    this.done = true;
  }
}
