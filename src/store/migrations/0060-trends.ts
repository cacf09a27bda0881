import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Trend series (owner: trends stage): what each report counts toward (dimension, key, Manila day),
 * the daily counts kept in step with it, a fingerprint of the inputs each report's keys came from,
 * the stage's watermarks, and the alerts the detector raised.
 */
export const trends: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('trend_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('trend_report_keys')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('day', 'date', (c) => c.notNull())
      .addPrimaryKeyConstraint('trend_report_keys_pk', ['report_id', 'dim', 'key'])
      .execute();
    // The reports behind an alert, and the queue's trend filter: by series and day.
    await db.schema.createIndex('trend_report_keys_series').on('trend_report_keys').columns(['dim', 'key', 'day']).execute();
    await db.schema
      .createTable('trend_daily')
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('day', 'date', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('trend_daily_pk', ['dim', 'key', 'day'])
      .execute();
    // Which series moved recently (the detector judges only those).
    await db.schema.createIndex('trend_daily_day').on('trend_daily').columns(['day', 'dim', 'key']).execute();
    await db.schema
      .createTable('trend_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('trend_alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('start_day', 'date', (c) => c.notNull())
      .addColumn('fired_day', 'date', (c) => c.notNull())
      .addColumn('end_day', 'date', (c) => c.notNull())
      .addColumn('observed', 'integer', (c) => c.notNull())
      .addColumn('expected', 'real', (c) => c.notNull())
      .addColumn('score', 'real', (c) => c.notNull())
      .addColumn('p', 'double precision', (c) => c.notNull())
      .addColumn('detail', 'jsonb', (c) => c.notNull())
      .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('trend_alerts_recent').on('trend_alerts').columns(['end_day', 'score']).execute();
    // New payments since the last run (corridor series), found by when they were stored.
    await db.schema.createIndex('payment_txns_ingested').on('payment_txns').column('ingested_at').execute();
  },
};
