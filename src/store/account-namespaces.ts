// An agency's account-namespace files (table account_namespace_files, migration 0031). The link
// stage checks a file before it is stored and compiles the stored ones with the built-in table;
// here they are only rows. Re-importing the same file changes nothing; a changed file replaces it.

import { createHash } from 'node:crypto';
import type { Db } from './bulk.ts';
import { iso } from '../model/dates.ts';

/** One stored file, without its content. */
export interface StoredNamespaceFile {
  name: string;
  source: string;
  importedAt: string;
}

/** Stores a checked file under its name; whether it was added, replaced or already there. */
export async function putNamespaceFile(db: Db, name: string, file: unknown, source: string): Promise<'added' | 'replaced' | 'unchanged'> {
  const text = JSON.stringify(file);
  const hash = createHash('sha256').update(text).digest('hex');
  const old = await db.selectFrom('account_namespace_files').select('content_hash').where('name', '=', name).executeTakeFirst();
  if (old?.content_hash === hash) return 'unchanged';
  const row = { name, content_hash: hash, file: text, source, imported_at: new Date() };
  await db
    .insertInto('account_namespace_files')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet(row))
    .execute();
  return old ? 'replaced' : 'added';
}

/** The stored files, by name. */
export async function listNamespaceFiles(db: Db): Promise<StoredNamespaceFile[]> {
  const rows = await db.selectFrom('account_namespace_files').select(['name', 'source', 'imported_at']).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, source: r.source, importedAt: iso(r.imported_at) }));
}

/** The stored files' contents, in name order (later names win on the same product name). */
export async function namespaceFileContents(db: Db): Promise<{ name: string; file: unknown }[]> {
  const rows = await db.selectFrom('account_namespace_files').select(['name', 'file']).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, file: r.file }));
}

/** Removes a stored file; whether it existed. */
export async function removeNamespaceFile(db: Db, name: string): Promise<boolean> {
  const r = await db.deleteFrom('account_namespace_files').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
