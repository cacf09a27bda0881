// Moving an embedded database: a consistent backup of its folder, a restore into a new folder, and
// a copy of every table into a PostgreSQL server (docs/storage.md "Backup, restore and moving").
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import { DurableNodeFS, durabilitySettings, durableStartParams } from './pglite-durable.ts';
import { badInput, conflict, internal } from '../model/error.ts';

/** Writes a consistent backup of an embedded database (gzipped tar of its data folder); returns its size. */
export async function backupEmbedded(store: Pick<Store, 'dumpDataDir' | 'describe'>, outFile: string): Promise<number> {
  if (!store.dumpDataDir) throw conflict('NOT_EMBEDDED', `${store.describe} is not embedded: back up a PostgreSQL server with pg_dump (docs/storage.md)`);
  if (existsSync(outFile)) throw conflict('EXISTS', `${outFile} exists: a backup never overwrites a file; give another --out`);
  const bytes = Buffer.from(await (await store.dumpDataDir()).arrayBuffer());
  writeFileSync(outFile, bytes, { flag: 'wx', mode: 0o600 });
  return bytes.length;
}

/** Restores a backup into a data folder that does not exist yet or is empty. */
export async function restoreEmbedded(backupFile: string, dataDir: string): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw conflict('NOT_EMPTY', `${dataDir} is not empty: restore into a new folder, then point --data at it`);
  mkdirSync(dataDir, { recursive: true });
  const pgDir = join(dataDir, 'pg');
  const pg = new PGlite({
    fs: new DurableNodeFS(pgDir),
    startParams: durableStartParams(PGlite.defaultStartParams),
    postgresqlconf: durabilitySettings('full'),
    loadDataDir: new Blob([readFileSync(backupFile)]),
  });
  await pg.waitReady;
  await pg.query('checkpoint');
  await pg.close();
}

type Db = Kysely<BantayDatabase>;
// The migration record belongs to the target (its own migrations ran when it was opened).
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock']);
const PAGE = 2000;

async function tablesOf(db: Db): Promise<{ name: string; columns: { name: string; json: boolean }[] }[]> {
  const rows = (
    await sql<{ t: string; c: string; type: string }>`select table_name as t, column_name as c, data_type as type from information_schema.columns
    where table_schema = 'public' order by table_name, ordinal_position`.execute(db)
  ).rows;
  const by = new Map<string, { name: string; json: boolean }[]>();
  for (const r of rows) if (!SKIP.has(r.t)) (by.get(r.t) ?? by.set(r.t, []).get(r.t)!).push({ name: r.c, json: r.type === 'json' || r.type === 'jsonb' });
  return [...by].map(([name, columns]) => ({ name, columns }));
}

// Tables referenced by a foreign key are filled first.
async function referenced(db: Db): Promise<Set<string>> {
  return new Set((await sql<{ t: string }>`select confrelid::regclass::text as t from pg_constraint where contype = 'f'`.execute(db)).rows.map((r) => r.t));
}

/** What a copy moved: rows per table. */
export type CopySummary = { table: string; rows: number }[];

/**
 * Copies every table of an embedded database into a server database (migrated by opening it): the
 * target's tables are emptied first (with its audit triggers off for the copy: run as the owner),
 * rows go in pages, sequences are set past the copied ids. Row counts are checked at the end.
 */
export async function copyToServer(
  from: Pick<Store, 'db' | 'describe'>,
  to: Pick<Store, 'db' | 'location'>,
  progress: (table: string, rows: number) => void = () => {},
): Promise<CopySummary> {
  if (to.location.backend !== 'server') throw badInput('NOT_A_SERVER', 'copy needs a PostgreSQL server as its target (--to DATABASE_URL)');
  const tables = await tablesOf(from.db);
  const first = await referenced(to.db);
  tables.sort((a, b) => Number(first.has(b.name)) - Number(first.has(a.name)) || a.name.localeCompare(b.name));
  const targetTables = new Set((await tablesOf(to.db)).map((t) => t.name));
  const missing = tables.filter((t) => !targetTables.has(t.name)).map((t) => t.name);
  if (missing.length) throw conflict('CONFLICT', `the target has no table ${missing.join(', ')}: is it an older version of bantay?`);
  const summary: CopySummary = [];
  await to.db.transaction().execute(async (tx) => {
    await sql`alter table audit_log disable trigger user`.execute(tx);
    await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))} cascade`.execute(tx);
    for (const t of tables) {
      let n = 0;
      for (let offset = 0; ; offset += PAGE) {
        const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t.name)} order by ctid limit ${PAGE} offset ${offset}`.execute(from.db))
          .rows;
        if (rows.length === 0) break;
        const values = rows.map((r) =>
          Object.fromEntries(
            t.columns.map((c) => [c.name, c.json && r[c.name] !== null && typeof r[c.name] !== 'string' ? JSON.stringify(r[c.name]) : r[c.name]]),
          ),
        );
        await tx
          .insertInto(t.name as never)
          .values(values as never)
          .execute();
        n += rows.length;
        progress(t.name, n);
      }
      summary.push({ table: t.name, rows: n });
    }
    await sql`alter table audit_log enable trigger user`.execute(tx);
    // Serial ids continue after the copied ones.
    await sql`select setval(s.seq, coalesce(s.maxv, 1), s.maxv is not null) from (
      select pg_get_serial_sequence(format('%I', c.table_name), c.column_name) as seq,
        (xpath('/row/m/text()', query_to_xml(format('select max(%I) as m from %I', c.column_name, c.table_name), false, true, '')))[1]::text::bigint as maxv
      from information_schema.columns c where c.table_schema = 'public' and c.column_default like 'nextval(%') s where s.seq is not null`.execute(tx);
  });
  for (const s of summary) {
    const n = (await sql<{ n: string }>`select count(*) as n from ${sql.table(s.table)}`.execute(to.db)).rows[0]!.n;
    if (Number(n) !== s.rows) throw internal(`table ${s.table}: copied ${s.rows} rows but the target holds ${n}`);
  }
  return summary;
}
