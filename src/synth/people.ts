// People and their identifiers: names, e-mail addresses, handles, ESP account ids and devices, each
// with a canonical value (what truth.json records) and the many ways it gets written.
import { drawProvince, type Ctx } from './context.ts';
import { espProfile } from './data/esps.ts';
import { MAIL_DOMAINS } from './data/money.ts';
import {
  CI_GIVEN,
  CI_SURNAMES,
  HANDLE_WORDS,
  NG_GIVEN,
  NG_SURNAMES,
  PH_CHILD,
  PH_FEMALE,
  PH_MALE,
  PH_SURNAMES,
  WESTERN_MALE,
  WESTERN_SURNAMES,
} from './data/names.ts';
import type { Province } from './data/provinces.ts';
import { foreignMobile, phMobile } from './phones.ts';
import type { Rng } from './rng.ts';

/** A synthetic person. */
export interface Persona {
  first: string;
  last: string;
  sex: 'F' | 'M';
  age: number;
  country: string;
  province?: Province;
  /** E.164 mobile number. */
  phone: string;
  /** E-mail as first created (lowercase). */
  email: string;
  /** Base handle (lowercase). */
  handle: string;
  /** Whether the person goes online mostly by mobile data (CGNAT) rather than a fixed line. */
  mobileUser: boolean;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

/** Canonical form of an e-mail address: lowercase; for Gmail, dots and +tags dropped. */
export function canonicalEmail(email: string): string {
  const lower = email.toLowerCase();
  const at = lower.lastIndexOf('@');
  let local = lower.slice(0, at);
  const domain = lower.slice(at + 1);
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    local = local.replace(/\+.*$/, '').replace(/\./g, '');
    return `${local}@gmail.com`;
  }
  return `${local}@${domain}`;
}

