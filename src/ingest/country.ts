// Country names as NCMEC writes them ("Philippines", "United States") to ISO 3166-1 alpha-2
// codes, through the i18n-iso-countries tables (English names and their common aliases), so a
// report's routed country is the same two letters whether it came from the XML envelope's
// @country or from LE JSON's additionalNcmecInformation.internationalCountry.

import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries/index.js';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/en.json') as Parameters<typeof countries.registerLocale>[0]);

/** A country as written, read: its alpha-2 code when known, and the name when it was written as one. */
export interface CountryReading {
  /** ISO 3166-1 alpha-2, upper case; absent when the text names no country Bantay knows. */
  code?: string;
  /** The text as written, when it was a name (or an alpha-3 code) rather than an alpha-2 code. */
  name?: string;
}

// Folded names ("vietnam" for "Viet Nam"): letters only, lower case, accents dropped.
function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

let folded: Map<string, string> | undefined;

function byFoldedName(name: string): string | undefined {
  if (!folded) {
    folded = new Map();
    for (const [code, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
      for (const n of names) folded.set(fold(n), code);
    }
  }
  return folded.get(fold(name));
}

/**
 * Reads a country written as an alpha-2 code, an alpha-3 code or an English name (with the
 * usual aliases: "USA", "South Korea", "Viet Nam"). Empty text reads as nothing.
 */
export function readCountry(written: string): CountryReading {
  const t = written.trim();
  if (t === '') return {};
  if (/^[A-Za-z]{2}$/.test(t) && countries.isValid(t.toUpperCase())) return { code: t.toUpperCase() };
  if (/^[A-Za-z]{3}$/.test(t)) {
    const a2 = countries.alpha3ToAlpha2(t.toUpperCase());
    if (a2) return { code: a2, name: written };
  }
  const code = countries.getAlpha2Code(t, 'en') ?? countries.getSimpleAlpha2Code(t, 'en') ?? byFoldedName(t);
  if (code) return { code, name: written };
  // Two letters that are no assigned code (a user-assigned "XX") are still written as a code.
  return /^[A-Za-z]{2}$/.test(t) ? { code: t.toUpperCase() } : { name: written };
}

/** The English name of an alpha-2 code (the short name NCMEC writes: "Philippines"), or undefined. */
export function countryName(code: string): string | undefined {
  return countries.getName(code.trim().toUpperCase(), 'en', { select: 'official' });
}
