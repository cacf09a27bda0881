// Accounts, sessions and login attempts: the rows, without the policy (that lives in src/cases/).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import type { UsersTable } from './schema-cases.ts';

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
    createdAt: new Date(r.created_at).toISOString(),
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
export async function insertUser(db: Kysely<BantayDatabase>, u: { username: string; displayName: string; role: string; team: string | null; passwordHash: string; totpSecret: string | null; locale?: string }): Promise<UserRow> {
  const row = await db
    .insertInto('users')
    .values({ username: u.username, display_name: u.displayName, role: u.role, team: u.team, password_hash: u.passwordHash, totp_secret: u.totpSecret, totp_last_step: null, locale: u.locale ?? 'en' })
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
  let q = db.selectFrom('users').selectAll().where('disabled', '=', false).where('role', 'in', [...roles]);
  if (team !== undefined) q = q.where('team', '=', team);
  return (await q.orderBy('username').execute()).map((r) => publicUser(toUser(r)));
}

/** Changes some fields of an account. */
export async function updateUser(
  db: Kysely<BantayDatabase>,
  id: number,
  set: Partial<{ displayName: string; role: string; team: string | null; locale: string; disabled: boolean; passwordHash: string; totpSecret: string | null; totpLastStep: number | null }>,
): Promise<boolean> {
  const values: Record<string, unknown> = {};
  if (set.displayName !== undefined) values.display_name = set.displayName;
  if (set.role !== undefined) values.role = set.role;
  if (set.team !== undefined) values.team = set.team;
  if (set.locale !== undefined) values.locale = set.locale;
  if (set.disabled !== undefined) values.disabled = set.disabled;
  if (set.passwordHash !== undefined) { values.password_hash = set.passwordHash; values.password_changed_at = new Date(); }
  if (set.totpSecret !== undefined) { values.totp_secret = set.totpSecret; values.totp_last_step = null; }
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
  await db.insertInto('sessions').values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, last_seen_at: s.lastSeenAt, ip: s.ip, user_agent: s.userAgent }).execute();
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

/** Failed attempts since a time for an account (after its last success) and for an address. */
export async function recentFailures(db: Kysely<BantayDatabase>, username: string, ip: string, since: Date): Promise<{ account: number; address: number }> {
  const lastOk = db.selectFrom('login_attempts').select(sql<Date>`max(at)`.as('at')).where('username', '=', username).where('ok', '=', true);
  const account = await db
    .selectFrom('login_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('username', '=', username)
    .where('ok', '=', false)
    .where('at', '>=', since)
    .where((eb) => eb.or([eb(lastOk, 'is', null), eb('at', '>', lastOk)]))
    .executeTakeFirstOrThrow();
  const address = await db
    .selectFrom('login_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('ip', '=', ip)
    .where('ok', '=', false)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return { account: account.n, address: address.n };
}
