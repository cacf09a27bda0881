// Mobile numbers of other countries as their owners write them (domain.md §7.6, §8): national
// forms with trunk and mobile prefixes (the Argentine 011 15…, the British 07…, the American
// (xxx) xxx-xxxx, the Nigerian 080…, the Australian 04…) beside international ones. Numbers are
// drawn until libphonenumber's full metadata calls them valid mobiles, so that a reader that
// normalises correctly can link them; the national forms are checked against it in the tests.
// The library is used directly, not through src/enrich/phone.ts: the world must not borrow the
// reader it judges.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Unique } from '../phones.ts';
import type { Rng } from '../rng.ts';
import { internal } from '../../model/error.ts';

/** Countries whose national forms the world writes. */
export const NATIONAL_COUNTRIES = ['US', 'GB', 'AU', 'NG', 'AR'] as const;

function candidate(rng: Rng, country: string): string {
  switch (country) {
    case 'US':
      return `+1${rng.int(2, 9)}${rng.digits(2)}${rng.int(2, 9)}${rng.digits(6)}`;
    case 'GB':
      return `+447${rng.pick(['4', '5', '7', '8', '9'])}${rng.digits(8)}`;
    case 'AU':
      return `+614${rng.digits(8)}`;
    case 'NG':
      return `+234${rng.pick(['803', '806', '813', '816', '703', '706', '810', '903', '906', '805', '807', '815'])}${rng.digits(7)}`;
    case 'AR':
      // Buenos Aires mobile: +54 9 11 followed by 8 digits (the 9 marks a mobile in international form).
      return `+54911${rng.int(2, 9)}${rng.digits(7)}`;
    default:
      throw internal(`no national phone forms for ${country}`);
  }
}

/** A fresh mobile number of `country` in E.164 that libphonenumber accepts as a valid mobile. */
export function validMobile(rng: Rng, unique: Unique, country: string): string {
  for (let i = 0; i < 200; i++) {
    const e164 = candidate(rng, country);
    const parsed = parsePhoneNumberFromString(e164);
    const type = parsed?.getType();
    if (parsed?.isValid() && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') && unique.tryTake(e164)) return e164;
  }
  throw internal(`could not draw a valid ${country} mobile number`);
}

/** The number as its owner writes it at home (trunk and mobile prefixes, local punctuation). */
export function nationalForm(rng: Rng, e164: string, country: string): string {
  switch (country) {
    case 'US': {
      const n = e164.slice(2);
      return rng.pick([
        `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
        `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
        `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
      ]);
    }
    case 'GB': {
      const n = e164.slice(3);
      return rng.pick([`0${n.slice(0, 4)} ${n.slice(4)}`, `0${n}`, `0${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`]);
    }
    case 'AU': {
      const n = e164.slice(3);
      return rng.pick([`0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `0${n}`]);
    }
    case 'NG': {
      const n = e164.slice(4);
      return rng.pick([`0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `0${n}`]);
    }
    case 'AR': {
      // +54 9 11 2345 6789 is dialled at home as 011 15-2345-6789 (trunk 0, area 11, mobile prefix 15).
      const local = e164.slice(6);
      return rng.pick([`011 15-${local.slice(0, 4)}-${local.slice(4)}`, `(011) 15 ${local.slice(0, 4)}-${local.slice(4)}`, `011 15 ${local}`]);
    }
    default:
      throw internal(`no national phone forms for ${country}`);
  }
}

/** The number in an international form (with the country code), as ESPs often store it. */
export function internationalForm(rng: Rng, e164: string, country: string): string {
  switch (country) {
    case 'US': {
      const n = e164.slice(2);
      return rng.pick([e164, `+1 ${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, `+1 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`]);
    }
    case 'GB':
      return rng.pick([e164, `+44 ${e164.slice(3, 7)} ${e164.slice(7)}`]);
    case 'AU':
      return rng.pick([e164, `+61 ${e164.slice(3, 6)} ${e164.slice(6, 9)} ${e164.slice(9)}`]);
    case 'NG':
      return rng.pick([e164, `+234 ${e164.slice(4, 7)} ${e164.slice(7, 10)} ${e164.slice(10)}`]);
    case 'AR':
      return rng.pick([e164, `+54 9 11 ${e164.slice(6, 10)}-${e164.slice(10)}`]);
    default:
      return e164;
  }
}
