// Bytes to text for XML input. UTF-8 unless a byte-order mark or the XML declaration says
// otherwise; a streaming decoder so a character split across two chunks is decoded whole.

import { TextDecoder } from 'node:util';
import { InvalidByteTracker } from './invalid-bytes.ts';
import { badInput } from '../../model/error.ts';

/** Thrown when the input declares a character encoding this runtime cannot decode. */

// Enough to hold any sensible XML declaration.
const SNIFF_BYTES = 1024;

function declaredEncoding(head: Buffer): string | null {
  const text = head.toString('latin1');
  if (!text.startsWith('<?xml')) return null;
  const end = text.indexOf('?>');
  const decl = end >= 0 ? text.slice(0, end) : text;
  const m = /\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(decl);
  return m?.[1] ?? null;
}

function chooseLabel(head: Buffer): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const declared = declaredEncoding(head);
  if (declared === null) return 'utf-8';
  const label = declared.toLowerCase();
  // ASCII is a subset of UTF-8; decoding it as UTF-8 is exact.
  if (label === 'utf-8' || label === 'utf8' || label === 'us-ascii' || label === 'ascii') return 'utf-8';
  try {
    new TextDecoder(label);
  } catch {
    throw badInput('BAD_ENCODING', `unsupported character encoding ${JSON.stringify(declared)} declared in the XML declaration`);
  }
  return label;
}

/** Decodes a stream of byte chunks, choosing the encoding from the first bytes; notes every byte sequence the encoding cannot decode (`invalid`). */
export class XmlDecoder {
  private decoder: TextDecoder | null = null;
  private head: Buffer[] = [];
  private headLength = 0;
  /** Where the bytes that could not be decoded are; null until the encoding is chosen. */
  invalid: InvalidByteTracker | null = null;

  /** Decodes one chunk (may return '' while the first bytes are still being gathered). */
  decode(chunk: Uint8Array): string {
    if (this.decoder) return this.run(chunk, false);
    this.head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.headLength += chunk.byteLength;
    const head = Buffer.concat(this.head, this.headLength);
    if (!this.readyToChoose(head)) return '';
    return this.start(head);
  }

  /** Decodes whatever is left at the end of the input. */
  end(): string {
    if (this.decoder) return this.run(new Uint8Array(0), true);
    if (this.headLength === 0) return '';
    const head = Buffer.concat(this.head, this.headLength);
    this.choose(head);
    this.head = [];
    return this.run(head, true);
  }

  private run(bytes: Uint8Array, last: boolean): string {
    const out = last ? this.decoder!.decode(bytes) : this.decoder!.decode(bytes, { stream: true });
    this.invalid!.feed(bytes, out, last);
    return out;
  }

  private choose(head: Buffer): void {
    this.decoder = new TextDecoder(chooseLabel(head));
    this.invalid = new InvalidByteTracker(this.decoder.encoding);
  }

  private readyToChoose(head: Buffer): boolean {
    if (head.length >= SNIFF_BYTES) return true;
    // The first bytes may still become a byte-order mark.
    if (head.length < 3 && (head[0] === 0xef || ((head[0] === 0xfe || head[0] === 0xff) && head.length < 2))) return false;
    if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
    if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return true;
    // Not an XML declaration at all, or one that is complete: either way the choice is made.
    const probe = head.toString('latin1', 0, Math.min(head.length, 5));
    if (!'<?xml'.startsWith(probe)) return true;
    return head.includes('?>');
  }

  private start(head: Buffer): string {
    this.choose(head);
    this.head = [];
    return this.run(head, false);
  }
}
