import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import { currentRole, grantAppRole } from './roles.ts';
import { PGliteDialect, pgliteCopy } from './pglite-dialect.ts';
import { DurableNodeFS, durabilitySettings, durableStartParams, type Durability } from './pglite-durable.ts';
import type { BantayDatabase } from './schema.ts';
import type { BulkCopy } from './copy-text.ts';
import { config } from '../config/current.ts';
import { redactUrl, type StoreLocation } from './location.ts';
import { conflict, unavailable, internal } from '../model/error.ts';

export { redactUrl, resolveLocation, type StoreLocation } from './location.ts';

/** An open database with migrations applied. */
export interface Store {
  db: Kysely<BantayDatabase>;
  location: StoreLocation;
  /** A human-readable name of the location (the folder, or the server URL without its password). */
  describe: string;
  /** Bulk load through COPY where the backend allows it (embedded); undefined means multi-row INSERT. */
  copy?: BulkCopy;
  /** A consistent gzipped tar of the embedded data folder (after a checkpoint); undefined on a server. */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

// PGlite is single-process: two commands writing one data folder at once would corrupt it,
// so the folder is locked for as long as a command has it open.
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'bantay.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && isAlive(pid)) {
        throw conflict(
          'IN_USE',
          `the data folder ${dataDir} is in use by another bantay process (pid ${pid}); wait for it to finish or use another --data folder`,
        );
      }
      unlinkSync(path); // a crashed run left it behind
    }
  }
  throw unavailable('DATABASE_UNAVAILABLE', `could not lock the data folder ${dataDir}`);
}

/** Whether a process of this host is alive (signal 0 checks without signalling; EPERM: it exists but is someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// PGlite's initdb holds several hundred MB of WebAssembly memory that this process would keep
// for the rest of its life; a fresh data folder is therefore initialised in a short-lived
// child process, whose memory is returned when it exits.
function initialiseDataDir(pgDir: string): void {
  if (existsSync(join(pgDir, 'PG_VERSION'))) return;
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); const pg = new PGlite(${JSON.stringify(pgDir)}); await pg.waitReady; await pg.close();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0)
    throw unavailable('DATABASE_UNAVAILABLE', `could not initialise the embedded database in ${pgDir}: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** Opens the database at a location and brings its schema up to date; the embedded one syncs every commit to disk unless told `relaxed`. */
export async function openStore(location: StoreLocation, opts: { durability?: Durability } = {}): Promise<Store> {
  let db: Kysely<BantayDatabase>;
  let unlock = (): void => {};
  let describe: string;
  let copy: BulkCopy | undefined;
  let dumpDataDir: (() => Promise<Blob>) | undefined;
  let closing = false;
  if (location.backend === 'embedded') {
    mkdirSync(location.dataDir, { recursive: true });
    unlock = lockDataDir(location.dataDir);
    try {
      initialiseDataDir(join(location.dataDir, 'pg'));
      // Small shared buffers: PGlite's files go through the operating system's page cache anyway,
      // and every buffer is WebAssembly memory this process keeps for its whole life.
      const durability = opts.durability ?? 'full';
      const pgDir = join(location.dataDir, 'pg');
      const pglite = new PGlite({
        ...(durability === 'full' ? { fs: new DurableNodeFS(pgDir), startParams: durableStartParams(PGlite.defaultStartParams) } : { dataDir: pgDir }),
        postgresqlconf: ['shared_buffers = 64MB', ...durabilitySettings(durability)],
      });
      db = new Kysely<BantayDatabase>({ dialect: new PGliteDialect(pglite) });
      copy = pgliteCopy(pglite);
      // PGlite runs one statement at a time: the dump is taken with nothing else writing.
      dumpDataDir = async () => {
        await pglite.query('checkpoint');
        return pglite.dumpDataDir('gzip');
      };
    } catch (err) {
      unlock();
      throw err;
    }
    describe = `embedded database in ${location.dataDir}`;
  } else {
    // node-postgres is loaded only for a server: the embedded database never needs it.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: location.url, max: config().database.poolSize });
    // An idle connection the server drops (restart, admin, DROP DATABASE … FORCE, even one already
    // closing) is reported on the pool; unheard, that event would end the whole process. The pool
    // has already discarded the connection and the next query opens a new one.
    pool.on('error', (err) => {
      if (!closing) process.stderr.write(`bantay: the PostgreSQL server closed an idle connection (${err.message}); the next query reconnects\n`);
    });
    db = new Kysely<BantayDatabase>({ dialect: new PostgresDialect({ pool }) });
    describe = `PostgreSQL server ${redactUrl(location.url)}`;
  }
  try {
    if (location.backend === 'server' && location.ownerUrl) await migrateAsOwner(location.ownerUrl, db);
    else await migrate(db);
  } catch (err) {
    await db.destroy().catch(() => {});
    unlock();
    throw unavailable('DATABASE_UNAVAILABLE', `cannot prepare the ${describe}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    db,
    location,
    describe,
    ...(copy ? { copy } : {}),
    ...(dumpDataDir ? { dumpDataDir } : {}),
    async close() {
      closing = true;
      await db.destroy();
      unlock();
    },
  };
}

/** Applies every migration not yet applied; throws with the failing migration's name. */
export async function migrate(db: Kysely<BantayDatabase>): Promise<string[]> {
  // The Migrator introspects every table twice before it looks at what is applied, which costs a
  // command that only reads seconds on the embedded database; one read of the applied names says
  // whether there is anything to do.
  if (await upToDate(db)) return [];
  // Numbers are reserved per line of work and merged in any order, so a database may already hold
  // a later number when an earlier one arrives; each migration stands alone, so run it anyway.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw internal(failed ? `migration ${failed.migrationName} failed: ${why}` : why, error, 'MIGRATION_FAILED');
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// True when every migration is recorded as applied (Kysely records each in kysely_migration in
// the transaction that runs it); false when any is missing or the table does not exist yet.
async function upToDate(db: Kysely<BantayDatabase>): Promise<boolean> {
  let applied: Set<string>;
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = new Set(r.rows.map((x) => x.name));
  } catch {
    return false;
  }
  return Object.keys(await migrationProvider.getMigrations()).every((name) => applied.has(name));
}

/** Migrates through the owner's connection, then grants the application role of `app` its rights. */
async function migrateAsOwner(ownerUrl: string, app: Kysely<BantayDatabase>): Promise<void> {
  const { default: pg } = await import('pg');
  const owner = new Kysely<BantayDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ownerUrl, max: 1 }) }) });
  try {
    await migrate(owner);
    await grantAppRole(owner, await currentRole(app));
  } finally {
    await owner.destroy();
  }
}
