// Repository functions of the payments stage. Decisions live in src/payments and
// src/ingest/transactions; this module reads and writes rows in batches (COPY on the embedded
// backend, multi-row INSERT of at most 1,000 rows on the server): never a round trip per row.

import { sql } from 'kysely';
import type { Store } from './database.ts';
import { copyText, type CopyValue } from './copy-text.ts';
import { bulkWrite, chunks, upsertRows, type Db } from './bulk.ts';
import type { BulkCopy } from './copy-text.ts';
import { CORRIDORS, markAll } from './pending.ts';

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
  'provider',
  'txn_id',
  'ts',
  'ts_offset',
  'amount',
  'currency',
  'amount_php',
  'amount_php_recorded',
  'round',
  'channel',
  'sender_node',
  'sender_customer',
  'sender_name',
  'sender_country',
  'sender_phone',
  'sender_email',
  'sender_keys',
  'receiver_node',
  'receiver_customer',
  'receiver_name',
  'receiver_country',
  'receiver_phone',
  'receiver_account',
  'receiver_keys',
  'purpose',
  'source',
  'extra',
  'file',
  'line',
] as const;

function txnValues(r: TxnRow): CopyValue[] {
  return [
    r.provider,
    r.txnId,
    r.ts,
    r.tsOffset,
    r.amount,
    r.currency,
    r.amountPhp,
    r.amountPhpRecorded,
    r.round,
    r.channel,
    r.senderNode,
    r.senderCustomer,
    r.senderName,
    r.senderCountry,
    r.senderPhone,
    r.senderEmail,
    r.senderKeys,
    r.receiverNode,
    r.receiverCustomer,
    r.receiverName,
    r.receiverCountry,
    r.receiverPhone,
    r.receiverAccount,
    r.receiverKeys,
    r.purpose,
    r.source,
    r.extra ? JSON.stringify(r.extra) : null,
    r.file,
    r.line,
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
      const n = Number(r.numAffectedRows ?? 0n);
      // New transactions make the party scoring stale (it reads them all: one key).
      if (n > 0) await markAll(tx, { 'payment-scores': ['all'], trends: [CORRIDORS] });
      return n;
    }
    let n = 0;
    for (const c of chunks(rows)) {
      const values = c.map((r) => Object.fromEntries(TXN_COLUMNS.map((col, k) => [col, txnValues(r)[k]])));
      const r = await tx
        .insertInto('payment_txns')
        .values(values as never)
        .onConflict((oc) => oc.columns(['provider', 'txn_id']).doNothing())
        .executeTakeFirst();
      n += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    if (n > 0) await markAll(tx, { 'payment-scores': ['all'], trends: [CORRIDORS] });
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
    await db
      .insertInto('payment_rejects')
      .values(c.map((r) => ({ source: r.source, line: r.line, reason: r.reason, raw: r.raw.slice(0, 4000) })))
      .onConflict((oc) =>
        oc.columns(['source', 'line']).doUpdateSet((eb) => ({ reason: eb.ref('excluded.reason'), raw: eb.ref('excluded.raw'), last_seen_at: sql`now()` })),
      )
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
    await bulkWrite(
      tx,
      store.copy,
      'payment_rates',
      ['currency', 'php', 'as_of', 'source'],
      [...t.rates].map(([c, r]) => [c, r, t.asOf, t.source]),
    );
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
    let q = db
      .selectFrom('payment_txns')
      .select([
        'ts',
        'ts_offset',
        'amount_php',
        'round',
        'channel',
        'provider',
        'txn_id',
        'sender_node',
        'sender_name',
        'sender_country',
        'sender_keys',
        'receiver_node',
        'receiver_name',
        'receiver_country',
        'receiver_keys',
        'purpose',
      ])
      .orderBy('ts')
      .orderBy('provider')
      .orderBy('txn_id')
      .limit(page);
    if (after) {
      const a = after;
      q = q.where((eb) => eb(eb.refTuple('ts', 'provider', 'txn_id'), '>', eb.tuple(a.ts, a.provider, a.txnId)));
    }
    const rows = await q.execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      ts: new Date(r.ts).getTime(),
      tsOffset: r.ts_offset,
      amountPhp: r.amount_php,
      round: r.round,
      channel: r.channel,
      provider: r.provider,
      senderNode: r.sender_node,
      senderName: r.sender_name,
      senderCountry: r.sender_country,
      senderKeys: r.sender_keys,
      receiverNode: r.receiver_node,
      receiverName: r.receiver_name,
      receiverCountry: r.receiver_country,
      receiverKeys: r.receiver_keys,
      purpose: r.purpose,
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

/** Alerted party scores, highest first (ties by party id), with the party's label and keys. */
export async function listAlertRows(
  db: Db,
  limit: number,
): Promise<(ScoreRow & { label: string; country: string | null; keys: string[]; customers: string[] })[]> {
  const rows = await db
    .selectFrom('payment_scores as s')
    .innerJoin('payment_parties as p', 'p.party_id', 's.party_id')
    .select(['s.party_id', 's.role', 's.score', 's.alerted', 's.reasons', 's.features', 'p.label', 'p.country', 'p.keys', 'p.customers'])
    .where('s.alerted', '=', true)
    .orderBy('s.score', 'desc')
    .orderBy('s.party_id')
    .orderBy('s.role')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    partyId: r.party_id,
    role: r.role as 'sender' | 'receiver',
    score: r.score,
    alerted: r.alerted,
    reasons: r.reasons,
    features: r.features,
    label: r.label,
    country: r.country,
    keys: r.keys,
    customers: r.customers,
  }));
}

