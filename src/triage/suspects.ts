// Suspects, not only reports: subjects ranked by the same engine over their reports' features
// (escalations, access to children, new material, repeat reports across ESPs, payments).
import type { Store } from '../store/database.ts';
import { scoringRows, tiersOfReports } from '../store/triage.ts';
import { compileRuleset, type FeatureCatalogue, type FeatureRecord, type FiredRule, type Ruleset } from '../model/rule-engine.ts';
import { linkSignals } from './features.ts';
import { factsOf, loadSubjects } from './score.ts';

/** Features of a subject, summed or united over its reports. */
export const SUBJECT_FEATURES: FeatureCatalogue = {
  reports: { type: 'number', description: 'reports in the subject' },
  esps: { type: 'number', description: 'distinct ESPs' },
  signals: { type: 'strings', description: "union of the reports' linkage signals" },
  escalations: { type: 'number', description: 'escalated reports' },
  sextortionReports: { type: 'number', description: 'reports with sextortion signals' },
  livestreamReports: { type: 'number', description: 'reports with livestream signals' },
  newYoungReports: { type: 'number', description: 'reports with new material of a young child' },
  youngVictimReports: { type: 'number', description: 'reports naming a victim of 5 or under, or infant files' },
  accessToChildren: { type: 'boolean', description: "a victim shares a reported user's surname, or a livestream report" },
  priorReportsCited: { type: 'number', description: 'earlier CyberTipline reports cited' },
  paymentScore: { type: 'number', description: 'payments stage: highest alert score' },
  paymentAlerts: { type: 'number', description: 'payments stage: alerts' },
  inActiveCase: { type: 'boolean', description: 'held by an active case' },
  maxReportScore: { type: 'number', description: 'highest live score of its reports' },
};

const link = (rule: string): string => `domain.md §6.2 rank subjects as well as reports; ${rule}`;

/** The default suspect ruleset. */
export const DEFAULT_SUSPECT_RULESET: Ruleset = {
  name: 'bantay-suspects',
  description: 'Subjects ranked by danger: escalations, access to children, new material, repeat reports across ESPs, payments.',
  scores: { danger: { min: 0, max: 200 } },
  combine: { danger: 1 },
  tiers: [
    { name: 'IMMEDIATE', min: 120 },
    { name: 'HIGH', min: 70 },
    { name: 'STANDARD', min: 30 },
    { name: 'LOW', min: 0 },
  ],
  pausedTier: 'PAUSED',
  rules: [
    {
      id: 'escalations',
      description: 'Escalated reports.',
      source: link('NCMEC imminent harm; ICAC (1)'),
      when: { feature: 'escalations', op: '>', value: 0 },
      effect: { add: 'danger', value: 50 },
    },
    {
      id: 'livestream',
      description: 'Livestream signals: a facilitator or a paying customer.',
      source: link('IJM; AIC T&I 671'),
      when: { feature: 'livestreamReports', op: '>', value: 0 },
      effect: { add: 'danger', value: 50 },
    },
    {
      id: 'sextortion',
      description: 'Sextortion of minors.',
      source: link('FBI/HSI; NCMEC sextortion data'),
      when: { feature: 'sextortionReports', op: '>', value: 0 },
      effect: { add: 'danger', value: 45 },
    },
    {
      id: 'new-material',
      description: 'New material of a young child.',
      source: link('ICAC (4); VizX2'),
      when: { feature: 'newYoungReports', op: '>', value: 0 },
      effect: { add: 'danger', value: 45 },
    },
    {
      id: 'access',
      description: 'Access to children (a victim in the household or care).',
      source: link('KIRAT access to children; NCMEC offender relationships'),
      when: { feature: 'accessToChildren', op: 'true' },
      effect: { add: 'danger', value: 25 },
    },
    {
      id: 'repeat-esps',
      description: 'Reported by several ESPs.',
      source: link('AviaTor repeat reports'),
      when: { feature: 'esps', op: '>=', value: 2 },
      effect: { add: 'danger', value: 8, per: 'esps', max: 32 },
    },
    {
      id: 'repeat-reports',
      description: 'Many reports (3 points each, at most 30).',
      source: link('AviaTor; ICAC (5) repeat traders'),
      when: { feature: 'reports', op: '>=', value: 2 },
      effect: { add: 'danger', value: 3, per: 'reports', max: 30 },
    },
    {
      id: 'payments',
      description: 'Flagged payments (payments stage).',
      source: link('AUSTRAC/AMLC indicators (domain.md §9)'),
      when: { feature: 'paymentScore', op: '>=', value: 0.5 },
      effect: { add: 'danger', value: 40 },
    },
    {
      id: 'prior-cited',
      description: 'Earlier reports cited.',
      source: link('CPORT/KIRAT prior offending'),
      when: { feature: 'priorReportsCited', op: '>', value: 0 },
      effect: { add: 'danger', value: 10 },
    },
    {
      id: 'in-case',
      description: 'Held by an active case.',
      source: 'Deconfliction (domain.md §6.3)',
      when: { feature: 'inActiveCase', op: 'true' },
      effect: { pause: true },
    },
  ],
};

