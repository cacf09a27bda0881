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

    await db.schema
      .createTable('users')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('team', 'text')
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('totp_secret', 'text')
      .addColumn('totp_last_step', 'bigint')
      .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    // The cookie carries a random token; only its SHA-256 is stored, so a read of this table opens no session.
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('ok', 'boolean', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_attempts_user').on('login_attempts').columns(['username', 'at']).execute();
    await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'at']).execute();

    // One row per report or subject someone has touched: who has it, its status, its team.
    await db.schema
      .createTable('work_items')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('assignee_id', 'integer')
      .addColumn('team', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
      .addColumn('close_reason', 'text')
      .addColumn('held', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('assigned_at', 'timestamptz')
      .addColumn('first_viewed_at', 'timestamptz')
      .addColumn('decided_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('work_items_pk', ['kind', 'item_id'])
      .execute();
    await db.schema.createIndex('work_items_assignee').on('work_items').columns(['assignee_id', 'status']).execute();

    // Notes are keyed by the report number, not a version: a new version never loses them.
    await db.schema
      .createTable('notes')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('report_version', 'integer')
      .addColumn('author_id', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('notes_item').on('notes').columns(['kind', 'item_id']).execute();

    await db.schema
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('close_reason', 'text')
      .addColumn('created_by', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('closed_at', 'timestamptz')
      .execute();

    await db.schema
      .createTable('case_items')
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('added_by', 'integer', (c) => c.notNull())
      .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('case_items_pk', ['case_id', 'kind', 'item_id'])
      .execute();

    await db.schema
      .createTable('partner_agencies')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
      .execute();
    await sql`insert into partner_agencies (code, name, purpose) values
      ('PNP-WCPC', 'Philippine National Police Women and Children Protection Center', 'investigation'),
      ('NBI-AHTRAD', 'National Bureau of Investigation Anti-Human Trafficking Division', 'investigation'),
      ('PICACC', 'Philippine Internet Crimes Against Children Center', 'investigation'),
      ('DSWD', 'Department of Social Welfare and Development', 'aftercare of the child'),
      ('BI', 'Bureau of Immigration', 'travel and immigration')`.execute(db);

    await db.schema
      .createTable('referrals')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('agency_code', 'text', (c) => c.notNull())
      .addColumn('kind_of_referral', 'text', (c) => c.notNull())
      .addColumn('sent_by', 'integer', (c) => c.notNull())
      .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('sent', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    // Append-only: detail is stored as the exact JSON text that was hashed.
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer')
      .addColumn('username', 'text')
      .addColumn('ip', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text')
      .addColumn('target_id', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_kind', 'target_id']).execute();
    await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'seq']).execute();
    // The database itself refuses edits and deletions; the hash chain shows any made around it.
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);

    // Search by a bare screen name or user id (the part after `esp:`), without scanning every identifier.
    await sql`create index link_identifiers_handle on link_identifiers (split_part(value, ':', 2))
      where kind in ('screen-name', 'esp-user-id', 'group-id')`.execute(db);

    // The queue's default order without triage scores, and paging by it.
    await sql`create index reports_received_desc on reports (received_at desc nulls last, report_id)`.execute(db);
  },
};
