import type { Kysely, Transaction } from 'kysely';
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
    const chunk = rows.slice(i, i + CHUNK).map((r) => Object.fromEntries(columns.map((c, k) => [c, r[k] instanceof Date ? (r[k] as Date).toISOString() : r[k]])));
    // Kysely cannot type a row for a table chosen at run time (temporary staging tables included);
    // the columns come from the caller's schema.
    await db.insertInto(table as keyof BantayDatabase & string).values(chunk as never).execute();
  }
}

/** Splits a list into chunks of at most n. */
export function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
