// The persistent record of stale keys (table stage_pending): each derived stage's plan starts from
// the keys marked for it, and its write clears exactly the marks it planned, in the same
// transaction, while marking the keys it makes stale downstream. A killed run therefore leaves its
// keys marked, and a key marked again while a run holds it keeps its new mark.
import { sql } from 'kysely';
import type { Db } from './bulk.ts';

/** The derived stages, in pipeline order; each name is also its queue of pending keys. */
export const STAGE_ORDER = [
  'hash-files',
  'hash-signals',
  'identifiers',
  'link-evidence',
  'subjects',
  'deconfliction',
  'external-deconfliction',
  'payment-scores',
  'payments-join',
  'rescore',
  'features',
  'children',
  'scores',
  'trends',
] as const;

/**
 * Stages keyed by report id that read a report's version, subject, places and hash signals (the
 * children, trend series and other agencies' marks): whatever makes those stale marks them too.
 */
export const REPORT_FOLLOWERS = ['children', 'trends', 'external-deconfliction'] as const satisfies readonly StageName[];

/** The trends key that stands for the payment corridors (new payments since the last count). */
export const CORRIDORS = ':corridors';

/** The marks for reports whose version, subject, places or hash signals changed: their scores and the stages that follow them. */
export function reportChanged(ids: string[]): Marks {
  return { scores: ids, ...Object.fromEntries(REPORT_FOLLOWERS.map((s) => [s, ids])) };
}

/** The name of a derived stage. */
export type StageName = (typeof STAGE_ORDER)[number];

/** A pending key as planned: the key and the mark it had when read. */
export interface PendingKey {
  key: string;
  seq: string;
}

/** Keys a write makes stale in (usually later) stages. */
export type Marks = Partial<Record<StageName, Iterable<string>>>;

// One array parameter per statement: far under any parameter limit, few round trips.
const MARK_CHUNK = 10_000;

/** Marks keys stale for a stage (a key already marked gets a fresh mark). */
export async function markPending(db: Db, stage: StageName, keys: Iterable<string>): Promise<number> {
  const list = [...new Set(keys)].sort();
  for (let i = 0; i < list.length; i += MARK_CHUNK) {
    await sql`insert into stage_pending (stage, key) select ${stage}, k from unnest(${list.slice(i, i + MARK_CHUNK)}::text[]) k
      on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
  }
  return list.length;
}

/** Marks every key of several stages (a write's downstream effects). */
export async function markAll(db: Db, marks: Marks): Promise<void> {
  for (const stage of STAGE_ORDER) {
    const keys = marks[stage];
    if (keys) await markPending(db, stage, keys);
  }
}

/** Marks every stored report (or every report a stage's tracking table holds) stale for a stage: a full rebuild. */
export async function markAllReports(
  db: Db,
  stage: StageName,
  prefix = '',
  source: 'reports' | 'hashed_reports' | 'link_reports' = 'reports',
): Promise<number> {
  const r = await sql`insert into stage_pending (stage, key) select ${stage}, ${prefix} || report_id from ${sql.table(source)}
    on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** The next pending keys of a stage, in key order (after `after` when given). */
export async function takePending(db: Db, stage: StageName, limit: number, after?: string): Promise<PendingKey[]> {
  const rows = await sql<{ key: string; seq: string }>`select key, seq::text as seq from stage_pending
    where stage = ${stage} ${after === undefined ? sql`` : sql`and key > ${after}`} order by key limit ${limit}`.execute(db);
  return rows.rows;
}

/** Clears the planned marks (a key marked again since keeps its newer mark). */
export async function clearPending(db: Db, stage: StageName, keys: PendingKey[]): Promise<void> {
  for (let i = 0; i < keys.length; i += MARK_CHUNK) {
    const part = keys.slice(i, i + MARK_CHUNK);
    await sql`delete from stage_pending p using unnest(${part.map((k) => k.key)}::text[], ${part.map((k) => k.seq)}::bigint[]) as d(key, seq)
      where p.stage = ${stage} and p.key = d.key and p.seq = d.seq`.execute(db);
  }
}

/** How many keys wait per stage (stages with none are left out). */
export async function pendingCounts(db: Db): Promise<Partial<Record<StageName, number>>> {
  const rows = await sql<{ stage: StageName; n: number }>`select stage, count(*)::int as n from stage_pending group by stage`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.stage, r.n]));
}

/** Whether any stage has keys waiting. */
export async function anyPending(db: Db): Promise<boolean> {
  const r = await sql<{ any: boolean }>`select exists (select 1 from stage_pending) as any`.execute(db);
  return r.rows[0]?.any === true;
}

/** Whether a stage has keys waiting. */
export async function hasPending(db: Db, stage: StageName): Promise<boolean> {
  const r = await sql<{ any: boolean }>`select exists (select 1 from stage_pending where stage = ${stage}) as any`.execute(db);
  return r.rows[0]?.any === true;
}

/** Which of these keys wait for a stage. */
export async function pendingOf(db: Db, stage: StageName, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const part = keys.slice(i, i + 5000);
    const rows = await sql<{ key: string }>`select key from stage_pending where stage = ${stage} and key = any(${part}::text[])`.execute(db);
    for (const r of rows.rows) out.add(r.key);
  }
  return out;
}
