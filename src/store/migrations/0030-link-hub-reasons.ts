import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Hubs say why they link nothing (owner: link stage): over the cap, the same value across account
 * namespaces, or holders that share nothing else. The same id or handle is looked up across
 * namespaces by its bare value (after `namespace:`), so that look-up has an index of its own.
 */
export const linkHubReasons: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('link_hubs')
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await sql`create index link_identifiers_bare on link_identifiers (kind, (substr(value, strpos(value, ':') + 1)))
      where kind in ('esp-user-id', 'screen-name')`.execute(db);
  },
};