/** Alerted scores of the given parties. */
export async function scoresOfParties(db: Db, partyIds: string[]): Promise<ScoreRow[]> {
  const out: ScoreRow[] = [];
  for (const ids of chunks(partyIds)) {
    const rows = await db.selectFrom('payment_scores').selectAll().where('party_id', 'in', ids).execute();
    for (const r of rows)
      out.push({ partyId: r.party_id, role: r.role as 'sender' | 'receiver', score: r.score, alerted: r.alerted, reasons: r.reasons, features: r.features });
  }
  return out;
}

/** The parties whose keys reach a subject's reports. */
export async function partiesOfSubject(db: Db, subjectId: string): Promise<string[]> {
  const rows = await db.selectFrom('payment_party_reports').select('party_id').distinct().where('subject_id', '=', subjectId).execute();
  return rows.map((r) => r.party_id).sort();
}

/** Parties by id. */
export async function partiesById(db: Db, ids: string[]): Promise<PartyRow[]> {
  const out: PartyRow[] = [];
  for (const c of chunks(ids)) {
    const rows = await db.selectFrom('payment_parties').selectAll().where('party_id', 'in', c).execute();
    for (const r of rows)
      out.push({ partyId: r.party_id, label: r.label, country: r.country, keys: r.keys, customers: r.customers, sent: r.sent, received: r.received });
  }
  return out;
}

/** Payment flows (sender party → receiver party, per currency) touching the given parties. */
export async function flowsOfParties(
  db: Db,
  partyIds: string[],
): Promise<{ from: string; to: string; currency: string; amount: number; amountPhp: number; count: number; first: Date; last: Date }[]> {
  if (partyIds.length === 0) return [];
  const rows = await db
    .selectFrom('payment_txns as t')
    .innerJoin('payment_nodes as s', 's.node', 't.sender_node')
    .innerJoin('payment_nodes as r', 'r.node', 't.receiver_node')
    .select((eb) => [
      's.party_id as from',
      'r.party_id as to',
      't.currency',
      eb.fn.sum<number>('t.amount').as('amount'),
      eb.fn.sum<number>('t.amount_php').as('amount_php'),
      eb.fn.countAll<number>().as('count'),
      eb.fn.min('t.ts').as('first'),
      eb.fn.max('t.ts').as('last'),
    ])
    .where((eb) => eb.or([eb('s.party_id', 'in', partyIds), eb('r.party_id', 'in', partyIds)]))
    .groupBy(['s.party_id', 'r.party_id', 't.currency'])
    .orderBy('s.party_id')
    .orderBy('r.party_id')
    .orderBy('t.currency')
    .execute();
  return rows.map((r) => ({
    from: r.from,
    to: r.to,
    currency: r.currency,
    amount: Number(r.amount),
    amountPhp: Number(r.amount_php),
    count: Number(r.count),
    first: new Date(r.first),
    last: new Date(r.last),
  }));
}

