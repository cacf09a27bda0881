// Sign-in and sessions: throttled password + TOTP check, then a random token whose hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/database.ts';
import { claimTotpStep, deleteSession, insertSession, publicUser, recentFailures, recordAttempt, sessionWithUser, touchSession, userByName, type UserRow } from '../store/accounts.ts';
import { verifyDecoy, verifyPassword } from './passwords.ts';
import { totpStep } from './totp.ts';
import { appendAudit } from './audit.ts';

/** Session and throttling limits (minutes and counts). */
export interface SessionPolicy {
  idleMinutes: number;
  absoluteMinutes: number;
  /** Failed attempts on one account within the window before it is refused. */
  maxAccountFailures: number;
  /** Failed attempts from one address within the window before it is refused. */
  maxAddressFailures: number;
  throttleWindowMinutes: number;
}

/** Defaults: 30 min idle, 12 h absolute; 5 failures per account or 20 per address in 15 minutes. */
export const DEFAULT_POLICY: SessionPolicy = { idleMinutes: 30, absoluteMinutes: 12 * 60, maxAccountFailures: 5, maxAddressFailures: 20, throttleWindowMinutes: 15 };

/** Why a sign-in was refused (stable codes for the API). */
export type LoginRefusal = 'BAD_CREDENTIALS' | 'TOTP_REQUIRED' | 'TOTP_NOT_SET_UP' | 'THROTTLED';

/** The outcome of a sign-in. */
export type LoginOutcome = { ok: true; user: UserRow; token: string; csrfToken: string } | { ok: false; refusal: LoginRefusal };

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Checks credentials under throttling; on success opens a session and returns its token. Audited either way. */
export async function login(
  store: Pick<Store, 'db'>,
  input: { username: string; password: string; totp?: string | undefined; ip: string; userAgent?: string | null },
  policy: SessionPolicy = DEFAULT_POLICY,
  now: Date = new Date(),
): Promise<LoginOutcome> {
  const { db } = store;
  const since = new Date(now.getTime() - policy.throttleWindowMinutes * 60_000);
  const fails = await recentFailures(db, input.username, input.ip, since);
  const refuse = async (refusal: LoginRefusal, count = true): Promise<LoginOutcome> => {
    if (count) await recordAttempt(db, { username: input.username, ip: input.ip, at: now, ok: false });
    await appendAudit(store, { action: 'login.refused', username: input.username, ip: input.ip, detail: { reason: refusal }, at: now });
    return { ok: false, refusal };
  };
  if (fails.account >= policy.maxAccountFailures || fails.address >= policy.maxAddressFailures) {
    await verifyDecoy(input.password);
    return refuse('THROTTLED', false);
  }
  const u = await userByName(db, input.username);
  if (!u || u.disabled) {
    await verifyDecoy(input.password);
    return refuse('BAD_CREDENTIALS');
  }
  if (!(await verifyPassword(u.passwordHash, input.password))) return refuse('BAD_CREDENTIALS');
  if (u.role === 'admin' && !u.totpSecret) return refuse('TOTP_NOT_SET_UP', false);
  if (u.totpSecret) {
    // The password was right: asking for the code is not a failure, a wrong code is.
    if (!input.totp) return refuse('TOTP_REQUIRED', false);
    const step = totpStep(u.totpSecret, u.username, input.totp, now.getTime());
    if (step === undefined || !(await claimTotpStep(db, u.id, step))) return refuse('BAD_CREDENTIALS');
  }
  await recordAttempt(db, { username: input.username, ip: input.ip, at: now, ok: true });
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await insertSession(db, { id: sha256(token), userId: u.id, csrfToken, createdAt: now, lastSeenAt: now, ip: input.ip, userAgent: input.userAgent ?? null });
  await appendAudit(store, { action: 'login', userId: u.id, username: u.username, ip: input.ip, at: now });
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
export async function resolveSession(store: Pick<Store, 'db'>, token: string, policy: SessionPolicy = DEFAULT_POLICY, now: Date = new Date()): Promise<ActiveSession | 'EXPIRED' | 'NONE'> {
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
