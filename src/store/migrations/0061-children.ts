import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * The children (owner: children stage): each report's mentions of a child (with the keys they
 * meet others under) and the facts the children page needs from it, the children they form with their danger columns, the rescue
 * workflow's steps, and the contract with triage: reports of a rescued child that brought no new
 * material since (rescued_child_reports, read by the scorer as deconflicted_reports is).
 */
export const children: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('child_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('facts', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('child_mentions')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('mention', 'integer', (c) => c.notNull())
      .addColumn('doc', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('child_mentions_pk', ['report_id', 'mention'])
      .execute();
    // The keys under which a mention may meet others (accounts, shown files, a first name within a
    // subject): a delivery regroups only the children its mentions meet through them.
    await db.schema
      .createTable('child_mention_keys')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('mention', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('child_mention_keys_pk', ['key', 'report_id', 'mention'])
      .execute();
    await db.schema.createIndex('child_mention_keys_report').on('child_mention_keys').column('report_id').execute();
    await db.schema
      .createTable('children')
      .addColumn('child_id', 'text', (c) => c.primaryKey())
      .addColumn('doc', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ongoing', 'integer', (c) => c.notNull())
      .addColumn('youth', 'integer', (c) => c.notNull())
      .addColumn('identified', 'boolean', (c) => c.notNull())
      .addColumn('last_seen', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('child_members')
      .addColumn('child_id', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('mention', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('child_members_pk', ['report_id', 'mention'])
      .execute();
    await db.schema.createIndex('child_members_child').on('child_members').column('child_id').execute();
    await db.schema
      .createTable('child_rescue_steps')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('user_id', 'integer')
      .addColumn('username', 'text')
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('child_rescue_steps_child').on('child_rescue_steps').columns(['child_id', 'at']).execute();
    await db.schema
      .createTable('rescued_child_reports')
      .addColumn('report_id', 'text', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull())
      .addColumn('since', 'timestamptz', (c) => c.notNull())
      .execute();
  },
};
