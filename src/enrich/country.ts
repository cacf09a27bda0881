import { getCountries } from 'libphonenumber-js/max';

// Reports name countries as ISO 3166 codes (the XSD's `country` type, NCMEC's envelope) or, in
// addresses, as names ("Country name or two letter country code"). English names come from the
// runtime's own CLDR data (Intl.DisplayNames), so no table is kept here; the few common short
// forms CLDR does not give are added. A1, A2 and O1 (anonymous proxy, satellite, other) are no
// country.
const ALIASES: Readonly<Record<string, string>> = {
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'republic of the philippines': 'PH',
  pilipinas: 'PH',
  filipinas: 'PH',
  'south korea': 'KR',
  korea: 'KR',
  'north korea': 'KP',
  russia: 'RU',
  vietnam: 'VN',
  'viet nam': 'VN',
  uae: 'AE',
  'hong kong': 'HK',
  macau: 'MO',
  'czech republic': 'CZ',
  turkey: 'TR',
  holland: 'NL',
  burma: 'MM',
  'ivory coast': 'CI',
};

let byName: Map<string, string> | undefined;
let codes: Set<string> | undefined;

function names(): Map<string, string> {
  if (byName) return byName;
  const m = new Map<string, string>();
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  for (const code of getCountries()) {
    const name = display.of(code);
    if (name && name !== code) m.set(fold(name), code);
  }
  for (const [k, v] of Object.entries(ALIASES)) m.set(fold(k), v);
  byName = m;
  return m;
}

function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The ISO 3166-1 alpha-2 code of a country written as a code or an English name; undefined when it names none. */
export function countryCode(raw: string | null | undefined): string | undefined {
  const t = raw?.trim();
  if (!t) return undefined;
  if (/^[a-z]{2}$/i.test(t)) {
    const up = t.toUpperCase();
    return (codes ??= new Set(getCountries())).has(up) ? up : undefined;
  }
  return names().get(fold(t)) ?? names().get(fold(t.replace(/^the\s+/i, '')));
}
