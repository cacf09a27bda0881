// The deconfliction file: what one agency hands another. Keyed hashes of identifier keys with the
// date each came under an active case, the agency's name, a contact role, when it was made and
// when it expires, the id of the shared key, and an Ed25519 signature over all of it. Never an
// identifier, a case or a report. Pure: building, parsing and checking take plain values.
import { sign, verify, type KeyObject } from 'node:crypto';

/** Hex digits of a digest kept in a file: 128 bits, no collision among billions of identifiers. */
export const DIGEST_HEX = 32;
/** The format name written in every file. */
export const FILE_FORMAT = 'bantay-deconfliction';
/** The format version. */
export const FILE_VERSION = 1;
/** The longest a file may stay valid: an agency closing a case must see it leave its peers soon. */
export const MAX_VALID_DAYS = 90;
/** Default validity of an exported file, in days. */
export const DEFAULT_VALID_DAYS = 30;
/** A file larger than this is refused before it is parsed. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Text fields (agency, contact) are at most this long. */
const MAX_TEXT = 200;
// A sender's clock a little ahead of ours is not an attack.
const CLOCK_SKEW_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/** One entry: the keyed hash and the date (YYYY-MM-DD, UTC) its identifier came under an active case. */
export type Entry = [digest: string, since: string];

/** A deconfliction file as written (JSON). */
export interface DeconflictFile {
  format: typeof FILE_FORMAT;
  version: typeof FILE_VERSION;
  agency: string;
  contact: string;
  issuedAt: string;
  expiresAt: string;
  /** Which shared key the digests were made with (a fingerprint, not the key). */
  keyId: string;
  /** Sorted by digest, each digest once: the order says nothing about cases. */
  entries: Entry[];
  /** Ed25519 over `signedBody`, base64. */
  signature: string;
}

const FIELDS = ['format', 'version', 'agency', 'contact', 'issuedAt', 'expiresAt', 'keyId', 'entries', 'signature'] as const;

/** The bytes a signature covers: every field but the signature, in a fixed order. */
export function signedBody(f: Omit<DeconflictFile, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify([f.format, f.version, f.agency, f.contact, f.issuedAt, f.expiresAt, f.keyId, f.entries]));
}

/** Builds and signs a file; entries are deduplicated (earliest date kept) and sorted. */
export function buildFile(
  f: { agency: string; contact: string; issuedAt: Date; expiresAt: Date; keyId: string; entries: Entry[] },
  privateKey: KeyObject,
): DeconflictFile {
  const earliest = new Map<string, string>();
  for (const [d, s] of f.entries) {
    const had = earliest.get(d);
    if (had === undefined || s < had) earliest.set(d, s);
  }
  const entries = [...earliest].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const body = {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    agency: f.agency,
    contact: f.contact,
    issuedAt: f.issuedAt.toISOString(),
    expiresAt: f.expiresAt.toISOString(),
    keyId: f.keyId,
    entries,
  } as const;
  return { ...body, entries, signature: sign(null, signedBody(body), privateKey).toString('base64') };
}

