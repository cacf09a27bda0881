import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

import type { WarninglistFile } from '../model/warninglist.ts';
import { badInput } from '../model/error.ts';

export type { WarninglistFile };

/** A warninglist hit: which list matched the value. */
export interface WarninglistHit {
  list: string;
  type: string;
}

/** Checks a parsed JSON value against the warninglist file format; throws a readable error. */
export function parseWarninglist(json: unknown, origin: string): WarninglistFile {
  const w = json as Partial<WarninglistFile>;
  if (typeof json !== 'object' || json === null || typeof w.name !== 'string' || typeof w.type !== 'string' || !Array.isArray(w.list)) {
    throw badInput('BAD_WARNINGLIST', `${origin} is not a MISP warninglist (it needs "name", "type" and "list")`);
  }
  if (!w.list.every((x) => typeof x === 'string')) throw badInput('BAD_WARNINGLIST', `${origin}: every entry of "list" must be a string`);
  return w as WarninglistFile;
}

// IPv4 ranges as merged [start, end] pairs of unsigned 32-bit numbers, IPv6 as BigInt pairs:
// a lookup is one binary search whatever the list size (the VPN list has 42,000 ranges).
class RangeSet<T extends number | bigint> {
  private starts: T[] = [];
  private ends: T[] = [];

  constructor(ranges: [T, T][]) {
    ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [s, e] of ranges) {
      const last = this.ends.length - 1;
      if (last >= 0 && s <= this.ends[last]!) {
        if (e > this.ends[last]!) this.ends[last] = e;
      } else {
        this.starts.push(s);
        this.ends.push(e);
      }
    }
  }

  has(x: T): boolean {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (x < this.starts[mid]!) hi = mid - 1;
      else if (x > this.ends[mid]!) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

function v4ToNumber(a: ipaddr.IPv4): number {
  const [b0, b1, b2, b3] = a.octets as [number, number, number, number];
  return ((b0 << 24) >>> 0) + (b1 << 16) + (b2 << 8) + b3;
}

function v6ToBigInt(a: ipaddr.IPv6): bigint {
  return a.parts.reduce((acc, p) => (acc << 16n) + BigInt(p), 0n);
}

function toRanges(entries: string[]): { v4: RangeSet<number>; v6: RangeSet<bigint>; bad: string[] } {
  const v4: [number, number][] = [];
  const v6: [bigint, bigint][] = [];
  const bad: string[] = [];
  for (const entry of entries) {
    try {
      const [addr, bits] = entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.parse(entry), entry.includes(':') ? 128 : 32];
      if (addr.kind() === 'ipv4') {
        const start = v4ToNumber(addr as ipaddr.IPv4);
        const size = 2 ** (32 - bits);
        const base = start - (start % size);
        v4.push([base, base + size - 1]);
      } else {
        const start = v6ToBigInt(addr as ipaddr.IPv6);
        const size = 1n << BigInt(128 - bits);
        const base = start - (start % size);
        v6.push([base, base + size - 1n]);
      }
    } catch {
      bad.push(entry);
    }
  }
  return { v4: new RangeSet(v4), v6: new RangeSet(v6), bad };
}

function regexOf(entry: string): RegExp | undefined {
  // Entries are written "/pattern/flags"; the g flag would make test() stateful, so it is dropped.
  const m = /^\/(.*)\/([a-z]*)$/s.exec(entry);
  try {
    return m ? new RegExp(m[1]!, m[2]!.replace('g', '')) : new RegExp(entry);
  } catch {
    return undefined;
  }
}

/** A compiled warninglist that answers "is this value on the list". */
export class Warninglist {
  readonly name: string;
  readonly type: string;
  /** Entries that could not be read (bad CIDR, bad regex); reported, never fatal. */
  readonly unreadable: string[] = [];
  private readonly test: (value: string) => boolean;

  constructor(file: WarninglistFile) {
    this.name = file.name;
    this.type = file.type;
    switch (file.type) {
      case 'cidr': {
        const { v4, v6, bad } = toRanges(file.list);
        for (const b of bad) this.unreadable.push(b);
        this.test = (value) => {
          const text = value.trim();
          if (!ipaddr.isValid(text)) return false;
          let a = ipaddr.parse(text);
          if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
          return a.kind() === 'ipv4' ? v4.has(v4ToNumber(a as ipaddr.IPv4)) : v6.has(v6ToBigInt(a as ipaddr.IPv6));
        };
        break;
      }
      case 'string': {
        const set = new Set(file.list.map((x) => x.trim().toLowerCase()));
        this.test = (value) => set.has(value.trim().toLowerCase());
        break;
      }
      case 'hostname': {
        const set = new Set(file.list.map((x) => x.trim().toLowerCase().replace(/\.$/, '')));
        this.test = (value) => {
          let host = value.trim().toLowerCase();
          try {
            if (/^[a-z]+:\/\//.test(host)) host = new URL(host).hostname;
          } catch {
            return false;
          }
          for (let h = host.replace(/\.$/, ''); h; h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : '') {
            if (set.has(h)) return true;
          }
          return false;
        };
        break;
      }
      case 'substring': {
        const items = file.list.map((x) => x.trim().toLowerCase()).filter(Boolean);
        this.test = (value) => {
          const v = value.toLowerCase();
          return items.some((x) => v.includes(x));
        };
        break;
      }
      case 'regex': {
        const res: RegExp[] = [];
        for (const entry of file.list) {
          const re = regexOf(entry);
          if (re) res.push(re);
          else this.unreadable.push(entry);
        }
        this.test = (value) => res.some((re) => re.test(value));
        break;
      }
      default:
        throw badInput(
          'BAD_WARNINGLIST',
          `warninglist "${file.name}" has type "${file.type}", which Bantay cannot match (cidr, string, hostname, substring, regex)`,
        );
    }
  }

  /** Whether the value is on this list. */
  has(value: string): boolean {
    return this.test(value);
  }
}

/** Several warninglists; a value's hits name every list it is on. */
export class WarninglistSet {
  private readonly lists: Warninglist[];
  /** Names the lists and their content, so that a result can say which lists made it. */
  readonly fingerprint: string;

  /** Compiles the given warninglist files. */
  constructor(files: WarninglistFile[]) {
    this.lists = files.map((f) => new Warninglist(f));
    const digest = createHash('sha256');
    for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) digest.update(JSON.stringify([f.name, f.type, f.list]));
    this.fingerprint = files.length === 0 ? 'none' : `${files.length} list(s) ${digest.digest('hex').slice(0, 12)}`;
  }

  /** Every list the value is on. */
  hits(value: string): WarninglistHit[] {
    return this.lists.filter((l) => l.has(value)).map((l) => ({ list: l.name, type: l.type }));
  }

  /** The compiled lists. */
  all(): readonly Warninglist[] {
    return this.lists;
  }
}