/** A new e-mail address built from a name, unique in the run (by canonical form). */
export function newEmail(rng: Rng, ctx: Ctx, first: string, last: string): string {
  for (;;) {
    const f = slug(first.split(' ')[0]!);
    const l = slug(last);
    const n = rng.chance(0.7) ? String(rng.int(1, 2009)) : '';
    const sep = rng.pick(['', '.', '_', '']);
    const local = rng.chance(0.5) ? `${f}${sep}${l}${n}` : `${f[0] ?? 'x'}${l}${n}`;
    const email = `${local}@${rng.pick(MAIL_DOMAINS)}`;
    if (ctx.unique.tryTake(`e:${canonicalEmail(email)}`)) return email;
  }
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** One written variant of an e-mail: case changes, and for Gmail dots moved (same mailbox). */
export function emailVariant(rng: Rng, email: string): string {
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const gmail = domain === 'gmail.com';
  const style = rng.int(0, 5);
  if (gmail && style >= 3) {
    const bare = local.replace(/\./g, '');
    if (style === 3 || bare.length < 4) local = bare;
    else {
      const cut = rng.int(1, bare.length - 2);
      local = `${bare.slice(0, cut)}.${bare.slice(cut)}`;
    }
  }
  if (style === 1) local = local.split('.').map(capitalise).join('.');
  if (style === 2) {
    local = local.toUpperCase();
    domain = domain.toUpperCase();
  }
  if (style === 5) domain = capitalise(domain);
  return `${local}@${domain}`;
}

/** A new handle (lowercase), unique in the run. */
export function newHandle(rng: Rng, ctx: Ctx, first: string, last: string): string {
  return ctx.unique
    .fresh(() => {
      const f = slug(first.split(' ')[0]!);
      const l = slug(last);
      const form = rng.int(0, 3);
      if (form === 0) return `h:${f}_${l.slice(0, 3)}${rng.int(1, 99)}`;
      if (form === 1) return `h:${rng.pick(HANDLE_WORDS)}${f}${rng.int(10, 999)}`;
      if (form === 2) return `h:${f}.${l}${rng.int(1, 9)}`;
      return `h:${rng.pick(HANDLE_WORDS)}_${rng.pick(HANDLE_WORDS)}${rng.int(1, 9999)}`;
    })
    .slice(2);
}

/** One written variant of a handle: '@' prefix or case change. */
export function handleVariant(rng: Rng, handle: string): string {
  const style = rng.int(0, 3);
  if (style === 1) return `@${handle}`;
  if (style === 2)
    return handle
      .split(/([._])/)
      .map(capitalise)
      .join('');
  return handle;
}

/** A new account id on an ESP, in its style, unique in the run. */
export function newEspId(rng: Rng, ctx: Ctx, espName: string, handle: string): string {
  const style = espProfile(espName).idStyle;
  return ctx.unique.fresh(() => {
    switch (style) {
      case 'meta':
        return `1000${rng.digits(11)}`;
      case 'numeric':
        return `${rng.int(1, 9)}${rng.digits(rng.int(8, 10))}`;
      case 'snowflake':
        return `1${rng.int(1, 8)}${rng.digits(17)}`;
      case 'alnum':
        return `${handle.replace(/[^a-z0-9]/g, '').slice(0, 8)}${rng.hex(6)}`;
      case 'email-like':
        return `${handle.replace(/[^a-z0-9.]/g, '')}${rng.int(1, 99)}@${espName === 'Yahoo' ? 'yahoo.com' : 'outlook.com'}`;
    }
  });
}

function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A device: its id type, canonical value and the ways it can be written. */
export interface Device {
  idType: string;
  canonical: string;
  forms: string[];
}

/** A new device id (IMEI with check digit, or an Android advertising id), unique in the run. */
export function newDevice(rng: Rng, ctx: Ctx): Device {
  if (rng.chance(0.6)) {
    const body = ctx.unique.fresh(() => `35${rng.digits(12)}`);
    const imei = body + luhn(body);
    return {
      idType: 'IMEI',
      canonical: imei,
      forms: [imei, `${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`, `${imei.slice(0, 8)} ${imei.slice(8)}`],
    };
  }
  const id = ctx.unique.fresh(() => `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`);
  return { idType: 'Android Advertising ID', canonical: id, forms: [id, id.toUpperCase()] };
}

function pickName(rng: Rng, country: string, sex: 'F' | 'M'): { first: string; last: string } {
  switch (country) {
    case 'PH':
      return { first: rng.pick(sex === 'F' ? PH_FEMALE : PH_MALE), last: rng.pick(PH_SURNAMES) };
    case 'NG':
      return { first: rng.pick(NG_GIVEN), last: rng.pick(NG_SURNAMES) };
    case 'CI':
      return { first: rng.pick(CI_GIVEN), last: rng.pick(CI_SURNAMES) };
    default:
      return { first: rng.pick(WESTERN_MALE), last: rng.pick(WESTERN_SURNAMES) };
  }
}

/** A new person of a country, sex and age range, with fresh identifiers. */
export function newPersona(
  rng: Rng,
  ctx: Ctx,
  opts: { country: string; sex?: 'F' | 'M'; minAge: number; maxAge: number; last?: string; child?: boolean },
): Persona {
  const sex = opts.sex ?? (rng.chance(0.5) ? 'F' : 'M');
  const n = pickName(rng, opts.country, sex);
  const first = opts.child && opts.country === 'PH' ? rng.pick(PH_CHILD) : n.first;
  const last = opts.last ?? n.last;
  const country = opts.country;
  const phone = country === 'PH' ? phMobile(rng, ctx.unique) : foreignMobile(rng, ctx.unique, country);
  return {
    first,
    last,
    sex,
    age: rng.int(opts.minAge, opts.maxAge),
    country,
    province: country === 'PH' ? drawProvince(ctx, rng) : undefined,
    phone,
    email: newEmail(rng, ctx, first, last),
    handle: newHandle(rng, ctx, first, last),
    mobileUser: rng.chance(0.7),
  };
}