/** Counts of stored transactions and set-aside rows. */
export async function paymentCounts(db: Db): Promise<{ txns: number; rejects: number; parties: number; alerts: number }> {
  const one = async (t: 'payment_txns' | 'payment_rejects' | 'payment_parties'): Promise<number> =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const alerts = Number(
    (
      await db
        .selectFrom('payment_scores')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('alerted', '=', true)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { txns: await one('payment_txns'), rejects: await one('payment_rejects'), parties: await one('payment_parties'), alerts };
}

/** Parties whose id, label, customer id or any identifier key contains the text (case-insensitive), alerted first. */
export async function searchParties(db: Db, text: string, limit: number): Promise<PartyRow[]> {
  // The text is a value, never SQL; LIKE's own wildcards in it are taken literally.
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('payment_parties as p')
    .selectAll('p')
    .select(sql<number>`coalesce((select max(s.score) from payment_scores s where s.party_id = p.party_id and s.alerted), -1)`.as('best'))
    .where(
      sql<boolean>`p.party_id ilike ${like} or p.label ilike ${like}
      or exists (select 1 from unnest(p.keys) k where k ilike ${like})
      or exists (select 1 from unnest(p.customers) c where c ilike ${like})`,
    )
    .orderBy('best', 'desc')
    .orderBy('p.party_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    partyId: r.party_id,
    label: r.label,
    country: r.country,
    keys: r.keys,
    customers: r.customers,
    sent: r.sent,
    received: r.received,
  }));
}

/** The reports a party's keys reach, with their subject. */
export async function reportsOfParties(db: Db, partyIds: string[]): Promise<{ partyId: string; reportId: string; subjectId: string | null }[]> {
  const out: { partyId: string; reportId: string; subjectId: string | null }[] = [];
  for (const ids of chunks(partyIds)) {
    const rows = await db
      .selectFrom('payment_party_reports')
      .select(['party_id', 'report_id', 'subject_id'])
      .distinct()
      .where('party_id', 'in', ids)
      .orderBy('report_id')
      .execute();
    for (const r of rows) out.push({ partyId: r.party_id, reportId: r.report_id, subjectId: r.subject_id });
  }
  return out;
}
/**
 * Writes a scoring run's parties, node mapping and scores within the caller's transaction: rows
 * that changed are upserted, rows of parties that went are deleted, the rest stay untouched.
 * Returns the parties whose row or scores changed or went.
 */
