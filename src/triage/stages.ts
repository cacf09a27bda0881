// The triage stage in the runtime's shape (src/runtime/stage.ts), as three stages:
//   deconfliction (keys: report ids)  whether an active case holds each report (directly or
//                                     through its subject);
//   features      (keys: report ids)  the document features of each current version;
//   scores        (keys: report ids)  the scores of each report and of the other reports of its
//                                     subject (their linkage signals read each other).
// Scores are recomputed for reports whose inputs changed and for nothing else.
import type { CybertipReport } from '../model/report.ts';
import { runStage, type Stage, type StageStore } from '../runtime/stage.ts';
import { markPending, reportChanged } from '../store/pending.ts';
import { activeCasesOf, deconflictionOf, markAllDeconfliction, putDeconfliction } from '../store/cases.ts';
import {
  featurePending,
  putContexts,
  putFeatures,
  putScores,
  reportsOfSubjects,
  scoringRows,
  subjectsOf,
  type ScoreRow,
  type ScoringRow,
} from '../store/triage.ts';
import type { Outcome } from '../model/rule-engine.ts';
import { docFeatures, assembleFeatures, type DocFeatures, type LinkedReport } from './features.ts';
import { EMPTY_DOC, factsOf, liveRuleset, loadSubjects, scoreRow, shadowRuleset, type ActiveRuleset, type Scored } from './score.ts';

/** The plan of deconfliction: each report's active cases and its mark now. */
export interface DeconflictionPlan {
  reports: string[];
  cases: { reportId: string; caseId: string; createdAt: Date }[];
  marked: Map<string, string>;
}

/** What deconfliction computes. */
export interface DeconflictionOut {
  set: [string, string][];
  unset: string[];
}

/** deconfliction: a report in an active case (itself, or its subject) is paused under the case opened first. */
export function deconflictionStage(): Stage<DeconflictionPlan, DeconflictionOut> {
  return {
    name: 'deconfliction',
    batch: 5000,
    async plan(store, keys) {
      const [cases, marks] = await Promise.all([activeCasesOf(store.db, keys), deconflictionOf(store.db, keys)]);
      return { reports: keys, cases, marked: new Map([...marks].map(([r, m]) => [r, m.caseId])) };
    },
    compute(plan) {
      const first = new Map<string, { caseId: string; at: number }>();
      for (const c of plan.cases) {
        const cur = first.get(c.reportId);
        const at = c.createdAt.getTime();
        if (!cur || at < cur.at || (at === cur.at && c.caseId < cur.caseId)) first.set(c.reportId, { caseId: c.caseId, at });
      }
      const out: DeconflictionOut = { set: [], unset: [] };
      for (const r of plan.reports) {
        const want = first.get(r)?.caseId;
        if (want === plan.marked.get(r)) continue;
        if (want === undefined) out.unset.push(r);
        else out.set.push([r, want]);
      }
      return out;
    },
    async write(target, _plan, out) {
      const changed = await putDeconfliction(target.db, target.copy, out.set, out.unset);
      return { written: changed.length, marks: { scores: changed } };
    },
  };
}

/** The plan of features: the batch's documents whose features are missing or of another version. */
export interface FeaturesPlan {
  docs: { reportId: string; version: number; doc: unknown }[];
}

/** What features computes. */
export interface FeaturesOut {
  rows: { reportId: string; version: number; features: string }[];
  errors: number;
}

/** features: the document features a score reads, once per report version. */
export function featuresStage(): Stage<FeaturesPlan, FeaturesOut> {
  return {
    name: 'features',
    batch: 2000,
    async plan(store, keys) {
      return { docs: await featurePending(store.db, { ids: keys, limit: keys.length }) };
    },
    compute(plan) {
      let errors = 0;
      const rows = plan.docs.map((d) => {
        let f: DocFeatures;
        try {
          f = docFeatures(d.doc as CybertipReport);
        } catch {
          // A stored document this code cannot read scores as unknown rather than stopping the run.
          errors++;
          f = { ...EMPTY_DOC, text: '' };
        }
        return { reportId: d.reportId, version: d.version, features: JSON.stringify(f) };
      });
      return { rows, errors };
    },
    async write(target, _plan, out) {
      await putFeatures(target.db, target.copy, out.rows);
      return {
        written: out.rows.length,
        marks: reportChanged(out.rows.map((r) => r.reportId)),
        stats: { features: out.rows.length, featureErrors: out.errors },
      };
    },
  };
}

