// Payments joined to the reports: a party's identifier keys (same format as the linking stage's)
// are looked up in link_identifiers (linkable identifiers: strong or medium), and the reports found lead to their
// subject in link_subjects. A report in no multi-report subject stands for itself as `S-<report>`,
// the name linking would give it. Flagged parties then flag their subjects (the triage contract).

import type { Store } from '../store/database.ts';
import { flowsOfParties, joinCounts, markJoinAll, partiesById, partiesOfSubject, scoresOfParties } from '../store/payments.ts';
import { liveSubjectId } from '../store/link.ts';
import { runStage, type StageStore } from '../runtime/stage.ts';
import { paymentsJoinStage } from './stages.ts';

export { FLAG_SCALE, subjectIdOf } from './flags.ts';

/** What a join did. */
export interface JoinSummary {
  partiesWithKeys: number;
  partiesOnReports: number;
  reports: number;
  subjectsFlagged: number;
}

/**
 * Maps parties to reports and subjects through their keys and fills payment_subject_flags: the
 * reports marked since the last join (new identifiers, moved subjects, rescored parties), or with
 * `all` every report joined now or holding a party's key.
 */
export async function joinPaymentsToSubjects(store: StageStore, opts: { all?: boolean } = { all: true }): Promise<JoinSummary> {
  if (opts.all) await markJoinAll(store.db);
  await runStage(store, paymentsJoinStage());
  return joinCounts(store.db);
}

/** The money flow around some parties, for a subject's or a party's page: parties as nodes, payments between them as edges. */
export interface MoneyFlow {
  nodes: { id: string; role: 'subject' | 'party' | 'payer' | 'receiver'; label: string; country: string | null; flagged: boolean; score: number | null }[];
  edges: { from: string; to: string; amount: number; currency: string; amountPhp: number; count: number; first: string; last: string }[];
}

/** Who paid the subject's parties and whom they paid, with amounts and dates. */
export async function subjectMoneyFlow(store: Pick<Store, 'db'>, subjectId: string): Promise<MoneyFlow> {
  return flowAround(store, await partiesOfSubject(store.db, await liveSubjectId(store.db, subjectId)), 'subject');
}

/** Who paid one party and whom it paid, with amounts and dates. */
export async function partyMoneyFlow(store: Pick<Store, 'db'>, partyId: string): Promise<MoneyFlow> {
  return flowAround(store, [partyId], 'party');
}

async function flowAround(store: Pick<Store, 'db'>, own: string[], ownRole: 'subject' | 'party'): Promise<MoneyFlow> {
  const flows = await flowsOfParties(store.db, own);
  const ids = [...new Set([...own, ...flows.flatMap((f) => [f.from, f.to])])].sort();
  const parties = new Map((await partiesById(store.db, ids)).map((p) => [p.partyId, p]));
  const scores = await scoresOfParties(store.db, ids);
  const best = new Map<string, number>();
  const flagged = new Set<string>();
  for (const s of scores) {
    best.set(s.partyId, Math.max(best.get(s.partyId) ?? 0, s.score));
    if (s.alerted) flagged.add(s.partyId);
  }
  const ownSet = new Set(own);
  const paysOwn = new Set(flows.filter((f) => ownSet.has(f.to)).map((f) => f.from));
  return {
    nodes: ids.map((id) => {
      const p = parties.get(id);
      return {
        id,
        role: ownSet.has(id) ? ownRole : paysOwn.has(id) ? 'payer' : 'receiver',
        label: p?.label ?? id,
        country: p?.country ?? null,
        flagged: flagged.has(id),
        score: best.get(id) ?? null,
      };
    }),
    edges: flows.map((f) => ({
      from: f.from,
      to: f.to,
      amount: Math.round(f.amount * 100) / 100,
      currency: f.currency,
      amountPhp: Math.round(f.amountPhp * 100) / 100,
      count: f.count,
      first: f.first.toISOString(),
      last: f.last.toISOString(),
    })),
  };
}
