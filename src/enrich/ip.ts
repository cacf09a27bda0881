import ipaddr from 'ipaddr.js';

/** What an IP address is, from built-in knowledge (RFC special-use ranges). */
export interface IpClass {
  /** The address in canonical text (IPv4 dotted, IPv6 compressed; IPv4-mapped IPv6 unwrapped). */
  ip: string;
  version: 4 | 6;
  /** ipaddr.js range name: unicast, private, carrierGradeNat, loopback, linkLocal, multicast, reserved, uniqueLocal, … */
  range: string;
  /** RFC 6598 shared address space (100.64.0.0/10): ISP-internal behind carrier-grade NAT. */
  cgnat: boolean;
  /** Not a public internet address (private, CGNAT, loopback, link-local, reserved, documentation…). */
  nonPublic: boolean;
}

// RFC 6598 is built in (ipaddr.js names it carrierGradeNat) so the product needs no data file
// to know that 100.64.0.0/10 is never a subscriber's address.
const PUBLIC_RANGES = new Set(['unicast', 'ipv4Mapped', '6to4', 'teredo']);

/** Parses and classifies an IP address; undefined when the text is not an IP address. */
export function classifyIp(raw: string): IpClass | undefined {
  const text = raw.trim().replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(text)) return undefined;
  let addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  // ipaddr.isValid accepts legacy forms such as "10.1" and octal; only the four-part form is an IPv4 address here.
  if (addr.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(text) && !text.includes(':')) return undefined;
  const range = addr.range();
  return {
    ip: addr.toString(),
    version: addr.kind() === 'ipv4' ? 4 : 6,
    range,
    cgnat: range === 'carrierGradeNat',
    nonPublic: !PUBLIC_RANGES.has(range),
  };
}
