// The invalid-byte tracker against Node's own decoder: for random bytes cut into random chunks,
// the places it records are exactly the U+FFFD the decoder wrote for bytes it could not decode,
// and the byte offsets point at those bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlDecoder } from './decode.ts';
import { rawBytesOf } from './invalid-bytes.ts';

// A small deterministic generator (xorshift) so a failure can be replayed.
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function decodeAll(bytes: Buffer, cuts: number[]): { text: string; decoder: XmlDecoder } {
  const d = new XmlDecoder();
  let text = '';
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    text += d.decode(bytes.subarray(at, c));
    at = c;
  }
  text += d.end();
  return { text, decoder: d };
}

for (const [name, prefix] of [
  ['UTF-8', Buffer.alloc(0)],
  ['UTF-16LE', Buffer.from([0xff, 0xfe])],
  ['UTF-16BE', Buffer.from([0xfe, 0xff])],
] as const) {
  test(`${name}: every recorded place is a U+FFFD of the decoder, and every U+FFFD not written in the source is recorded`, () => {
    const next = rng(name.length * 7919);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(next() * 40);
      // Mostly ASCII and valid sequences, with stray high bytes mixed in.
      const pool =
        name === 'UTF-8'
          ? [0x41, 0x3c, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xff, 0xc0, 0x80, 0xef, 0xbb, 0xbf]
          : [0x41, 0x00, 0xd8, 0x3d, 0xde, 0x00, 0xdc, 0x01, 0xd8];
      const body = Buffer.from(Array.from({ length: n }, () => pool[Math.floor(next() * pool.length)]!));
      const bytes = Buffer.concat([prefix, body]);
      const cuts = [...new Set(Array.from({ length: 3 }, () => Math.floor(next() * bytes.length)))].sort((a, b) => a - b);
      const { text, decoder } = decodeAll(bytes, cuts);
      const records = decoder.invalid!.takeBefore(Infinity);
      // Where the source itself spells U+FFFD validly, the decoder's U+FFFD is not an error.
      const written = new TextDecoder(name.toLowerCase(), { fatal: false }).decode(bytes);
      assert.equal(written, text, 'same decoding');
      const positions: number[] = [];
      for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) positions.push(i);
      const recorded = records.map((r) => r.charIndex);
      for (const i of recorded) assert.equal(text[i], '\uFFFD', `${bytes.toString('hex')} cut ${cuts}: ${i}`);
      if (name === 'UTF-8' && !bytes.includes(Buffer.from([0xef, 0xbf, 0xbd]))) assert.deepEqual(recorded, positions, bytes.toString('hex'));
      if (name !== 'UTF-8') assert.deepEqual(recorded, positions, bytes.toString('hex'));
      for (const r of records) assert.deepEqual([...bytes.subarray(r.byteOffset!, r.byteOffset! + r.bytes.length)], r.bytes);
      // The raw bytes rebuilt from the text and the records are the source bytes (less a byte-order mark).
      const enc = decoder.invalid!.encoding;
      const bom = enc === 'utf-8' ? (bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0) : 2;
      assert.deepEqual(
        Buffer.from(rawBytesOf(text, 0, records, enc)).toString('hex'),
        bytes.subarray(bom).toString('hex'),
        `${bytes.toString('hex')} cut ${cuts}`,
      );
    }
  });
}
