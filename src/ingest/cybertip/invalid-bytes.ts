// Finding the bytes a decoder could not decode: where each ill-formed sequence starts in the
// file, which U+FFFD stands for it in the decoded text, and the bytes themselves. The decoding
// is Node's own (TextDecoder, WHATWG Encoding); this follows the same rules step by step (one
// U+FFFD per maximal ill-formed subpart, the byte-order mark dropped) only to count positions,
// and only over chunks that are not valid already (buffer.isUtf8), so clean input costs nothing.

import { isUtf8 } from 'node:buffer';

/** Bytes the document's encoding cannot decode. */
export interface InvalidBytes {
  /** Offset of the first byte in the file (0-based); null where the encoding does not let it be known. */
  byteOffset: number | null;
  /** Index in the decoded text of the U+FFFD that stands for them. */
  charIndex: number;
  /** The bytes as they were. */
  bytes: number[];
}

// Records kept between two claims; past this the rest are counted only (a file of binary noise).
const MAX_HELD = 10_000;

// WHATWG's multi-byte legacy encodings, where a byte offset is not the character's index.
const MULTI_BYTE_LEGACY = new Set(['gbk', 'gb18030', 'big5', 'euc-jp', 'iso-2022-jp', 'shift_jis', 'euc-kr']);

/**
 * Follows one decoded stream and records its invalid byte sequences. `feed` is given each chunk
 * of bytes together with the text the decoder made of it, in order.
 */
export class InvalidByteTracker {
  /** Records not yet claimed, in stream order. */
  private held: InvalidBytes[] = [];
  /** Records not held because too many were already (see MAX_HELD). */
  dropped = 0;
  private bytePos = 0;
  private charPos = 0;
  // UTF-8 state (WHATWG decoder): bytes still needed, bounds of the next byte, the sequence so far.
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private seq: number[] = [];
  private seqStart = 0;
  private cp = 0;
  // UTF-16 state: a pending odd byte, a pending high surrogate (its two bytes and offset).
  private odd: number | null = null;
  private high: { bytes: number[]; at: number } | null = null;

  constructor(readonly encoding: string) {}

  /** Records the invalid sequences of `bytes`, which the decoder turned into `text` (with `last` at the end of the stream). */
  feed(bytes: Uint8Array, text: string, last = false): void {
    const enc = this.encoding;
    if (enc === 'utf-8') {
      if (this.needed === 0 && !last && isUtf8(bytes)) {
        this.bytePos += bytes.length;
        this.charPos += text.length;
        return;
      }
      this.utf8(bytes, last);
    } else if (enc === 'utf-16le' || enc === 'utf-16be') {
      this.utf16(bytes, last, enc === 'utf-16be');
    } else {
      // Legacy encodings never decode to U+FFFD except for a byte they cannot map.
      // In a single-byte encoding the n-th character of a chunk is its n-th byte.
      const single = !MULTI_BYTE_LEGACY.has(enc);
      for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
        this.record(single ? this.bytePos + i : null, this.charPos + i, single ? [bytes[i] ?? 0] : []);
      }
      this.bytePos += bytes.length;
      this.charPos += text.length;
    }
  }

  /** Takes the records whose U+FFFD lies before `end` (in decoded text), in order. */
  takeBefore(end: number): InvalidBytes[] {
    if (this.held.length === 0 || this.held[0]!.charIndex >= end) return [];
    let n = 0;
    while (n < this.held.length && this.held[n]!.charIndex < end) n++;
    return this.held.splice(0, n);
  }

  /** Whether records were dropped (more than MAX_HELD at once); raw bytes can then not be rebuilt exactly. */
  get overflowed(): boolean {
    return this.dropped > 0;
  }

  private record(byteOffset: number | null, charIndex: number, bytes: number[]): void {
    if (this.held.length >= MAX_HELD) {
      this.dropped++;
      return;
    }
    this.held.push({ byteOffset, charIndex, bytes });
  }

  private utf8(bytes: Uint8Array, last: boolean): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const at = this.bytePos + i;
      if (this.needed === 0) {
        if (b <= 0x7f) {
          this.charPos++;
          continue;
        }
        this.seq = [b];
        this.seqStart = at;
        if (b >= 0xc2 && b <= 0xdf) {
          this.needed = 1;
          this.cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
          this.needed = 2;
          this.cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
          this.needed = 3;
          this.cp = b & 0x07;
        } else {
          this.record(at, this.charPos++, [b]);
        }
        continue;
      }
      if (b < this.lower || b > this.upper) {
        // The sequence so far is one error; this byte starts afresh.
        this.record(this.seqStart, this.charPos++, this.seq);
        this.needed = 0;
        this.lower = 0x80;
        this.upper = 0xbf;
        i--;
        continue;
      }
      this.lower = 0x80;
      this.upper = 0xbf;
      this.cp = (this.cp << 6) | (b & 0x3f);
      this.seq.push(b);
      if (this.seq.length === this.needed + 1) {
        // A byte-order mark at the very start is dropped by the decoder.
        if (!(this.seqStart === 0 && this.cp === 0xfeff)) this.charPos += this.cp > 0xffff ? 2 : 1;
        this.needed = 0;
      }
    }
    this.bytePos += bytes.length;
    if (last && this.needed > 0) {
      this.record(this.seqStart, this.charPos++, this.seq);
      this.needed = 0;
    }
  }

  private utf16(bytes: Uint8Array, last: boolean, bigEndian: boolean): void {
    // A byte left over from the previous chunk goes first.
    const data = this.odd === null ? bytes : Buffer.concat([Buffer.of(this.odd), bytes]);
    const base = this.bytePos - (this.odd === null ? 0 : 1);
    let k = 0;
    for (; k + 1 < data.length; k += 2) {
      const a = data[k]!;
      const b = data[k + 1]!;
      const unit = bigEndian ? (a << 8) | b : (b << 8) | a;
      const at = base + k;
      if (this.high) {
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          this.charPos += 2;
          this.high = null;
          continue;
        }
        this.record(this.high.at, this.charPos++, this.high.bytes);
        this.high = null;
      }
      if (unit >= 0xd800 && unit <= 0xdbff) this.high = { bytes: [a, b], at };
      else if (unit >= 0xdc00 && unit <= 0xdfff) this.record(at, this.charPos++, [a, b]);
      else if (!(at === 0 && unit === 0xfeff)) this.charPos++;
    }
    this.odd = k < data.length ? data[k]! : null;
    this.bytePos += bytes.length;
    if (last && (this.high || this.odd !== null)) {
      // A pending surrogate and a pending odd byte end the stream as one error, as the decoder has it.
      const bytes = [...(this.high?.bytes ?? []), ...(this.odd === null ? [] : [this.odd])];
      this.record(this.high?.at ?? this.bytePos - 1, this.charPos++, bytes);
      this.high = null;
      this.odd = null;
    }
  }
}

