// Address pools for IP capture events and NCMEC's look-ups. Philippine ISP prefixes and ASNs are
// plausible rather than authoritative (the generator needs realistic-looking, stable values, not a
// routing table). VPN/hosting, relay and public-DNS ranges were taken from the MISP warninglists in
// ../shared/data/warninglists (vpn-ipv4, icloud-private-relay, public-dns-v4) so that Bantay's own
// warninglist checks recognise them; they are copied here because the generator never reads
// ../shared at run time.

/** An ISP and the address ranges it hands out. */
export interface Network {
  isp: string;
  asn: string;
  country: string;
  /** IPv4 CIDRs. */
  v4: readonly string[];
  /** IPv6 /32 prefixes written as 'xxxx:xxxx'; empty when unused. */
  v6: readonly string[];
  /** Where NCMEC's geolocation puts this network's users when it cannot do better. */
  city: string;
  region: string;
}

/** Philippine mobile operators: their public addresses sit behind carrier-grade NAT. */
export const PH_MOBILE: readonly Network[] = [
  { isp: 'Globe Telecom', asn: 'AS132199', country: 'PH', v4: ['112.198.0.0/16', '180.190.0.0/16'], v6: ['2001:4451'], city: 'Quezon City', region: 'NCR' },
  {
    isp: 'Smart Communications',
    asn: 'AS10139',
    country: 'PH',
    v4: ['110.54.128.0/17', '175.176.0.0/16'],
    v6: ['2001:4455'],
    city: 'Makati City',
    region: 'NCR',
  },
  { isp: 'DITO Telecommunity', asn: 'AS139831', country: 'PH', v4: ['131.226.96.0/19'], v6: ['2407:c400'], city: 'Cebu City', region: 'Central Visayas' },
];

/** Shares of the mobile operators among PH mobile users. */
export const PH_MOBILE_WEIGHTS: readonly number[] = [0.48, 0.42, 0.1];

/** Philippine fixed broadband: one address per subscriber line, geolocated to the province. */
export const PH_FIXED: readonly Network[] = [
  { isp: 'PLDT', asn: 'AS9299', country: 'PH', v4: ['112.200.0.0/16', '49.145.0.0/16', '122.2.0.0/16'], v6: [], city: 'Manila', region: 'NCR' },
  { isp: 'Converge ICT Solutions', asn: 'AS17639', country: 'PH', v4: ['136.158.0.0/16', '122.52.0.0/16'], v6: [], city: 'Pasig City', region: 'NCR' },
  { isp: 'Globe Telecom', asn: 'AS4775', country: 'PH', v4: ['124.106.0.0/16', '180.191.0.0/16'], v6: [], city: 'Taguig City', region: 'NCR' },
  { isp: 'Sky Broadband', asn: 'AS23944', country: 'PH', v4: ['182.18.192.0/18'], v6: [], city: 'Quezon City', region: 'NCR' },
];

/** Shares of the fixed-line ISPs. */
export const PH_FIXED_WEIGHTS: readonly number[] = [0.45, 0.35, 0.15, 0.05];

/** VPN and hosting ranges (all listed in MISP's vpn-ipv4 warninglist). */
export const VPN: readonly Network[] = [
  { isp: 'The Constant Company (Vultr)', asn: 'AS20473', country: 'SG', v4: ['45.32.0.0/16'], v6: [], city: 'Singapore', region: 'Singapore' },
  { isp: 'DigitalOcean', asn: 'AS14061', country: 'SG', v4: ['139.59.0.0/16', '143.244.32.0/19'], v6: [], city: 'Singapore', region: 'Singapore' },
  { isp: 'DataCamp Limited', asn: 'AS60068', country: 'HK', v4: ['89.187.160.0/19'], v6: [], city: 'Hong Kong', region: 'Hong Kong' },
  { isp: 'Tor exit (relay operator)', asn: 'AS208294', country: 'DE', v4: ['185.220.101.0/24'], v6: [], city: 'Frankfurt am Main', region: 'Hesse' },
  { isp: 'M247 Europe', asn: 'AS9009', country: 'NL', v4: ['194.5.48.0/23'], v6: [], city: 'Amsterdam', region: 'North Holland' },
  { isp: 'Hosting provider', asn: 'AS133752', country: 'JP', v4: ['103.107.196.0/22'], v6: [], city: 'Tokyo', region: 'Tokyo' },
];

/** iCloud Private Relay-like egress ranges (from MISP's icloud-private-relay warninglist). */
export const RELAY: readonly Network[] = [
  {
    isp: 'Akamai (Private Relay egress)',
    asn: 'AS36183',
    country: 'PH',
    v4: ['172.226.2.0/25', '172.225.134.0/24', '172.226.20.0/24'],
    v6: [],
    city: 'Manila',
    region: 'NCR',
  },
  {
    isp: 'Cloudflare (Private Relay egress)',
    asn: 'AS13335',
    country: 'PH',
    v4: ['104.28.146.128/25', '104.28.101.128/26'],
    v6: [],
    city: 'Manila',
    region: 'NCR',
  },
];

