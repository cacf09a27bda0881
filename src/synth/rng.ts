import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { internal } from '../model/error.ts';

const HEX = '0123456789abcdef';
const BYTE_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_HEX.push(HEX[i >> 4]! + HEX[i & 15]!);

/** FNV-1a over a string: turns a stream label into 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 step: spreads a weak seed (0, 1, 2...) over the whole xoroshiro state. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * Seeded random source over pure-rand's xoroshiro128+. Every part of the generator draws from its
 * own named stream (fork), so adding a draw in one part never shifts the values of another.
 */
export class Rng {
  private readonly g: JumpableRandomGenerator;
  private readonly seed: number;
  private readonly label: string;

  /** A stream for `seed` and `label`; equal arguments give equal sequences. */
  constructor(seed: number, label = 'root') {
    this.seed = seed;
    this.label = label;
    let s = (seed ^ fnv1a(label)) | 0;
    const state: number[] = [];
    for (let i = 0; i < 4; i++) {
      s = splitmix32(s + i * 0x6d2b79f5);
      state.push(s);
    }
    if (!state.some((v) => v !== 0)) state[0] = 1;
    this.g = xoroshiro128plusFromState(state);
  }

  /** An independent stream named `label` under this one. */
  fork(label: string): Rng {
    return new Rng(this.seed, `${this.label}/${label}`);
  }

  /** 32 random bits as an unsigned integer. */
  u32(): number {
    return this.g.next() >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits. */
  float(): number {
    const hi = this.g.next() >>> 5;
    const lo = this.g.next() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && (p >= 1 || this.float() < p);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.float() * items.length)];
    if (v === undefined) throw internal('pick from an empty list');
    return v;
  }

  /** An index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** `n` random lowercase hex characters. */
  hex(n: number): string {
    let out = '';
    let bits = 0;
    let word = 0;
    while (out.length < n) {
      if (bits === 0) {
        word = this.g.next() >>> 0;
        bits = 4;
      }
      out += BYTE_HEX[word & 255];
      word >>>= 8;
      bits--;
    }
    return out.length === n ? out : out.slice(0, n);
  }

  /** `n` random decimal digits (leading zeros allowed). */
  digits(n: number): string {
    let out = '';
    while (out.length < n) {
      const chunk = String(this.u32() % 1000000000).padStart(9, '0');
      out += chunk;
    }
    return out.slice(0, n);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Geometric count >= 1 with the given mean. */
  geometric(mean: number): number {
    if (mean <= 1) return 1;
    const p = 1 / mean;
    return 1 + Math.floor(Math.log(1 - this.float()) / Math.log(1 - p));
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/** The first index of a cumulative table whose value exceeds x (the last index when none does). */
export function firstAbove(cum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Draws keys of a weight map quickly (cumulative table, binary search); keys in sorted order. */
export class WeightedTable<K extends string> {
  readonly keys: K[];
  private readonly cum: Float64Array;
  private readonly total: number;

  /** Builds the table; keys with weight <= 0 are dropped. */
  constructor(weights: Readonly<Record<K, number>> | ReadonlyMap<K, number>) {
    const entries: [K, number][] = weights instanceof Map ? [...weights.entries()] : (Object.entries(weights) as [K, number][]);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.keys = [];
    const cum: number[] = [];
    let t = 0;
    for (const [k, w] of entries) {
      if (!(w > 0)) continue;
      t += w;
      this.keys.push(k);
      cum.push(t);
    }
    if (this.keys.length === 0) throw internal('a weight table needs at least one positive weight');
    this.cum = Float64Array.from(cum);
    this.total = t;
  }

  /** One key, drawn by weight. */
  draw(rng: Rng): K {
    const x = rng.float() * this.total;
    return this.keys[firstAbove(this.cum, x)]!;
  }

  /** The normalised share of a key. */
  share(key: K): number {
    const i = this.keys.indexOf(key);
    if (i < 0) return 0;
    return (this.cum[i]! - (i > 0 ? this.cum[i - 1]! : 0)) / this.total;
  }
}
