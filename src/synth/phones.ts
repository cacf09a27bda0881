// Phone numbers: canonical E.164 inside the generator, written many ways in the output (domain.md §8).
import type { PhoneFormat } from './params.ts';
import type { Rng } from './rng.ts';
import { internal } from '../model/error.ts';

// Globe/TM, Smart/TNT/Sun and DITO prefixes; under RA 11202 a prefix no longer says the carrier.
const PH_PREFIXES = [
  '905',
  '906',
  '915',
  '916',
  '917',
  '926',
  '927',
  '935',
  '936',
  '945',
  '953',
  '954',
  '955',
  '956',
  '965',
  '966',
  '967',
  '975',
  '977',
  '995',
  '997',
  '907',
  '908',
  '909',
  '910',
  '912',
  '918',
  '919',
  '920',
  '921',
  '922',
  '923',
  '924',
  '925',
  '928',
  '929',
  '930',
  '931',
  '932',
  '933',
  '934',
  '938',
  '939',
  '940',
  '941',
  '942',
  '943',
  '946',
  '947',
  '948',
  '949',
  '950',
  '951',
  '961',
  '998',
  '999',
  '895',
  '896',
  '897',
  '898',
  '991',
  '992',
  '993',
  '994',
];

// Two 32-bit string hashes folded into 53 bits: a Set of numbers costs a fraction of a Set of
// strings, and a (vanishingly rare) false "already taken" only makes the caller draw again.
function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
}

/** Remembers values already handed out so that unrelated people never share one by chance. */
export class Unique {
  private readonly used = new Set<number>();

  /** Draws with `make` until the value is new, records it, and returns it. */
  fresh(make: () => string): string {
    for (let i = 0; i < 1000; i++) {
      const v = make();
      if (this.tryTake(v)) return v;
    }
    throw internal('could not draw a fresh value after 1000 tries');
  }

  /** Marks a value as taken. */
  take(v: string): void {
    this.used.add(hash53(v));
  }

  /** Takes a value if it is still free; false when it was already handed out. */
  tryTake(v: string): boolean {
    const h = hash53(v);
    if (this.used.has(h)) return false;
    this.used.add(h);
    return true;
  }
}

/** A new PH mobile number in E.164 (+639XXXXXXXXX). */
export function phMobile(rng: Rng, unique: Unique): string {
  return unique.fresh(() => `+63${rng.pick(PH_PREFIXES)}${rng.digits(7)}`);
}

/** A PH mobile number (E.164) written in one of the formats people and ESPs use. */
export function formatPh(e164: string, format: PhoneFormat): string {
  const n = e164.slice(3); // 9171234567
  const a = n.slice(0, 3);
  const b = n.slice(3, 6);
  const c = n.slice(6);
  switch (format) {
    case 'local':
      return `0${n}`;
    case 'local-spaced':
      return `0${a} ${b} ${c}`;
    case 'intl-spaced':
      return `+63 ${a} ${b} ${c}`;
    case 'e164':
      return e164;
    case 'intl-no-plus':
      return `63${n}`;
    case 'national':
      return n;
    case 'paren':
      return `(0${a}) ${b}-${c}`;
    case 'dashed':
      return `0${a}-${b}-${c}`;
  }
}

/** Whether a written PH number needs the country code to be read (no trunk 0, no 63). */
export function isBareNational(format: PhoneFormat): boolean {
  return format === 'national';
}

/** A mobile number of another country in E.164. */
export function foreignMobile(rng: Rng, unique: Unique, country: string): string {
  return unique.fresh(() => {
    switch (country) {
      case 'NG':
        return `+234${rng.pick(['803', '806', '813', '816', '703', '706', '810', '903', '906'])}${rng.digits(7)}`;
      case 'CI':
        return `+225${rng.pick(['07', '05', '01'])}${rng.digits(8)}`;
      case 'US':
      case 'CA':
        return `+1${rng.int(2, 9)}${rng.digits(2)}${rng.int(2, 9)}${rng.digits(6)}`;
      case 'AU':
        return `+614${rng.digits(8)}`;
      case 'GB':
        return `+447${rng.digits(9)}`;
      default:
        return `+${rng.int(30, 49)}${rng.digits(9)}`;
    }
  });
}

/** A foreign number (E.164) written one of the ways people write their own number. */
export function formatForeign(e164: string, rng: Rng): string {
  const style = rng.int(0, 3);
  if (e164.startsWith('+234')) {
    const n = e164.slice(4);
    return [e164, `0${n}`, `+234 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `234${n}`][style]!;
  }
  if (e164.startsWith('+225')) {
    const n = e164.slice(4);
    return [e164, n, `+225 ${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6, 8)} ${n.slice(8)}`, `225${n}`][style]!;
  }
  if (e164.startsWith('+1')) {
    const n = e164.slice(2);
    return [e164, `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, `1${n}`][style]!;
  }
  if (e164.startsWith('+61')) {
    const n = e164.slice(3);
    return [e164, `0${n}`, `+61 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`][style]!;
  }
  if (e164.startsWith('+44')) {
    const n = e164.slice(3);
    return [e164, `0${n}`, `+44 ${n.slice(0, 4)} ${n.slice(4)}`, `0${n.slice(0, 4)} ${n.slice(4)}`][style]!;
  }
  return e164;
}
