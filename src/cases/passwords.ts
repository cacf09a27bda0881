// Password hashing with argon2id, and the rules a new password must meet.
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// OWASP's argon2id floor (19 MiB, 2 passes, 1 lane) with a little more memory.
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456 * 2, timeCost: 2, parallelism: 1 };

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** The lowest zxcvbn score accepted: 3 = "safely unguessable" (about 10^10 guesses needed; Wheeler, USENIX Security 2016). */
export const MIN_PASSWORD_SCORE = 3;

type Checker = { check(password: string, userInputs?: (string | number)[]): { score: number; feedback: { warning: string | null; suggestions: string[] } } };
let checker: Promise<Checker> | undefined;

// The dictionaries (common passwords, English words, names) weigh several MB: loaded on first use,
// so that commands that never set a password do not pay for them.
async function strengthChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
  })();
  return checker;
}

/** Why a password is refused, or undefined when it is acceptable (length, variety, the username, then strength against common-password and word lists). */
export async function passwordProblem(password: string, username: string, others: string[] = []): Promise<string | undefined> {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return 'a password may have at most 1024 characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'a password may not contain the username';
  if (new Set(password).size < 5) return 'a password needs at least 5 different characters';
  // zxcvbn's cost grows with length; past 256 characters a password is not guessable by its patterns anyway.
  const r = (await strengthChecker()).check(password.slice(0, 256), [username, ...others, 'bantay']);
  if (r.score < MIN_PASSWORD_SCORE) {
    const why = [r.feedback.warning, ...r.feedback.suggestions].filter(Boolean).join(' ');
    return `this password is too easy to guess${why ? `: ${why}` : ''} (use a longer phrase of unrelated words, or \`--generate-password\`)`;
  }
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
