import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * The scoring context of each report (owner: triage stage): what its score depends on besides
 * its document (hash signals, enrichment, subject, payments, deconfliction) as of a fingerprint of
 * those inputs, so a full re-score after a ruleset change reads two narrow tables, not seven joins.
 */
export const triageContext: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('triage_context')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('context', 'text', (c) => c.notNull())
      .execute();
  },
};
