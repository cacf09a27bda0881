// ESPs and users fill fields with stand-ins for "nothing" (domain.md §7.1: placeholders never
// link; §7.6: recognise them by shape, in every field). They are recognised before any
// normalisation so that "N/A" never becomes an identifier. Shapes are judged per kind of
// identifier: what is too short for a device id is not too short for a screen name. Values that
// pass these shapes but behave like placeholders (one value on many unrelated people) are caught
// later, by the hub guard of linking (src/link/rules.ts).

/** The kinds of value whose shapes differ. `text` is any other field (the strictest words only). */
export type PlaceholderKind = 'user-id' | 'screen-name' | 'phone' | 'email' | 'device-id' | 'ip' | 'wallet' | 'text';

// "No value" in English and in Filipino (wala = none, walang … = there is no …, hindi alam / di
// alam = not known, ewan = don't know), after folding case and the punctuation around the value.
const WORDS = new Set([
  'n/a',
  'n.a',
  'n.a.',
  'n-a',
  'n a',
  'na',
  'nan',
  'none',
  'null',
  'nul',
  'nil',
  'void',
  'unknown',
  'unk',
  'unkn',
  'undefined',
  'not available',
  'not provided',
  'not applicable',
  'not given',
  'not known',
  'not set',
  'unspecified',
  'missing',
  'no',
  'nothing',
  '-',
  '--',
  '---',
  '?',
  '??',
  '???',
  '.',
  '..',
  '...',
  'x',
  'xx',
  'xxx',
  'test',
  'testing',
  'tbd',
  'tba',
  'blank',
  'empty',
  'anonymous',
  'anon',
  'private',
  'redacted',
  'withheld',
  'hidden',
  'deleted',
  'deleted user',
  'removed',
  'noemail',
  'no email',
  'no e-mail',
  'nophone',
  'no phone',
  'no number',
  'no name',
  'noname',
  'none provided',
  'unknown user',
  'user',
  'username',
  'default',
  'sample',
  'dummy',
  'fake',
  'placeholder',
  'invalid',
  'no data',
  'no info',
  'no information',
  'wala',
  'wla',
  'walang',
  'wala pa',
  'wala akong',
  'hindi alam',
  'di alam',
  'hindi ko alam',
  'di ko alam',
  'hindi available',
  'ewan',
  'ewan ko',
  'hindi',
  'di',
  'walang alam',
  'walang numero',
  'walang email',
  'walang pangalan',
]);
// Filipino words that only pad a "none" answer ("wala po", "hindi ko po alam").
const FILIPINO_FILLER = new Set([
  'po',
  'pa',
  'ko',
  'ako',
  'akong',
  'alam',
  'na',
  'ang',
  'kasi',
  'sigurado',
  'available',
  'ewan',
  'wala',
  'hindi',
  'di',
  'eh',
  'yung',
]);
// What "walang …" (there is no …) says is missing; "walang hiya" and other phrases are real words.
const WALANG_WHAT = new Set([
  'numero',
  'number',
  'email',
  'e-mail',
  'pangalan',
  'alam',
  'impormasyon',
  'info',
  'account',
  'id',
  'contact',
  'cp',
  'phone',
  'telepono',
  'data',
  'address',
]);
// Local parts of test and stand-in mailboxes; RFC 2606 / RFC 6761 reserve example.com/.net/.org and
// the .test, .example, .invalid and .localhost top-level domains for documentation and tests.
const TEST_EMAIL =
  /^(test|testing|user|example|sample|fake|dummy|none|no-?email|e-?mail|mail|noreply|null|abc|asdf|qwerty|a|aa|x)@(test|example|email|mail|domain|none|fake|invalid|localhost)(\.(com|org|net|ph|test|invalid))?$/i;
const RESERVED_DOMAIN = /@(?:[a-z0-9-]+\.)*(example\.(com|org|net)|test|example|invalid|localhost)$/i;
const KEYBOARD = new Set(['qwerty', 'qwertyuiop', 'asdf', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'azerty', 'abc123', 'abcd1234', 'qwerty123', 'password']);

