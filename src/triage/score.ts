// Scoring one report: the live and shadow rulesets, a report's facts from its stored scoring
// context, its outcome under each ruleset and the score row stored for it. The scores stage
// (stages.ts), the full re-score (rescore.ts) and its worker thread (score-worker.ts) share these.
import { createHash } from 'node:crypto';
import type { Store } from '../store/database.ts';
import {
  contextRows,
  insertRuleset,
  rulesetWithStatus,
  scoringRows,
  staleContexts,
  subjectMembers,
  writeContexts,
  type ScoreRow,
  type ScoringRow,
} from '../store/triage.ts';
import { compileRuleset, type CompiledRuleset, type Outcome, type Ruleset } from '../model/rule-engine.ts';
import { DEFAULT_RULESET } from './default-rules.ts';
import {
  assembleFeatures,
  isPhilippine,
  linkSignals,
  preservationDeadline,
  REPORT_FEATURES,
  type DocFeatures,
  type LinkedReport,
  type ReportFacts,
} from './features.ts';

/** A ruleset as stored and compiled. */
export interface ActiveRuleset {
  version: number;
  compiled: CompiledRuleset;
}

/** The hash that tells one ruleset text from another. */
export function rulesetHash(doc: string): string {
  return createHash('sha256').update(doc).digest('hex');
}

/** Compiles a ruleset against the report feature catalogue (throws BAD_RULESET with every problem). */
export function compileTriageRuleset(ruleset: unknown): CompiledRuleset {
  return compileRuleset(ruleset as Ruleset, REPORT_FEATURES);
}

/** The live ruleset; the built-in default is stored as the first live version when there is none. */
export async function liveRuleset(store: Pick<Store, 'db'>): Promise<ActiveRuleset> {
  let row = await rulesetWithStatus(store.db, 'live');
  if (!row) {
    const doc = JSON.stringify(DEFAULT_RULESET, null, 2);
    await insertRuleset(store.db, { name: DEFAULT_RULESET.name, status: 'live', doc, contentHash: rulesetHash(doc), comment: 'built-in default' });
    row = (await rulesetWithStatus(store.db, 'live'))!;
  }
  return { version: row.version, compiled: compileTriageRuleset(JSON.parse(row.doc)) };
}

/** The shadow ruleset, if any. */
export async function shadowRuleset(store: Pick<Store, 'db'>): Promise<ActiveRuleset | undefined> {
  const row = await rulesetWithStatus(store.db, 'shadow');
  return row ? { version: row.version, compiled: compileTriageRuleset(JSON.parse(row.doc)) } : undefined;
}

/** Document features of an unreadable report: everything unknown, so every rule stays neutral. */
export const EMPTY_DOC: DocFeatures = {
  incidentType: '',
  incidentCategory: 'other',
  escalationText: null,
  annotations: [],
  fileAnnotations: [],
  industryClassifications: [],
  fileCount: 0,
  viewedFileCount: 0,
  victimCount: 0,
  victimMinAge: null,
  intendedMinorCount: 0,
  victimSharesSurname: false,
  referral: null,
  ncmecPriority: null,
  batchedReason: null,
  priorReportsCited: 0,
  ipEventCount: 0,
  ipPortTimeCount: 0,
  possibleProxy: false,
  phoneCount: 0,
  emailCount: 0,
  deviceCount: 0,
  hasLocation: false,
  thirdParty: false,
  lawEnforcementInvolved: false,
  groupCount: 0,
  associatedAccountCount: 0,
  text: '',
  esp: null,
  country: null,
  receivedAt: null,
  incidentTime: null,
  lastEventAt: null,
};

/** Re-reads the scoring context of every report whose inputs changed since it was stored. */
export async function refreshContexts(store: Pick<Store, 'db' | 'copy'>, opts: { chunk?: number } = {}): Promise<number> {
  const chunk = opts.chunk ?? 20_000;
  const stale = await staleContexts(store.db);
  for (let i = 0; i < stale.length; i += chunk) {
    const ids = stale.slice(i, i + chunk);
    await writeContexts(store, await scoringRows(store.db, { ids, limit: ids.length }));
  }
  return stale.length;
}

function parseDoc(text: string | null): DocFeatures {
  if (text === null) return EMPTY_DOC;
  try {
    return JSON.parse(text) as DocFeatures;
  } catch {
    return EMPTY_DOC;
  }
}

