// Secrets kept outside the database (the audit key, the deconfliction keys): each comes from the
// configuration (src/config/settings.ts "secrets"): the secret itself (an environment variable
// only), else a file named for it, else a file in secrets.dir ($XDG_CONFIG_HOME/bantay/, default
// ~/.config/bantay/). A copy of the database, or its backups, never holds them.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { dirname, join } from 'node:path';
import { config } from '../config/current.ts';
import type { SecretSettings } from '../config/settings.ts';
import { badInput } from '../model/error.ts';

/** Where one secret is looked for, and what to call it in messages. */
export interface SecretSpec {
  /** The setting holding the secret itself (64 hex digits or base64 of 32+ bytes), and its variable. */
  value: 'auditKey' | 'deconflictKey' | 'deconflictSigningKey';
  env: string;
  /** The setting naming a file that holds it. */
  file: 'auditKeyFile' | 'deconflictKeyFile' | 'deconflictSigningKeyFile';
  /** The default file's name in secrets.dir. */
  defaultName: string;
  /** What it is, for messages ("the audit key"). */
  label: string;
}

/** A secret as read: its bytes and where it came from (for messages, never the secret). */
export interface Secret {
  bytes: Buffer;
  source: string;
}

/** The file a secret is read from when the secret itself is not set. */
export function secretPath(spec: SecretSpec, secrets: SecretSettings = config().secrets): string {
  return secrets[spec.file] ?? join(secrets.dir, spec.defaultName);
}

/** Decodes a secret written as hex (64+ digits) or base64; refuses one shorter than 32 bytes. */
export function decodeSecret(text: string, source: string, label: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-f]{64,}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length < 32) throw badInput('BAD_FILE', `${label} in ${source} is shorter than 32 bytes: write 64 hex digits (e.g. \`openssl rand -hex 32\`)`);
  return bytes;
}

/** The secret, or undefined when its variable is unset and its file does not exist. */
export function readSecret(spec: SecretSpec, secrets: SecretSettings = config().secrets): Secret | undefined {
  const inline = secrets[spec.value];
  if (inline) return { bytes: decodeSecret(inline, spec.env, spec.label), source: spec.env };
  const file = secretPath(spec, secrets);
  if (!existsSync(file)) return undefined;
  return { bytes: decodeSecret(readFileSync(file, 'utf8'), file, spec.label), source: file };
}

/** Writes 32 fresh random bytes as hex to a new file readable by this user only; refuses to overwrite. */
export function createSecretFile(file: string): Buffer {
  const bytes = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${bytes.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return bytes;
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), so that node:crypto can load it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The Ed25519 key pair of a 32-byte seed. */
export function ed25519FromSeed(seed: Buffer): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A public key as one pasteable token: SPKI DER in base64. */
export function publicKeyText(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}
