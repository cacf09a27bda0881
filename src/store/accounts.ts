// Accounts, sessions and login attempts: the rows, without the policy (that lives in src/cases/).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import type { UsersTable } from './schema-cases.ts';
import { iso } from '../model/dates.ts';

/** An account as the rest of the program sees it (never the password hash or TOTP secret). */
export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: string;
  team: string | null;
  locale: string;
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: string;
}

/** An account with its secrets, for sign-in only. */
export interface UserSecrets extends UserRow {
  passwordHash: string;
  totpSecret: string | null;
  totpLastStep: number | null;
}

function toUser(r: Selectable<UsersTable>): UserSecrets {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    team: r.team,
    locale: r.locale,
    disabled: r.disabled,
    totpEnabled: r.totp_secret !== null,
    createdAt: iso(r.created_at),
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
  };
}

/** Strips the secrets off an account. */
export function publicUser(u: UserSecrets): UserRow {
  const { passwordHash: _p, totpSecret: _t, totpLastStep: _s, ...rest } = u;
  return rest;
}

/** Inserts an account; throws when the username is taken. */
export async function insertUser(
  db: Kysely<BantayDatabase>,
  u: { username: string; displayName: string; role: string; team: string | null; passwordHash: string; totpSecret: string | null; locale?: string },
): Promise<UserRow> {
  const row = await db
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      team: u.team,
      password_hash: u.passwordHash,
      totp_secret: u.totpSecret,
      totp_last_step: null,
      locale: u.locale ?? 'en',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return publicUser(toUser(row));
}

/** One account by username (with secrets), or undefined. */
export async function userByName(db: Kysely<BantayDatabase>, username: string): Promise<UserSecrets | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

/** One account by id (with secrets), or undefined. */
export async function userById(db: Kysely<BantayDatabase>, id: number): Promise<UserSecrets | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

/** Every account, by username. */
export async function allUsers(db: Kysely<BantayDatabase>): Promise<UserRow[]> {
  return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map((r) => publicUser(toUser(r)));
}

/** Active (not disabled) accounts with one of these roles, optionally of one team, by username. */
export async function activeUsers(db: Kysely<BantayDatabase>, roles: readonly string[], team?: string): Promise<UserRow[]> {
  let q = db
    .selectFrom('users')
    .selectAll()
    .where('disabled', '=', false)
    .where('role', 'in', [...roles]);
  if (team !== undefined) q = q.where('team', '=', team);
  return (await q.orderBy('username').execute()).map((r) => publicUser(toUser(r)));
}

/** Changes some fields of an account. */
export async function updateUser(
  db: Kysely<BantayDatabase>,
  id: number,
  set: Partial<{
    displayName: string;
    role: string;
    team: string | null;
    locale: string;
    disabled: boolean;
    passwordHash: string;
    totpSecret: string | null;
    totpLastStep: number | null;
  }>,
): Promise<boolean> {
  const values: Record<string, unknown> = {};
  if (set.displayName !== undefined) values.display_name = set.displayName;
  if (set.role !== undefined) values.role = set.role;
  if (set.team !== undefined) values.team = set.team;
  if (set.locale !== undefined) values.locale = set.locale;
  if (set.disabled !== undefined) values.disabled = set.disabled;
  if (set.passwordHash !== undefined) {
    values.password_hash = set.passwordHash;
    values.password_changed_at = new Date();
  }
  if (set.totpSecret !== undefined) {
    values.totp_secret = set.totpSecret;
    values.totp_last_step = null;
  }
  if (set.totpLastStep !== undefined) values.totp_last_step = set.totpLastStep;
  if (Object.keys(values).length === 0) return true;
  const r = await db.updateTable('users').set(values).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records that a TOTP time step was used, only if it is newer than the last one (replay guard). */
export async function claimTotpStep(db: Kysely<BantayDatabase>, id: number, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A session row. */
export interface SessionRow {
  id: string;
  userId: number;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/** Stores a new session. */
export async function insertSession(db: Kysely<BantayDatabase>, s: SessionRow & { ip: string | null; userAgent: string | null }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, last_seen_at: s.lastSeenAt, ip: s.ip, user_agent: s.userAgent })
    .execute();
}

/** A session by its id (the token's hash), or undefined. */
export async function sessionById(db: Kysely<BantayDatabase>, id: string): Promise<SessionRow | undefined> {
  const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, userId: r.user_id, csrfToken: r.csrf_token, createdAt: new Date(r.created_at), lastSeenAt: new Date(r.last_seen_at) } : undefined;
}

