// The audit key: a secret kept outside the database, with which every audit entry is chained by
// HMAC-SHA-256 and every anchor is signed (Ed25519, derived from it). Someone who can write the
// database but not read this key cannot rewrite the trail without `bantay audit verify` seeing it.
//
// Where it comes from, first match wins (src/runtime/secret-file.ts; the settings secrets.*):
//   BANTAY_AUDIT_KEY                                the key itself (64 hex digits or base64 of 32+ bytes), e.g. from a secret store;
//   BANTAY_AUDIT_KEY_FILE (secrets.auditKeyFile)    a file holding it;
//   secrets.dir/audit.key ($XDG_CONFIG_HOME/bantay/audit.key, default ~/.config/bantay/audit.key), created on first use.
import { createHmac, type KeyObject } from 'node:crypto';
import { createSecretFile, ed25519FromSeed, readSecret, secretPath, type SecretSpec } from '../runtime/secret-file.ts';
import { config } from '../config/current.ts';
import type { SecretSettings } from '../config/settings.ts';

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

const AUDIT_SECRET: SecretSpec = { value: 'auditKey', env: 'BANTAY_AUDIT_KEY', file: 'auditKeyFile', defaultName: 'audit.key', label: 'the audit key' };

function fromBytes(key: Buffer, source: string): AuditKey {
  const hmac = (m: string): string => createHmac('sha256', key).update(m).digest('hex');
  const seed = createHmac('sha256', key).update('bantay audit anchor signing key v1').digest();
  return { source, id: hmac('bantay audit key id v1').slice(0, 16), mac: hmac, signing: ed25519FromSeed(seed) };
}

/** Loads the audit key; creates the key file on first use (saying where, on `tell`). */
export function loadAuditKey(secrets: SecretSettings = config().secrets, tell: (message: string) => void = (m) => process.stderr.write(m)): AuditKey {
  const found = readSecret(AUDIT_SECRET, secrets);
  if (found) return fromBytes(found.bytes, found.source);
  const file = secretPath(AUDIT_SECRET, secrets);
  const bytes = createSecretFile(file);
  tell(
    `bantay: created the audit key ${file} (readable by this user only).\n` +
      '  Every audit entry is chained with it; without it the trail can only be checked for plain hashes.\n' +
      '  Keep a copy apart from the database (not in its backups), and give every bantay process of this\n' +
      '  database the same key (BANTAY_AUDIT_KEY_FILE or BANTAY_AUDIT_KEY). See docs/security.md "Audit trail".\n',
  );
  return fromBytes(bytes, file);
}

/** The configured audit key, or undefined when none is configured and the default file does not exist (verifying never creates one). */
export function findAuditKey(secrets: SecretSettings = config().secrets): AuditKey | undefined {
  const found = readSecret(AUDIT_SECRET, secrets);
  return found ? fromBytes(found.bytes, found.source) : undefined;
}

let cached: AuditKey | undefined;

/** The process's audit key (loaded once). */
export function auditKey(): AuditKey {
  cached ??= loadAuditKey();
  return cached;
}
