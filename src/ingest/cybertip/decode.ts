// Bytes to text for XML input. UTF-8 unless a byte-order mark or the XML declaration says
// otherwise; a streaming decoder so a character split across two chunks is decoded whole.

import { TextDecoder } from 'node:util';

/** Thrown when the input declares a character encoding this runtime cannot decode. */
export class UnsupportedEncodingError extends Error {}

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
    throw new UnsupportedEncodingError(`unsupported character encoding ${JSON.stringify(declared)} declared in the XML declaration`);
  }
  return label;
}

/** Decodes a stream of byte chunks, choosing the encoding from the first bytes. */
export class XmlDecoder {
  private decoder: TextDecoder | null = null;
  private head: Buffer[] = [];
  private headLength = 0;

  /** Decodes one chunk (may return '' while the first bytes are still being gathered). */
  decode(chunk: Uint8Array): string {
    if (this.decoder) return this.decoder.decode(chunk, { stream: true });
    this.head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.headLength += chunk.byteLength;
    const head = Buffer.concat(this.head, this.headLength);
    if (!this.readyToChoose(head)) return '';
    return this.start(head);
  }

  /** Decodes whatever is left at the end of the input. */
  end(): string {
    if (this.decoder) return this.decoder.decode();
    if (this.headLength === 0) return '';
    const decoder = new TextDecoder(chooseLabel(Buffer.concat(this.head, this.headLength)));
    this.decoder = decoder;
    const out = decoder.decode(Buffer.concat(this.head, this.headLength));
    this.head = [];
    return out;
  }

  private readyToChoose(head: Buffer): boolean {
    if (head.length >= SNIFF_BYTES) return true;
    if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
    if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return true;
    // Not an XML declaration at all, or one that is complete: either way the choice is made.
    const probe = head.toString('latin1', 0, Math.min(head.length, 5));
    if (!'<?xml'.startsWith(probe)) return true;
    return head.includes('?>');
  }

  private start(head: Buffer): string {
    this.decoder = new TextDecoder(chooseLabel(head));
    this.head = [];
    return this.decoder.decode(head, { stream: true });
  }
}