/** The file as written: one JSON object, entries one per line (diffable, and readable in a pager). */
export function fileText(f: DeconflictFile): string {
  const head = FIELDS.filter((k) => k !== 'entries' && k !== 'signature').map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(f[k])},`);
  const entries = f.entries.map((e, i) => `    ${JSON.stringify(e)}${i < f.entries.length - 1 ? ',' : ''}`);
  return `{\n${head.join('\n')}\n  "entries": [\n${entries.join('\n')}${entries.length ? '\n' : ''}  ],\n  "signature": ${JSON.stringify(f.signature)}\n}\n`;
}

/** A parsed file, or why it is not one. */
export type Parsed = { ok: true; file: DeconflictFile } | { ok: false; reason: string };

const isDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const isTime = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(s) && !Number.isNaN(Date.parse(s));
const isText = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '' && s.length <= MAX_TEXT && !/[\u0000-\u001f\u007f]/.test(s);

/**
 * Reads a file's structure (no signature or expiry check yet): one JSON object with exactly the
 * format's fields, entries sorted and unique. Every refusal says what is wrong.
 */
export function parseFile(bytes: Uint8Array): Parsed {
  const no = (reason: string): Parsed => ({ ok: false, reason: `not a valid deconfliction file: ${reason}` });
  if (bytes.length > MAX_FILE_BYTES) return no(`larger than ${MAX_FILE_BYTES} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return no(err instanceof TypeError ? 'it is not UTF-8 text' : `it is not JSON (${(err as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return no('it is not a JSON object');
  const o = v as Record<string, unknown>;
  if (o.format !== FILE_FORMAT) return no(`its format is not "${FILE_FORMAT}"`);
  if (o.version !== FILE_VERSION) return no(`version ${JSON.stringify(o.version)} is not supported (this Bantay reads version ${FILE_VERSION})`);
  const extra = Object.keys(o).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (extra.length) return no(`unexpected field ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')} (nothing unsigned is accepted)`);
  if (o.signature === undefined || o.signature === null || o.signature === '')
    return { ok: false, reason: 'the file is not signed: ask the sender for the file `bantay deconflict export` wrote' };
  if (typeof o.signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(o.signature)) return no('its signature is not base64');
  if (!isText(o.agency)) return no(`agency must be a name of 1 to ${MAX_TEXT} characters`);
  if (!isText(o.contact)) return no(`contact must be a role of 1 to ${MAX_TEXT} characters`);
  if (!isTime(o.issuedAt)) return no('issuedAt is not a UTC time');
  if (!isTime(o.expiresAt)) return no('expiresAt is not a UTC time');
  if (typeof o.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(o.keyId)) return no('keyId is not a key fingerprint');
  if (!Array.isArray(o.entries)) return no('entries is not a list');
  const digest = new RegExp(`^[0-9a-f]{${DIGEST_HEX}}$`);
  let prev = '';
  for (let i = 0; i < o.entries.length; i++) {
    const e: unknown = o.entries[i];
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string') return no(`entry ${i + 1} is not [digest, date]`);
    if (!digest.test(e[0])) return no(`entry ${i + 1}: the digest is not ${DIGEST_HEX} hex digits`);
    if (!isDate(e[1])) return no(`entry ${i + 1}: "${e[1].slice(0, 20)}" is not a date (YYYY-MM-DD)`);
    if (e[0] <= prev) return no(`entry ${i + 1} is out of order or repeated (entries are sorted by digest, each once)`);
    prev = e[0];
  }
  return { ok: true, file: o as unknown as DeconflictFile };
}

/** What a file is checked against: the sender's registered key, our shared key, the clock, the file we hold from it. */
export interface CheckContext {
  /** The registered public key of the agency the file names, if that agency is a peer. */
  senderKey: KeyObject | undefined;
  sharedKeyId: string;
  now: Date;
  /** When the file we already hold from this agency was issued. */
  heldIssuedAt?: string | undefined;
}

/** Why a parsed file is refused (unknown sender, bad signature, other shared key, expired, stale), or null when it is accepted. */
export function refusal(f: DeconflictFile, c: CheckContext): string | null {
  if (!c.senderKey)
    return `unknown sender "${f.agency}": register its public key first (\`bantay deconflict peer add "${f.agency}" PUBLICKEY\`, the key obtained from that agency out of band)`;
  const { signature, ...body } = f;
  if (!verify(null, signedBody(body), c.senderKey, Buffer.from(signature, 'base64'))) {
    return `the signature does not verify against the registered public key of "${f.agency}": the file was changed after it was signed, or someone else signed it`;
  }
  if (f.keyId !== c.sharedKeyId)
    return `the file was hashed under another shared key (id ${f.keyId}; this installation's key is ${c.sharedKeyId}): nothing in it could match; agree the key with "${f.agency}"`;
  const issued = Date.parse(f.issuedAt);
  const expires = Date.parse(f.expiresAt);
  if (expires <= c.now.getTime()) return `the file expired on ${f.expiresAt}: ask "${f.agency}" for a current one`;
  if (issued > c.now.getTime() + CLOCK_SKEW_MS) return `the file is dated in the future (${f.issuedAt}): check both clocks`;
  if (expires <= issued) return 'the file expires before it was issued';
  if (expires - issued > MAX_VALID_DAYS * DAY_MS + CLOCK_SKEW_MS)
    return `the file stays valid for more than ${MAX_VALID_DAYS} days: a closed case would linger that long; ask for a shorter expiry`;
  if (c.heldIssuedAt !== undefined && issued <= Date.parse(c.heldIssuedAt))
    return `a file of "${f.agency}" issued ${c.heldIssuedAt} is already imported; this one (issued ${f.issuedAt}) is not newer`;
  return null;
}