/** Public DNS resolvers, written by some ESPs as if they were a user's address. */
export const PUBLIC_DNS: readonly { ip: string; isp: string; asn: string; country: string }[] = [
  { ip: '8.8.8.8', isp: 'Google LLC', asn: 'AS15169', country: 'US' },
  { ip: '8.8.4.4', isp: 'Google LLC', asn: 'AS15169', country: 'US' },
  { ip: '1.1.1.1', isp: 'Cloudflare, Inc.', asn: 'AS13335', country: 'AU' },
  { ip: '1.0.0.1', isp: 'Cloudflare, Inc.', asn: 'AS13335', country: 'AU' },
  { ip: '9.9.9.9', isp: 'Quad9', asn: 'AS19281', country: 'US' },
  { ip: '208.67.222.222', isp: 'Cisco OpenDNS', asn: 'AS36692', country: 'US' },
];

/** Networks of other countries, for offenders and payers abroad. */
export const FOREIGN: Readonly<Record<string, readonly Network[]>> = {
  NG: [
    { isp: 'MTN Nigeria', asn: 'AS29465', country: 'NG', v4: ['102.89.0.0/16', '197.210.0.0/16'], v6: [], city: 'Lagos', region: 'Lagos' },
    { isp: 'Airtel Networks Nigeria', asn: 'AS36873', country: 'NG', v4: ['105.112.0.0/16'], v6: [], city: 'Abuja', region: 'FCT' },
  ],
  CI: [
    { isp: "Orange Cote d'Ivoire", asn: 'AS29571', country: 'CI', v4: ['160.154.0.0/16'], v6: [], city: 'Abidjan', region: 'Abidjan' },
    { isp: "MTN Cote d'Ivoire", asn: 'AS36974', country: 'CI', v4: ['102.67.0.0/16'], v6: [], city: 'Abidjan', region: 'Abidjan' },
  ],
  US: [
    { isp: 'Comcast Cable Communications', asn: 'AS7922', country: 'US', v4: ['73.0.0.0/10'], v6: [], city: 'Houston', region: 'Texas' },
    { isp: 'Charter Communications', asn: 'AS20115', country: 'US', v4: ['24.160.0.0/12'], v6: [], city: 'Phoenix', region: 'Arizona' },
  ],
  AU: [{ isp: 'Telstra', asn: 'AS1221', country: 'AU', v4: ['1.128.0.0/11'], v6: [], city: 'Sydney', region: 'New South Wales' }],
  GB: [{ isp: 'British Telecommunications', asn: 'AS2856', country: 'GB', v4: ['86.128.0.0/10'], v6: [], city: 'London', region: 'England' }],
  CA: [{ isp: 'Rogers Communications', asn: 'AS812', country: 'CA', v4: ['99.224.0.0/11'], v6: [], city: 'Toronto', region: 'Ontario' }],
  DE: [{ isp: 'Deutsche Telekom', asn: 'AS3320', country: 'DE', v4: ['79.192.0.0/10'], v6: [], city: 'Berlin', region: 'Berlin' }],
  NL: [{ isp: 'KPN', asn: 'AS1136', country: 'NL', v4: ['77.160.0.0/12'], v6: [], city: 'Rotterdam', region: 'South Holland' }],
  FR: [{ isp: 'Orange', asn: 'AS3215', country: 'FR', v4: ['90.0.0.0/9'], v6: [], city: 'Lyon', region: 'Auvergne-Rhone-Alpes' }],
  JP: [{ isp: 'NTT Communications (OCN)', asn: 'AS4713', country: 'JP', v4: ['153.128.0.0/10'], v6: [], city: 'Osaka', region: 'Osaka' }],
  SG: [{ isp: 'Singtel', asn: 'AS9506', country: 'SG', v4: ['116.86.0.0/15'], v6: [], city: 'Singapore', region: 'Singapore' }],
  SA: [{ isp: 'Saudi Telecom Company', asn: 'AS25019', country: 'SA', v4: ['188.48.0.0/13'], v6: [], city: 'Riyadh', region: 'Riyadh' }],
  SE: [{ isp: 'Telia', asn: 'AS3301', country: 'SE', v4: ['78.64.0.0/12'], v6: [], city: 'Stockholm', region: 'Stockholm' }],
  NO: [{ isp: 'Telenor', asn: 'AS2119', country: 'NO', v4: ['84.208.0.0/13'], v6: [], city: 'Oslo', region: 'Oslo' }],
  CH: [{ isp: 'Swisscom', asn: 'AS3303', country: 'CH', v4: ['178.192.0.0/11'], v6: [], city: 'Zurich', region: 'Zurich' }],
  IT: [{ isp: 'Telecom Italia', asn: 'AS3269', country: 'IT', v4: ['79.0.0.0/10'], v6: [], city: 'Milan', region: 'Lombardy' }],
};

/** RFC 6598 shared address space: ISP-internal, leaks into reports, never a subscriber key. */
export const RFC6598_CIDR = '100.64.0.0/10';
