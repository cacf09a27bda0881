// Two database roles on a PostgreSQL server: an owner that runs migrations and owns the tables, and
// the application role of DATABASE_URL, which may read and write the data but cannot UPDATE,
// DELETE or TRUNCATE the audit trail, disable its triggers, or change the schema of tables it
// does not own (docs/storage.md "Roles").
import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from './schema.ts';
import { badInput, unavailable, internal } from '../model/error.ts';

// Tables the application rebuilds by swapping in a fresh copy (a full re-score): it must own them.
const REBUILT_BY_APP = ['triage_scores', 'triage_shadow_scores'];

/** The role a connection runs as. */
export async function currentRole(db: Kysely<BantayDatabase>): Promise<string> {
  return (await sql<{ r: string }>`select current_user as r`.execute(db)).rows[0]!.r;
}

/**
 * Grants the application role what it needs, run as the owner after migrations (idempotent):
 * the data tables read and written, a schema of its own for the job queue, the audit trail read and appended only, the migration record
 * read only, sequences used, the rebuilt score tables owned. The owner must be a member of the
 * application role (`GRANT app TO owner`) or a superuser, to hand over those tables.
 */
export async function grantAppRole(db: Kysely<BantayDatabase>, role: string): Promise<void> {
  const r = sql.id(role);
  if (role === (await currentRole(db)))
    throw badInput(
      'BAD_OPTION',
      `the application role ${role} is the owner: nothing to separate (use another role in DATABASE_URL than in BANTAY_OWNER_DATABASE_URL)`,
    );
  await db.transaction().execute(async (tx) => {
    // CREATE on the schema: a full re-score builds its new table beside the live one.
    await sql`grant usage, create on schema public to ${r}`.execute(tx);
    // The job queue (pg-boss) keeps its own schema, which the application creates and owns on its
    // first start (its queues are partitions it must own). CREATE on the database allows new
    // schemas only, never a change to the owner's tables or the audit trail.
    const dbName = (await sql<{ d: string }>`select current_database() as d`.execute(tx)).rows[0]!.d;
    await sql`grant create on database ${sql.id(dbName)} to ${r}`.execute(tx);
    await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(tx);
    await sql`revoke update, delete, truncate, references, trigger on audit_log from ${r}`.execute(tx);
    await sql`revoke insert, update, delete, truncate on kysely_migration, kysely_migration_lock from ${r}`.execute(tx);
    await sql`grant usage, select on all sequences in schema public to ${r}`.execute(tx);
    for (const t of REBUILT_BY_APP) {
      try {
        await sql`alter table ${sql.table(t)} owner to ${r}`.execute(tx);
      } catch (err) {
        throw unavailable(
          'UNAVAILABLE',
          `cannot hand ${t} to ${role}: ${err instanceof Error ? err.message : String(err)}; as a superuser run: GRANT ${role} TO ${await currentRole(tx)}`,
        );
      }
    }
  });
}

/** How the audit trail is protected on this connection: the role owns it (single role) or not (separated). */
export async function auditTableOwner(db: Kysely<BantayDatabase>): Promise<{ owner: string; current: string; separated: boolean }> {
  const r = (
    await sql<{
      owner: string;
      current: string;
    }>`select tableowner as owner, current_user as current from pg_tables where tablename = 'audit_log' and schemaname = current_schema()`.execute(db)
  ).rows[0];
  if (!r) throw internal('no audit_log table');
  const superuser = (await sql<{ s: boolean }>`select rolsuper as s from pg_roles where rolname = current_user`.execute(db)).rows[0]?.s === true;
  return { owner: r.owner, current: r.current, separated: r.owner !== r.current && !superuser };
}
