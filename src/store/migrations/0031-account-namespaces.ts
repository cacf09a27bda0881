import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * An agency's additions to the built-in account-namespace table (owner: link stage), one row per
 * imported file: `bantay link namespaces import FILE`. Every linking run uses them.
 */
export const accountNamespaces: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('account_namespace_files')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('file', 'jsonb', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