/** Why a value is a stand-in for "no value" (N/A, wala, all zeros, test@test.com…), or undefined when it may be real. */
export function placeholderReason(raw: string | null | undefined, kind: PlaceholderKind = 'text'): string | undefined {
  if (raw === null || raw === undefined) return 'empty';
  const v = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (v === '') return 'empty';
  const word = noValueWord(v);
  if (word) return word;
  if (kind === 'ip') return ipShape(v);
  // An address in any field is judged as an address (an account id written as test@test.com).
  if (kind === 'email' || v.includes('@')) {
    const email = emailShape(v);
    if (email) return email;
    if (kind === 'email') return undefined;
  }
  // The characters that carry the value: separators people type are not part of it.
  const body = v.replace(/[\s()+.\-/_:#,]/g, '');
  if (body === '') return 'only punctuation';
  if (/^0+$/.test(body)) return 'all zeros';
  // A country or mobile prefix followed only by zeros (+63 000 000 0000, 0917 000 0000).
  if (/^\d{1,5}0{7,}$/.test(body)) return 'a prefix followed by zeros';
  // A whole national number of one digit behind a trunk 0 or a country code (0 999 999 9999,
  // +63 999 999 9999) is the same stand-in as 9999999999; an operator prefix with repeated
  // subscriber digits (0917 999 9999) is a "gold" number and stays (below).
  if (kind === 'phone' && /^(?:0|\d{1,3})(\d)\1{9,}$/.test(body)) return 'a trunk or country prefix followed by one repeated digit';
  // One character alone is judged by each kind's shortest length ("S" may be a customer code).
  if (/^(.)\1+$/u.test(body)) return 'one repeated character';
  if (kind === 'wallet') return /(.)\1{19,}/.test(body) ? 'burn or stand-in address (a long run of one character)' : undefined;
  if (body.length >= 4 && isRun(body)) return 'a counting sequence';
  if (KEYBOARD.has(body)) return 'a keyboard pattern';
  if (body.length >= 6 && /^(.{1,3})\1{2,}$/.test(body)) return 'a short pattern repeated';
  switch (kind) {
    case 'user-id':
      if (/^\d+$/.test(body) ? body.length < 4 : body.length < 3) return 'too short for an account id';
      break;
    case 'screen-name':
      if (body.length < 2) return 'too short for a screen name';
      break;
    case 'device-id':
      if (body.length < 8) return 'too short for a device id';
      break;
    case 'phone': {
      const digits = v.replace(/\D/g, '');
      if (digits.length < 7) return 'too short for a phone number';
      // Other repeated subscriber digits (0917 888 8888) are left alone: carriers sell them as
      // "gold" numbers, each held by one person.
      break;
    }
    default:
  }
  return undefined;
}

/** Whether a value is a stand-in for "no value" (N/A, unknown, test@test.com, all zeros…). */
export function isPlaceholder(raw: string | null | undefined, kind: PlaceholderKind = 'text'): boolean {
  return placeholderReason(raw, kind) !== undefined;
}

// The longest "no value" phrase is about 25 characters: longer values are never one.
const LONGEST_PHRASE = 32;

function noValueWord(v: string): string | undefined {
  if (v.length > LONGEST_PHRASE) return undefined;
  // "<unknown>", "(none)", "[deleted]", "N/A." are the words with brackets or a full stop around them.
  const t = v.replace(/^[\s<([{"'`*]+|[\s>)\]}"'`*!.]+$/g, '');
  if (WORDS.has(v) || WORDS.has(t)) return `"${raw(v)}" means no value`;
  // Separators people put between words ("unknown_user", "no-email", "walang.numero").
  const words = t
    .replace(/[_.\-]+/g, ' ')
    .trim()
    .split(' ');
  while (words.length > 1 && words[words.length - 1] === 'po') words.pop();
  const phrase = words.join(' ');
  if (WORDS.has(phrase)) return `"${raw(v)}" means no value`;
  // "walang …" is "there is no …"; "wala/hindi/di" followed only by padding is "none"/"not known".
  if (words[0] === 'walang' && words.length >= 2 && words.length <= 4 && words.slice(1).every((w) => WALANG_WHAT.has(w) || FILIPINO_FILLER.has(w)))
    return `"${raw(v)}" means no value (Filipino)`;
  if (['wala', 'hindi', 'di'].includes(words[0]!) && words.length <= 5 && words.every((w) => FILIPINO_FILLER.has(w)))
    return `"${raw(v)}" means no value (Filipino)`;
  return undefined;
}

function raw(v: string): string {
  return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

function emailShape(v: string): string | undefined {
  const e = v.replace(/^mailto:/, '').replace(/^<|>$/g, '');
  if (TEST_EMAIL.test(e)) return 'a test address';
  if (RESERVED_DOMAIN.test(e)) return 'a reserved example domain (RFC 2606)';
  const at = e.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = e.slice(0, at);
  if (noValueWord(local.replace(/[._+-]/g, ' '))) return `the mailbox name "${local}" means no value`;
  const body = local.replace(/[._+-]/g, '');
  if (body === '' || /^(.)\1*$/.test(body)) return 'the mailbox name is one repeated character';
  if (body.length >= 4 && isRun(body)) return 'the mailbox name is a counting sequence';
  return undefined;
}

function ipShape(v: string): string | undefined {
  const octets = v.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o))) return undefined;
  const n = octets.map(Number);
  if (n.every((x) => x === n[0])) return 'every octet the same';
  if (n.every((x, i) => i === 0 || x === n[i - 1]! + 1) || n.every((x, i) => i === 0 || x === n[i - 1]! - 1)) return 'octets counting up or down (1.2.3.4)';
  return undefined;
}

// Digits or letters counting up or down by one (1234, 0123456789, 9876, abcdef); digits may wrap
// from 9 to 0 ("1234567890").
function isRun(s: string): boolean {
  if (/^\d+$/.test(s)) {
    const d = [...s].map(Number);
    const up = d.every((x, i) => i === 0 || x === (d[i - 1]! + 1) % 10);
    const down = d.every((x, i) => i === 0 || x === (d[i - 1]! + 9) % 10);
    return up || down;
  }
  if (/^[a-z]+$/.test(s)) {
    const c = [...s].map((ch) => ch.charCodeAt(0));
    return c.every((x, i) => i === 0 || x === c[i - 1]! + 1) || c.every((x, i) => i === 0 || x === c[i - 1]! - 1);
  }
  return false;
}
