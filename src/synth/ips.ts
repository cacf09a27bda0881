// IP addresses and what NCMEC's look-up says about them. PH mobile users share a small pool of
// carrier-grade NAT addresses (hundreds of unrelated users each, domain.md §7.2); fixed lines get
// an address of their own; VPN, relay and public-DNS values come from small shared pools (§7.3).
import { FOREIGN, PH_FIXED, PH_FIXED_WEIGHTS, PH_MOBILE, PH_MOBILE_WEIGHTS, PUBLIC_DNS, RELAY, RFC6598_CIDR, VPN, type Network } from './data/networks.ts';
import type { Province } from './data/provinces.ts';
import type { SynthParams } from './params.ts';
import { Unique } from './phones.ts';
import type { Rng } from './rng.ts';

/** What kind of address an event carries; decides sharing, geolocation and trap truth. */
export type IpKind = 'cgnat' | 'cgnat-internal' | 'mobile-v6' | 'fixed' | 'vpn' | 'relay' | 'public-dns' | 'foreign';

/** An address with NCMEC's look-up of it. */
export interface IpAddr {
  ip: string;
  kind: IpKind;
  isp: string;
  asn: string;
  country: string;
  city: string;
  region: string;
}

function parseCidr(cidr: string): { base: number; size: number } {
  const [addr, bits] = cidr.split('/');
  const parts = addr!.split('.').map(Number);
  const base = ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
  return { base, size: 2 ** (32 - Number(bits)) };
}

function v4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** A random host address inside a CIDR (avoiding the first and last). */
export function addressIn(rng: Rng, cidr: string): string {
  const { base, size } = parseCidr(cidr);
  if (size <= 2) return v4Text(base + rng.int(0, size - 1));
  return v4Text(base + rng.int(1, size - 2));
}

function fromNetwork(rng: Rng, net: Network, kind: IpKind): IpAddr {
  return { ip: addressIn(rng, rng.pick(net.v4)), kind, isp: net.isp, asn: net.asn, country: net.country, city: net.city, region: net.region };
}

/** The shared address pools of one stream and the draws that use them. */
export class IpPools {
  readonly cgnat: IpAddr[] = [];
  readonly cgnatInternal: IpAddr[] = [];
  readonly vpn: IpAddr[] = [];
  readonly relay: IpAddr[] = [];
  private readonly unique = new Unique();
  private readonly p: SynthParams['ip'];

  /** Builds the pools; `expectedMobileEvents` sizes the CGNAT pool when it is not fixed. */
  constructor(rng: Rng, params: SynthParams['ip'], expectedMobileEvents: number) {
    this.p = params;
    const size =
      params.cgnatPoolSize > 0 ? Math.round(params.cgnatPoolSize) : Math.max(8, Math.round(expectedMobileEvents / Math.max(1, params.cgnatUsersPerAddress)));
    for (let i = 0; i < size; i++) {
      const net = PH_MOBILE[rng.weightedIndex(PH_MOBILE_WEIGHTS)]!;
      this.cgnat.push(this.fresh(rng, net, 'cgnat'));
    }
    for (let i = 0; i < Math.max(1, params.cgnatInternalPoolSize); i++) {
      const ip = this.unique.fresh(() => addressIn(rng, RFC6598_CIDR));
      // NCMEC's look-up cannot place an ISP-internal address: no country, city or ISP.
      this.cgnatInternal.push({ ip, kind: 'cgnat-internal', isp: '', asn: '', country: '', city: '', region: '' });
    }
    const vpnCount = Math.max(2, Math.round(params.vpnPoolSize));
    for (let i = 0; i < vpnCount; i++) {
      this.vpn.push(this.fresh(rng, VPN[i % VPN.length]!, 'vpn'));
      this.relay.push(this.fresh(rng, RELAY[i % RELAY.length]!, 'relay'));
    }
  }

  private fresh(rng: Rng, net: Network, kind: IpKind): IpAddr {
    let a = fromNetwork(rng, net, kind);
    while (!this.unique.tryTake(a.ip)) a = fromNetwork(rng, net, kind);
    return a;
  }

  /** An address of a PH mobile user: a shared CGNAT address, sometimes an internal leak or IPv6. */
  mobile(rng: Rng): IpAddr {
    if (rng.chance(this.p.ipv6Share)) {
      const net = PH_MOBILE[rng.weightedIndex(PH_MOBILE_WEIGHTS)]!;
      const prefix = rng.pick(net.v6);
      const ip = this.unique.fresh(() =>
        `${prefix}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}`.replace(/:0+(?=[0-9a-f])/g, ':'),
      );
      return { ip, kind: 'mobile-v6', isp: net.isp, asn: net.asn, country: 'PH', city: net.city, region: net.region };
    }
    if (rng.chance(this.p.cgnatInternalShare)) return rng.pick(this.cgnatInternal);
    return rng.pick(this.cgnat);
  }

  /** A fixed-line address of its own, geolocated to the subscriber's province. */
  fixed(rng: Rng, province: Province): IpAddr {
    const net = PH_FIXED[rng.weightedIndex(PH_FIXED_WEIGHTS)]!;
    const a = this.fresh(rng, net, 'fixed');
    return { ...a, city: rng.pick(province.places), region: province.region };
  }

  /** One of the shared VPN / hosting egress addresses. */
  vpnAddr(rng: Rng): IpAddr {
    return rng.pick(this.vpn);
  }

  /** One of the shared relay egress addresses. */
  relayAddr(rng: Rng): IpAddr {
    return rng.pick(this.relay);
  }

  /** A public DNS resolver written as if it were the user's address. */
  publicDns(rng: Rng): IpAddr {
    const d = rng.pick(PUBLIC_DNS);
    return { ip: d.ip, kind: 'public-dns', isp: d.isp, asn: d.asn, country: d.country, city: '', region: '' };
  }

  /** A home address in another country. */
  foreign(rng: Rng, country: string): IpAddr {
    const nets = FOREIGN[country] ?? FOREIGN.US!;
    return this.fresh(rng, rng.pick(nets), 'foreign');
  }

  /** An address for an ordinary PH user's event, by the configured mix. */
  background(rng: Rng, province: Province, mobileUser: boolean): IpAddr {
    const p = this.p;
    const x = rng.float();
    let t = p.vpnShare;
    if (x < t) return this.vpnAddr(rng);
    t += p.relayShare;
    if (x < t) return this.relayAddr(rng);
    t += p.publicDnsShare;
    if (x < t) return this.publicDns(rng);
    t += p.foreignShare;
    if (x < t) return this.foreign(rng, rng.pick(['US', 'AU', 'GB']));
    return mobileUser ? this.mobile(rng) : this.fixed(rng, province);
  }
}
