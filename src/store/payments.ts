// Repository functions of the payments stage. Decisions live in src/payments and
// src/ingest/transactions; this module reads and writes rows in batches (COPY on the embedded
// backend, multi-row INSERT of at most 1,000 rows on the server): never a round trip per row.

import { sql } from 'kysely';
import type { Store } from './database.ts';
import { copyText, type CopyValue } from './copy-text.ts';
import { bulkWrite, chunks, type Db } from './bulk.ts';

/** A transaction as stored (src/ingest/transactions makes it). */
export interface TxnRow {
  provider: string;
  txnId: string;
  /** UTC ISO time. */
  ts: string;
  /** The UTC offset the provider wrote, in minutes. */
  tsOffset: number;
  amount: number;
  currency: string;
  amountPhp: number;
  amountPhpRecorded: number | null;
  round: boolean;
  channel: string | null;
  senderNode: string;
  senderCustomer: string | null;
  senderName: string | null;
  senderCountry: string | null;
  senderPhone: string | null;
  senderEmail: string | null;
  senderKeys: string[];
  receiverNode: string;
  receiverCustomer: string | null;
  receiverName: string | null;
  receiverCountry: string | null;
  receiverPhone: string | null;
  receiverAccount: string | null;
  receiverKeys: string[];
  purpose: string | null;
  source: string | null;
  extra: Record<string, string> | null;
  file: string;
  line: number;
}

const TXN_COLUMNS = [
  'provider', 'txn_id', 'ts', 'ts_offset', 'amount', 'currency', 'amount_php', 'amount_php_recorded', 'round', 'channel',
  'sender_node', 'sender_customer', 'sender_name', 'sender_country', 'sender_phone', 'sender_email', 'sender_keys',
  'receiver_node', 'receiver_customer', 'receiver_name', 'receiver_country', 'receiver_phone', 'receiver_account', 'receiver_keys',
  'purpose', 'source', 'extra', 'file', 'line',
] as const;

function txnValues(r: TxnRow): CopyValue[] {
  return [
    r.provider, r.txnId, r.ts, r.tsOffset, r.amount, r.currency, r.amountPhp, r.amountPhpRecorded, r.round, r.channel,
    r.senderNode, r.senderCustomer, r.senderName, r.senderCountry, r.senderPhone, r.senderEmail, r.senderKeys,
    r.receiverNode, r.receiverCustomer, r.receiverName, r.receiverCountry, r.receiverPhone, r.receiverAccount, r.receiverKeys,
    r.purpose, r.source, r.extra ? JSON.stringify(r.extra) : null, r.file, r.line,
  ];
}

/** Adds transactions not stored yet (by provider and txn_id); how many were new. */
export async function insertTxns(store: Pick<Store, 'db' | 'copy'>, rows: TxnRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return store.db.transaction().execute(async (tx) => {
    if (store.copy) {
      // COPY cannot skip conflicts: load a staging table, then insert what is new.
      await sql`create temp table if not exists payment_txns_stage (like payment_txns including defaults) on commit delete rows`.execute(tx);
      await store.copy('payment_txns_stage', [...TXN_COLUMNS], copyText(rows.map(txnValues)));
      const r = await sql`insert into payment_txns select * from payment_txns_stage on conflict (provider, txn_id) do nothing`.execute(tx);
      return Number(r.numAffectedRows ?? 0n);
    }
    let n = 0;
    for (const c of chunks(rows)) {
      const values = c.map((r) => Object.fromEntries(TXN_COLUMNS.map((col, k) => [col, txnValues(r)[k]])));
      const r = await tx.insertInto('payment_txns').values(values as never).onConflict((oc) => oc.columns(['provider', 'txn_id']).doNothing()).executeTakeFirst();
      n += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    return n;
  });
}

/** A record set aside. */
export interface RejectRow {
  source: string;
  line: number;
  reason: string;
  raw: string;
}

/** Records set-aside rows; the same file line is updated, not duplicated. */
export async function addRejects(db: Db, rows: RejectRow[]): Promise<void> {
  const seen = new Map<string, RejectRow>();
  for (const r of rows) seen.set(`${r.source}\u0000${r.line}`, r);
  for (const c of chunks([...seen.values()])) {
    await db.insertInto('payment_rejects').values(c.map((r) => ({ source: r.source, line: r.line, reason: r.reason, raw: r.raw.slice(0, 4000) })))
      .onConflict((oc) => oc.columns(['source', 'line']).doUpdateSet((eb) => ({ reason: eb.ref('excluded.reason'), raw: eb.ref('excluded.raw'), last_seen_at: sql`now()` })))
      .execute();
  }
}

/** Set-aside rows, by file and line. */
export async function listRejects(db: Db, limit = 1000): Promise<RejectRow[]> {
  const rows = await db.selectFrom('payment_rejects').select(['source', 'line', 'reason', 'raw']).orderBy('source').orderBy('line').limit(limit).execute();
  return rows.map((r) => ({ source: r.source, line: r.line, reason: r.reason, raw: r.raw }));
}

/** The stored rate table, or undefined when the built-in one is in use. */
export async function storedRates(db: Db): Promise<{ rates: Map<string, number>; asOf: string; source: string } | undefined> {
  const rows = await db.selectFrom('payment_rates').selectAll().orderBy('currency').execute();
  if (rows.length === 0) return undefined;
  return { rates: new Map(rows.map((r) => [r.currency, r.php])), asOf: rows[0]!.as_of, source: rows[0]!.source };
}

/** Replaces the stored rate table (an empty map goes back to the built-in one). */
export async function replaceRates(store: Pick<Store, 'db' | 'copy'>, t: { rates: ReadonlyMap<string, number>; asOf: string; source: string }): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('payment_rates').execute();
    await bulkWrite(tx, store.copy, 'payment_rates', ['currency', 'php', 'as_of', 'source'], [...t.rates].map(([c, r]) => [c, r, t.asOf, t.source]));
  });
}

