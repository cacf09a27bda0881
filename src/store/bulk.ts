import { sql, type Kysely, type Transaction } from 'kysely';
import { copyText, type BulkCopy, type CopyValue } from './copy-text.ts';
import type { BantayDatabase } from './schema.ts';

/** A database handle or an open transaction. */
export type Db = Kysely<BantayDatabase> | Transaction<BantayDatabase>;

/** Rows per multi-row INSERT and per `in (…)` list: well under PostgreSQL's 65,535 parameters. */
export const CHUNK = 1000;

/** Writes rows in bulk: COPY on the embedded backend, multi-row INSERTs on a server. */
export async function bulkWrite(db: Db, copy: BulkCopy | undefined, table: string, columns: string[], rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  if (copy) {
    await copy(table, columns, copyText(rows));
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows
      .slice(i, i + CHUNK)
      .map((r) => Object.fromEntries(columns.map((c, k) => [c, r[k] instanceof Date ? (r[k] as Date).toISOString() : r[k]])));
    // Kysely cannot type a row for a table chosen at run time (temporary staging tables included);
    // the columns come from the caller's schema.
    await db
      .insertInto(table as keyof BantayDatabase & string)
      .values(chunk as never)
      .execute();
  }
}

/** Splits a list into chunks of at most n. */
export function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Inserts rows or updates the stored row with the same key, only where some column differs, so an
 * unchanged row keeps its timestamp (`touch` is set to now() on a real change). Rows go through a
 * temporary table (COPY on the embedded backend). Returns the first key column of every row
 * inserted or changed.
 */
export async function upsertRows(
  db: Db,
  copy: BulkCopy | undefined,
  table: string,
  columns: string[],
  keys: string[],
  rows: CopyValue[][],
  opts: { touch?: string } = {},
): Promise<string[]> {
  if (rows.length === 0) return [];
  const staging = `upsert_${table}`;
  await sql`create temp table if not exists ${sql.id(staging)} (like ${sql.table(table)} including defaults) on commit delete rows`.execute(db);
  await sql`delete from ${sql.id(staging)}`.execute(db);
  await bulkWrite(db, copy, staging, columns, rows);
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const values = columns.filter((c) => !keys.includes(c));
  const sets = sql.join([...values.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`), ...(opts.touch ? [sql`${sql.ref(opts.touch)} = now()`] : [])]);
  const differs = sql`(${sql.join(values.map((c) => sql`${sql.ref(`t.${c}`)}`))}) is distinct from (${sql.join(values.map((c) => sql`excluded.${sql.ref(c)}`))})`;
  const conflict = sql.join(keys.map((k) => sql.ref(k)));
  const r =
    values.length === 0
      ? await sql<{
          k: string;
        }>`insert into ${sql.table(table)} as t (${cols}) select ${cols} from ${sql.id(staging)} on conflict (${conflict}) do nothing returning ${sql.ref(`t.${keys[0]!}`)}::text as k`.execute(
          db,
        )
      : await sql<{ k: string }>`insert into ${sql.table(table)} as t (${cols}) select ${cols} from ${sql.id(staging)}
        on conflict (${conflict}) do update set ${sets} where ${differs} returning ${sql.ref(`t.${keys[0]!}`)}::text as k`.execute(db);
  return r.rows.map((x) => x.k);
}

/** Deletes the rows whose single-column key is in the list. */
export async function deleteByKeys(db: Db, table: string, key: string, values: string[]): Promise<number> {
  let n = 0;
  for (const part of chunks(values, 10_000)) {
    const r = await sql`delete from ${sql.table(table)} where ${sql.ref(key)} = any(${part}::text[])`.execute(db);
    n += Number(r.numAffectedRows ?? 0);
  }
  return n;
}
