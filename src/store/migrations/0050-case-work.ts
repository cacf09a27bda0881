import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Cases that carry work: a legal-process status on the case, one log per case (communications,
 * handover notes between shifts, legal-process steps), attachments by their hashes (metadata only,
 * never the file), and the last close of each person so that it can be undone.
 */
export const caseWork: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('cases')
      .addColumn('legal_status', 'text', (c) => c.notNull().defaultTo('none'))
      .execute();

    await db.schema
      .createTable('case_log')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('author_id', 'integer', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('channel', 'text')
      .addColumn('direction', 'text')
      .addColumn('counterpart', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_log_case').on('case_log').columns(['case_id', 'id']).execute();

    await db.schema
      .createTable('case_attachments')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('md5', 'text')
      .addColumn('bytes', 'bigint')
      .addColumn('note', 'text')
      .addColumn('added_by', 'integer', (c) => c.notNull())
      .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('case_attachments_hash', ['case_id', 'sha256'])
      .execute();

    // One row per person: what their last close changed, so that "undo" can put it back.
    await db.schema
      .createTable('work_undo')
      .addColumn('user_id', 'integer', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
  },
};