/** `UTF-8`, `UTF-16LE`, `windows-1252`: an encoding as a reason names it. */
export function encodingName(encoding: string): string {
  return encoding.startsWith('utf-') ? encoding.toUpperCase() : encoding;
}

/** The clause a reason gives invalid bytes: `bytes that are not valid UTF-8 at byte offset 4711 (0xC3 0x28) and 2 more places`. */
export function invalidBytesClause(records: InvalidBytes[], encoding: string): string {
  const first = records[0]!;
  const where = first.byteOffset === null ? `at character ${first.charIndex}` : `at byte offset ${first.byteOffset}`;
  const shown = first.bytes.length > 0 ? ` (${hexBytes(first.bytes)})` : '';
  const more = records.length > 1 ? ` and ${records.length - 1} more place${records.length > 2 ? 's' : ''}` : '';
  return `bytes that are not valid ${encodingName(encoding)} ${where}${shown}${more}`;
}

/** `0xC3 0x28`: bytes as a reason shows them. */
export function hexBytes(bytes: number[]): string {
  return bytes.map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}

/**
 * The raw bytes of a stretch of decoded text that starts at `start`: its text re-encoded in the
 * document's encoding, with each U+FFFD that stood for invalid bytes replaced by those bytes.
 * Exact for UTF-8 and UTF-16 documents; for a legacy encoding the valid text is given as UTF-8.
 */
export function rawBytesOf(text: string, start: number, records: InvalidBytes[], encoding: string): Uint8Array {
  const encode = (s: string): Buffer => {
    if (encoding === 'utf-16le') return Buffer.from(s, 'utf16le');
    if (encoding === 'utf-16be') return Buffer.from(s, 'utf16le').swap16();
    return Buffer.from(s, 'utf8');
  };
  const parts: Buffer[] = [];
  let at = 0;
  for (const r of records) {
    const i = r.charIndex - start;
    if (i < at || i >= text.length) continue;
    parts.push(encode(text.slice(at, i)), Buffer.from(r.bytes));
    at = i + 1;
  }
  parts.push(encode(text.slice(at)));
  return Buffer.concat(parts);
}
