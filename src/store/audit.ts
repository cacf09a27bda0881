// The audit trail's rows. Appends are serialised by a table lock so that each entry chains to the
// one before it, whichever process or connection writes.
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
}

/** Appends one entry: `make` receives the next seq and previous hash and returns the full row. */
export async function appendAuditRow(db: Kysely<BantayDatabase>, make: (seq: number, prevHash: string) => AuditRow, genesis: string): Promise<AuditRow> {
  return db.transaction().execute(async (tx) => {
    await sql`lock table audit_log in share row exclusive mode`.execute(tx);
    const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const row = make(last ? Number(last.seq) + 1 : 1, last ? last.hash : genesis);
    await tx
      .insertInto('audit_log')
      .values({ seq: row.seq, at: row.at, user_id: row.userId, username: row.username, ip: row.ip, action: row.action, target_kind: row.targetKind, target_id: row.targetId, detail: row.detail, prev_hash: row.prevHash, hash: row.hash })
      .execute();
    return row;
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
  const rows = await q.orderBy('seq', f.desc ? 'desc' : 'asc').limit(f.limit ?? 1000).execute();
  return rows.map((r) => ({
    seq: Number(r.seq), at: r.at, userId: r.user_id, username: r.username, ip: r.ip, action: r.action,
    targetKind: r.target_kind, targetId: r.target_id, detail: r.detail, prevHash: r.prev_hash, hash: r.hash,
  }));
}
