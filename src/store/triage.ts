// Repository functions of the triage stage: rulesets, stored document features, the rows the
// scorer reads (a few joined queries per chunk, never one per report) and bulk score writes
// (COPY on the embedded backend, multi-row INSERT of at most 1,000 rows on the server).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import type { TriageScoresTable } from './schema-triage.ts';
import { randomBytes } from 'node:crypto';
import type { BulkCopy, CopyValue } from './copy-text.ts';
import { bulkWrite, CHUNK, upsertRows, type Db } from './bulk.ts';
import { markPending } from './pending.ts';
import { iso } from '../model/dates.ts';
import { internal } from '../model/error.ts';

/** A stored ruleset. */
export interface RulesetRow {
  version: number;
  name: string;
  status: 'draft' | 'shadow' | 'live' | 'retired';
  doc: string;
  contentHash: string;
  comment: string | null;
  createdAt: string;
  liveAt: string | null;
}

function toRulesetRow(r: {
  version: number;
  name: string;
  status: string;
  doc: string;
  content_hash: string;
  comment: string | null;
  created_at: Date;
  live_at: Date | null;
}): RulesetRow {
  return {
    version: r.version,
    name: r.name,
    status: r.status as RulesetRow['status'],
    doc: r.doc,
    contentHash: r.content_hash,
    comment: r.comment,
    createdAt: iso(r.created_at),
    liveAt: iso(r.live_at),
  };
}

/** Stores a ruleset as a new version; returns its number. */
export async function insertRuleset(
  db: Db,
  r: { name: string; status: RulesetRow['status']; doc: string; contentHash: string; comment: string | null },
): Promise<number> {
  const row = await db
    .insertInto('triage_rulesets')
    .values({ name: r.name, status: r.status, doc: r.doc, content_hash: r.contentHash, comment: r.comment, live_at: r.status === 'live' ? new Date() : null })
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

/** Every ruleset version, newest first. */
export async function listRulesets(db: Db): Promise<RulesetRow[]> {
  return (await db.selectFrom('triage_rulesets').selectAll().orderBy('version', 'desc').execute()).map(toRulesetRow);
}

/** One ruleset version, or undefined. */
export async function getRuleset(db: Db, version: number): Promise<RulesetRow | undefined> {
  const r = await db.selectFrom('triage_rulesets').selectAll().where('version', '=', version).executeTakeFirst();
  return r ? toRulesetRow(r) : undefined;
}

/** The stored JSON of some ruleset versions (versions not stored are absent). */
export async function rulesetDocs(db: Db, versions: number[]): Promise<{ version: number; doc: string }[]> {
  return db.selectFrom('triage_rulesets').select(['version', 'doc']).where('version', 'in', versions).execute();
}

/** The ruleset with a status (live or shadow: at most one each), or undefined. */
export async function rulesetWithStatus(db: Db, status: 'live' | 'shadow'): Promise<RulesetRow | undefined> {
  const r = await db.selectFrom('triage_rulesets').selectAll().where('status', '=', status).orderBy('version', 'desc').executeTakeFirst();
  return r ? toRulesetRow(r) : undefined;
}

/** Sets a version's status; a new live or shadow version retires the previous one. */
export async function setRulesetStatus(db: Kysely<BantayDatabase>, version: number, status: RulesetRow['status']): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (status === 'live' || status === 'shadow') {
      await tx.updateTable('triage_rulesets').set({ status: 'retired' }).where('status', '=', status).where('version', '!=', version).execute();
    }
    await tx
      .updateTable('triage_rulesets')
      .set({ status, ...(status === 'live' ? { live_at: new Date() } : {}) })
      .where('version', '=', version)
      .execute();
    if (status === 'shadow' || status === 'live') {
      await tx.deleteFrom('triage_shadow_scores').execute();
      // Every report must be scored again; marked with the change, so a re-score killed half way is redone.
      await markPending(tx, 'rescore', ['all']);
    }
  });
}

/** The previous live version (the newest retired one that was live before), or undefined. */
export async function previousLive(db: Db, current: number): Promise<RulesetRow | undefined> {
  const r = await db
    .selectFrom('triage_rulesets')
    .selectAll()
    .where('live_at', 'is not', null)
    .where('version', '!=', current)
    .where('status', '=', 'retired')
    .orderBy('live_at', 'desc')
    .executeTakeFirst();
  return r ? toRulesetRow(r) : undefined;
}

