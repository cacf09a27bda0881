// Sign-in and sessions: throttled password + TOTP check, then a random token whose hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/database.ts';
import {
  addressFailures,
  claimTotpStep,
  clearAttempts,
  countAddressFailure,
  deleteSession,
  insertSession,
  knownAddress,
  publicUser,
  recordAttempt,
  reserveAttempt,
  sessionWithUser,
  touchSession,
  trimUserSessions,
  userByName,
  userSessions,
  type UserRow,
} from '../store/accounts.ts';
import { verifyDecoy, verifyPassword } from './passwords.ts';
import { totpStep } from './totp.ts';
import { appendAudit } from './audit.ts';
import { storableText } from '../model/text.ts';

/** Session and throttling limits (minutes and counts). */
export interface SessionPolicy {
  idleMinutes: number;
  absoluteMinutes: number;
  /** Attempts on one account let through before back-off starts (counted since its last success). */
  maxAccountFailures: number;
  /** The first back-off; it doubles with every further failure. */
  backoffMinutes: number;
  /** The longest back-off. */
  maxBackoffMinutes: number;
  /** An account's count starts again after this long without an attempt. */
  accountResetHours: number;
  /** Failed attempts from one address within the window before that address is limited to accounts it has signed in to before. */
  maxAddressFailures: number;
  throttleWindowMinutes: number;
  /** How far back a successful sign-in from an address makes it known to the account. */
  knownAddressDays: number;
  /** Concurrent sessions per account; signing in beyond it ends the least recently used. */
  maxSessions: number;
}

/**
 * Defaults: 30 min idle, 12 h absolute; 5 free attempts per account, then 1, 2, 4, 8, 15, 15…
 * minutes of back-off; 100 failures from one address in 15 minutes limit it to accounts that signed
 * in from it within 30 days; 5 sessions per account.
 */
export const DEFAULT_POLICY: SessionPolicy = {
  idleMinutes: 30,
  absoluteMinutes: 12 * 60,
  maxAccountFailures: 5,
  backoffMinutes: 1,
  maxBackoffMinutes: 15,
  accountResetHours: 24,
  maxAddressFailures: 100,
  throttleWindowMinutes: 15,
  knownAddressDays: 30,
  maxSessions: 5,
};

/** Why a sign-in was refused (stable codes for the API). */
export type LoginRefusal = 'BAD_CREDENTIALS' | 'TOTP_REQUIRED' | 'TOTP_NOT_SET_UP' | 'THROTTLED';

/** The outcome of a sign-in. */
export type LoginOutcome = { ok: true; user: UserRow; token: string; csrfToken: string } | { ok: false; refusal: LoginRefusal; retryAfterSeconds?: number };

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const MIN = 60_000;

/**
 * Checks credentials under throttling; on success opens a session and returns its token. Audited
 * either way. The account's attempt is counted before the password is checked, in one statement,
 * so that parallel guesses cannot all pass under the limit.
 */
export async function login(
  store: Pick<Store, 'db'>,
  input: { username: string; password: string; totp?: string | undefined; ip: string; userAgent?: string | null },
  policy: SessionPolicy = DEFAULT_POLICY,
  now: Date = new Date(),
): Promise<LoginOutcome> {
  const { db } = store;
  // No account name holds a NUL or a lone surrogate; made storable, such a name is simply unknown.
  input = { ...input, username: storableText(input.username) };
  const accountKey = `user:${input.username}`;
  const addressKey = `ip:${input.ip}`;
  const since = new Date(now.getTime() - policy.throttleWindowMinutes * MIN);
  const refuse = async (refusal: LoginRefusal, failed: boolean, retryAt?: Date | null): Promise<LoginOutcome> => {
    if (failed) {
      await recordAttempt(db, { username: input.username, ip: input.ip, at: now, ok: false });
      await countAddressFailure(db, addressKey, now, since);
    }
    await appendAudit(store, { action: 'login.refused', username: input.username, ip: input.ip, detail: { reason: refusal }, at: now });
    const retry = retryAt ? Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)) : undefined;
    return retry === undefined ? { ok: false, refusal } : { ok: false, refusal, retryAfterSeconds: retry };
  };
  // A busy address (a shared proxy, or someone spraying one password over many accounts) keeps
  // only the accounts that have signed in from it before.
  if (
    (await addressFailures(db, addressKey, since)) >= policy.maxAddressFailures &&
    !(await knownAddress(db, input.username, input.ip, new Date(now.getTime() - policy.knownAddressDays * 24 * 60 * MIN)))
  ) {
    await verifyDecoy(input.password);
    return refuse('THROTTLED', false, new Date(now.getTime() + policy.throttleWindowMinutes * MIN));
  }
  const reserved = await reserveAttempt(db, accountKey, now, {
    free: policy.maxAccountFailures,
    baseMs: policy.backoffMinutes * MIN,
    maxMs: policy.maxBackoffMinutes * MIN,
    resetAfterMs: policy.accountResetHours * 60 * MIN,
  });
  if (!reserved.allowed) {
    // A refused attempt still costs a verification, so that refusals tell nothing about the account.
    await verifyDecoy(input.password);
    return refuse('THROTTLED', false, reserved.until);
  }
  const u = await userByName(db, input.username);
  if (!u || u.disabled) {
    await verifyDecoy(input.password);
    return refuse('BAD_CREDENTIALS', true);
  }
  if (!(await verifyPassword(u.passwordHash, input.password))) return refuse('BAD_CREDENTIALS', true);
  // The password was right: not a failure, so the reservation is given back.
  if (u.role === 'admin' && !u.totpSecret) {
    await clearAttempts(db, accountKey);
    return refuse('TOTP_NOT_SET_UP', false);
  }
  if (u.totpSecret) {
    // Asking for the code is not a failure, a wrong code is (it stays counted).
    if (!input.totp) {
      await clearAttempts(db, accountKey);
      return refuse('TOTP_REQUIRED', false);
    }
    const step = totpStep(u.totpSecret, u.username, input.totp, now.getTime());
    if (step === undefined || !(await claimTotpStep(db, u.id, step))) return refuse('BAD_CREDENTIALS', true);
  }
  await clearAttempts(db, accountKey);
  await recordAttempt(db, { username: input.username, ip: input.ip, at: now, ok: true });
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await insertSession(db, { id: sha256(token), userId: u.id, csrfToken, createdAt: now, lastSeenAt: now, ip: input.ip, userAgent: input.userAgent ?? null });
  await appendAudit(store, { action: 'login', userId: u.id, username: u.username, ip: input.ip, at: now });
  const ended = await trimUserSessions(db, u.id, policy.maxSessions);
  if (ended > 0)
    await appendAudit(store, {
      action: 'session.evicted',
      userId: u.id,
      username: u.username,
      ip: input.ip,
      targetKind: 'user',
      targetId: String(u.id),
      detail: { ended, cap: policy.maxSessions },
      at: now,
    });
  return { ok: true, user: publicUser(u), token, csrfToken };
}

