// Repository functions of the triage stage: rulesets, stored document features, the rows the
// scorer reads (a few joined queries per chunk, never one per report) and bulk score writes
// (COPY on the embedded backend, multi-row INSERT of at most 1,000 rows on the server).
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import type { CopyValue } from './copy-text.ts';
import { bulkWrite, CHUNK, type Db } from './bulk.ts';



const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

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

function toRulesetRow(r: { version: number; name: string; status: string; doc: string; content_hash: string; comment: string | null; created_at: Date; live_at: Date | null }): RulesetRow {
  return { version: r.version, name: r.name, status: r.status as RulesetRow['status'], doc: r.doc, contentHash: r.content_hash, comment: r.comment, createdAt: iso(r.created_at)!, liveAt: iso(r.live_at) };
}

/** Stores a ruleset as a new version; returns its number. */
export async function insertRuleset(db: Db, r: { name: string; status: RulesetRow['status']; doc: string; contentHash: string; comment: string | null }): Promise<number> {
  const row = await db.insertInto('triage_rulesets')
    .values({ name: r.name, status: r.status, doc: r.doc, content_hash: r.contentHash, comment: r.comment, live_at: r.status === 'live' ? new Date() : null })
    .returning('version').executeTakeFirstOrThrow();
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
    await tx.updateTable('triage_rulesets').set({ status, ...(status === 'live' ? { live_at: new Date() } : {}) }).where('version', '=', version).execute();
    if (status === 'shadow' || status === 'live') await tx.deleteFrom('triage_shadow_scores').execute();
  });
}

/** The previous live version (the newest retired one that was live before), or undefined. */
export async function previousLive(db: Db, current: number): Promise<RulesetRow | undefined> {
  const r = await db.selectFrom('triage_rulesets').selectAll()
    .where('live_at', 'is not', null).where('version', '!=', current).where('status', '=', 'retired')
    .orderBy('live_at', 'desc').executeTakeFirst();
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
  let q = db.selectFrom('reports as r')
    .innerJoin('report_versions as v', (j) => j.onRef('v.report_id', '=', 'r.report_id').onRef('v.version', '=', 'r.current_version'))
    .leftJoin('triage_features as f', 'f.report_id', 'r.report_id')
    .select(['r.report_id', 'r.current_version', 'v.doc'])
    .where((eb) => eb.or([eb('f.version', 'is', null), eb('f.version', '!=', eb.ref('r.current_version'))]))
    .orderBy('r.report_id').limit(opts.limit);
  if (opts.after !== undefined) q = q.where('r.report_id', '>', opts.after);
  if (opts.ids) q = q.where('r.report_id', 'in', opts.ids.length ? opts.ids : ['']);
  const rows = await q.execute();
  return rows.map((r) => ({ reportId: r.report_id, version: r.current_version, doc: typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc }));
}

/** Replaces the stored features of the given reports. */
export async function writeFeatures(store: Pick<Store, 'db' | 'copy'>, rows: { reportId: string; version: number; features: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await tx.deleteFrom('triage_features').where('report_id', 'in', rows.slice(i, i + CHUNK).map((r) => r.reportId)).execute();
    await bulkWrite(tx, store.copy, 'triage_features', ['report_id', 'version', 'features'], rows.map((r) => [r.reportId, r.version, r.features]));
  });
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
  enriched: boolean;
  countries: string[] | null;
  ipFlags: string[] | null;
  carriers: string[] | null;
  provinceCode: string | null;
  ipPortTimeCount: number | null;
  phoneCount: number | null;
  deconflicted: boolean;
  subjectHeld: boolean;
  paymentScore: number | null;
  paymentAlerts: number | null;
  paymentReason: string | null;
  /** Fingerprint of the inputs: a score whose stored fingerprint differs is stale. */
  inputs: string;
}

// The CTEs and joins every scoring read shares; `inputs` fingerprints what a score depends on.
const CONTEXT = sql`
  with sizes as (select subject_id, count(*)::int as n from link_subjects group by subject_id),
  held as (
    select distinct ls.subject_id from deconflicted_reports d join link_subjects ls on ls.report_id = d.report_id
  )`;
const JOINS = sql`
  from reports r
  left join triage_features f on f.report_id = r.report_id
  left join link_subjects ls on ls.report_id = r.report_id
  left join sizes sz on sz.subject_id = ls.subject_id
  left join held hs on hs.subject_id = ls.subject_id
  left join deconflicted_reports d on d.report_id = r.report_id
  left join report_hash_signals h on h.report_id = r.report_id
  left join report_enrichment e on e.report_id = r.report_id
  -- A report in no subject is a subject of one for payments (S-<report id>, src/payments/join.ts).
  left join payment_subject_flags pf on pf.subject_id = coalesce(ls.subject_id, 'S-' || r.report_id)`;
const INPUTS = sql`concat_ws('|', r.current_version, f.version, coalesce(ls.subject_id, '-'), coalesce(sz.n, 1),
  coalesce(h.computed_at::text, '-'), coalesce(e.updated_at::text, '-'), coalesce(pf.score::text, '-'), coalesce(pf.alerts::text, '-'),
  (d.report_id is not null or hs.subject_id is not null)::text)`;

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
  enriched: boolean;
  countries: string[] | null;
  ip_flags: string[] | null;
  carriers: string[] | null;
  province_code: string | null;
  ip_port_time_count: number | null;
  phone_count: number | null;
  deconflicted: boolean;
  subject_held: boolean;
  payment_score: number | null;
  payment_alerts: number | null;
  payment_reason: string | null;
  inputs: string;
}