/** A transaction as scoring reads it. */
export interface ScoringTxn {
  ts: number;
  tsOffset: number;
  amountPhp: number;
  round: boolean;
  channel: string | null;
  provider: string;
  senderNode: string;
  senderName: string | null;
  senderCountry: string | null;
  senderKeys: string[];
  receiverNode: string;
  receiverName: string | null;
  receiverCountry: string | null;
  receiverKeys: string[];
  purpose: string | null;
}

/** Every stored transaction in time order, a page at a time (keyset paging keeps memory flat). */
export async function* scoringTxns(db: Db, page = 20_000): AsyncGenerator<ScoringTxn[]> {
  let after: { ts: Date; provider: string; txnId: string } | undefined;
  for (;;) {
    let q = db.selectFrom('payment_txns')
      .select(['ts', 'ts_offset', 'amount_php', 'round', 'channel', 'provider', 'txn_id', 'sender_node', 'sender_name', 'sender_country', 'sender_keys',
        'receiver_node', 'receiver_name', 'receiver_country', 'receiver_keys', 'purpose'])
      .orderBy('ts').orderBy('provider').orderBy('txn_id').limit(page);
    if (after) {
      const a = after;
      q = q.where((eb) => eb(eb.refTuple('ts', 'provider', 'txn_id'), '>', eb.tuple(a.ts, a.provider, a.txnId)));
    }
    const rows = await q.execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      ts: new Date(r.ts).getTime(), tsOffset: r.ts_offset, amountPhp: r.amount_php, round: r.round, channel: r.channel, provider: r.provider,
      senderNode: r.sender_node, senderName: r.sender_name, senderCountry: r.sender_country, senderKeys: r.sender_keys,
      receiverNode: r.receiver_node, receiverName: r.receiver_name, receiverCountry: r.receiver_country, receiverKeys: r.receiver_keys, purpose: r.purpose,
    }));
    const last = rows[rows.length - 1]!;
    after = { ts: new Date(last.ts), provider: last.provider, txnId: last.txn_id };
    if (rows.length < page) return;
  }
}

/** A resolved party as stored. */
export interface PartyRow {
  partyId: string;
  label: string;
  country: string | null;
  keys: string[];
  customers: string[];
  sent: number;
  received: number;
}

/** A party's score in one role as stored. */
export interface ScoreRow {
  partyId: string;
  role: 'sender' | 'receiver';
  score: number;
  alerted: boolean;
  reasons: unknown;
  features: unknown;
}

