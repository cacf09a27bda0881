import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * A score ahead of its tier (owner: triage): a floor marked `first` (a child at immediate risk:
 * a reasoned escalation, sextortion of a minor) orders its report before the rest of the tier,
 * and the queue's index follows that order. Stored scores start false: they are right for the
 * ruleset that wrote them, which had no such floor; a ruleset that has one re-scores everything
 * when it goes live.
 */
export const firstInTier: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const table of ['triage_scores', 'triage_shadow_scores'])
      await db.schema
        .alterTable(table)
        .addColumn('first_in_tier', 'boolean', (c) => c.notNull().defaultTo(false))
        .execute();
    await sql`drop index if exists triage_scores_queue`.execute(db);
    await sql`create index triage_scores_queue on triage_scores (paused, first_in_tier desc, score desc, received_at, report_id)`.execute(db);
  },
};
