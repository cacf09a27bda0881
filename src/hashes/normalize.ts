// Hash normalisation: every hash type a report or list may name is mapped to one canonical
// type, and every value to lowercase hex of the length that type requires.

/** The canonical hash types Bantay stores. */
export type HashType = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'pdq' | 'photodna' | 'other';

/** A normalised hash: canonical type and lowercase value. */
export interface NormalHash {
  type: HashType;
  value: string;
}

const HEX_LENGTH: Partial<Record<HashType, number>> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128, pdq: 64 };

/**
 * The empty-file hashes (the MISP warninglist "List of known hashes for empty files"), written
 * here so the product works without ../shared: a zero-byte file matches everything and nothing,
 * so these are never evidence.
 */
export const EMPTY_FILE_HASHES: ReadonlySet<string> = new Set([
  'd41d8cd98f00b204e9800998ecf8427e', // MD5("")
  'da39a3ee5e6b4b0d3255bfef95601890afd80709', // SHA1("")
  'd14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f', // SHA224("")
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', // SHA256("")
  '38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b', // SHA384("")
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e', // SHA512("")
  '3::', // ssdeep of an empty input
]);

/** True when a (normalised or raw) value is a known empty-file hash. */
export function isEmptyFileHash(value: string): boolean {
  return EMPTY_FILE_HASHES.has(value.trim().toLowerCase());
}

/** Maps a free-form hash type name (as ESPs and lists spell it) to the canonical type, or undefined. */
export function canonicalType(name: string): HashType | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (n === 'md5' || n === 'md5hash') return 'md5';
  if (n === 'sha1' || n === 'sha1hash' || n === 'sha') return 'sha1';
  if (n === 'sha224') return 'sha224';
  if (n === 'sha256' || n === 'sha2' || n === 'sha256hash') return 'sha256';
  if (n === 'sha384') return 'sha384';
  if (n === 'sha512') return 'sha512';
  if (n === 'pdq' || n === 'pdqhash') return 'pdq';
  if (n === 'photodna' || n === 'pdna') return 'photodna';
  return undefined;
}

/** Guesses the type from a bare value's length (hex only), for lists and lookups that name none. */
export function guessType(value: string): HashType | undefined {
  const v = value.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(v)) return undefined;
  switch (v.length) {
    case 32:
      return 'md5';
    case 40:
      return 'sha1';
    case 56:
      return 'sha224';
    case 64:
      return 'sha256'; // a PDQ is also 64 hex: callers that know it is PDQ say so
    case 96:
      return 'sha384';
    case 128:
      return 'sha512';
    default:
      return undefined;
  }
}

/**
 * Normalises a (type, value) pair: lowercase hex of the right length for hex types, trimmed
 * for others. Returns undefined for a value that cannot be that type (so bad data is not stored
 * as a hash that would match nothing or, worse, something).
 */
export function normaliseHash(typeName: string, value: string): NormalHash | undefined {
  const type = canonicalType(typeName) ?? guessType(value) ?? 'other';
  let v = value.trim();
  const len = HEX_LENGTH[type];
  if (len !== undefined) {
    v = v.toLowerCase().replace(/^0x/, '');
    if (v.length !== len || !/^[0-9a-f]+$/.test(v)) return undefined;
  } else if (type === 'photodna') {
    v = v.replace(/\s+/g, '');
  }
  if (v === '') return undefined;
  return { type, value: v };
}
