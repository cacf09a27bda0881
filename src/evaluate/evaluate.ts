import type { Kysely } from 'kysely';
import type { BantayDatabase } from '../store/schema.ts';
import { reportOrderFacts, type ReportOrderFacts } from '../store/reports.ts';
import { linkHasRun, subjectMembership } from '../store/link.ts';
import type { TruthFile } from './truth-file.ts';

/** How well a queue order puts urgent reports on top and keeps noise off it. */
export interface QueueMetrics {
  /** Which order was measured. */
  order: string;
  queueLength: number;
  urgentInQueue: number;
  /** Share of urgent reports within the first |urgent| places. */
  urgentRecallAtUrgentCount: number;
  urgentRecallTop1Percent: number;
  urgentRecallTop10Percent: number;
  /** Share of the first 10% that is noise (lower is better). */
  noiseShareTop10Percent: number;
  /** Share of noise in the whole queue, for comparison. */
  noiseShareOverall: number;
}

/** The evaluation of the current database against a truth file. */
export interface Evaluation {
  coverage: { truthReports: number; found: number; missing: number; notInTruth: number; versionsAgree: number; versionsDisagree: number };
  queue: QueueMetrics;
  /** Pairwise precision/recall/F1 of subjects; null until linking exists. */
  subjects: null | { precision: number; recall: number; f1: number };
  /** False links per trap type; null until linking exists. */
  falseLinksPerTrap: null | Record<string, number>;
  notes: string[];
}

/** NCMEC's and the ESP's own order, best first (the yardstick until triage exists). */
// Until the triage stage exists, the only order an agency has is NCMEC's own: the ESP's
// escalation first, then NCMEC priority (1 highest), then referrals, then newest.
export function baselineOrder(facts: ReportOrderFacts[]): string[] {
  const prio = (p: string | null): number => {
    const n = p === null ? NaN : Number(p);
    return Number.isFinite(n) ? n : 99;
  };
  return [...facts]
    .sort(
      (a, b) =>
        Number(b.escalated) - Number(a.escalated) ||
        prio(a.priority) - prio(b.priority) ||
        Number(b.referral === true) - Number(a.referral === true) ||
        (b.receivedAt ?? '').localeCompare(a.receivedAt ?? '') ||
        a.reportId.localeCompare(b.reportId),
    )
    .map((f) => f.reportId);
}

/** Measures a queue (report ids, best first) against the truth. */
export function measureQueue(order: string, queue: string[], truth: TruthFile): QueueMetrics {
  const urgent = new Set(truth.urgent);
  const noise = new Set(truth.noise);
  const urgentInQueue = queue.filter((id) => urgent.has(id)).length;
  const recallAt = (k: number): number => {
    if (urgentInQueue === 0) return 0;
    return queue.slice(0, Math.max(1, k)).filter((id) => urgent.has(id)).length / urgentInQueue;
  };
  const top10 = queue.slice(0, Math.max(1, Math.ceil(queue.length / 10)));
  return {
    order,
    queueLength: queue.length,
    urgentInQueue,
    urgentRecallAtUrgentCount: recallAt(urgentInQueue),
    urgentRecallTop1Percent: recallAt(Math.ceil(queue.length / 100)),
    urgentRecallTop10Percent: recallAt(Math.ceil(queue.length / 10)),
    noiseShareTop10Percent: top10.length ? top10.filter((id) => noise.has(id)).length / top10.length : 0,
    noiseShareOverall: queue.length ? queue.filter((id) => noise.has(id)).length / queue.length : 0,
  };
}