/** Subject id → its members as linked reports, with their linkage signals. */
export async function loadSubjects(store: Pick<Store, 'db'>, subjectIds: string[] | 'all'): Promise<Map<string, LinkedReport[]>> {
  const out = new Map<string, LinkedReport[]>();
  for (const m of await subjectMembers(store.db, subjectIds)) {
    const d = parseDoc(m.features);
    const list = out.get(m.subjectId) ?? out.set(m.subjectId, []).get(m.subjectId)!;
    list.push({ id: m.reportId, signals: linkSignals(d, m.novelty), esp: d.esp, receivedAt: d.receivedAt ?? d.incidentTime });
  }
  // Members in report-id order, whatever order the rows came in: an explanation names them
  // ("5 linked … (ids)"), and a server with two workers must write what one process writes.
  for (const list of out.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** The facts of one scoring row (pure). */
export function factsOf(row: ScoringRow, subjects: Map<string, LinkedReport[]>): ReportFacts {
  const doc = parseDoc(row.features);
  return {
    reportId: row.reportId,
    doc: row.receivedAt && !doc.receivedAt ? { ...doc, receivedAt: row.receivedAt } : doc,
    hash:
      row.novelty === null
        ? null
        : {
            novelty: row.novelty,
            known: row.known === true,
            viral: row.viral === true,
            newFiles: row.newFiles ?? 0,
            knownCategories: row.knownCategories ?? [],
            unlistedFirstSeen: row.unlistedFirstSeen ?? null,
            recirculating: row.recirculating ?? null,
          },
    enrich: row.enriched
      ? {
          countries: row.countries ?? [],
          ipFlags: row.ipFlags ?? [],
          carriers: row.carriers ?? [],
          provinceCode: row.provinceCode,
          ipPortTimeCount: row.ipPortTimeCount ?? 0,
          phoneCount: row.phoneCount ?? 0,
        }
      : null,
    subject:
      row.subjectId === null
        ? null
        : {
            id: row.subjectId,
            members: subjects.get(row.subjectId) ?? [],
            paymentScore: row.paymentScore,
            paymentAlerts: row.paymentAlerts,
            paymentReason: row.paymentReason,
            inActiveCase: row.subjectHeld,
          },
    deconflicted: row.deconflicted,
    rescuedChild: row.rescuedChild ?? null,
    external: row.externalAgencies ?? null,
  };
}

/** One report scored by one or more rulesets. */
export interface Scored {
  row: ScoringRow;
  facts: ReportFacts;
  outcomes: Outcome[];
}

/**
 * Scores reports without writing: every report (in report-id order, a chunk at a time) or the
 * given ids, with each compiled ruleset; `visit` receives each chunk. Reads the stored contexts:
 * refresh them first.
 */
export async function forEachScored(
  store: Pick<Store, 'db'>,
  rulesets: CompiledRuleset[],
  opts: { now: number; ids?: string[]; chunk?: number; subjects?: Map<string, LinkedReport[]> },
  visit: (chunk: Scored[]) => Promise<void> | void,
): Promise<void> {
  const chunk = opts.chunk ?? 20_000;
  const subjects = opts.subjects ?? (await loadSubjects(store, 'all'));
  const run = (rows: ScoringRow[]): Scored[] =>
    rows.map((row) => {
      const facts = factsOf(row, subjects);
      const features = assembleFeatures(facts, opts.now);
      return { row, facts, outcomes: rulesets.map((r) => r.evaluate(features)) };
    });
  if (opts.ids) {
    for (let i = 0; i < opts.ids.length; i += chunk) await visit(run(await contextRows(store.db, { ids: opts.ids.slice(i, i + chunk), limit: chunk })));
    return;
  }
  let after: string | undefined;
  for (;;) {
    const rows = await contextRows(store.db, { limit: chunk, ...(after !== undefined ? { after } : {}) });
    if (rows.length === 0) break;
    await visit(run(rows));
    after = rows[rows.length - 1]!.reportId;
    if (rows.length < chunk) break;
  }
}

/** The row stored for one outcome. */
export function scoreRow(s: Scored, o: Outcome, version: number): ScoreRow {
  return {
    reportId: s.row.reportId,
    rulesetVersion: version,
    harm: o.scores.harm ?? 0,
    actionability: o.scores.actionability ?? 0,
    score: o.score,
    tier: o.tier,
    tierRank: o.tierRank,
    firstInTier: o.first,
    paused: o.paused,
    // Descriptions and sources live in the ruleset version, not in every score row.
    reasons: JSON.stringify(o.fired.map((f) => ({ rule: f.rule, effect: f.effect, contribution: f.contribution, evidence: f.evidence }))),
    inputs: s.row.inputs,
    receivedAt: s.facts.doc.receivedAt,
    preservationDeadline: preservationDeadline(s.facts.doc, isPhilippine(s.facts)),
  };
}