/** Replaces the parties, node mapping and scores of a scoring run. */
export async function replaceScoring(store: Pick<Store, 'db' | 'copy'>, parties: PartyRow[], nodes: [string, string][], scores: ScoreRow[]): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('payment_parties').execute();
    await tx.deleteFrom('payment_nodes').execute();
    await tx.deleteFrom('payment_scores').execute();
    await bulkWrite(tx, store.copy, 'payment_parties', ['party_id', 'label', 'country', 'keys', 'customers', 'sent', 'received'],
      parties.map((p) => [p.partyId, p.label, p.country, p.keys, p.customers, p.sent, p.received]));
    await bulkWrite(tx, store.copy, 'payment_nodes', ['node', 'party_id'], nodes);
    await bulkWrite(tx, store.copy, 'payment_scores', ['party_id', 'role', 'score', 'alerted', 'reasons', 'features'],
      scores.map((s) => [s.partyId, s.role, s.score, s.alerted, JSON.stringify(s.reasons), JSON.stringify(s.features)]));
  });
}

/** Alerted party scores, highest first (ties by party id), with the party's label and keys. */
export async function listAlertRows(db: Db, limit: number): Promise<(ScoreRow & { label: string; country: string | null; keys: string[]; customers: string[] })[]> {
  const rows = await db.selectFrom('payment_scores as s').innerJoin('payment_parties as p', 'p.party_id', 's.party_id')
    .select(['s.party_id', 's.role', 's.score', 's.alerted', 's.reasons', 's.features', 'p.label', 'p.country', 'p.keys', 'p.customers'])
    .where('s.alerted', '=', true).orderBy('s.score', 'desc').orderBy('s.party_id').orderBy('s.role').limit(limit).execute();
  return rows.map((r) => ({
    partyId: r.party_id, role: r.role as 'sender' | 'receiver', score: r.score, alerted: r.alerted, reasons: r.reasons, features: r.features,
    label: r.label, country: r.country, keys: r.keys, customers: r.customers,
  }));
}

/** Every party with at least one identifier key (for the join to reports). */
export async function partyKeyRows(db: Db): Promise<{ partyId: string; keys: string[] }[]> {
  const rows = await db.selectFrom('payment_parties').select(['party_id', 'keys']).where(sql<boolean>`cardinality(keys) > 0`).execute();
  return rows.map((r) => ({ partyId: r.party_id, keys: r.keys }));
}

/** Reports holding one of the given keys as a linkable (strong or medium) identifier, with their subject. */
export async function reportsForKeys(db: Db, keys: string[]): Promise<{ key: string; reportId: string; subjectId: string | null }[]> {
  const out: { key: string; reportId: string; subjectId: string | null }[] = [];
  for (const ks of chunks(keys)) {
    const rows = await db.selectFrom('link_identifiers as i').leftJoin('link_subjects as s', 's.report_id', 'i.report_id')
      .select(['i.key', 'i.report_id', 's.subject_id']).distinct()
      .where('i.key', 'in', ks).where('i.strength', 'in', ['strong', 'medium']).execute();
    for (const r of rows) out.push({ key: r.key, reportId: r.report_id, subjectId: r.subject_id });
  }
  return out;
}

/** Replaces the party → report rows and the subject flags (the triage contract). */
export async function replaceJoin(store: Pick<Store, 'db' | 'copy'>, links: { partyId: string; key: string; reportId: string; subjectId: string | null }[],
  flags: { subjectId: string; score: number; alerts: number; parties: string[]; topReason: string }[]): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('payment_party_reports').execute();
    await tx.deleteFrom('payment_subject_flags').execute();
    await bulkWrite(tx, store.copy, 'payment_party_reports', ['party_id', 'key', 'report_id', 'subject_id'], links.map((l) => [l.partyId, l.key, l.reportId, l.subjectId]));
    await bulkWrite(tx, store.copy, 'payment_subject_flags', ['subject_id', 'score', 'alerts', 'parties', 'top_reason'],
      flags.map((f) => [f.subjectId, f.score, f.alerts, f.parties, f.topReason]));
  });
}

/** Alerted scores of the given parties. */
export async function scoresOfParties(db: Db, partyIds: string[]): Promise<ScoreRow[]> {
  const out: ScoreRow[] = [];
  for (const ids of chunks(partyIds)) {
    const rows = await db.selectFrom('payment_scores').selectAll().where('party_id', 'in', ids).execute();
    for (const r of rows) out.push({ partyId: r.party_id, role: r.role as 'sender' | 'receiver', score: r.score, alerted: r.alerted, reasons: r.reasons, features: r.features });
  }
  return out;
}

