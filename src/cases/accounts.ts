// Accounts: creation, passwords, TOTP, disabling. The first admin comes from the command line;
// there is never a default password.
import type { Store } from '../store/database.ts';
import { allUsers, deleteUserSessions, insertUser, publicUser, updateUser, userByName, type UserRow } from '../store/accounts.ts';
import { hashPassword, passwordProblem, randomPassword } from './passwords.ts';
import { newTotpSecret, totpUri } from './totp.ts';
import { isRole, type Role } from './roles.ts';
import { appendAudit } from './audit.ts';
import { badInput, notFound, conflict } from '../model/error.ts';

/** Who is doing something, for the audit trail. */
export interface Actor {
  userId: number | null;
  username: string | null;
  ip: string | null;
}

/** The command line acting on its own (no signed-in user). */
export const CLI_ACTOR: Actor = { userId: null, username: 'cli', ip: 'local' };

/** A new account, and the TOTP URI to show once when a second factor was set up. */
export interface CreatedUser {
  user: UserRow;
  totpUri?: string;
}

/** Input of createUser. */
export interface NewUser {
  username: string;
  password: string;
  role: Role | string;
  displayName?: string;
  team?: string | null;
  locale?: string;
  /** Set up TOTP (always for admins). */
  totp?: boolean;
}

/** Creates an account (argon2id password; TOTP for admins and on request); audited. */
export async function createUser(store: Pick<Store, 'db'>, u: NewUser, actor: Actor = CLI_ACTOR): Promise<CreatedUser> {
  if (!/^[a-z0-9._-]{2,64}$/i.test(u.username)) throw badInput('BAD_USERNAME', 'a username is 2 to 64 letters, digits, dots, dashes or underscores');
  if (!isRole(u.role)) throw badInput('BAD_ROLE', `role must be one of admin, supervisor, analyst, auditor (got "${u.role}")`);
  const problem = await passwordProblem(u.password, u.username, u.displayName ? [u.displayName] : []);
  if (problem) throw badInput('WEAK_PASSWORD', problem);
  if (await userByName(store.db, u.username)) throw conflict('USERNAME_TAKEN', `there is already an account named ${u.username}`);
  const secret = u.role === 'admin' || u.totp ? newTotpSecret() : null;
  const user = await insertUser(store.db, {
    username: u.username,
    displayName: u.displayName ?? u.username,
    role: u.role,
    team: u.team ?? null,
    locale: u.locale ?? 'en',
    passwordHash: await hashPassword(u.password),
    totpSecret: secret,
  });
  await appendAudit(store, {
    ...actorFields(actor),
    action: 'user.create',
    targetKind: 'user',
    targetId: String(user.id),
    detail: { username: user.username, role: user.role, team: user.team, totp: secret !== null },
  });
  return secret ? { user, totpUri: totpUri(secret, user.username) } : { user };
}

/** The demo analyst: username `demo-analyst`, a random password returned once to print. */
export async function createDemoAnalyst(store: Pick<Store, 'db'>): Promise<{ username: string; password: string }> {
  const username = 'demo-analyst';
  const password = randomPassword();
  const existing = await userByName(store.db, username);
  if (existing) {
    await setPassword(store, username, password);
    return { username, password };
  }
  await createUser(store, { username, password, role: 'analyst', displayName: 'Demo analyst', team: 'demo' });
  return { username, password };
}

/** Sets a new password; every session of the account ends. */
export async function setPassword(store: Pick<Store, 'db'>, username: string, password: string, actor: Actor = CLI_ACTOR): Promise<void> {
  const u = await userByName(store.db, username);
  if (!u) throw notFound('NO_SUCH_USER', `no account named ${username}`);
  const problem = await passwordProblem(password, username, [u.displayName]);
  if (problem) throw badInput('WEAK_PASSWORD', problem);
  await updateUser(store.db, u.id, { passwordHash: await hashPassword(password) });
  await deleteUserSessions(store.db, u.id);
  await appendAudit(store, { ...actorFields(actor), action: 'user.password', targetKind: 'user', targetId: String(u.id), detail: { username } });
}

/** Disables (or re-enables) an account; disabling ends its sessions. */
export async function setDisabled(store: Pick<Store, 'db'>, username: string, disabled: boolean, actor: Actor = CLI_ACTOR): Promise<void> {
  const u = await userByName(store.db, username);
  if (!u) throw notFound('NO_SUCH_USER', `no account named ${username}`);
  await updateUser(store.db, u.id, { disabled });
  if (disabled) await deleteUserSessions(store.db, u.id);
  await appendAudit(store, {
    ...actorFields(actor),
    action: disabled ? 'user.disable' : 'user.enable',
    targetKind: 'user',
    targetId: String(u.id),
    detail: { username },
  });
}

/** Sets up a fresh TOTP secret for an account and returns the URI to scan (the old one stops working). */
export async function resetTotp(store: Pick<Store, 'db'>, username: string, actor: Actor = CLI_ACTOR): Promise<string> {
  const u = await userByName(store.db, username);
  if (!u) throw notFound('NO_SUCH_USER', `no account named ${username}`);
  const secret = newTotpSecret();
  await updateUser(store.db, u.id, { totpSecret: secret });
  await appendAudit(store, { ...actorFields(actor), action: 'user.totp', targetKind: 'user', targetId: String(u.id), detail: { username } });
  return totpUri(secret, username);
}

/** One account by name (no secrets); throws NO_SUCH_USER. */
export async function findUser(store: Pick<Store, 'db'>, username: string): Promise<UserRow> {
  const u = await userByName(store.db, username);
  if (!u) throw notFound('NO_SUCH_USER', `no account named ${username}`);
  return publicUser(u);
}

/** Every account (no secrets). */
export async function listUsers(store: Pick<Store, 'db'>): Promise<UserRow[]> {
  return allUsers(store.db);
}

/** The actor's fields as an audit entry wants them. */
export function actorFields(a: Actor): { userId: number | null; username: string | null; ip: string | null } {
  return { userId: a.userId, username: a.username, ip: a.ip };
}
