import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Accounts, sessions, case work, deconfliction and the audit trail (owner: server/cases). */
export const cases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Contract with triage: reports held by an active case; triage pauses them and their subject.
    await db.schema
      .createTable('deconflicted_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
