import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Content groups (owner: src/hashes): each group's totals (reports, users, densest viral window,
 * first sighting, batch key) and the group of each stored hash, so that a new sighting updates one
 * group row instead of every member's roll-up. Existing databases are left correct by marking
 * every hashed report for the hash-signals stage: the next `bantay process` fills the groups and
 * rewrites the roll-ups in their new form (the stage compares, so unchanged scores stay).
 */
export const contentGroups: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('content_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reports', 'integer', (c) => c.notNull())
      .addColumn('users', 'integer', (c) => c.notNull())
      .addColumn('first_report', 'text', (c) => c.notNull())
      // The window's bounds as the signals write them (ISO text), so a read gives back what was computed.
      .addColumn('window_from', 'text')
      .addColumn('window_to', 'text')
      .addColumn('window_reports', 'integer')
      .addColumn('window_users', 'integer')
      .addColumn('viral_key', 'text')
      .execute();
    await db.schema
      .createTable('content_group_values')
      .addColumn('hash_type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('content_group_values_pk', ['hash_type', 'value'])
      .execute();
    await db.schema.createIndex('content_group_values_group').on('content_group_values').column('group_id').execute();
    await sql`insert into stage_pending (stage, key) select 'hash-signals', 'r:' || report_id from hashed_reports
      on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
  },
};
