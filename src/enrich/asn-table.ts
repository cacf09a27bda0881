// The ASN tables of the IP data (ip-location-db's CSV, about 400,000 IPv4 and 100,000 IPv6 ranges)
// as typed columns for binary search. Parsing the CSV leaves tens of MB of garbage that V8 keeps
// committed for the rest of the process, so a table is parsed in a short-lived child process and
// only the finished columns come back (src/store/database.ts does the same with PGlite's initdb).

import { closeSync, openSync, readSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { parse } from 'csv-parse/sync';
import { runChildSync } from '../runtime/worker.ts';

/** An address family of the tables. */
export type AsnFamily = 'ipv4' | 'ipv6';

/** ASN ranges of one address family, sorted by start, for binary search. */
export interface AsnTable<N> {
  size: number;
  starts: ArrayLike<N>;
  ends: ArrayLike<N>;
  asns: Int32Array;
  orgIndex: Int32Array;
  orgs: string[];
}

/** A column of numbers that grows as it fills: typed where the values fit, so that IPv4's 400,000 rows cost a few MB. */
interface Column<N> {
  put(i: number, v: N): void;
  readonly data: ArrayLike<N>;
}

function typedColumn<A extends Uint32Array | Int32Array>(make: (n: number) => A): Column<number> & { data: A } {
  let data = make(1 << 16);
  return {
    get data() {
      return data;
    },
    put(i, v) {
      if (i >= data.length) {
        const grown = make(data.length * 2);
        grown.set(data);
        data = grown;
      }
      data[i] = v;
    },
  };
}

// IPv6 addresses are 128 bits, wider than any typed array's element; its table is a quarter of IPv4's.
function bigintColumn(): Column<bigint> {
  const data: bigint[] = [];
  return {
    data,
    put(i, v) {
      data[i] = v;
    },
  };
}

// The tables are read in blocks of whole lines (1 MB at a time) rather than as one buffer parsed
// at once: loading them then costs little more than the columns kept. No field of these files
// spans lines, so a block that ends at a line break holds whole records.
const BLOCK = 1 << 20;

/** Parses one family's ASN table from its CSV (start, end, ASN, organisation per line). */
export function loadAsnTable<N>(file: string, column: () => Column<N>, toNumber: (s: string) => N): AsnTable<N> {
  const starts = column();
  const ends = column();
  const asns = typedColumn((n) => new Int32Array(n));
  const orgIndex = typedColumn((n) => new Int32Array(n));
  const orgs: string[] = [];
  const orgIds = new Map<string, number>();
  let size = 0;
  const take = (r: string[]): null => {
    starts.put(size, toNumber(r[0] ?? '0'));
    ends.put(size, toNumber(r[1] ?? '0'));
    asns.put(size, Number(r[2] ?? 0));
    const org = r[3] ?? '';
    let id = orgIds.get(org);
    if (id === undefined) {
      id = orgs.push(org) - 1;
      orgIds.set(org, id);
    }
    orgIndex.put(size, id);
    size++;
    return null;
  };
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(BLOCK);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, BLOCK, null);
      const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const cut = n === 0 ? chunk.length : chunk.lastIndexOf(0x0a) + 1;
      if (cut > 0) parse(chunk.subarray(0, cut), { relax_column_count: true, on_record: take });
      if (n === 0) break;
      carry = Buffer.from(chunk.subarray(cut));
    }
  } finally {
    closeSync(fd);
  }
  return { size, starts: starts.data, ends: ends.data, asns: asns.data, orgIndex: orgIndex.data, orgs };
}

/** The row whose range holds x, else -1. */
export function findRange<N>(t: AsnTable<N>, x: N): number {
  let lo = 0;
  let hi = t.size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.starts[mid]! <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && x <= t.ends[hi]! ? hi : -1;
}

/** How a family's numbers are read and kept: IPv4 in 32-bit columns, IPv6 (128 bits) as BigInts. */
export function parseAsnFile(family: AsnFamily, file: string): AsnTable<number> | AsnTable<bigint> {
  return family === 'ipv4' ? loadAsnTable(file, () => typedColumn((n) => new Uint32Array(n)), Number) : loadAsnTable(file, bigintColumn, BigInt);
}

/** One family's table parsed in a child process and handed back as structured-clone bytes; undefined when the child could not do it. */
export function parseInChild(family: 'ipv4', file: string): AsnTable<number> | undefined;
export function parseInChild(family: 'ipv6', file: string): AsnTable<bigint> | undefined;
export function parseInChild(family: AsnFamily, file: string): AsnTable<number> | AsnTable<bigint> | undefined {
  const r = runChildSync('asn-table-child', import.meta.url, [family, file], 256 << 20);
  return r.status === 0 && r.stdout.length > 0 ? (deserialize(r.stdout) as AsnTable<number> | AsnTable<bigint>) : undefined;
}

/** One family's table: from a child process, else (no child could start) parsed here, with the same result and more memory kept. */
export function readAsnTable(family: 'ipv4', file: string): AsnTable<number>;
export function readAsnTable(family: 'ipv6', file: string): AsnTable<bigint>;
export function readAsnTable(family: AsnFamily, file: string): AsnTable<number> | AsnTable<bigint> {
  return (family === 'ipv4' ? parseInChild('ipv4', file) : parseInChild('ipv6', file)) ?? parseAsnFile(family, file);
}