export async function putScoring(db: Db, copy: BulkCopy | undefined, parties: PartyRow[], nodes: [string, string][], scores: ScoreRow[]): Promise<string[]> {
  const changed = new Set<string>();
  for (const id of await upsertRows(
    db,
    copy,
    'payment_parties',
    ['party_id', 'label', 'country', 'keys', 'customers', 'sent', 'received'],
    ['party_id'],
    parties.map((p) => [p.partyId, p.label, p.country, p.keys, p.customers, p.sent, p.received]),
  ))
    changed.add(id);
  for (const id of await upsertRows(
    db,
    copy,
    'payment_scores',
    ['party_id', 'role', 'score', 'alerted', 'reasons', 'features'],
    ['party_id', 'role'],
    scores.map((s) => [s.partyId, s.role, s.score, s.alerted, JSON.stringify(s.reasons), JSON.stringify(s.features)]),
  ))
    changed.add(id);
  await upsertRows(db, copy, 'payment_nodes', ['node', 'party_id'], ['node'], nodes);
  const partyIds = parties.map((p) => p.partyId);
  const gone = await sql<{
    party_id: string;
  }>`delete from payment_parties where party_id not in (select unnest(${partyIds}::text[])) returning party_id`.execute(db);
  for (const r of gone.rows) changed.add(r.party_id);
  const keep = new Set(scores.map((s) => `${s.partyId}\u0000${s.role}`));
  const stale = (await sql<{ party_id: string; role: string }>`select party_id, role from payment_scores`.execute(db)).rows.filter(
    (r) => !keep.has(`${r.party_id}\u0000${r.role}`),
  );
  if (stale.length > 0) {
    await sql`delete from payment_scores s using unnest(${stale.map((r) => r.party_id)}::text[], ${stale.map((r) => r.role)}::text[]) as d(p, r) where s.party_id = d.p and s.role = d.r`.execute(
      db,
    );
    for (const r of stale) changed.add(r.party_id);
  }
  await sql`delete from payment_nodes where node not in (select unnest(${nodes.map(([n]) => n)}::text[]))`.execute(db);
  return [...changed];
}

