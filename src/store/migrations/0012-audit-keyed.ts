import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * The keyed audit chain: each entry's HMAC (with a key kept outside the database) and the id of
 * that key; entries written before this migration keep a null MAC and are sealed by the first keyed
 * entry after them. TRUNCATE is refused like UPDATE and DELETE.
 */
export const auditKeyed: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute();
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  },
};
