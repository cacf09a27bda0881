// The audit key: a secret kept outside the database, with which every audit entry is chained by
// HMAC-SHA-256 and every anchor is signed (Ed25519, derived from it). Someone who can write the
// database but not read this key cannot rewrite the trail without `bantay audit verify` seeing it.
//
// Where it comes from, first match wins:
//   BANTAY_AUDIT_KEY       the key itself (64 hex digits or base64 of 32+ bytes), e.g. from a secret store;
//   BANTAY_AUDIT_KEY_FILE  a file holding it;
//   $XDG_CONFIG_HOME/bantay/audit.key (default ~/.config/bantay/audit.key), created on first use.
import { createHmac, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** A loaded audit key. */
export interface AuditKey {
  /** Where it came from, for messages (never the key). */
  source: string;
  /** A fingerprint stored with each entry, so that verify can say which key wrote it. */
  id: string;
  /** HMAC-SHA-256 of a message, hex. */
  mac(message: string): string;
  /** The anchor signing key pair (Ed25519), derived from the audit key. */
  signing: { privateKey: KeyObject; publicKey: KeyObject };
}

/** The default key file. */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'bantay', 'audit.key');
}

function decode(text: string, source: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-f]{64,}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length < 32) throw new Error(`the audit key in ${source} is shorter than 32 bytes: write 64 hex digits (e.g. \`openssl rand -hex 32\`)`);
  return bytes;
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), so that node:crypto can load it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function fromBytes(key: Buffer, source: string): AuditKey {
  const hmac = (m: string): string => createHmac('sha256', key).update(m).digest('hex');
  const seed = createHmac('sha256', key).update('bantay audit anchor signing key v1').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { source, id: hmac('bantay audit key id v1').slice(0, 16), mac: hmac, signing: { privateKey, publicKey: createPublicKey(privateKey) } };
}

/** Loads the audit key; creates the key file on first use (saying where, on `tell`). */
export function loadAuditKey(env: NodeJS.ProcessEnv = process.env, tell: (message: string) => void = (m) => process.stderr.write(m)): AuditKey {
  if (env.BANTAY_AUDIT_KEY) return fromBytes(decode(env.BANTAY_AUDIT_KEY, 'BANTAY_AUDIT_KEY'), 'BANTAY_AUDIT_KEY');
  const file = env.BANTAY_AUDIT_KEY_FILE || defaultKeyFile(env);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    tell(`bantay: created the audit key ${file} (readable by this user only).\n`
      + '  Every audit entry is chained with it; without it the trail can only be checked for plain hashes.\n'
      + '  Keep a copy apart from the database (not in its backups), and give every bantay process of this\n'
      + '  database the same key (BANTAY_AUDIT_KEY_FILE or BANTAY_AUDIT_KEY). See docs/security.md "Audit trail".\n');
  }
  return fromBytes(decode(readFileSync(file, 'utf8'), file), file);
}

/** The configured audit key, or undefined when none is configured and the default file does not exist (verifying never creates one). */
export function findAuditKey(env: NodeJS.ProcessEnv = process.env): AuditKey | undefined {
  if (!env.BANTAY_AUDIT_KEY && !existsSync(env.BANTAY_AUDIT_KEY_FILE || defaultKeyFile(env))) return undefined;
  return loadAuditKey(env);
}

let cached: AuditKey | undefined;

/** The process's audit key (loaded once). */
export function auditKey(): AuditKey {
  cached ??= loadAuditKey();
  return cached;
}