/** A report whose document features must be (re)computed. */
export interface FeatureDoc {
  reportId: string;
  version: number;
  doc: unknown;
}

/** Reports whose current version has no stored features (keyset by report id). */
export async function featurePending(db: Db, opts: { after?: string; limit: number; ids?: string[] }): Promise<FeatureDoc[]> {
  let q = db
    .selectFrom('reports as r')
    .innerJoin('report_versions as v', (j) => j.onRef('v.report_id', '=', 'r.report_id').onRef('v.version', '=', 'r.current_version'))
    .leftJoin('triage_features as f', 'f.report_id', 'r.report_id')
    .select(['r.report_id', 'r.current_version', 'v.doc'])
    .where((eb) => eb.or([eb('f.version', 'is', null), eb('f.version', '!=', eb.ref('r.current_version'))]))
    .orderBy('r.report_id')
    .limit(opts.limit);
  // The bound on the joined version too: PostgreSQL does not carry it across the join.
  if (opts.after !== undefined) q = q.where('r.report_id', '>', opts.after).where('v.report_id', '>', opts.after);
  if (opts.ids) q = q.where('r.report_id', 'in', opts.ids.length ? opts.ids : ['']);
  const rows = await q.execute();
  return rows.map((r) => ({ reportId: r.report_id, version: r.current_version, doc: r.doc }));
}