/** The parties whose keys reach a subject's reports. */
export async function partiesOfSubject(db: Db, subjectId: string): Promise<string[]> {
  const rows = await db.selectFrom('payment_party_reports').select('party_id').distinct()
    .where('subject_id', '=', subjectId).execute();
  return rows.map((r) => r.party_id).sort();
}

/** Parties by id. */
export async function partiesById(db: Db, ids: string[]): Promise<PartyRow[]> {
  const out: PartyRow[] = [];
  for (const c of chunks(ids)) {
    const rows = await db.selectFrom('payment_parties').selectAll().where('party_id', 'in', c).execute();
    for (const r of rows) out.push({ partyId: r.party_id, label: r.label, country: r.country, keys: r.keys, customers: r.customers, sent: r.sent, received: r.received });
  }
  return out;
}

/** Payment flows (sender party → receiver party, per currency) touching the given parties. */
export async function flowsOfParties(db: Db, partyIds: string[]): Promise<{ from: string; to: string; currency: string; amount: number; amountPhp: number; count: number; first: Date; last: Date }[]> {
  if (partyIds.length === 0) return [];
  const rows = await db.selectFrom('payment_txns as t')
    .innerJoin('payment_nodes as s', 's.node', 't.sender_node')
    .innerJoin('payment_nodes as r', 'r.node', 't.receiver_node')
    .select((eb) => [
      's.party_id as from', 'r.party_id as to', 't.currency',
      eb.fn.sum<number>('t.amount').as('amount'), eb.fn.sum<number>('t.amount_php').as('amount_php'),
      eb.fn.countAll<number>().as('count'), eb.fn.min('t.ts').as('first'), eb.fn.max('t.ts').as('last'),
    ])
    .where((eb) => eb.or([eb('s.party_id', 'in', partyIds), eb('r.party_id', 'in', partyIds)]))
    .groupBy(['s.party_id', 'r.party_id', 't.currency'])
    .orderBy('s.party_id').orderBy('r.party_id').orderBy('t.currency')
    .execute();
  return rows.map((r) => ({ from: r.from, to: r.to, currency: r.currency, amount: Number(r.amount), amountPhp: Number(r.amount_php), count: Number(r.count), first: new Date(r.first), last: new Date(r.last) }));
}

/** Counts of stored transactions and set-aside rows. */
export async function paymentCounts(db: Db): Promise<{ txns: number; rejects: number; parties: number; alerts: number }> {
  const one = async (t: 'payment_txns' | 'payment_rejects' | 'payment_parties'): Promise<number> =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const alerts = Number((await db.selectFrom('payment_scores').select((eb) => eb.fn.countAll<number>().as('n')).where('alerted', '=', true).executeTakeFirstOrThrow()).n);
  return { txns: await one('payment_txns'), rejects: await one('payment_rejects'), parties: await one('payment_parties'), alerts };
}

/** Parties whose id, label, customer id or any identifier key contains the text (case-insensitive), alerted first. */
export async function searchParties(db: Db, text: string, limit: number): Promise<PartyRow[]> {
  // The text is a value, never SQL; LIKE's own wildcards in it are taken literally.
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.selectFrom('payment_parties as p')
    .selectAll('p')
    .select(sql<number>`coalesce((select max(s.score) from payment_scores s where s.party_id = p.party_id and s.alerted), -1)`.as('best'))
    .where(sql<boolean>`p.party_id ilike ${like} or p.label ilike ${like}
      or exists (select 1 from unnest(p.keys) k where k ilike ${like})
      or exists (select 1 from unnest(p.customers) c where c ilike ${like})`)
    .orderBy('best', 'desc').orderBy('p.party_id').limit(limit).execute();
  return rows.map((r) => ({ partyId: r.party_id, label: r.label, country: r.country, keys: r.keys, customers: r.customers, sent: r.sent, received: r.received }));
}

/** The reports a party's keys reach, with their subject. */
export async function reportsOfParties(db: Db, partyIds: string[]): Promise<{ partyId: string; reportId: string; subjectId: string | null }[]> {
  const out: { partyId: string; reportId: string; subjectId: string | null }[] = [];
  for (const ids of chunks(partyIds)) {
    const rows = await db.selectFrom('payment_party_reports').select(['party_id', 'report_id', 'subject_id']).distinct().where('party_id', 'in', ids).orderBy('report_id').execute();
    for (const r of rows) out.push({ partyId: r.party_id, reportId: r.report_id, subjectId: r.subject_id });
  }
  return out;
}
