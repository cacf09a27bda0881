import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Rulesets, scores and their reasons (owner: triage stage). */
export const triage: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('triage_rulesets')
      .addColumn('version', 'serial', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('live_at', 'timestamptz')
      .execute();

    await db.schema
      .createTable('triage_features')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('features', 'text', (c) => c.notNull())
      .execute();

    for (const table of ['triage_scores', 'triage_shadow_scores']) {
      let t = db.schema
        .createTable(table)
        .addColumn('report_id', 'text', (c) => c.primaryKey())
        .addColumn('ruleset_version', 'integer', (c) => c.notNull())
        .addColumn('harm', 'real', (c) => c.notNull())
        .addColumn('actionability', 'real', (c) => c.notNull())
        .addColumn('score', 'real', (c) => c.notNull())
        .addColumn('tier', 'text', (c) => c.notNull())
        .addColumn('tier_rank', 'integer', (c) => c.notNull())
        .addColumn('paused', 'boolean', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull());
      if (table === 'triage_scores') {
        t = t
          .addColumn('inputs', 'text', (c) => c.notNull())
          .addColumn('received_at', 'timestamptz')
          .addColumn('preservation_deadline', 'timestamptz')
          .addColumn('scored_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));
      }
      await t.execute();
    }
    // The queue's order: paused last, score down, then oldest first, then report id. One index
    // only: every index slows the bulk re-score, and a tier filter walks this one in order.
    await sql`create index triage_scores_queue on triage_scores (paused, score desc, received_at, report_id)`.execute(db);
  },
};
