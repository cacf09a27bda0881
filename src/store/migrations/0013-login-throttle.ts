import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Sign-in throttling counters: one row per account (`user:NAME`) and per address (`ip:ADDR`), changed in one statement each. */
export const loginThrottle: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('login_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_at', 'timestamptz')
      .addColumn('last_at', 'timestamptz', (c) => c.notNull())
      .addColumn('locked_until', 'timestamptz')
      .execute();
    // The known-address exemption looks up an account's successes from one address.
    await sql`create index login_attempts_user_ip on login_attempts (username, ip, at) where ok`.execute(db);
  },
};
