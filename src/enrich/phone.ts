import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { isPlaceholder } from './placeholder.ts';

/** A phone number brought to E.164, or why it could not be. */
export type PhoneResult =
  | { ok: true; e164: string; country: string | null; type: NumberType | 'UNKNOWN'; raw: string }
  | { ok: false; reason: 'placeholder' | 'unparseable' | 'invalid'; raw: string };

/**
 * Normalises a phone number as people write it. Philippine local forms are understood:
 * `09171234567`, `0917 123 4567`, `(0917) 123-4567`, `639171234567`, `9171234567`, `+63 917…`.
 * `countryCallingCode` is the report's attribute (`+63`), used when the number has no prefix.
 */
export function normalisePhone(raw: string, opts: { defaultCountry?: CountryCode; countryCallingCode?: string } = {}): PhoneResult {
  if (isPlaceholder(raw)) return { ok: false, reason: 'placeholder', raw };
  const defaultCountry = opts.defaultCountry ?? 'PH';
  let text = raw.trim().replace(/^tel:/i, '');
  const digits = text.replace(/\D/g, '');
  if (!text.startsWith('+')) {
    if (text.startsWith('00')) text = `+${digits.slice(2)}`;
    else if (opts.countryCallingCode && !digits.startsWith('0')) text = `${opts.countryCallingCode}${digits}`;
    // "639171234567": the PH country code written without its plus.
    else if (defaultCountry === 'PH' && /^639\d{9}$/.test(digits)) text = `+${digits}`;
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed) return { ok: false, reason: 'unparseable', raw };
  if (!parsed.isValid()) return { ok: false, reason: 'invalid', raw };
  return { ok: true, e164: parsed.number, country: parsed.country ?? null, type: parsed.getType() ?? 'UNKNOWN', raw };
}
