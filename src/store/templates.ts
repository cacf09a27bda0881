// Initial-report templates stored in the database, so that every user of an installation
// shares one agency wording. The shipped template lives in code (src/export/default-template.ts);
// a stored template with the same name replaces it.

import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import { iso } from '../model/dates.ts';

/** A stored template. */
export interface StoredTemplate {
  name: string;
  description: string;
  body: string;
  version: number;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = { name: string; description: string; body: string; version: number; updated_by: string | null; created_at: Date; updated_at: Date };

const toTemplate = (r: Row): StoredTemplate => ({
  name: r.name,
  description: r.description,
  body: r.body,
  version: r.version,
  updatedBy: r.updated_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** Every stored template, by name (bodies included: they are small). */
export async function listTemplates(db: Kysely<BantayDatabase>): Promise<StoredTemplate[]> {
  return (await db.selectFrom('export_templates').selectAll().orderBy('name').execute()).map(toTemplate);
}

/** One stored template, or undefined. */
export async function getTemplate(db: Kysely<BantayDatabase>, name: string): Promise<StoredTemplate | undefined> {
  const r = await db.selectFrom('export_templates').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toTemplate(r) : undefined;
}

/** Stores a template: new at version 1; a changed body or description bumps the version; the same text changes nothing. */
export async function saveTemplate(
  db: Kysely<BantayDatabase>,
  t: { name: string; description?: string; body: string; updatedBy?: string | null },
): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; version: number }> {
  return db.transaction().execute(async (tx) => {
    const old = await tx.selectFrom('export_templates').select(['body', 'description', 'version']).where('name', '=', t.name).forUpdate().executeTakeFirst();
    const description = t.description ?? old?.description ?? '';
    if (!old) {
      await tx
        .insertInto('export_templates')
        .values({ name: t.name, description, body: t.body, updated_by: t.updatedBy ?? null })
        .execute();
      return { outcome: 'created' as const, version: 1 };
    }
    if (old.body === t.body && old.description === description) return { outcome: 'unchanged' as const, version: old.version };
    await tx
      .updateTable('export_templates')
      .set({ body: t.body, description, version: old.version + 1, updated_by: t.updatedBy ?? null, updated_at: sql<Date>`now()` as unknown as Date })
      .where('name', '=', t.name)
      .execute();
    return { outcome: 'updated' as const, version: old.version + 1 };
  });
}

/** Deletes a stored template; false when there was none. */
export async function deleteTemplate(db: Kysely<BantayDatabase>, name: string): Promise<boolean> {
  const r = await db.deleteFrom('export_templates').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
