// The audit trail: every login, view, change and export, each entry chained to the one before by
// SHA-256, so that an edited, removed or reordered entry breaks the chain from that point on.
import { createHash } from 'node:crypto';
import type { Store } from '../store/database.ts';
import { appendAuditRow, auditRows, type AuditRow } from '../store/audit.ts';

/** The previous hash of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** What a caller records; who/where are optional for actions of the system itself. */
export interface AuditEntry {
  action: string;
  userId?: number | null;
  username?: string | null;
  ip?: string | null;
  targetKind?: string | null;
  targetId?: string | null;
  detail?: unknown;
  /** The moment; defaults to now. */
  at?: Date;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's fields in a fixed order. */
export function auditHash(r: Omit<AuditRow, 'hash'>): string {
  const body = JSON.stringify([r.seq, r.at, r.userId, r.username, r.ip, r.action, r.targetKind, r.targetId, r.detail]);
  return createHash('sha256').update(r.prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one entry to the audit trail and returns it (with its seq and hash).
 * For other stages (exports, demo): `appendAudit(store, { action: 'export', userId, username, ip, targetKind: 'report', targetId, detail })`.
 */
export async function appendAudit(store: Pick<Store, 'db'>, e: AuditEntry): Promise<AuditRow> {
  const at = (e.at ?? new Date()).toISOString();
  const detail = JSON.stringify(e.detail ?? {});
  return appendAuditRow(
    store.db,
    (seq, prevHash) => {
      const base = { seq, at, userId: e.userId ?? null, username: e.username ?? null, ip: e.ip ?? null, action: e.action, targetKind: e.targetKind ?? null, targetId: e.targetId ?? null, detail, prevHash };
      return { ...base, hash: auditHash(base) };
    },
    AUDIT_GENESIS,
  );
}

/** The outcome of checking the chain. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  lastHash: string;
  /** The first entry that does not verify, and why. */
  firstBad?: { seq: number; problem: string };
}

/** Reads the whole trail in order and checks every link and every hash. */
export async function verifyAuditChain(store: Pick<Store, 'db'>, pageSize = 5000): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (;;) {
    const page = await auditRows(store.db, { afterSeq: expectedSeq - 1, limit: pageSize });
    if (page.length === 0) break;
    for (const r of page) {
      if (r.seq !== expectedSeq) return { ok: false, entries, lastHash: prev, firstBad: { seq: expectedSeq, problem: `entry ${expectedSeq} is missing (next is ${r.seq})` } };
      if (r.prevHash !== prev) return { ok: false, entries, lastHash: prev, firstBad: { seq: r.seq, problem: 'its previous-hash does not match the entry before it' } };
      const { hash: _h, ...rest } = r;
      if (auditHash(rest) !== r.hash) return { ok: false, entries, lastHash: prev, firstBad: { seq: r.seq, problem: 'its content does not match its hash (edited)' } };
      prev = r.hash;
      expectedSeq++;
      entries++;
    }
  }
  return { ok: true, entries, lastHash: prev };
}

/** An entry as exported and shown by the API (detail parsed). */
export interface AuditView extends Omit<AuditRow, 'detail'> {
  detail: unknown;
}

/** Turns a stored row into its view. */
export function auditView(r: AuditRow): AuditView {
  let detail: unknown;
  try { detail = JSON.parse(r.detail); } catch { detail = r.detail; }
  return { ...r, detail };
}

/** Writes every entry as JSON lines (exact stored fields, so the export can be verified on its own). */
export async function exportAudit(store: Pick<Store, 'db'>, write: (line: string) => void, pageSize = 5000): Promise<number> {
  let after = 0;
  let n = 0;
  for (;;) {
    const page = await auditRows(store.db, { afterSeq: after, limit: pageSize });
    if (page.length === 0) return n;
    for (const r of page) { write(`${JSON.stringify(r)}\n`); n++; }
    after = page[page.length - 1]!.seq;
  }
}

/** Checks a JSON-lines export on its own (no database): the same checks as verifyAuditChain. */
export function verifyAuditLines(lines: string[]): AuditVerification {
  let prev = AUDIT_GENESIS;
  let n = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as AuditRow;
    const { hash: _h, ...rest } = r;
    if (r.seq !== n + 1 || r.prevHash !== prev || auditHash(rest) !== r.hash) return { ok: false, entries: n, lastHash: prev, firstBad: { seq: r.seq, problem: 'does not chain' } };
    prev = r.hash;
    n++;
  }
  return { ok: true, entries: n, lastHash: prev };
}
