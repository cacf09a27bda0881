// Which reverse proxies may set the client address: `--trust-proxy 10.0.0.5,192.168.1.0/24`.
// X-Forwarded-For is believed only from these addresses; from anyone else it is ignored and the
// socket's address is the client's (fastify's trustProxy list, through proxy-addr).
import ipaddr from 'ipaddr.js';
import { badInput } from '../model/error.ts';

// proxy-addr's names for whole ranges.
const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses a comma-separated list of proxy addresses or CIDR ranges; throws with the first bad entry. */
export function parseTrustedProxies(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const ok = NAMED.has(entry) || (entry.includes('/') ? isCidr(entry) : ipaddr.isValid(entry));
    if (!ok) throw badInput('BAD_OPTION', `--trust-proxy: "${entry}" is not an IP address, a CIDR range (10.0.0.0/8) or one of ${[...NAMED].join(', ')}`);
    out.push(entry);
  }
  if (out.length === 0)
    throw badInput('BAD_OPTION', '--trust-proxy needs the addresses of your reverse proxies, e.g. --trust-proxy 127.0.0.1 or --trust-proxy 10.0.0.0/24');
  return out;
}

function isCidr(s: string): boolean {
  try {
    ipaddr.parseCIDR(s);
    return true;
  } catch {
    return false;
  }
}
