// ESPs and users fill fields with stand-ins for "nothing" (domain.md §7.1: placeholders never
// link). They are recognised before any normalisation so that "N/A" never becomes an identifier.
const WORDS = new Set([
  'n/a', 'na', 'n.a.', 'none', 'null', 'nil', 'unknown', 'unk', 'undefined', 'not available', 'not provided',
  'no', 'nothing', '-', '--', '---', '?', 'x', 'xx', 'xxx', 'test', 'tbd', 'blank', 'empty', 'anonymous', 'private',
  'redacted', 'noemail', 'no email', 'nophone', 'no phone', 'not applicable', 'wala', 'none provided',
]);
const TEST_EMAIL = /^(test|testing|user|example|sample|fake|dummy|none|no-?email|noreply|null|abc|asdf|qwerty|a|aa|x)@(test|example|email|mail|domain|none|fake|invalid|localhost)(\.(com|org|net|ph|test|invalid))?$/i;
const EXAMPLE_DOMAIN = /@(?:[a-z0-9-]+\.)*(example\.(com|org|net)|test|invalid|localhost)$/i;

/** Whether a value is a stand-in for "no value" (N/A, unknown, test@test.com, all zeros…). */
export function isPlaceholder(raw: string | null | undefined): boolean {
  if (raw === null || raw === undefined) return true;
  const v = raw.trim().toLowerCase();
  if (v === '' || WORDS.has(v)) return true;
  if (TEST_EMAIL.test(v) || EXAMPLE_DOMAIN.test(v)) return true;
  const digits = v.replace(/[\s()+.\-/]/g, '');
  // All zeros, one repeated digit, or a mobile prefix followed only by zeros (09000000000).
  if (/^\d{5,}$/.test(digits)) {
    if (/^(\d)\1+$/.test(digits)) return true;
    if (/^(0|63)?9?0+$/.test(digits)) return true;
    if (digits === '1234567890' || digits === '0123456789' || digits === '12345678') return true;
  }
  return false;
}