/** One ranked suspect. */
export interface Suspect {
  subjectId: string;
  tier: string;
  score: number;
  reports: string[];
  esps: string[];
  reasons: { rule: string; effect: string; evidence: string; description: string }[];
}

/** Subjects ranked by the suspect ruleset, most dangerous first (ties: more reports, then id); `subjectIds` ranks only those. */
export async function rankSuspects(store: Pick<Store, 'db'>, opts: { limit?: number; ruleset?: Ruleset; subjectIds?: string[] } = {}): Promise<Suspect[]> {
  const compiled = compileRuleset(opts.ruleset ?? DEFAULT_SUSPECT_RULESET, SUBJECT_FEATURES);
  const subjects = await loadSubjects(store, opts.subjectIds ?? 'all');
  const ids = [...subjects.values()].flatMap((m) => m.map((x) => x.id));
  const rows = ids.length ? await scoringRows(store.db, { ids, limit: ids.length }) : [];
  const scores = new Map([...(await tiersOfReports(store.db, ids))].map(([id, t]) => [id, t.score]));
  const bySubject = new Map<string, typeof rows>();
  for (const r of rows) if (r.subjectId) (bySubject.get(r.subjectId) ?? bySubject.set(r.subjectId, []).get(r.subjectId)!).push(r);
  const out: (Suspect & { paused: boolean; n: number })[] = [];
  for (const [subjectId, members] of bySubject) {
    const docs = members.map((m) => factsOf(m, subjects));
    const sig = docs.map((f) => linkSignals(f.doc, f.hash?.novelty ?? null));
    const count = (s: string): number => sig.filter((x) => x.includes(s as never)).length;
    const esps = [...new Set(docs.map((f) => f.doc.esp).filter((e): e is string => e !== null))].sort();
    const surnameMatch = docs.some((f) => f.doc.victimSharesSurname === true);
    const rec: FeatureRecord = {
      reports: members.length,
      esps: esps.length,
      signals: [...new Set(sig.flat())].sort(),
      escalations: count('escalation'),
      sextortionReports: count('sextortion'),
      livestreamReports: count('livestream'),
      newYoungReports: count('new-young'),
      youngVictimReports: count('young-victim'),
      accessToChildren: surnameMatch || count('livestream') > 0,
      priorReportsCited: docs.reduce((n, f) => n + f.doc.priorReportsCited, 0),
      paymentScore: members[0]!.paymentScore,
      paymentAlerts: members[0]!.paymentAlerts,
      inActiveCase: members.some((m) => m.subjectHeld || m.deconflicted),
      maxReportScore: Math.max(0, ...members.map((m) => scores.get(m.reportId) ?? 0)),
    };
    const o = compiled.evaluate(rec);
    out.push({
      subjectId,
      tier: o.tier,
      score: o.score,
      paused: o.paused,
      n: members.length,
      reports: members.map((m) => m.reportId).sort(),
      esps,
      reasons: o.fired.map((f) => ({ rule: f.rule, effect: f.effect, evidence: f.evidence, description: f.description })),
    });
  }
  out.sort(
    (a, b) => Number(a.paused) - Number(b.paused) || b.score - a.score || b.n - a.n || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0),
  );
  const list = opts.limit === undefined ? out : out.slice(0, opts.limit);
  return list.map(({ paused: _p, n: _n, ...s }) => s);
}
