import { placeholderReason } from './placeholder.ts';

/** An e-mail address in canonical form, or why it is not one. */
export type EmailResult =
  | { ok: true; canonical: string; domain: string; role: boolean; raw: string }
  | { ok: false; reason: 'placeholder' | 'malformed'; raw: string; detail?: string };

// Providers that ignore dots and "+tag" suffixes in the local part: the same mailbox is written
// many ways, so these are folded. Others are kept as written (lowercased), since a dot there
// may be significant.
const DOT_BLIND = new Set(['gmail.com', 'googlemail.com']);
const PLUS_TAGS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'icloud.com',
  'me.com',
  'yahoo.com',
  'proton.me',
  'protonmail.com',
]);
// Role and no-reply mailboxes belong to organisations, not persons: they never identify anyone.
const ROLE =
  /^(no-?reply|do-?not-?reply|donotreply|noreply-\w+|abuse|security|noc|soc|postmaster|hostmaster|webmaster|admin|administrator|support|help|info|contact|cybertips?|ncmec|legal|privacy|notifications?|alerts?)$/;

/** Canonicalises an e-mail address: lowercase, provider-aware dot and +tag folding, role flag. */
export function canonicalEmail(raw: string): EmailResult {
  const blank = placeholderReason(raw, 'email');
  if (blank) return { ok: false, reason: 'placeholder', raw, detail: blank };
  const v = raw
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<|>$/g, '')
    .toLowerCase();
  const at = v.lastIndexOf('@');
  if (at <= 0 || at === v.length - 1 || /\s/.test(v)) return { ok: false, reason: 'malformed', raw };
  let local = v.slice(0, at);
  let domain = v.slice(at + 1).replace(/\.$/, '');
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain)) return { ok: false, reason: 'malformed', raw };
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_TAGS.has(domain)) local = local.replace(/\+.*$/, '');
  if (DOT_BLIND.has(domain)) local = local.replace(/\./g, '');
  if (local === '') return { ok: false, reason: 'malformed', raw };
  // Gmail user names are 6 to 30 characters (Google's "Create a username" rules): a shorter one was never a mailbox.
  if (domain === 'gmail.com' && local.length < 6) return { ok: false, reason: 'malformed', raw, detail: 'too short for a Gmail address (6–30 characters)' };
  return { ok: true, canonical: `${local}@${domain}`, domain, role: ROLE.test(local), raw };
}
