// Imported MISP warninglists (table warninglists). Re-importing the same file is a no-op; a
// changed file replaces the stored one; lists can be disabled without losing them.

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { WarninglistFile } from '../model/warninglist.ts';
import type { BantayDatabase } from './schema.ts';
import { iso } from '../model/dates.ts';

/** What happened to one imported file. */
export interface WarninglistImport {
  name: string;
  entries: number;
  outcome: 'added' | 'replaced' | 'unchanged';
}

/** One stored list, without its entries. */
export interface StoredWarninglist {
  name: string;
  type: string;
  description: string | null;
  version: number | null;
  entries: number;
  source: string;
  enabled: boolean;
  importedAt: string;
}

/** Stores parsed warninglist files (keyed by list name). */
export async function importWarninglistFiles(db: Kysely<BantayDatabase>, files: { file: WarninglistFile; source: string }[]): Promise<WarninglistImport[]> {
  const out: WarninglistImport[] = [];
  for (const { file, source } of files) {
    const text = JSON.stringify(file);
    const hash = createHash('sha256').update(text).digest('hex');
    const old = await db.selectFrom('warninglists').select('content_hash').where('name', '=', file.name).executeTakeFirst();
    if (old?.content_hash === hash) {
      out.push({ name: file.name, entries: file.list.length, outcome: 'unchanged' });
      continue;
    }
    const row = {
      name: file.name,
      type: file.type,
      description: file.description ?? null,
      version: typeof file.version === 'number' ? file.version : null,
      entries: file.list.length,
      content_hash: hash,
      file: text,
      source,
      imported_at: new Date(),
    };
    await db
      .insertInto('warninglists')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
    out.push({ name: file.name, entries: file.list.length, outcome: old ? 'replaced' : 'added' });
  }
  return out;
}

/** The stored lists, by name. */
export async function listWarninglists(db: Kysely<BantayDatabase>): Promise<StoredWarninglist[]> {
  const rows = await db
    .selectFrom('warninglists')
    .select(['name', 'type', 'description', 'version', 'entries', 'source', 'enabled', 'imported_at'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    description: r.description,
    version: r.version === null ? null : Number(r.version),
    entries: r.entries,
    source: r.source,
    enabled: r.enabled,
    importedAt: iso(r.imported_at),
  }));
}

/** Enables or disables a list; false when no list has that name. */
export async function setWarninglistEnabled(db: Kysely<BantayDatabase>, name: string, enabled: boolean): Promise<boolean> {
  const r = await db.updateTable('warninglists').set({ enabled }).where('name', '=', name).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The enabled lists' files, for compiling. */
export async function enabledWarninglistFiles(db: Kysely<BantayDatabase>): Promise<WarninglistFile[]> {
  const rows = await db.selectFrom('warninglists').select('file').where('enabled', '=', true).orderBy('name').execute();
  return rows.map((r) => r.file as WarninglistFile);
}