/** A live session and its account. */
export interface ActiveSession {
  id: string;
  user: UserRow;
  csrfToken: string;
}

// Touching the session on every request would be a write per request; a minute of slack is enough.
const TOUCH_EVERY_MS = 60_000;

/** The session behind a cookie token, or why there is none (ended sessions are removed). */
export async function resolveSession(
  store: Pick<Store, 'db'>,
  token: string,
  policy: SessionPolicy = DEFAULT_POLICY,
  now: Date = new Date(),
): Promise<ActiveSession | 'EXPIRED' | 'NONE'> {
  const id = sha256(token);
  const found = await sessionWithUser(store.db, id);
  if (!found) return 'NONE';
  const { session: s, user: u } = found;
  const idle = now.getTime() - s.lastSeenAt.getTime() > policy.idleMinutes * 60_000;
  const old = now.getTime() - s.createdAt.getTime() > policy.absoluteMinutes * 60_000;
  if (idle || old) {
    await deleteSession(store.db, id);
    return 'EXPIRED';
  }
  if (u.disabled) {
    await deleteSession(store.db, id);
    return 'NONE';
  }
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(store.db, id, now);
  return { id, user: publicUser(u), csrfToken: s.csrfToken };
}

/** Ends a session. */
export async function logout(store: Pick<Store, 'db'>, session: ActiveSession, ip: string): Promise<void> {
  await deleteSession(store.db, session.id);
  await appendAudit(store, { action: 'logout', userId: session.user.id, username: session.user.username, ip });
}

/** A session in its owner's list: a public id (not the token, not its stored hash), when, from where. */
export interface OwnSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

// The list shows a hash of the stored id: knowing it neither opens the session nor finds it by token.
const publicSessionId = (storedId: string): string => sha256(`session:${storedId}`).slice(0, 24);

/** The sessions of an account, most recently used first; `currentId` marks the caller's own. */
export async function listOwnSessions(store: Pick<Store, 'db'>, userId: number, currentId?: string): Promise<OwnSession[]> {
  return (await userSessions(store.db, userId)).map((s) => ({ ...s, id: publicSessionId(s.id), current: s.id === currentId }));
}

/** Ends sessions of an account by public id, or all of them ('all'); returns how many ended; audited with who did it. */
export async function revokeSessions(
  store: Pick<Store, 'db'>,
  owner: Pick<UserRow, 'id'>,
  which: string | 'all',
  actor: { userId: number | null; username: string | null; ip: string | null },
): Promise<number> {
  const found = (await userSessions(store.db, owner.id)).filter((s) => which === 'all' || publicSessionId(s.id) === which);
  for (const s of found) await deleteSession(store.db, s.id);
  if (found.length > 0)
    await appendAudit(store, {
      action: 'session.revoke',
      ...actor,
      targetKind: 'user',
      targetId: String(owner.id),
      detail: { sessions: found.map((s) => publicSessionId(s.id)) },
    });
  return found.length;
}
