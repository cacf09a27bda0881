// TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s), as authenticator apps expect.
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

function totp(secret: string, username: string): TOTP {
  return new TOTP({ issuer: 'Bantay', label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** A new random TOTP secret (base32, 160 bits). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, username: string): string {
  return totp(secret, username).toString();
}

/** The code for a moment (for tests and the CLI's check). */
export function totpCode(secret: string, username: string, atMs: number): string {
  return totp(secret, username).generate({ timestamp: atMs });
}

/** The time step a code is valid for (one step of drift either way), or undefined when it is wrong. */
export function totpStep(secret: string, username: string, code: string, atMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret, username).validate({ token: code, timestamp: atMs, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(atMs / 1000 / PERIOD) + delta;
}
