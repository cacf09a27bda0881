// Password hashing with argon2id, and the rules a new password must meet.
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// OWASP's argon2id floor (19 MiB, 2 passes, 1 lane) with a little more memory.
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456 * 2, timeCost: 2, parallelism: 1 };

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return 'a password may have at most 1024 characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'a password may not contain the username';
  if (new Set(password).size < 5) return 'a password needs at least 5 different characters';
  return undefined;
}

/** An argon2id hash (PHC string) of a password. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when the password matches the stored hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A hash of nothing anyone knows: unknown usernames are checked against it so they take as long as known ones.
let decoy: Promise<string> | undefined;
/** Spends the time of one verification (for unknown or disabled accounts). */
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'));
  await verifyPassword(await decoy, password);
}

/** A random password of 20 characters from an unambiguous alphabet (about 115 bits). */
export function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    if (b >= 224) continue; // 224 = 4 × 56: keeps the choice uniform
    out += alphabet[b % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : randomPassword();
}
