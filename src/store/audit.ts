// The audit trail's rows. Each entry chains to the one before it, whichever process or connection
// writes: an append either proves its predecessor is still the last entry or takes a table lock.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { BantayDatabase } from './schema.ts';

/** One stored audit entry. */
export interface AuditRow {
  seq: number;
  at: string;
  userId: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  detail: string;
  prevHash: string;
  hash: string;
  /** HMAC chain value (null for entries written before the keyed chain). */
  mac: string | null;
  /** Fingerprint of the key that made `mac`. */
  keyId: string | null;
}

/** What an append chains to: the last entry's seq, hash and MAC. */
export interface AuditTail {
  seq: number;
  hash: string;
  mac: string | null;
}

/** The last entry this process wrote or read, and the tail of its in-process append chain, per database. */
const tails = new WeakMap<Kysely<BantayDatabase>, { last?: AuditTail; queue: Promise<unknown> }>();

/**
 * Appends one entry: `make` receives the entry it chains to (undefined for the first) and returns the full row.
 * Appends from one process run one after another; each first tries one guarded insert after the
 * last entry it knows (taken only if that entry exists and no entry follows it), and falls back to
 * the table lock when another writer got there first.
 */
export async function appendAuditRow(db: Kysely<BantayDatabase>, make: (prev: AuditTail | undefined) => AuditRow): Promise<AuditRow> {
  let tail = tails.get(db);
  if (!tail) tails.set(db, (tail = { queue: Promise.resolve() }));
  const t = tail;
  const run = t.queue.then(async () => {
    const row = (t.last && (await appendAfter(db, t.last, make))) || (await appendLocked(db, make));
    t.last = { seq: row.seq, hash: row.hash, mac: row.mac };
    return row;
  });
  t.queue = run.catch(() => undefined);
  return run;
}

const values = (row: AuditRow) => ({
  seq: row.seq,
  at: row.at,
  user_id: row.userId,
  username: row.username,
  ip: row.ip,
  action: row.action,
  target_kind: row.targetKind,
  target_id: row.targetId,
  detail: row.detail,
  prev_hash: row.prevHash,
  hash: row.hash,
  mac: row.mac,
  key_id: row.keyId,
});

/** One round trip: inserts after `last` when that entry is there and nothing follows it yet; else undefined. */
async function appendAfter(db: Kysely<BantayDatabase>, last: AuditTail, make: (prev: AuditTail | undefined) => AuditRow): Promise<AuditRow | undefined> {
  const row = make(last);
  // The existence check guards against a remembered entry that a rolled-back transaction never kept;
  // the primary key guards against a writer elsewhere that took the next seq.
  return (await insertIf(db, row, sql`exists (select 1 from audit_log where seq = ${last.seq} and hash = ${last.hash})`)) ? row : undefined;
}

async function insertIf(db: Kysely<BantayDatabase>, row: AuditRow, condition: ReturnType<typeof sql>): Promise<boolean> {
  const v = values(row);
  const r = await sql<{ seq: string }>`
    insert into audit_log (seq, at, user_id, username, ip, action, target_kind, target_id, detail, prev_hash, hash, mac, key_id)
    select ${v.seq}, ${v.at}, ${v.user_id}, ${v.username}, ${v.ip}, ${v.action}, ${v.target_kind}, ${v.target_id}, ${v.detail}, ${v.prev_hash}, ${v.hash}, ${v.mac}, ${v.key_id}
    where ${condition}
    on conflict (seq) do nothing
    returning seq`.execute(db);
  return r.rows.length === 1;
}

// Appenders that lost the race serialise on an advisory lock, which needs no privilege on the table
// (the application role may only SELECT and INSERT it; docs/storage.md "Roles").
const AUDIT_LOCK = 0x62616e74; // "bant"

/** Under the advisory lock: reads the last entry and appends after it (again if a fast append got there first). */
async function appendLocked(db: Kysely<BantayDatabase>, make: (prev: AuditTail | undefined) => AuditRow): Promise<AuditRow> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(tx);
    for (;;) {
      const last = await tx.selectFrom('audit_log').select(['seq', 'hash', 'mac']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const row = make(last ? { seq: Number(last.seq), hash: last.hash, mac: last.mac } : undefined);
      if (await insertIf(tx, row, sql`true`)) return row;
    }
  });
}

/** Audit entries in order, filtered, a page at a time. */
export async function auditRows(
  db: Kysely<BantayDatabase>,
  f: { afterSeq?: number; from?: string; to?: string; userId?: number; targetKind?: string; targetId?: string; limit?: number; desc?: boolean } = {},
): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.afterSeq !== undefined) q = q.where('seq', '>', String(f.afterSeq) as never);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.targetKind) q = q.where('target_kind', '=', f.targetKind);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  const rows = await q
    .orderBy('seq', f.desc ? 'desc' : 'asc')
    .limit(f.limit ?? 1000)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    userId: r.user_id,
    username: r.username,
    ip: r.ip,
    action: r.action,
    targetKind: r.target_kind,
    targetId: r.target_id,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
    mac: r.mac,
    keyId: r.key_id,
  }));
}

/** The entry with this seq, or undefined. */
export async function auditRowAt(db: Kysely<BantayDatabase>, seq: number): Promise<AuditRow | undefined> {
  return (await auditRows(db, { afterSeq: seq - 1, limit: 1 })).find((r) => r.seq === seq);
}

/** The last entry, or undefined on an empty trail. */
export async function lastAuditRow(db: Kysely<BantayDatabase>): Promise<AuditRow | undefined> {
  return (await auditRows(db, { desc: true, limit: 1 }))[0];
}
