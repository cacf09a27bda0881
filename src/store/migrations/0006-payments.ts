import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Transactions, parties, features, alerts and their links to subjects (owner: payments stage). */
export const payments: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Contract with triage: one row per subject that receives or sends flagged payments.
    await db.schema
      .createTable('payment_subject_flags')
      .addColumn('subject_id', 'text', (c) => c.primaryKey())
      .addColumn('score', 'real', (c) => c.notNull())
      .addColumn('alerts', 'integer', (c) => c.notNull())
      .addColumn('parties', sql`text[]`, (c) => c.notNull())
      .addColumn('top_reason', 'text', (c) => c.notNull())
      .execute();
  },
};