/** Scoring rows in report-id order after `after` (a chunk of a full run), or for the given ids. */
export async function scoringRows(db: Db, opts: { after?: string; limit: number; ids?: string[] }): Promise<ScoringRow[]> {
  const where = opts.ids
    ? sql`where r.report_id = any(${opts.ids.length ? opts.ids : ['']}::text[])`
    : opts.after !== undefined ? sql`where r.report_id > ${opts.after}` : sql``;
  const rows = await sql<RawScoringRow>`${CONTEXT}
    select r.report_id, r.received_at, f.features, ls.subject_id,
      h.novelty, h.known, h.viral, h.new_files,
      case when h.known then (select array_agg(distinct k->>'category') from jsonb_array_elements(h.evidence) fe, jsonb_array_elements(fe->'known') k where k->>'category' is not null) end as known_categories,
      (e.report_id is not null) as enriched, e.countries, e.ip_flags, e.carriers, e.province_code, e.ip_port_time_count, e.phone_count,
      (d.report_id is not null) as deconflicted, (hs.subject_id is not null) as subject_held,
      pf.score as payment_score, pf.alerts as payment_alerts, pf.top_reason as payment_reason,
      ${INPUTS} as inputs
    ${JOINS}
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
    enriched: r.enriched,
    countries: r.countries,
    ipFlags: r.ip_flags,
    carriers: r.carriers,
    provinceCode: r.province_code,
    ipPortTimeCount: r.ip_port_time_count,
    phoneCount: r.phone_count,
    deconflicted: r.deconflicted,
    subjectHeld: r.subject_held,
    paymentScore: r.payment_score === null ? null : Number(r.payment_score),
    paymentAlerts: r.payment_alerts,
    paymentReason: r.payment_reason,
    inputs: r.inputs,
  }));
}

/** Reports whose score is missing, made by another ruleset, or computed from other inputs. */
export async function staleReports(db: Db, liveVersion: number): Promise<string[]> {
  const rows = await sql<{ report_id: string }>`${CONTEXT}
    select r.report_id
    ${JOINS}
    left join triage_scores s on s.report_id = r.report_id
    where s.report_id is null or s.ruleset_version <> ${liveVersion} or s.inputs is distinct from ${INPUTS}
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
    const rows = await db.selectFrom('link_subjects').select('subject_id').distinct().where('report_id', 'in', reportIds.slice(i, i + 5000)).execute();
    for (const r of rows) out.add(r.subject_id);
  }
  return [...out];
}

/** The reports of the given subjects. */
export async function reportsOfSubjects(db: Db, subjectIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < subjectIds.length; i += 5000) {
    const rows = await db.selectFrom('link_subjects').select('report_id').where('subject_id', 'in', subjectIds.slice(i, i + 5000)).execute();
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
  paused: boolean;
  reasons: string;
  inputs: string;
  receivedAt: string | null;
  preservationDeadline: string | null;
}

/**
 * Replaces scores: of a key range (a chunk of a full run: `range` from after `from` to `to`
 * inclusive, so a report that vanished from the range loses its score) or of the given reports.
 */
export async function writeScores(store: Pick<Store, 'db' | 'copy'>, table: 'triage_scores' | 'triage_shadow_scores', rows: ScoreRow[], range?: { from?: string; to: string }): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    if (range) {
      let q = tx.deleteFrom(table).where('report_id', '<=', range.to);
      if (range.from !== undefined) q = q.where('report_id', '>', range.from);
      await q.execute();
    } else {
      for (let i = 0; i < rows.length; i += CHUNK) await tx.deleteFrom(table).where('report_id', 'in', rows.slice(i, i + CHUNK).map((r) => r.reportId)).execute();
    }
    const base = ['report_id', 'ruleset_version', 'harm', 'actionability', 'score', 'tier', 'tier_rank', 'paused', 'reasons'];
    const shadow = table === 'triage_shadow_scores';
    await bulkWrite(tx, store.copy, table, shadow ? base : [...base, 'inputs', 'received_at', 'preservation_deadline'], rows.map((r) => {
      const v: CopyValue[] = [r.reportId, r.rulesetVersion, r.harm, r.actionability, r.score, r.tier, r.tierRank, r.paused, r.reasons];
      if (!shadow) v.push(r.inputs, r.receivedAt, r.preservationDeadline);
      return v;
    }));
  });
}

/** Every stored score (report id, score, tier, paused), for comparing a candidate ruleset. */
export async function allScores(db: Db, table: 'triage_scores' | 'triage_shadow_scores' = 'triage_scores'): Promise<Map<string, { score: number; tier: string; paused: boolean; rulesetVersion: number }>> {
  const rows = await db.selectFrom(table).select(['report_id', 'score', 'tier', 'paused', 'ruleset_version']).execute();
  return new Map(rows.map((r) => [r.report_id, { score: Number(r.score), tier: r.tier, paused: r.paused, rulesetVersion: r.ruleset_version }]));
}
