// PDQ (Meta's 256-bit perceptual hash): parsing, Hamming distance and a multi-index hashing
// (MIH) structure of 16 slots of 16 bits. By pigeonhole, two hashes within distance d differ in
// at most floor(d/16) bits in at least one slot, so probing every slot's neighbours within that
// radius finds every candidate; candidates are then verified with the full distance.
import { badInput } from '../model/error.ts';

/** The standard PDQ match threshold (distance <= 31 is a match). */
export const PDQ_THRESHOLD = 31;
/** The standard PDQ quality floor (quality < 50 is dropped). */
export const PDQ_QUALITY_FLOOR = 50;

/** True when a string is a valid PDQ hash (64 lowercase hex characters). */
export function isPdqHex(hex: string): boolean {
  return /^[0-9a-f]{64}$/.test(hex);
}

/** Parses 64 hex characters into 8 big-endian 32-bit words; throws on anything else. */
export function parsePdq(hex: string): Uint32Array {
  if (!isPdqHex(hex)) throw badInput('BAD_HASH', `not a PDQ hash (64 lowercase hex): ${JSON.stringify(hex.slice(0, 80))}`);
  const w = new Uint32Array(8);
  for (let i = 0; i < 8; i++) w[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) >>> 0;
  return w;
}

/** Number of set bits in a 32-bit integer. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between two parsed PDQ hashes (or word offsets in packed arrays). */
export function distanceWords(a: Uint32Array, ai: number, b: Uint32Array, bi: number): number {
  let d = 0;
  for (let k = 0; k < 8; k++) d += popcount32((a[ai + k]! ^ b[bi + k]!) >>> 0);
  return d;
}

/** Hamming distance between two PDQ hex strings. */
export function pdqDistance(a: string, b: string): number {
  return distanceWords(parsePdq(a), 0, parsePdq(b), 0);
}

/** One hit of an index query: the stored item's position, its payload and the distance. */
export interface PdqHit<T> {
  index: number;
  item: T;
  distance: number;
}

// Slot s (0..15) is the s-th 16-bit group of the hash, counted from the first hex digit.
function slotValue(words: Uint32Array, base: number, s: number): number {
  const w = words[base + (s >> 1)]!;
  return (s & 1) === 0 ? w >>> 16 : w & 0xffff;
}

// All 16-bit values within `radius` bits of v (v itself included).
function neighbours(v: number, radius: number, out: number[]): void {
  out.length = 0;
  out.push(v);
  if (radius >= 1) for (let i = 0; i < 16; i++) out.push(v ^ (1 << i));
  if (radius >= 2) for (let i = 0; i < 16; i++) for (let j = i + 1; j < 16; j++) out.push(v ^ (1 << i) ^ (1 << j));
  if (radius >= 3) for (let i = 0; i < 16; i++) for (let j = i + 1; j < 16; j++) for (let k = j + 1; k < 16; k++) out.push(v ^ (1 << i) ^ (1 << j) ^ (1 << k));
}

/**
 * A PDQ multi-index over many hashes, each with a payload. Adding is cheap; the postings (one
 * compressed-row table of 65,536 buckets per slot) are rebuilt lazily on the first query after a
 * change, so bulk loading costs one counting sort per slot.
 */
export class PdqIndex<T> {
  private words = new Uint32Array(8 * 1024);
  private items: T[] = [];
  private starts: Uint32Array[] = [];
  private postings: Uint32Array[] = [];
  private built = 0;
  // Per-query "already verified" marks: an epoch stamp per stored hash beats a Set by far.
  private marks = new Uint32Array(0);
  private epoch = 0;

  /** Number of hashes held. */
  get size(): number {
    return this.items.length;
  }

  /** Adds one hash (hex) with its payload; returns its position. */
  add(hex: string, item: T): number {
    const n = this.items.length;
    if ((n + 1) * 8 > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words.set(parsePdq(hex), n * 8);
    this.items.push(item);
    return n;
  }

  private build(): void {
    const n = this.items.length;
    if (this.built === n && this.starts.length === 16) return;
    this.starts = [];
    this.postings = [];
    for (let s = 0; s < 16; s++) {
      const start = new Uint32Array(65537);
      for (let i = 0; i < n; i++) start[slotValue(this.words, i * 8, s) + 1]!++;
      for (let b = 0; b < 65536; b++) start[b + 1]! += start[b]!;
      const fill = start.slice(0, 65536);
      const post = new Uint32Array(n);
      for (let i = 0; i < n; i++) post[fill[slotValue(this.words, i * 8, s)]!++] = i;
      this.starts.push(start);
      this.postings.push(post);
    }
    this.built = n;
    this.marks = new Uint32Array(n);
    this.epoch = 0;
  }

  /** Every stored hash within `threshold` of the query, nearest first (ties by position). */
  query(hex: string, threshold: number = PDQ_THRESHOLD): PdqHit<T>[] {
    const q = parsePdq(hex);
    const radius = Math.floor(threshold / 16);
    // Above radius 3 the probes outnumber a scan's benefit; the linear scan is exact anyway.
    if (radius > 3) return this.scan(hex, threshold);
    this.build();
    if (++this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    const marks = this.marks;
    const epoch = this.epoch;
    const hits: PdqHit<T>[] = [];
    const probe: number[] = [];
    for (let s = 0; s < 16; s++) {
      neighbours(slotValue(q, 0, s), radius, probe);
      const start = this.starts[s]!;
      const post = this.postings[s]!;
      for (const v of probe) {
        for (let p = start[v]!, end = start[v + 1]!; p < end; p++) {
          const i = post[p]!;
          if (marks[i] === epoch) continue;
          marks[i] = epoch;
          const d = distanceWords(q, 0, this.words, i * 8);
          if (d <= threshold) hits.push({ index: i, item: this.items[i]!, distance: d });
        }
      }
    }
    return hits.sort((a, b) => a.distance - b.distance || a.index - b.index);
  }

  /** The same answer as query(), by a linear scan of every stored hash (the floor to compare with). */
  scan(hex: string, threshold: number = PDQ_THRESHOLD): PdqHit<T>[] {
    const q = parsePdq(hex);
    const hits: PdqHit<T>[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const d = distanceWords(q, 0, this.words, i * 8);
      if (d <= threshold) hits.push({ index: i, item: this.items[i]!, distance: d });
    }
    return hits;
  }
}
