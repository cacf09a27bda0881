// File hashes (domain.md §10): random values standing in for MD5, SHA-1, SHA-256 and PDQ of files
// that do not exist. Meme files recirculate from a tiny pool; "known" files recur a few times; new
// material is unique; the empty-file hashes are a trap.
import { firstAbove, type Rng } from './rng.ts';

/** The hashes of one file; pdq is 64 lowercase hex characters when present. */
export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
  pdq?: string;
}

/** Hashes of an empty file (MISP empty-hashes warninglist): must never link reports. */
export const EMPTY_HASHES: FileHashes = {
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

/** Fresh random hashes for a file nobody has seen. */
export function uniqueHashes(rng: Rng, withPdq: boolean): FileHashes {
  const h: FileHashes = { md5: rng.hex(32), sha1: rng.hex(40), sha256: rng.hex(64) };
  if (withPdq) h.pdq = rng.hex(64);
  return h;
}

/** Flips `bits` distinct bits of a 64-hex PDQ hash (a re-encoded copy of the same picture). */
export function nearPdq(rng: Rng, pdq: string, bits: number): string {
  const nibbles = pdq.split('').map((c) => parseInt(c, 16));
  const flipped = new Set<number>();
  while (flipped.size < bits) flipped.add(rng.int(0, 255));
  for (const b of [...flipped].sort((x, y) => x - y)) nibbles[b >> 2] = nibbles[b >> 2]! ^ (1 << (b & 3));
  return nibbles.map((n) => n.toString(16)).join('');
}

/** A pool of files drawn with Zipf popularity: a few dominate, as viral memes do. */
export class HashPool {
  readonly files: FileHashes[] = [];
  private readonly cum: Float64Array;

  /** `count` files, popularity of rank r proportional to 1 / r^zipf. */
  constructor(rng: Rng, count: number, zipf: number, pdqShare: number) {
    const n = Math.max(1, Math.round(count));
    const cum = new Float64Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      this.files.push(uniqueHashes(rng, rng.chance(pdqShare)));
      t += 1 / Math.pow(i + 1, zipf);
      cum[i] = t;
    }
    for (let i = 0; i < n; i++) cum[i] = cum[i]! / t;
    this.cum = cum;
  }

  /** The index of a file drawn by popularity. */
  drawIndex(rng: Rng): number {
    return firstAbove(this.cum, rng.float());
  }

  /** A file drawn by popularity. */
  draw(rng: Rng): FileHashes {
    return this.files[this.drawIndex(rng)]!;
  }
}
