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

    // One row per (provider, txn_id): re-ingesting a file adds nothing.
    await db.schema
      .createTable('payment_txns')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('txn_id', 'text', (c) => c.notNull())
      .addColumn('ts', 'timestamptz', (c) => c.notNull())
      .addColumn('ts_offset', 'smallint', (c) => c.notNull())
      .addColumn('amount', 'double precision', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount_php', 'double precision', (c) => c.notNull())
      .addColumn('amount_php_recorded', 'double precision')
      .addColumn('round', 'boolean', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('sender_node', 'text', (c) => c.notNull())
      .addColumn('sender_customer', 'text')
      .addColumn('sender_name', 'text')
      .addColumn('sender_country', 'text')
      .addColumn('sender_phone', 'text')
      .addColumn('sender_email', 'text')
      .addColumn('sender_keys', sql`text[]`, (c) => c.notNull())
      .addColumn('receiver_node', 'text', (c) => c.notNull())
      .addColumn('receiver_customer', 'text')
      .addColumn('receiver_name', 'text')
      .addColumn('receiver_country', 'text')
      .addColumn('receiver_phone', 'text')
      .addColumn('receiver_account', 'text')
      .addColumn('receiver_keys', sql`text[]`, (c) => c.notNull())
      .addColumn('purpose', 'text')
      .addColumn('source', 'text')
      .addColumn('extra', 'jsonb')
      .addColumn('file', 'text', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('ingested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('payment_txns_pk', ['provider', 'txn_id'])
      .execute();
    // Scoring reads in time order a page at a time (keyset on ts, provider, txn_id).
    await db.schema.createIndex('payment_txns_order').on('payment_txns').columns(['ts', 'provider', 'txn_id']).execute();
    await db.schema.createIndex('payment_txns_sender').on('payment_txns').column('sender_node').execute();
    await db.schema.createIndex('payment_txns_receiver').on('payment_txns').column('receiver_node').execute();

    // Records set aside by ingest, with where and why (one row per file line).
    await db.schema
      .createTable('payment_rejects')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('payment_rejects_pk', ['source', 'line'])
      .execute();

    // The agency's rate table; empty means the built-in planning values.
    await db.schema
      .createTable('payment_rates')
      .addColumn('currency', 'text', (c) => c.primaryKey())
      .addColumn('php', 'double precision', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .execute();

    // Parties: records' sides resolved through shared customer ids, phones, e-mails and accounts.
    await db.schema
      .createTable('payment_parties')
      .addColumn('party_id', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('country', 'text')
      .addColumn('keys', sql`text[]`, (c) => c.notNull())
      .addColumn('customers', sql`text[]`, (c) => c.notNull())
      .addColumn('sent', 'integer', (c) => c.notNull())
      .addColumn('received', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('payment_nodes')
      .addColumn('node', 'text', (c) => c.primaryKey())
      .addColumn('party_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_nodes_party').on('payment_nodes').column('party_id').execute();

    // Scores per party and role, with the fired rules and the features they read.
    await db.schema
      .createTable('payment_scores')
      .addColumn('party_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('score', 'real', (c) => c.notNull())
      .addColumn('alerted', 'boolean', (c) => c.notNull())
      .addColumn('reasons', 'jsonb', (c) => c.notNull())
      .addColumn('features', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('payment_scores_pk', ['party_id', 'role'])
      .execute();
    await db.schema.createIndex('payment_scores_rank').on('payment_scores').columns(['alerted', 'score']).execute();

    // Which subjects a party's identifier keys reach (through link_identifiers and link_subjects).
    await db.schema
      .createTable('payment_party_reports')
      .addColumn('party_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .execute();
    await db.schema.createIndex('payment_party_reports_party').on('payment_party_reports').column('party_id').execute();
    await db.schema.createIndex('payment_party_reports_subject').on('payment_party_reports').column('subject_id').execute();
    await db.schema.createIndex('payment_party_reports_report').on('payment_party_reports').column('report_id').execute();
  },
};