/** Marks for the payments join every report a party reached or may reach now (its stored links and its keys). */
export async function markJoinForParties(db: Db, partyIds: string[]): Promise<void> {
  for (const ids of chunks(partyIds, 5000)) {
    await sql`insert into stage_pending (stage, key)
      select 'payments-join', report_id from payment_party_reports where party_id = any(${ids}::text[])
      union select 'payments-join', i.report_id from payment_parties p join link_identifiers i on i.key = any(p.keys)
        where p.party_id = any(${ids}::text[]) and i.strength in ('strong', 'medium')
      on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
  }
}

/** Marks for the payments join every report joined now or holding any party's key (a full join). */
export async function markJoinAll(db: Db): Promise<void> {
  await sql`insert into stage_pending (stage, key)
    select 'payments-join', report_id from payment_party_reports
    union select 'payments-join', i.report_id from link_identifiers i
      where i.strength in ('strong', 'medium') and i.key in (select unnest(keys) from payment_parties)
    on conflict (stage, key) do update set seq = excluded.seq, marked_at = excluded.marked_at`.execute(db);
}

/** A party → report link as stored. */
export interface PartyReportLink {
  partyId: string;
  key: string;
  reportId: string;
  subjectId: string | null;
}

/** What the join of some reports reads: their linkable keys, the parties holding those keys, and the links stored now. */
export async function joinInputs(
  db: Db,
  reportIds: string[],
): Promise<{ keys: { reportId: string; key: string }[]; parties: { partyId: string; keys: string[] }[]; links: PartyReportLink[] }> {
  const keys = (
    await sql<{ report_id: string; key: string }>`select distinct report_id, key from link_identifiers
    where report_id = any(${reportIds}::text[]) and strength in ('strong', 'medium')`.execute(db)
  ).rows.map((r) => ({ reportId: r.report_id, key: r.key }));
  const all = [...new Set(keys.map((k) => k.key))];
  const parties: { partyId: string; keys: string[] }[] = [];
  for (const ks of chunks(all, 5000)) {
    for (const r of (await sql<{ party_id: string; keys: string[] }>`select party_id, keys from payment_parties where keys && ${ks}::text[]`.execute(db)).rows)
      parties.push({ partyId: r.party_id, keys: r.keys });
  }
  const links = (
    await sql<{
      party_id: string;
      key: string;
      report_id: string;
      subject_id: string | null;
    }>`select party_id, key, report_id, subject_id from payment_party_reports
    where report_id = any(${reportIds}::text[])`.execute(db)
  ).rows.map((r) => ({ partyId: r.party_id, key: r.key, reportId: r.report_id, subjectId: r.subject_id }));
  return { keys, parties, links };
}

/** The stored links of these subjects. */
export async function linksOfSubjects(db: Db, subjectIds: string[]): Promise<PartyReportLink[]> {
  const out: PartyReportLink[] = [];
  for (const ids of chunks(subjectIds, 5000)) {
    for (const r of (
      await sql<{
        party_id: string;
        key: string;
        report_id: string;
        subject_id: string | null;
      }>`select party_id, key, report_id, subject_id from payment_party_reports
      where subject_id = any(${ids}::text[])`.execute(db)
    ).rows)
      out.push({ partyId: r.party_id, key: r.key, reportId: r.report_id, subjectId: r.subject_id });
  }
  return out;
}

/** A subject's payment flag (the triage contract). */
export interface SubjectFlag {
  subjectId: string;
  score: number;
  alerts: number;
  parties: string[];
  topReason: string;
}

/** The stored flags of these subjects. */
export async function flagsOfSubjects(db: Db, subjectIds: string[]): Promise<SubjectFlag[]> {
  const out: SubjectFlag[] = [];
  for (const ids of chunks(subjectIds, 5000)) {
    for (const r of (
      await sql<{
        subject_id: string;
        score: number;
        alerts: number;
        parties: string[];
        top_reason: string;
      }>`select subject_id, score, alerts, parties, top_reason
      from payment_subject_flags where subject_id = any(${ids}::text[])`.execute(db)
    ).rows)
      out.push({ subjectId: r.subject_id, score: Number(r.score), alerts: r.alerts, parties: r.parties, topReason: r.top_reason });
  }
  return out;
}

/** Replaces the links of these reports and the flags of these subjects within the caller's transaction; returns the subjects whose flag changed. */
export async function putJoin(
  db: Db,
  copy: BulkCopy | undefined,
  reportIds: string[],
  links: PartyReportLink[],
  subjects: string[],
  flags: SubjectFlag[],
): Promise<string[]> {
  for (const ids of chunks(reportIds, 5000)) await sql`delete from payment_party_reports where report_id = any(${ids}::text[])`.execute(db);
  await bulkWrite(
    db,
    copy,
    'payment_party_reports',
    ['party_id', 'key', 'report_id', 'subject_id'],
    links.map((l) => [l.partyId, l.key, l.reportId, l.subjectId]),
  );
  const flagged = new Set(flags.map((f) => f.subjectId));
  const unflag = subjects.filter((s) => !flagged.has(s));
  const lifted =
    unflag.length === 0
      ? []
      : (
          await sql<{ subject_id: string }>`delete from payment_subject_flags where subject_id = any(${unflag}::text[]) returning subject_id`.execute(db)
        ).rows.map((r) => r.subject_id);
  const changed = await upsertRows(
    db,
    copy,
    'payment_subject_flags',
    ['subject_id', 'score', 'alerts', 'parties', 'top_reason'],
    ['subject_id'],
    flags.map((f) => [f.subjectId, f.score, f.alerts, f.parties, f.topReason]),
  );
  return [...lifted, ...changed];
}

/** Counts of the join: parties with keys, parties on reports, reports joined, subjects flagged. */
export async function joinCounts(db: Db): Promise<{ partiesWithKeys: number; partiesOnReports: number; reports: number; subjectsFlagged: number }> {
  const r = await sql<{ a: number; b: number; c: number; d: number }>`select
    (select count(*)::int from payment_parties where cardinality(keys) > 0) as a,
    (select count(distinct party_id)::int from payment_party_reports) as b,
    (select count(distinct report_id)::int from payment_party_reports) as c,
    (select count(*)::int from payment_subject_flags) as d`.execute(db);
  const x = r.rows[0]!;
  return { partiesWithKeys: x.a, partiesOnReports: x.b, reports: x.c, subjectsFlagged: x.d };
}
