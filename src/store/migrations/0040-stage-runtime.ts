import { sql, type Kysely, type Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * The stage runtime (owner: src/runtime): the persistent record of which keys each derived stage
 * must recompute, the jobs users see, a PDQ multi-index the database can search, and the indexes
 * the scoped stage reads need.
 */
export const stageRuntime: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A key waits here until its stage has written what it derives from it, in the same
    // transaction as that write: a killed run leaves its keys behind and the next run finds them.
    // A key marked again gets a new seq, so a run that planned the old mark never clears the new one.
    await sql`create sequence stage_pending_seq`.execute(db);
    await db.schema
      .createTable('stage_pending')
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('stage_pending_seq')`))
      .addColumn('marked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('stage_pending_pk', ['stage', 'key'])
      .execute();

    // Machine work as users see it: queued, running, done or failed, with progress and result.
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('progress', 'jsonb')
      .addColumn('result', 'jsonb')
      .addColumn('error', 'text')
      .addColumn('requested_by', 'integer')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
      .addColumn('worker', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('started_at', 'timestamptz')
      .addColumn('heartbeat_at', 'timestamptz')
      .addColumn('finished_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('jobs_state').on('jobs').columns(['state', 'created_at']).execute();
    await db.schema.createIndex('jobs_requested_by').on('jobs').columns(['requested_by', 'created_at']).execute();
    // A file a job made (a large export), fetched through the API by whoever may see the job.
    await db.schema
      .createTable('job_files')
      .addColumn('job_id', 'uuid', (c) => c.primaryKey().references('jobs.id').onDelete('cascade'))
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('bytes', 'bytea', (c) => c.notNull())
      .execute();

    // PDQ near search in the database: each distinct PDQ value (report files and list entries) under
    // its 16 slots of 16 bits, coded slot * 65536 + bits. Two hashes within distance 31 share a slot
    // within one bit (pigeonhole), so looking up the 17 neighbours of each slot finds every candidate;
    // candidates are confirmed with the full distance (src/hashes/near.ts).
    await db.schema
      .createTable('hash_pdq_slots')
      .addColumn('code', 'integer', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hash_pdq_slots_pk', ['code', 'value'])
      .execute();
    await sql`insert into hash_pdq_slots (code, value)
      select k * 65536 + ('x' || substr(v, 1 + 4 * k, 4))::bit(16)::int, v
      from (select distinct value as v from file_hashes where hash_type = 'pdq'
            union select distinct value from hash_list_entries where hash_type = 'pdq') p, generate_series(0, 15) k
      where v ~ '^[0-9a-f]{64}$'
      on conflict do nothing`.execute(db);

    // Scoped reads of the payments join: which parties hold any of a report's keys.
    await sql`create index payment_parties_keys on payment_parties using gin (keys)`.execute(db);
    // Deconfliction of a few reports: the active cases holding them.
    await db.schema.createIndex('case_items_item').on('case_items').columns(['kind', 'item_id']).ifNotExists().execute();
  },
};
