import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import { placeholderReason } from './placeholder.ts';

/**
 * Where the default region of a number written in national form came from (domain.md §7.6), in
 * the order they are tried: NCMEC's routed or international country, the party's own address,
 * the ESP's estimate of the party's location, the reporter's country, the IP's country, and last
 * the agency's home region (NCMEC routed the report to it).
 */
export type RegionSource =
  'international' | 'calling-code' | 'ncmec-country' | 'party-address' | 'estimated-location' | 'reporter-country' | 'ip-country' | 'home';

/** A candidate default region for a number written without its country code. */
export interface RegionHint {
  region: string;
  source: RegionSource;
}

// Hints about the party or the report itself. The reporter's country is where the ESP is, not the
// user; an IP's country is wrong behind VPNs, relays and roaming: a number readable only with
// those is weak evidence.
// Number types a person holds (libphonenumber's types); the others are services.
const PERSONAL: ReadonlySet<string> = new Set(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER', 'VOIP', 'PAGER', 'UNKNOWN']);
const STRONG_SOURCES: ReadonlySet<RegionSource> = new Set(['international', 'calling-code', 'ncmec-country', 'party-address', 'estimated-location', 'home']);

/** A phone number brought to E.164, or why it could not be. */
export type PhoneResult =
  | {
      ok: true;
      e164: string;
      country: string | null;
      type: NumberType | 'UNKNOWN';
      raw: string;
      /** Which hint gave the reading (`international` when the number carried its country code). */
      hint: RegionSource;
      /** The default region used for a national form. */
      region?: string;
      /** Other valid readings under other plausible regions: the number is ambiguous. */
      alternatives: string[];
      /** Strong when read unambiguously with a strong hint; weak otherwise (never a strong link). */
      confidence: 'strong' | 'weak';
    }
  | { ok: false; reason: 'placeholder' | 'unparseable' | 'invalid'; raw: string; detail?: string };

/** Options of reading a phone number. */
export interface PhoneOptions {
  /** Candidate regions for a national form, best first. */
  hints?: RegionHint[];
  /** The report's countryCallingCode attribute (`+63`), used when the number has no prefix. */
  countryCallingCode?: string;
  /** The agency's home region, tried last (default PH). */
  home?: CountryCode;
}

/**
 * Reads a phone number as people write it, in any country's national or international form
 * (`0917 123 4567`, `011 15 2345-6789` for Buenos Aires, `07911 123456`, `(202) 456-1111`,
 * `+63 917…`, `0063…`, `tel:`). A national form is read with each hint's region in turn; the
 * first valid reading wins, and a second valid reading under another plausible region makes it
 * ambiguous (weak).
 */
export function readPhone(raw: string, opts: PhoneOptions = {}): PhoneResult {
  const blank = placeholderReason(raw, 'phone');
  if (blank) return { ok: false, reason: 'placeholder', raw, detail: blank };
  let text = raw.trim().replace(/^tel:/i, '');
  const digits = text.replace(/\D/g, '');
  if (!text.startsWith('+') && text.startsWith('00')) text = `+${digits.slice(2)}`;
  if (text.startsWith('+')) return finish(parsePhoneNumberFromString(text), raw, { hint: 'international', alternatives: [] });

  const cc = opts.countryCallingCode?.replace(/\D/g, '');
  if (cc) {
    const withCode = digits.startsWith('0') ? parsePhoneNumberFromString(text, { defaultCallingCode: cc }) : parsePhoneNumberFromString(`+${cc}${digits}`);
    if (withCode && isKnownNumber(withCode)) return finish(withCode, raw, { hint: 'calling-code', alternatives: [] });
  }

  const readings: { parsed: PhoneNumber; hint: RegionHint }[] = [];
  let parsedAny = false;
  for (const hint of candidates(opts)) {
    const parsed = parsePhoneNumberFromString(text, hint.region as CountryCode);
    if (!parsed) continue;
    parsedAny = true;
    if (isKnownNumber(parsed)) readings.push({ parsed, hint });
  }
  // A person's number is a mobile, fixed or personal line: "0917 123 4567" read as a British
  // premium-rate service is not a second reading of a Philippine mobile. Service numbers count
  // only when nothing else reads.
  const personal = readings.filter((r) => PERSONAL.has(r.parsed.getType() ?? 'UNKNOWN'));
  const pool = personal.length > 0 ? personal : readings;
  const first = pool[0];
  if (!first) return { ok: false, reason: parsedAny ? 'invalid' : 'unparseable', raw };
  // Another reading makes a strong one ambiguous only when a strong hint supports it too: an IP's
  // country (a VPN, roaming) does not cast doubt on the country NCMEC routed the report to.
  const plausible = STRONG_SOURCES.has(first.hint.source) ? pool.filter((r) => STRONG_SOURCES.has(r.hint.source)) : pool;
  const alternatives = [...new Set(plausible.map((r) => r.parsed.number as string))].filter((n) => n !== first.parsed.number);
  return finish(first.parsed, raw, { hint: first.hint.source, region: first.hint.region, alternatives });
}

/** Normalises a phone number with one default region (PH unless told); see readPhone for hints. */
export function normalisePhone(raw: string, opts: { defaultCountry?: CountryCode; countryCallingCode?: string } = {}): PhoneResult {
  return readPhone(raw, { home: opts.defaultCountry ?? 'PH', ...(opts.countryCallingCode ? { countryCallingCode: opts.countryCallingCode } : {}) });
}

/**
 * The hints in order, each region once, the home region last; regions libphonenumber does not know
 * are skipped. A region named by several hints keeps its first place and the strongest of their
 * sources (the report's IP and the home region both saying PH: read as PH, from the home region).
 */
function candidates(opts: PhoneOptions): RegionHint[] {
  const out = new Map<string, RegionHint>();
  for (const h of [...(opts.hints ?? []), { region: opts.home ?? 'PH', source: 'home' as const }]) {
    const region = h.region.trim().toUpperCase();
    if (!isSupportedCountry(region)) continue;
    const had = out.get(region);
    if (!had) out.set(region, { region, source: h.source });
    else if (!STRONG_SOURCES.has(had.source) && STRONG_SOURCES.has(h.source)) had.source = h.source;
  }
  return [...out.values()];
}

function finish(parsed: PhoneNumber | undefined, raw: string, r: { hint: RegionSource; region?: string; alternatives: string[] }): PhoneResult {
  if (!parsed) return { ok: false, reason: 'unparseable', raw };
  if (!isKnownNumber(parsed)) return { ok: false, reason: 'invalid', raw };
  const fictional = fictionalRange(parsed);
  if (fictional) return { ok: false, reason: 'placeholder', raw, detail: fictional };
  const confidence = STRONG_SOURCES.has(r.hint) && r.alternatives.length === 0 ? 'strong' : 'weak';
  const byShape = !parsed.isValid();
  return {
    ok: true,
    e164: parsed.number,
    country: parsed.country ?? (byShape ? 'PH' : null),
    type: byShape ? 'MOBILE' : (parsed.getType() ?? 'UNKNOWN'),
    raw,
    hint: r.hint,
    ...(r.region ? { region: r.region } : {}),
    alternatives: r.alternatives,
    confidence,
  };
}

// A Philippine mobile is 09 and nine digits, +63 9… in E.164 (domain.md §8). libphonenumber's
// table of allocated ranges lags the NTC's allocations (1.13.16 lacks 0913, 0940 and 0941), and
// what links two reports is the same digits, not the table: a number of that shape is read as a
// Philippine mobile whether or not its prefix is listed yet.
function isKnownNumber(p: PhoneNumber): boolean {
  return p.isValid() || (p.countryCallingCode === '63' && /^9\d{9}$/.test(p.nationalNumber as string));
}

// Ranges set aside for films and examples, which therefore appear in forms and tests: NANPA's
// 555-0100 to 555-0199 and Ofcom's drama numbers (mobile 07700 900xxx, 01632 960xxx, London
// 020 7946 0xxx). MISP's "phone_numbers" warninglist lists these with a few more countries.
function fictionalRange(p: PhoneNumber): string | undefined {
  const n = p.nationalNumber as string;
  if (p.countryCallingCode === '1' && /^\d{3}55501\d{2}$/.test(n)) return 'a fictional number (NANPA 555-01XX)';
  if (p.countryCallingCode === '44' && /^(?:7700900\d{3}|1632960\d{3}|2079460\d{3})$/.test(n)) return 'a fictional number (Ofcom drama range)';
  return undefined;
}
