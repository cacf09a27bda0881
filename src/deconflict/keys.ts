// The two secrets of deconfliction between agencies, both kept outside the database like the
// audit key (src/runtime/secret-file.ts):
// - the shared key: HMAC-SHA-256 key every participating agency holds (agreed out of band);
//   identifier keys are hashed under it, so a file means nothing to someone without it.
//   BANTAY_DECONFLICT_KEY, else the file BANTAY_DECONFLICT_KEY_FILE (secrets.deconflictKeyFile),
//   else secrets.dir/deconflict.key ($XDG_CONFIG_HOME/bantay/). Never created on its own: one agency makes it
//   (`bantay deconflict key generate`) and hands it to the others.
// - the agency's signing key: an Ed25519 seed; its public key is what peers register.
//   BANTAY_DECONFLICT_SIGNING_KEY, else BANTAY_DECONFLICT_SIGNING_KEY_FILE
//   (secrets.deconflictSigningKeyFile), else secrets.dir/deconflict-signing.key, created by
//   `bantay deconflict identity`.
import { createHash, createHmac, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createSecretFile, ed25519FromSeed, publicKeyText, readSecret, secretPath, type SecretSpec } from '../runtime/secret-file.ts';
import { DIGEST_HEX } from './file.ts';
import { config } from '../config/current.ts';
import type { SecretSettings } from '../config/settings.ts';
import { badInput, conflict, unavailable } from '../model/error.ts';

const SHARED: SecretSpec = {
  value: 'deconflictKey',
  env: 'BANTAY_DECONFLICT_KEY',
  file: 'deconflictKeyFile',
  defaultName: 'deconflict.key',
  label: 'the shared deconfliction key',
};
const SIGNING: SecretSpec = {
  value: 'deconflictSigningKey',
  env: 'BANTAY_DECONFLICT_SIGNING_KEY',
  file: 'deconflictSigningKeyFile',
  defaultName: 'deconflict-signing.key',
  label: 'the agency signing key',
};

// Domain separation: the same secret used anywhere else never gives these digests.
const DIGEST_CONTEXT = 'bantay-deconfliction-v1\n';

/** The shared HMAC key, loaded. */
export interface SharedKey {
  /** A fingerprint that says which key a file was made with (never the key). */
  id: string;
  /** Where it came from, for messages. */
  source: string;
  /** The keyed hash of one identifier key (`phone:+639171234567`). */
  digest(identifierKey: string): string;
}

function sharedFrom(bytes: Buffer, source: string): SharedKey {
  return {
    id: createHmac('sha256', bytes).update('bantay deconfliction key id v1').digest('hex').slice(0, 16),
    source,
    digest: (k) => createHmac('sha256', bytes).update(DIGEST_CONTEXT).update(k).digest('hex').slice(0, DIGEST_HEX),
  };
}

/** The shared key when one is configured, else undefined. */
export function findSharedKey(secrets: SecretSettings = config().secrets): SharedKey | undefined {
  const s = readSecret(SHARED, secrets);
  return s ? sharedFrom(s.bytes, s.source) : undefined;
}

/** The shared key; refuses with where to put it when none is configured. */
export function sharedKey(secrets: SecretSettings = config().secrets): SharedKey {
  const k = findSharedKey(secrets);
  if (!k) {
    throw unavailable(
      'NO_SHARED_KEY',
      `no shared deconfliction key: put the key your partner agencies agreed on in ${secretPath(SHARED, secrets)} ` +
        '(or BANTAY_DECONFLICT_KEY_FILE / BANTAY_DECONFLICT_KEY); one agency makes it with `bantay deconflict key generate --out FILE` and hands it over out of band',
    );
  }
  return k;
}

/** Makes a new shared key in a new file (never overwrites) and returns it. */
export function generateSharedKey(file: string): SharedKey {
  if (existsSync(file)) throw conflict('EXISTS', `${file} exists: a shared key is never overwritten (move it away first)`);
  return sharedFrom(createSecretFile(file), file);
}

/** The agency's signing key, loaded. */
export interface SigningKey {
  source: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as peers register it (SPKI DER, base64). */
  publicKeyText: string;
  fingerprint: string;
}

/** The fingerprint of a public key as registered (first 16 bytes of the SHA-256 of its DER, in groups of four hex digits). */
export function fingerprintOf(publicKey: KeyObject): string {
  const hex = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 32);
  return hex.match(/.{4}/g)!.join(':');
}

function signingFrom(seed: Buffer, source: string): SigningKey {
  const pair = ed25519FromSeed(seed);
  return { source, ...pair, publicKeyText: publicKeyText(pair.publicKey), fingerprint: fingerprintOf(pair.publicKey) };
}

/** The agency's signing key when one exists, else undefined. */
export function findSigningKey(secrets: SecretSettings = config().secrets): SigningKey | undefined {
  const s = readSecret(SIGNING, secrets);
  return s ? signingFrom(s.bytes, s.source) : undefined;
}

/** The agency's signing key; refuses with what to run when there is none. */
export function signingKey(secrets: SecretSettings = config().secrets): SigningKey {
  const k = findSigningKey(secrets);
  if (!k)
    throw unavailable(
      'NO_SIGNING_KEY',
      `no signing key for this agency (looked in ${secretPath(SIGNING, secrets)}): run \`bantay deconflict identity --agency NAME --contact ROLE\` first`,
    );
  return k;
}

/** The agency's signing key, created (in its file) when there is none; says whether it was made now. */
export function ensureSigningKey(secrets: SecretSettings = config().secrets): { key: SigningKey; created: boolean } {
  const found = findSigningKey(secrets);
  if (found) return { key: found, created: false };
  const file = secretPath(SIGNING, secrets);
  return { key: signingFrom(createSecretFile(file), file), created: true };
}

/** Reads a peer's public key as registered (SPKI DER in base64, or PEM); refuses anything but Ed25519. */
export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  let key: KeyObject;
  try {
    key = t.startsWith('-----BEGIN') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw badInput('BAD_PUBLIC_KEY', 'not a public key: give the text `bantay deconflict identity` printed at the other agency (base64)');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw badInput('BAD_PUBLIC_KEY', `an Ed25519 public key is needed, this one is ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}