/** A session and its account in one query (every request does this), or undefined. */
export async function sessionWithUser(db: Kysely<BantayDatabase>, id: string): Promise<{ session: SessionRow; user: UserSecrets } | undefined> {
  const r = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.id as session_id', 's.csrf_token', 's.created_at as session_created_at', 's.last_seen_at'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const { session_id, csrf_token, session_created_at, last_seen_at, ...u } = r;
  return {
    session: { id: session_id, userId: u.id, csrfToken: csrf_token, createdAt: new Date(session_created_at), lastSeenAt: new Date(last_seen_at) },
    user: toUser(u),
  };
}

/** Moves a session's idle clock forward. */
export async function touchSession(db: Kysely<BantayDatabase>, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Ends one session. */
export async function deleteSession(db: Kysely<BantayDatabase>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of an account (password change, disable). */
export async function deleteUserSessions(db: Kysely<BantayDatabase>, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Records one login attempt. */
export async function recordAttempt(db: Kysely<BantayDatabase>, a: { username: string; ip: string; at: Date; ok: boolean }): Promise<void> {
  await db.insertInto('login_attempts').values(a).execute();
}

/** The outcome of reserving a sign-in attempt: allowed, or refused until a time. */
export type Reservation = { allowed: true; failures: number } | { allowed: false; until: Date | null };

/**
 * Counts one attempt against an account before its password is checked, in one statement, so that
 * concurrent attempts cannot all slip under the limit: the first `free` attempts (since the last
 * success, or after `resetAfter` without attempts) are let through; from the `free`-th on, each
 * locks the account for `base`, doubling with every further attempt up to `max`. An attempt
 * while locked is refused without counting. A success clears the count (clearAttempts).
 */
export async function reserveAttempt(
  db: Kysely<BantayDatabase>,
  key: string,
  now: Date,
  p: { free: number; baseMs: number; maxMs: number; resetAfterMs: number },
): Promise<Reservation> {
  const reset = new Date(now.getTime() - p.resetAfterMs);
  const next = sql`(case when t.last_at < ${reset} then 1 else t.failures + 1 end)`;
  const lock = (n: unknown) =>
    sql`case when ${n} >= ${p.free} then ${now}::timestamptz + least(${p.baseMs}::float8 * power(2, ${n} - ${p.free}), ${p.maxMs}::float8) * interval '1 millisecond' end`;
  const r = await sql<{ failures: number }>`
    insert into login_throttle as t (key, failures, last_at, locked_until)
    values (${key}, 1, ${now}, ${lock(sql`1`)})
    on conflict (key) do update set failures = ${next}, last_at = ${now}, locked_until = ${lock(next)}
    where t.locked_until is null or t.locked_until <= ${now}
    returning failures`.execute(db);
  if (r.rows[0]) return { allowed: true, failures: Number(r.rows[0].failures) };
  const row = await db.selectFrom('login_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  return { allowed: false, until: row?.locked_until ? new Date(row.locked_until) : null };
}

/** Clears an account's count after a successful sign-in. */
export async function clearAttempts(db: Kysely<BantayDatabase>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Counts one failure from an address within a window; returns the failures in the window. */
export async function countAddressFailure(db: Kysely<BantayDatabase>, key: string, now: Date, since: Date): Promise<number> {
  const r = await sql<{ failures: number }>`
    insert into login_throttle as t (key, failures, last_at, first_at) values (${key}, 1, ${now}, ${now})
    on conflict (key) do update set
      failures = case when t.first_at < ${since} then 1 else t.failures + 1 end,
      first_at = case when t.first_at < ${since} then ${now}::timestamptz else t.first_at end,
      last_at = ${now}
    returning failures`.execute(db);
  return Number(r.rows[0]?.failures ?? 0);
}

/** Failures from an address within the window. */
export async function addressFailures(db: Kysely<BantayDatabase>, key: string, since: Date): Promise<number> {
  const r = await db.selectFrom('login_throttle').select('failures').where('key', '=', key).where('first_at', '>=', since).executeTakeFirst();
  return r?.failures ?? 0;
}

/** True when the account has signed in successfully from this address since the given time. */
export async function knownAddress(db: Kysely<BantayDatabase>, username: string, ip: string, since: Date): Promise<boolean> {
  const r = await db
    .selectFrom('login_attempts')
    .select('id')
    .where('username', '=', username)
    .where('ip', '=', ip)
    .where('ok', '=', true)
    .where('at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** A session as its owner sees it in the session list. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

/** Every session of an account, most recently used first (ids are the stored token hashes). */
export async function userSessions(db: Kysely<BantayDatabase>, userId: number): Promise<SessionInfo[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: iso(r.created_at),
    lastSeenAt: iso(r.last_seen_at),
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

/** Ends the sessions of an account beyond the `keep` most recently used; returns how many ended. */
export async function trimUserSessions(db: Kysely<BantayDatabase>, userId: number, keep: number): Promise<number> {
  const r = await sql`delete from sessions where user_id = ${userId} and id not in (
    select id from sessions where user_id = ${userId} order by last_seen_at desc, created_at desc limit ${keep})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