/** Evaluates what the database holds against the planted truth. */
export async function evaluate(db: Kysely<BantayDatabase>, truth: TruthFile): Promise<Evaluation> {
  const facts = await reportOrderFacts(db);
  const inDb = new Map(facts.map((f) => [f.reportId, f]));
  let found = 0;
  let versionsAgree = 0;
  for (const [id, t] of Object.entries(truth.reports)) {
    const f = inDb.get(id);
    if (!f) continue;
    found++;
    if (f.versionCount === t.versions) versionsAgree++;
  }
  const truthCount = Object.keys(truth.reports).length;
  const membership = await subjectMembership(db);
  const linked = membership.size > 0 || (await linkHasRun(db));
  return {
    coverage: {
      truthReports: truthCount,
      found,
      missing: truthCount - found,
      notInTruth: facts.filter((f) => !(f.reportId in truth.reports)).length,
      versionsAgree,
      versionsDisagree: found - versionsAgree,
    },
    queue: measureQueue('baseline: ESP escalation, then NCMEC priority, then referral, then newest', baselineOrder(facts), truth),
    subjects: linked ? measureSubjects(membership, truth) : null,
    falseLinksPerTrap: linked ? falseLinksPerTrap(membership, truth) : null,
    notes: [
      "The baseline queue is the order NCMEC and the ESP already give; Bantay's triage below is measured against it.",
      linked
        ? "Subjects: pairwise precision/recall over report pairs in one planted subject; a false trap link is a pair of a trap's reports in one Bantay subject but not in one planted subject."
        : 'No subjects in the database (run `bantay link`); subject metrics are not measured.',
    ],
  };
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** Pairwise precision, recall and F1 of predicted subjects (report → subject) against the planted ones. */
export function measureSubjects(membership: Map<string, string>, truth: TruthFile): { precision: number; recall: number; f1: number } {
  // Counted through group sizes, never by listing pairs, so a giant false cluster cannot blow up memory.
  const truthOf = (r: string): string | null => truth.reports[r]?.subject ?? null;
  const predicted = new Map<string, string[]>();
  for (const [r, s] of membership) (predicted.get(s) ?? predicted.set(s, []).get(s)!).push(r);
  let predictedPairs = 0;
  let truePairs = 0;
  for (const members of predicted.values()) {
    predictedPairs += pairs(members.length);
    const byTruth = new Map<string, number>();
    for (const r of members) {
      const t = truthOf(r);
      if (t !== null) byTruth.set(t, (byTruth.get(t) ?? 0) + 1);
    }
    for (const n of byTruth.values()) truePairs += pairs(n);
  }
  let truthPairs = 0;
  for (const s of truth.subjects) truthPairs += pairs(new Set(s.reports).size);
  const precision = predictedPairs === 0 ? 1 : truePairs / predictedPairs;
  const recall = truthPairs === 0 ? 1 : truePairs / truthPairs;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

// A trap group larger than this is counted without attribution (its pairs are not listed).
const ATTRIBUTION_LIMIT = 2000;

/**
 * Per trap type: pairs of reports Bantay put in one subject although no planted subject holds both,
 * counted under a trap value both reports carry. A pair that shares several trap values counts
 * once, under the rarest (the value fewest reports carry): an ESP's contact address is on every
 * report it files and would otherwise be blamed for every false link between them.
 */
export function falseLinksPerTrap(membership: Map<string, string>, truth: TruthFile): Record<string, number> {
  const out: Record<string, number> = {};
  // Reports of no planted subject each count as their own person.
  const identity = (r: string): string => truth.reports[r]?.subject ?? `report:${r}`;
  const traps = truth.traps
    .map((t) => ({ type: t.type, value: t.value, reports: [...new Set(t.reports)] }))
    .sort(
      (a, b) => a.reports.length - b.reports.length || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    );
  const counted = new Set<string>();
  for (const trap of traps) {
    let count = out[trap.type] ?? 0;
    const bySubject = new Map<string, string[]>();
    for (const r of trap.reports) {
      const s = membership.get(r);
      if (s !== undefined) (bySubject.get(s) ?? bySubject.set(s, []).get(s)!).push(r);
    }
    for (const members of bySubject.values()) {
      if (members.length < 2) continue;
      if (members.length > ATTRIBUTION_LIMIT) {
        // Counted through group sizes, never by listing pairs, so a giant false cluster cannot blow up memory.
        const byTruth = new Map<string, number>();
        for (const r of members) byTruth.set(identity(r), (byTruth.get(identity(r)) ?? 0) + 1);
        let same = 0;
        for (const m of byTruth.values()) same += pairs(m);
        count += pairs(members.length) - same;
        continue;
      }
      members.sort();
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          const a = members[i]!;
          const b = members[j]!;
          if (identity(a) === identity(b)) continue;
          const key = `${a}\u0000${b}`;
          if (counted.has(key)) continue;
          counted.add(key);
          count++;
        }
      }
    }
    out[trap.type] = count;
  }
  return out;
}
