// A report's stored score explained: every rule that fired with its text, source and translation
// key (the queue itself is read through src/cases/queue.ts).
import type { Store } from '../store/database.ts';
import { rulesetDocs, scoreRow, scoresAhead } from '../store/triage.ts';
import type { FiredRule, Ruleset } from '../model/rule-engine.ts';
import { ruleTextKey } from './default-rules.ts';
import { iso } from '../model/dates.ts';

/** A reason as stored with a score (description and source are in the ruleset version). */
type StoredReason = Pick<FiredRule, 'rule' | 'effect' | 'contribution' | 'evidence'>;

/** A ruleset version's rule descriptions and sources by rule id. */
export type RuleTexts = Map<string, { description: string; source: string; textKey: string | null }>;

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
    const rows = await rulesetDocs(store.db, missing);
    for (const r of rows) {
      let rules: Ruleset['rules'] = [];
      try {
        rules = (JSON.parse(r.doc) as Ruleset).rules ?? [];
      } catch {
        // A stored ruleset that does not parse explains nothing rather than failing the page.
      }
      cache.set(r.version, new Map(rules.map((x) => [x.id, { description: x.description ?? '', source: x.source ?? '', textKey: ruleTextKey(x) }])));
    }
  }
  return new Map(unique.flatMap((v) => (cache.has(v) ? [[v, cache.get(v)!] as const] : [])));
}

function explain(text: string, texts: RuleTexts | undefined): (FiredRule & { textKey: string | null })[] {
  return (JSON.parse(text) as StoredReason[]).map((f) => ({
    ...f,
    description: texts?.get(f.rule)?.description ?? '',
    source: texts?.get(f.rule)?.source ?? '',
    textKey: texts?.get(f.rule)?.textKey ?? null,
  }));
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
  /** Every rule that fired, with its source, contribution and translation key. */
  reasons: (FiredRule & { textKey: string | null })[];
  receivedAt: string | null;
  preservationDeadline: string | null;
  scoredAt: string;
}

/**
 * A report's stored score with every rule that fired, or undefined when it has none; its place in
 * the queue unless `position: false` (the count walks every report ahead of it).
 */
export async function reportScore(store: Pick<Store, 'db'>, reportId: string, opts: { position?: boolean } = {}): Promise<ReportScore | undefined> {
  const s = await scoreRow(store.db, reportId);
  if (!s) return undefined;
  const ahead = opts.position === false ? undefined : await scoresAhead(store.db, s);
  return {
    reportId: s.report_id,
    rulesetVersion: s.ruleset_version,
    tier: s.tier,
    harm: Number(s.harm),
    actionability: Number(s.actionability),
    score: Number(s.score),
    paused: s.paused,
    position: ahead === undefined ? null : ahead + 1,
    reasons: explain(s.reasons, (await ruleTexts(store, [s.ruleset_version])).get(s.ruleset_version)),
    receivedAt: iso(s.received_at),
    preservationDeadline: iso(s.preservation_deadline),
    scoredAt: iso(s.scored_at),
  };
}