/** The plan of scores: the reports to score (the batch and their subjects' other reports), read fresh. */
export interface ScoresPlan {
  rows: ScoringRow[];
  subjects: Map<string, LinkedReport[]>;
}

/** What scores computes. */
export interface ScoresOut {
  live: ScoreRow[];
  shadow: ScoreRow[];
  contexts: ScoringRow[];
  tiers: Record<string, number>;
}

/** scores: scores reports with the live ruleset (and the shadow one) at a given clock. */
export function scoresStage(rulesets: { live: ActiveRuleset; shadow?: ActiveRuleset | undefined }, now: number): Stage<ScoresPlan, ScoresOut> {
  return {
    name: 'scores',
    batch: 5000,
    async plan(store, keys) {
      // A changed report changes what its subject's other reports see: they are scored again too.
      const subjectIds = await subjectsOf(store.db, keys);
      const ids = [...new Set([...keys, ...(await reportsOfSubjects(store.db, subjectIds))])].sort();
      const rows: ScoringRow[] = [];
      for (let i = 0; i < ids.length; i += 20_000) for (const r of await scoringRows(store.db, { ids: ids.slice(i, i + 20_000), limit: 20_000 })) rows.push(r);
      return { rows, subjects: await loadSubjects(store, subjectIds) };
    },
    compute(plan) {
      const out: ScoresOut = { live: [], shadow: [], contexts: plan.rows, tiers: {} };
      for (const row of plan.rows) {
        const facts = factsOf(row, plan.subjects);
        const features = assembleFeatures(facts, now);
        const outcomes: Outcome[] = [rulesets.live.compiled.evaluate(features), ...(rulesets.shadow ? [rulesets.shadow.compiled.evaluate(features)] : [])];
        const s: Scored = { row, facts, outcomes };
        const live = scoreRow(s, outcomes[0]!, rulesets.live.version);
        out.live.push(live);
        out.tiers[live.tier] = (out.tiers[live.tier] ?? 0) + 1;
        if (rulesets.shadow) out.shadow.push(scoreRow(s, outcomes[1]!, rulesets.shadow.version));
      }
      return out;
    },
    async write(target, _plan, out) {
      await putContexts(target.db, target.copy, out.contexts);
      const changed = await putScores(target.db, target.copy, 'triage_scores', out.live);
      if (out.shadow.length > 0) await putScores(target.db, target.copy, 'triage_shadow_scores', out.shadow);
      return {
        written: changed.length,
        marks: {},
        stats: { scored: out.live.length, ...Object.fromEntries(Object.entries(out.tiers).map(([t, n]) => [`tier:${t}`, n])) },
      };
    },
  };
}

/** The scoring stage set up with the live and shadow rulesets as they are now. */
export async function currentScoresStage(store: StageStore, now: Date): Promise<ReturnType<typeof scoresStage>> {
  return scoresStage({ live: await liveRuleset(store), shadow: await shadowRuleset(store) }, now.getTime());
}

/** Redoes the deconfliction of these reports now (a case opened, changed or closed); their scores are marked. */
export async function deconflictReports(store: StageStore, reportIds: string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await markPending(store.db, 'deconfliction', reportIds);
  await runStage(store, deconflictionStage());
}

/** Redoes the deconfliction of every report a case concerns (after data was changed outside the stages). */
export async function rebuildDeconfliction(store: StageStore): Promise<void> {
  await markAllDeconfliction(store.db);
  await runStage(store, deconflictionStage());
}
