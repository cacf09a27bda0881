// The analysts' queue: stored scores in priority order (paused last, score down, oldest first,
// then report id, so equal scores keep a stable order), with filters and each score's reasons.
import { sql } from 'kysely';
import type { Store } from '../store/database.ts';
import type { FiredRule, Ruleset } from './engine.ts';

/** One reason on the queue: the rule, its effect, the evidence it saw and what the rule means. */
export interface QueueReason {
  rule: string;
  effect: string;
  evidence: string;
  description: string;
}

/** One report on the queue. */
export interface QueueItem {
  reportId: string;
  tier: string;
  harm: number;
  actionability: number;
  score: number;
  reasons: QueueReason[];
  /** UTC ISO. */
  receivedAt: string | null;
  incidentType: string;
  esp: string | null;
  provinceCode: string | null;
  /** Days since the report was received, at the time of the query. */
  ageDays: number | null;
  /** The earliest preservation deadline (UTC ISO), or null. */
  preservationDeadline: string | null;
}

/** Queue filters and paging. */
export interface QueueQuery {
  limit?: number;
  offset?: number;
  tier?: string;
  incidentType?: string;
  esp?: string;
  provinceCode?: string;
  annotation?: string;
  /** For ageDays; defaults to now. */
  now?: Date;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

interface QueueRaw {
  report_id: string;
  ruleset_version: number;
  tier: string;
  harm: number;
  actionability: number;
  score: number;
  reasons: string;
  received_at: Date | string | null;
  preservation_deadline: Date | string | null;
  incident_type: string;
  esp: string | null;
  province_code: string | null;
}

/** A reason as stored with a score (description and source are in the ruleset version). */
type StoredReason = Pick<FiredRule, 'rule' | 'effect' | 'contribution' | 'evidence'>;

/** A ruleset version's rule descriptions and sources by rule id. */
export type RuleTexts = Map<string, { description: string; source: string }>;

// A ruleset version's text never changes once stored, so its parsed rule texts are kept for the
// life of the process (per database): a queue page or report view then costs no ruleset read.
const textCaches = new WeakMap<object, Map<number, RuleTexts>>();

/** Rule descriptions and sources of the ruleset versions a page refers to. */
export async function ruleTexts(store: Pick<Store, 'db'>, versions: number[]): Promise<Map<number, RuleTexts>> {
  let cache = textCaches.get(store.db);
  if (!cache) textCaches.set(store.db, (cache = new Map()));
  const unique = [...new Set(versions)];
  const missing = unique.filter((v) => !cache.has(v));
  if (missing.length > 0) {
    const rows = await store.db.selectFrom('triage_rulesets').select(['version', 'doc']).where('version', 'in', missing).execute();
    for (const r of rows) {
      let rules: Ruleset['rules'] = [];
      try {
        rules = (JSON.parse(r.doc) as Ruleset).rules ?? [];
      } catch {
        // A stored ruleset that does not parse explains nothing rather than failing the page.
      }
      cache.set(r.version, new Map(rules.map((x) => [x.id, { description: x.description ?? '', source: x.source ?? '' }])));
    }
  }
  return new Map(unique.flatMap((v) => (cache.has(v) ? [[v, cache.get(v)!] as const] : [])));
}

function explain(text: string, texts: RuleTexts | undefined): FiredRule[] {
  return (JSON.parse(text) as StoredReason[]).map((f) => ({ ...f, description: texts?.get(f.rule)?.description ?? '', source: texts?.get(f.rule)?.source ?? '' }));
}

/** A page of the queue in priority order, and how many reports match the filters. */
export async function queuePage(store: Pick<Store, 'db'>, q: QueueQuery = {}): Promise<{ total: number; items: QueueItem[] }> {
  const conds = [sql`true`];
  if (q.tier) conds.push(sql`s.tier = ${q.tier}`);
  if (q.incidentType) conds.push(sql`r.incident_type = ${q.incidentType}`);
  if (q.esp) conds.push(sql`r.esp = ${q.esp}`);
  if (q.provinceCode) conds.push(sql`e.province_code = ${q.provinceCode}`);
  if (q.annotation) conds.push(sql`${q.annotation} = any(r.annotations)`);
  const where = sql.join(conds, sql` and `);
  const from = sql`from triage_scores s join reports r on r.report_id = s.report_id left join report_enrichment e on e.report_id = s.report_id`;
  const total = await sql<{ n: number | string }>`select count(*) as n ${from} where ${where}`.execute(store.db);
  const limit = q.limit === undefined ? sql`` : sql`limit ${q.limit}`;
  const rows = await sql<QueueRaw>`
    select s.report_id, s.ruleset_version, s.tier, s.harm, s.actionability, s.score, s.reasons, s.received_at, s.preservation_deadline,
      r.incident_type, r.esp, e.province_code
    ${from} where ${where}
    order by s.paused, s.score desc, s.received_at nulls last, s.report_id
    ${limit} offset ${q.offset ?? 0}`.execute(store.db);
  const now = (q.now ?? new Date()).getTime();
  const texts = await ruleTexts(store, rows.rows.map((r) => r.ruleset_version));
  return {
    total: Number(total.rows[0]?.n ?? 0),
    items: rows.rows.map((r) => {
      const received = iso(r.received_at);
      return {
        reportId: r.report_id,
        tier: r.tier,
        harm: Number(r.harm),
        actionability: Number(r.actionability),
        score: Number(r.score),
        reasons: explain(r.reasons, texts.get(r.ruleset_version)).map((f) => ({ rule: f.rule, effect: f.effect, evidence: f.evidence, description: f.description })),
        receivedAt: received,
        incidentType: r.incident_type,
        esp: r.esp,
        provinceCode: r.province_code,
        ageDays: received ? Math.floor((now - Date.parse(received)) / 86_400_000) : null,
        preservationDeadline: iso(r.preservation_deadline),
      };
    }),
  };
}

/** A report's full score explanation. */
export interface ReportScore {
  reportId: string;
  rulesetVersion: number;
  tier: string;
  harm: number;
  actionability: number;
  score: number;
  paused: boolean;
  /** Place in the whole queue (1 = top); null when not asked for (counting is a scan of the queue). */
  position: number | null;
  /** Every rule that fired, with its source and contribution. */
  reasons: FiredRule[];
  receivedAt: string | null;
  preservationDeadline: string | null;
  scoredAt: string;
}

/**
 * A report's stored score with every rule that fired, or undefined when it has none; its place in
 * the queue unless `position: false` (the count walks every report ahead of it).
 */
export async function reportScore(store: Pick<Store, 'db'>, reportId: string, opts: { position?: boolean } = {}): Promise<ReportScore | undefined> {
  const s = await store.db.selectFrom('triage_scores').selectAll().where('report_id', '=', reportId).executeTakeFirst();
  if (!s) return undefined;
  const ahead = opts.position === false ? undefined : await sql<{ n: number | string }>`select count(*) as n from triage_scores t
    where (t.paused, -t.score, coalesce(t.received_at, 'infinity'::timestamptz), t.report_id) < (${s.paused}, ${-Number(s.score)}::real, coalesce(${iso(s.received_at)}::timestamptz, 'infinity'::timestamptz), ${s.report_id})`.execute(store.db);
  return {
    reportId: s.report_id,
    rulesetVersion: s.ruleset_version,
    tier: s.tier,
    harm: Number(s.harm),
    actionability: Number(s.actionability),
    score: Number(s.score),
    paused: s.paused,
    position: ahead ? Number(ahead.rows[0]?.n ?? 0) + 1 : null,
    reasons: explain(s.reasons, (await ruleTexts(store, [s.ruleset_version])).get(s.ruleset_version)),
    receivedAt: iso(s.received_at),
    preservationDeadline: iso(s.preservation_deadline),
    scoredAt: iso(s.scored_at)!,
  };
}