/** Replaces the stored features of the given reports. */
export async function writeFeatures(store: Pick<Store, 'db' | 'copy'>, rows: { reportId: string; version: number; features: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await store.db.transaction().execute((tx) => putFeatures(tx, store.copy, rows));
}

/** Replaces the stored features of the given reports within the caller's transaction. */
export async function putFeatures(db: Db, copy: BulkCopy | undefined, rows: { reportId: string; version: number; features: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .deleteFrom('triage_features')
      .where(
        'report_id',
        'in',
        rows.slice(i, i + CHUNK).map((r) => r.reportId),
      )
      .execute();
  await bulkWrite(
    db,
    copy,
    'triage_features',
    ['report_id', 'version', 'features'],
    rows.map((r) => [r.reportId, r.version, r.features]),
  );
}

/** One report as the scorer reads it: features, hash signals, enrichment, subject, cases. */
export interface ScoringRow {
  reportId: string;
  receivedAt: string | null;
  features: string | null;
  subjectId: string | null;
  novelty: string | null;
  known: boolean | null;
  viral: boolean | null;
  newFiles: number | null;
  knownCategories: string[] | null;
  /** Files first seen here, on no list, not recirculating by count (the ESP's own meme flag aside). */
  unlistedFirstSeen: number | null;
  /** A file recirculates by count (the viral window), not by an ESP flag alone. */
  recirculating: boolean | null;
  enriched: boolean;
  countries: string[] | null;
  ipFlags: string[] | null;
  carriers: string[] | null;
  provinceCode: string | null;
  ipPortTimeCount: number | null;
  phoneCount: number | null;
  deconflicted: boolean;
  /** The rescued child this report is about (children stage), when it brought no new material since. */
  rescuedChild?: string | null;
  subjectHeld: boolean;
  paymentScore: number | null;
  paymentAlerts: number | null;
  paymentReason: string | null;
  /** Other agencies with an identifier of the report or its subject in an active case (deconflicted_external). */
  externalAgencies: string[] | null;
  /** Fingerprint of the inputs: a score whose stored fingerprint differs is stale. */
  inputs: string;
}

// The CTEs and joins every scoring read shares; `inputs` fingerprints what a score depends on.
const CONTEXT = sql`
  with sizes as (select subject_id, count(*)::int as n from link_subjects group by subject_id),
  held as (
    select distinct ls.subject_id from deconflicted_reports d join link_subjects ls on ls.report_id = d.report_id
  )`;
/** The report-id range a chunked read covers: after a key (keyset) or between two (a sorted id list). */
type KeyRange = { after?: string | undefined; from?: string; to?: string };

/** The range of a read: the keyset bound, or the span of a list of ids. */
function rangeOf(opts: { after?: string | undefined; ids?: string[] | undefined }): KeyRange {
  if (!opts.ids) return { after: opts.after };
  if (opts.ids.length === 0) return {};
  let from = opts.ids[0]!;
  let to = from;
  for (const id of opts.ids) {
    if (id < from) from = id;
    if (id > to) to = id;
  }
  return { from, to };
}

// The range is repeated on every joined table: PostgreSQL does not carry an inequality across a
// join, so a merge join would otherwise walk each joined index from its start on every chunk
// (quadratic over a full run: 7x slower at 80% of a million reports).
function bound(alias: string, range: KeyRange) {
  const col = sql.ref(`${alias}.report_id`);
  const parts = [
    ...(range.after !== undefined ? [sql` and ${col} > ${range.after}`] : []),
    ...(range.from !== undefined ? [sql` and ${col} >= ${range.from}`] : []),
    ...(range.to !== undefined ? [sql` and ${col} <= ${range.to}`] : []),
  ];
  return sql.join(parts, sql``);
}

const joins = (range: KeyRange = {}) => {
  const from = (alias: string) => bound(alias, range);
  return sql`
  from reports r
  left join triage_features f on f.report_id = r.report_id${from('f')}
  left join link_subjects ls on ls.report_id = r.report_id${from('ls')}
  left join sizes sz on sz.subject_id = ls.subject_id
  left join held hs on hs.subject_id = ls.subject_id
  left join deconflicted_reports d on d.report_id = r.report_id${from('d')}
  left join rescued_child_reports rc on rc.report_id = r.report_id${from('rc')}
  left join deconflicted_external xd on xd.report_id = r.report_id${from('xd')}
  left join report_hash_signals h on h.report_id = r.report_id${from('h')}
  left join report_enrichment e on e.report_id = r.report_id${from('e')}
  -- A report in no subject is a subject of one for payments (S-<report id>, src/payments/join.ts).
  left join payment_subject_flags pf on pf.subject_id = coalesce(ls.subject_id, 'S-' || r.report_id)`;
};
// Features always follow the current version (computeFeatures runs first), so the version stands
// for them and the staleness scan never reads the wide features table (PostgreSQL drops the join).
// Of the hash signals only what a score reads: their evidence counts change with every sighting.
// The leading tag is the context's format: a new one makes every stored context stale once.
const INPUTS = sql`concat_ws('|', 'c5', r.current_version, coalesce(rc.child_id, '-'), coalesce(ls.subject_id, '-'), coalesce(sz.n, 1),
  coalesce(concat_ws(',', h.novelty, h.known, h.viral, h.new_files), '-'), coalesce(e.updated_at::text, '-'), coalesce(pf.score::text, '-'), coalesce(pf.alerts::text, '-'),
  (d.report_id is not null or hs.subject_id is not null)::text, coalesce(array_to_string(xd.agencies, ','), '-'))`;

interface RawScoringRow {
  report_id: string;
  received_at: Date | string | null;
  features: string | null;
  subject_id: string | null;
  novelty: string | null;
  known: boolean | null;
  viral: boolean | null;
  new_files: number | null;
  known_categories: string[] | null;
  unlisted_first_seen: number | null;
  recirculating: boolean | null;
  enriched: boolean;
  countries: string[] | null;
  ip_flags: string[] | null;
  carriers: string[] | null;
  province_code: string | null;
  ip_port_time_count: number | null;
  phone_count: number | null;
  deconflicted: boolean;
  rescued_child: string | null;
  subject_held: boolean;
  payment_score: number | null;
  payment_alerts: number | null;
  payment_reason: string | null;
  external_agencies: string[] | null;
  inputs: string;
}

/** Scoring rows in report-id order after `after` (a chunk of a full run), or for the given ids. */
export async function scoringRows(db: Db, opts: { after?: string; limit: number; ids?: string[] }): Promise<ScoringRow[]> {
  const where = opts.ids
    ? sql`where r.report_id = any(${opts.ids.length ? opts.ids : ['']}::text[])`
    : opts.after !== undefined
      ? sql`where r.report_id > ${opts.after}`
      : sql``;
  const rows = await sql<RawScoringRow>`${CONTEXT}
    select r.report_id, r.received_at, f.features, ls.subject_id,
      h.novelty, h.known, h.viral, h.new_files,
      case when h.known then (select array_agg(distinct k->>'category') from jsonb_array_elements(h.evidence) fe, jsonb_array_elements(fe->'known') k where k->>'category' is not null) end as known_categories,
      -- Only a viral report can hide a first sighting behind an ESP flag, or owe its flag to one.
      case when h.viral then (select count(*)::int from jsonb_array_elements(h.evidence) fe
        where fe->>'firstSeen' = 'true' and jsonb_array_length(coalesce(fe->'known', '[]'::jsonb)) = 0
          and fe->'viral'->>'recirculating' is distinct from 'true') else h.new_files end as unlisted_first_seen,
      case when h.viral then exists(select 1 from jsonb_array_elements(h.evidence) fe where fe->'viral'->>'recirculating' = 'true') else h.viral end as recirculating,
      (e.report_id is not null) as enriched, e.countries, e.ip_flags, e.carriers, e.province_code, e.ip_port_time_count, e.phone_count,
      (d.report_id is not null) as deconflicted, rc.child_id as rescued_child, (hs.subject_id is not null) as subject_held,
      pf.score as payment_score, pf.alerts as payment_alerts, pf.top_reason as payment_reason, xd.agencies as external_agencies,
      ${INPUTS} as inputs
    ${joins(rangeOf(opts))}
    ${where}
    order by r.report_id
    limit ${opts.limit}`.execute(db);
  return rows.rows.map((r) => ({
    reportId: r.report_id,
    receivedAt: iso(r.received_at),
    features: r.features,
    subjectId: r.subject_id,
    novelty: r.novelty,
    known: r.known,
    viral: r.viral,
    newFiles: r.new_files,
    knownCategories: r.known_categories,
    unlistedFirstSeen: r.unlisted_first_seen,
    recirculating: r.recirculating,
    enriched: r.enriched,
    countries: r.countries,
    ipFlags: r.ip_flags,
    carriers: r.carriers,
    provinceCode: r.province_code,
    ipPortTimeCount: r.ip_port_time_count,
    phoneCount: r.phone_count,
    deconflicted: r.deconflicted,
    rescuedChild: r.rescued_child,
    subjectHeld: r.subject_held,
    paymentScore: r.payment_score === null ? null : Number(r.payment_score),
    paymentAlerts: r.payment_alerts,
    paymentReason: r.payment_reason,
    externalAgencies: r.external_agencies,
    inputs: r.inputs,
  }));
}

/** What a report's score depends on besides its document features, as stored in triage_context. */
type StoredContext = Omit<ScoringRow, 'reportId' | 'features' | 'inputs'>;

const NO_CONTEXT: StoredContext = {
  receivedAt: null,
  subjectId: null,
  novelty: null,
  known: null,
  viral: null,
  newFiles: null,
  knownCategories: null,
  unlistedFirstSeen: null,
  recirculating: null,
  enriched: false,
  countries: null,
  ipFlags: null,
  carriers: null,
  provinceCode: null,
  ipPortTimeCount: null,
  phoneCount: null,
  deconflicted: false,
  subjectHeld: false,
  paymentScore: null,
  paymentAlerts: null,
  paymentReason: null,
  externalAgencies: null,
};

/** Reports whose stored scoring context is missing or was built from other inputs (one pass over the joins). */
export async function staleContexts(db: Db): Promise<string[]> {
  const rows = await sql<{ report_id: string }>`${CONTEXT}
    select r.report_id
    ${joins()}
    left join triage_context c on c.report_id = r.report_id
    where c.report_id is null or c.inputs is distinct from ${INPUTS}
    order by r.report_id`.execute(db);
  return rows.rows.map((r) => r.report_id);
}

/** Stores the scoring context of joined rows (replacing what was there). */
export async function writeContexts(store: Pick<Store, 'db' | 'copy'>, rows: ScoringRow[]): Promise<void> {
  if (rows.length === 0) return;
  await store.db.transaction().execute((tx) => putContexts(tx, store.copy, rows));
}

/** Upserts the scoring context of joined rows within the caller's transaction (unchanged rows untouched). */
export async function putContexts(db: Db, copy: BulkCopy | undefined, rows: ScoringRow[]): Promise<void> {
  await upsertRows(
    db,
    copy,
    'triage_context',
    ['report_id', 'inputs', 'context'],
    ['report_id'],
    rows.map(({ reportId, features: _f, inputs, ...context }) => [reportId, inputs, JSON.stringify(context)]),
  );
}

/**
 * Scoring rows from the stored features and context (two narrow tables, no joins to compute):
 * in report-id order after `after`, or for the given ids. Contexts must be fresh (refresh first).
 */
export async function contextRows(db: Db, opts: { after?: string; limit: number; ids?: string[] }): Promise<ScoringRow[]> {
  const where = opts.ids
    ? sql`where r.report_id = any(${opts.ids.length ? opts.ids : ['']}::text[])`
    : opts.after !== undefined
      ? sql`where r.report_id > ${opts.after}`
      : sql``;
  // The range on each joined table too (see bound()).
  const range = rangeOf(opts);
  const keyset = (alias: string) => bound(alias, range);
  const rows = await sql<{ report_id: string; features: string | null; context: string | null; inputs: string | null }>`
    select r.report_id, f.features, c.context, c.inputs
    from reports r
    left join triage_features f on f.report_id = r.report_id${keyset('f')}
    left join triage_context c on c.report_id = r.report_id${keyset('c')}
    ${where}
    order by r.report_id
    limit ${opts.limit}`.execute(db);
  return rows.rows.map((r) => {
    // Filled in place: a spread copy of a million parsed objects is a measurable part of the read.
    const row = (r.context === null ? { ...NO_CONTEXT } : JSON.parse(r.context)) as ScoringRow;
    row.reportId = r.report_id;
    row.features = r.features;
    row.inputs = r.inputs ?? '';
    return row;
  });
}

/** Reports whose score is missing, made by another ruleset, or older than their stored context. */
export async function staleScores(db: Db, liveVersion: number): Promise<string[]> {
  const rows = await sql<{ report_id: string }>`
    select r.report_id
    from reports r
    left join triage_context c on c.report_id = r.report_id
    left join triage_scores s on s.report_id = r.report_id
    where s.report_id is null or s.ruleset_version <> ${liveVersion} or s.inputs is distinct from c.inputs
    order by r.report_id`.execute(db);
  return rows.rows.map((r) => r.report_id);
}

/** A member of a subject with what its linkage signals need. */
export interface MemberRow {
  subjectId: string;
  reportId: string;
  features: string | null;
  novelty: string | null;
}

/** The members of the given subjects (or of every subject). */
export async function subjectMembers(db: Db, subjectIds: string[] | 'all'): Promise<MemberRow[]> {
  const out: MemberRow[] = [];
  const run = async (ids: string[] | null): Promise<void> => {
    const rows = await sql<{ subject_id: string; report_id: string; features: string | null; novelty: string | null }>`
      select ls.subject_id, ls.report_id, f.features, h.novelty
      from link_subjects ls
      left join triage_features f on f.report_id = ls.report_id
      left join report_hash_signals h on h.report_id = ls.report_id
      ${ids ? sql`where ls.subject_id = any(${ids}::text[])` : sql``}`.execute(db);
    for (const r of rows.rows) out.push({ subjectId: r.subject_id, reportId: r.report_id, features: r.features, novelty: r.novelty });
  };
  if (subjectIds === 'all') await run(null);
  else for (let i = 0; i < subjectIds.length; i += 5000) await run(subjectIds.slice(i, i + 5000));
  return out;
}

/** The subjects of the given reports. */
export async function subjectsOf(db: Db, reportIds: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (let i = 0; i < reportIds.length; i += 5000) {
    const rows = await db
      .selectFrom('link_subjects')
      .select('subject_id')
      .distinct()
      .where('report_id', 'in', reportIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.add(r.subject_id);
  }
  return [...out];
}

/** The reports of the given subjects. */
export async function reportsOfSubjects(db: Db, subjectIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < subjectIds.length; i += 5000) {
    const rows = await db
      .selectFrom('link_subjects')
      .select('report_id')
      .where('subject_id', 'in', subjectIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.push(r.report_id);
  }
  return out;
}

/** A score to store. */
export interface ScoreRow {
  reportId: string;
  rulesetVersion: number;
  harm: number;
  actionability: number;
  score: number;
  tier: string;
  tierRank: number;
  /** Ordered ahead of the rest of its tier (a `first` floor applied). */
  firstInTier: boolean;
  paused: boolean;
  reasons: string;
  inputs: string;
  receivedAt: string | null;
  preservationDeadline: string | null;
}

const SCORE_COLUMNS = ['report_id', 'ruleset_version', 'harm', 'actionability', 'score', 'tier', 'tier_rank', 'first_in_tier', 'paused', 'reasons'];
/** The live or the shadow score table. */
export type ScoreTable = 'triage_scores' | 'triage_shadow_scores';

/** The columns of a score table and the values of a row in that order (for COPY text or INSERTs). */
export function scoreValues(table: ScoreTable): { columns: string[]; values(r: ScoreRow): CopyValue[] } {
  const shadow = table === 'triage_shadow_scores';
  return {
    columns: shadow ? SCORE_COLUMNS : [...SCORE_COLUMNS, 'inputs', 'received_at', 'preservation_deadline'],
    values(r) {
      const v: CopyValue[] = [r.reportId, r.rulesetVersion, r.harm, r.actionability, r.score, r.tier, r.tierRank, r.firstInTier, r.paused, r.reasons];
      if (!shadow) v.push(r.inputs, r.receivedAt, r.preservationDeadline);
      return v;
    },
  };
}

/** Replaces the scores of the given reports. */
export async function writeScores(store: Pick<Store, 'db' | 'copy'>, table: ScoreTable, rows: ScoreRow[]): Promise<void> {
  await store.db.transaction().execute((tx) => putScores(tx, store.copy, table, rows));
}

/** Upserts scores within the caller's transaction; a score whose content is unchanged keeps its scored_at. Returns the reports whose score changed. */
export async function putScores(db: Db, copy: BulkCopy | undefined, table: ScoreTable, rows: ScoreRow[]): Promise<string[]> {
  const { columns, values } = scoreValues(table);
  return upsertRows(db, copy, table, columns, ['report_id'], rows.map(values), table === 'triage_scores' ? { touch: 'scored_at' } : {});
}

/** A score table being rebuilt beside the live one. */
export interface ScoreRebuild {
  append(rows: ScoreRow[]): Promise<void>;
  /** Appends rows already encoded as COPY text in `scoreValues` order (embedded backend only). */
  appendCopy(text: string): Promise<void>;
  /** Indexes the new table and swaps it in, in one short transaction. */
  finish(): Promise<void>;
}

/**
 * Starts rebuilding a whole score table (a full re-score): rows go into a fresh table without
 * indexes, which are built once at the end, and readers see the old scores until the swap.
 * Several times cheaper than deleting and re-inserting a million indexed rows.
 */
export async function beginScoreRebuild(store: Pick<Store, 'db' | 'copy'>, table: ScoreTable): Promise<ScoreRebuild> {
  // A name of its own: a run that died before its swap leaves its table behind, and the next run
  // (which holds the scoring lock, so no other is building one) drops every such leftover.
  const suffix = randomBytes(4).toString('hex');
  const next = `${table}_next_${suffix}`;
  const { columns, values } = scoreValues(table);
  const leftovers = await sql<{
    name: string;
  }>`select tablename as name from pg_tables where schemaname = current_schema() and tablename like ${`${table}_next%`}`.execute(store.db);
  for (const t of leftovers.rows) await sql`drop table if exists ${sql.table(t.name)}`.execute(store.db);
  await sql`create table ${sql.table(next)} (like ${sql.table(table)} including defaults)`.execute(store.db);
  return {
    async append(rows) {
      await store.db.transaction().execute((tx) => bulkWrite(tx, store.copy, next, columns, rows.map(values)));
    },
    async appendCopy(text) {
      if (!store.copy) throw internal('COPY text needs the embedded backend');
      await store.copy(next, columns, text);
    },
    async finish() {
      const queueIndex = `triage_scores_queue_${suffix}`;
      await sql`alter table ${sql.table(next)} add constraint ${sql.id(`${next}_pkey`)} primary key (report_id)`.execute(store.db);
      if (table === 'triage_scores')
        await sql`create index ${sql.id(queueIndex)} on ${sql.table(next)} (paused, first_in_tier desc, score desc, received_at, report_id)`.execute(store.db);
      await store.db.transaction().execute(async (tx) => {
        await sql`drop table ${sql.table(table)}`.execute(tx);
        await sql`alter table ${sql.table(next)} rename to ${sql.id(table)}`.execute(tx);
        await sql`alter table ${sql.table(table)} rename constraint ${sql.id(`${next}_pkey`)} to ${sql.id(`${table}_pkey`)}`.execute(tx);
        if (table === 'triage_scores') await sql`alter index ${sql.id(queueIndex)} rename to triage_scores_queue`.execute(tx);
      });
    },
  };
}

/** Every stored score (report id, score, tier, paused), for comparing a candidate ruleset. */
export async function allScores(
  db: Db,
  table: 'triage_scores' | 'triage_shadow_scores' = 'triage_scores',
): Promise<Map<string, { score: number; tier: string; paused: boolean; rulesetVersion: number }>> {
  const rows = await db.selectFrom(table).select(['report_id', 'score', 'tier', 'paused', 'ruleset_version']).execute();
  return new Map(rows.map((r) => [r.report_id, { score: Number(r.score), tier: r.tier, paused: r.paused, rulesetVersion: r.ruleset_version }]));
}

/** A report's stored live score row, or undefined when it has none. */
export async function scoreRow(db: Db, reportId: string): Promise<Selectable<TriageScoresTable> | undefined> {
  return db.selectFrom('triage_scores').selectAll().where('report_id', '=', reportId).executeTakeFirst();
}

/** How many scored reports stand ahead of this score row in the queue order (paused last, then first in tier, score, oldest first, id). */
export async function scoresAhead(
  db: Db,
  s: Pick<Selectable<TriageScoresTable>, 'paused' | 'first_in_tier' | 'score' | 'received_at' | 'report_id'>,
): Promise<number> {
  const ahead = await sql<{ n: number | string }>`select count(*) as n from triage_scores t
    where (t.paused, not t.first_in_tier, -t.score, coalesce(t.received_at, 'infinity'::timestamptz), t.report_id) < (${s.paused}, ${!s.first_in_tier}, ${-Number(s.score)}::real, coalesce(${iso(s.received_at)}::timestamptz, 'infinity'::timestamptz), ${s.report_id})`.execute(
    db,
  );
  return Number(ahead.rows[0]?.n ?? 0);
}

/** Every stored score of a table with its report's received_at (ISO), for comparing queues. */
export async function scoresWithReceipt(
  db: Db,
  table: 'triage_scores' | 'triage_shadow_scores',
): Promise<Map<string, { score: number; tier: string; first: boolean; paused: boolean; receivedAt: string | null }>> {
  const rows = await sql<{ report_id: string; score: number; tier: string; first_in_tier: boolean; paused: boolean; received_at: Date | string | null }>`
    select s.report_id, s.score, s.tier, s.first_in_tier, s.paused, r.received_at from ${sql.table(table)} s join reports r on r.report_id = s.report_id`.execute(
    db,
  );
  return new Map(
    rows.rows.map((r) => [r.report_id, { score: Number(r.score), tier: r.tier, first: r.first_in_tier, paused: r.paused, receivedAt: iso(r.received_at) }]),
  );
}

/** The live tier, score and pause of some reports (reports not scored are absent). */
export async function tiersOfReports(db: Db, reportIds: string[]): Promise<Map<string, { tier: string; score: number; paused: boolean }>> {
  const out = new Map<string, { tier: string; score: number; paused: boolean }>();
  for (let i = 0; i < reportIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('triage_scores')
      .select(['report_id', 'tier', 'score', 'paused'])
      .where('report_id', 'in', reportIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.report_id, { tier: r.tier, score: Number(r.score), paused: r.paused });
  }
  return out;
}
