// Mutual exclusion of aggregate work (a stage's run, a full re-score) across processes and
// machines: a PostgreSQL advisory lock held on a connection of its own for the length of the
// work, so a killed process releases it with its connection. The embedded database has one
// process (its folder is locked) and one connection, so there only the in-process queue applies.
import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';

const local = new WeakMap<object, Map<string, Promise<unknown>>>();

// Runs fn after every earlier holder of the same name in this process.
async function inProcess<T>(owner: object, name: string, fn: () => Promise<T>): Promise<T> {
  let held = local.get(owner);
  if (!held) local.set(owner, (held = new Map()));
  const before = held.get(name) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  held.set(name, tail);
  try {
    return await run;
  } finally {
    if (held.get(name) === tail) held.delete(name);
  }
}

/**
 * Runs fn while holding the named lock: in this process always, and on a server also across
 * every process using the database (waiting for the holder to finish).
 */
export async function withNamedLock<T>(db: Kysely<BantayDatabase>, server: boolean, name: string, fn: () => Promise<T>): Promise<T> {
  return inProcess(db, name, () => {
    if (!server) return fn();
    return db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(hashtextextended(${`bantay:${name}`}, 0))`.execute(conn);
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${`bantay:${name}`}, 0))`.execute(conn);
      }
    });
  });
}
