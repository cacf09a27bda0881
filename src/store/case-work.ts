// Rows of the work a case carries (legal status, log, attachments by hash) and of each person's
// last close (for undo); the work state of many items at once.
import { sql } from 'kysely';
import { chunks, type Db } from './bulk.ts';
import { iso } from '../model/dates.ts';

/** The legal-process status of a case, or undefined when there is no such case. */
export async function caseLegalStatus(db: Db, caseId: string): Promise<string | undefined> {
  return (await db.selectFrom('cases').select('legal_status').where('id', '=', caseId).executeTakeFirst())?.legal_status;
}

/** Sets the legal-process status; false when there is no such case. */
export async function setCaseLegalStatus(db: Db, caseId: string, status: string): Promise<boolean> {
  const r = await db.updateTable('cases').set({ legal_status: status }).where('id', '=', caseId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** One entry of a case's log. */
export interface CaseLogEntry {
  id: number;
  kind: string;
  authorId: number;
  author: string | null;
  at: string;
  channel: string | null;
  direction: string | null;
  counterpart: string | null;
  text: string;
}

/** Adds an entry to a case's log. */
export async function insertCaseLog(
  db: Db,
  e: { caseId: string; kind: string; authorId: number; channel: string | null; direction: string | null; counterpart: string | null; text: string },
): Promise<number> {
  const r = await db
    .insertInto('case_log')
    .values({ case_id: e.caseId, kind: e.kind, author_id: e.authorId, channel: e.channel, direction: e.direction, counterpart: e.counterpart, text: e.text })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A case's log, oldest first. */
export async function caseLog(db: Db, caseId: string): Promise<CaseLogEntry[]> {
  const rows = await db
    .selectFrom('case_log as l')
    .leftJoin('users as u', 'u.id', 'l.author_id')
    .select(['l.id', 'l.kind', 'l.author_id', 'u.username', 'l.at', 'l.channel', 'l.direction', 'l.counterpart', 'l.text'])
    .where('l.case_id', '=', caseId)
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    authorId: r.author_id,
    author: r.username,
    at: iso(r.at),
    channel: r.channel,
    direction: r.direction,
    counterpart: r.counterpart,
    text: r.text,
  }));
}

/** An attachment of a case as recorded (metadata and hashes only). */
export interface CaseAttachment {
  id: number;
  name: string;
  sha256: string;
  md5: string | null;
  bytes: number | null;
  note: string | null;
  addedBy: string | null;
  addedAt: string;
}

/** Records an attachment's hashes; undefined when the case already holds a file with that SHA-256. */
export async function insertCaseAttachment(
  db: Db,
  a: { caseId: string; name: string; sha256: string; md5: string | null; bytes: number | null; note: string | null; addedBy: number },
): Promise<number | undefined> {
  const r = await db
    .insertInto('case_attachments')
    .values({ case_id: a.caseId, name: a.name, sha256: a.sha256, md5: a.md5, bytes: a.bytes, note: a.note, added_by: a.addedBy })
    .onConflict((oc) => oc.columns(['case_id', 'sha256']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r ? Number(r.id) : undefined;
}

/** A case's attachments, in the order they were recorded. */
export async function caseAttachments(db: Db, caseId: string): Promise<CaseAttachment[]> {
  const rows = await db
    .selectFrom('case_attachments as a')
    .leftJoin('users as u', 'u.id', 'a.added_by')
    .select(['a.id', 'a.name', 'a.sha256', 'a.md5', 'a.bytes', 'a.note', 'u.username', 'a.added_at'])
    .where('a.case_id', '=', caseId)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    sha256: r.sha256,
    md5: r.md5,
    bytes: r.bytes === null ? null : Number(r.bytes),
    note: r.note,
    addedBy: r.username,
    addedAt: iso(r.added_at),
  }));
}

/** The status and close reason of many items (items nobody touched are absent: they are new). */
export async function workStates(
  db: Db,
  kind: 'report' | 'subject',
  itemIds: string[],
): Promise<Map<string, { status: string; closeReason: string | null; assignee: string | null }>> {
  const out = new Map<string, { status: string; closeReason: string | null; assignee: string | null }>();
  for (const ids of chunks(itemIds)) {
    const rows = await db
      .selectFrom('work_items as w')
      .leftJoin('users as u', 'u.id', 'w.assignee_id')
      .select(['w.item_id', 'w.status', 'w.close_reason', 'u.username'])
      .where('w.kind', '=', kind)
      .where('w.item_id', 'in', ids)
      .execute();
    for (const r of rows) out.set(r.item_id, { status: r.status, closeReason: r.close_reason, assignee: r.username });
  }
  return out;
}

/** What a close changed: each item with the status it had before. */
export interface UndoRecord {
  kind: 'report' | 'subject';
  items: { itemId: string; status: string }[];
  reason: string;
  at: string;
}

/** Remembers a person's last close (replacing the one before). */
export async function saveUndo(db: Db, userId: number, u: UndoRecord): Promise<void> {
  const row = { user_id: userId, kind: u.kind, items: JSON.stringify(u.items), reason: u.reason, at: u.at };
  await db
    .insertInto('work_undo')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ kind: u.kind, items: row.items, reason: u.reason, at: u.at }))
    .execute();
}

/** A person's last close, if it has not been undone. */
export async function peekUndo(db: Db, userId: number): Promise<UndoRecord | undefined> {
  const r = await db.selectFrom('work_undo').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return r ? { kind: r.kind as UndoRecord['kind'], items: JSON.parse(r.items) as UndoRecord['items'], reason: r.reason, at: iso(r.at) } : undefined;
}

/** Takes (removes and returns) a person's last close; a second undo finds nothing. */
export async function takeUndo(db: Db, userId: number): Promise<UndoRecord | undefined> {
  const r = await sql<{
    kind: string;
    items: string;
    reason: string;
    at: Date | string;
  }>`delete from work_undo where user_id = ${userId} returning kind, items, reason, at`.execute(db);
  const row = r.rows[0];
  return row ? { kind: row.kind as UndoRecord['kind'], items: JSON.parse(row.items) as UndoRecord['items'], reason: row.reason, at: iso(row.at) } : undefined;
}
