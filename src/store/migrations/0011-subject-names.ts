import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Names a subject no longer carries (owner: link stage): when subjects merge, the name that goes
 * points to the one that stays, so a case, a bookmark or an exported package that cites it still
 * finds the people behind it. A retired name is never given to another subject.
 */
export const subjectNames: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('link_subject_aliases')
      .addColumn('alias', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('link_subject_aliases_subject').on('link_subject_aliases').column('subject_id').execute();
  },
};
