// The payments page: flagged payers and receivers with their reasons, a search by any account,
// wallet, phone, e-mail, name or customer id, and one party's money flow with the reports its
// keys reach. Only what the caller may see (src/cases/access.ts, rule `party`); reads are audited.
import type { Store } from '../store/database.ts';
import { partiesById, reportsOfParties, scoresOfParties, searchParties, type PartyRow } from '../store/payments.ts';
import { listAlerts } from '../payments/run.ts';
import { partyMoneyFlow, subjectIdOf, subjectMoneyFlow, type MoneyFlow } from '../payments/join.ts';
import { seesAll, visibleReports, type Granted } from './access.ts';
import { appendAudit } from './audit.ts';
import type { QueueViewer } from './queue.ts';
import type { WorkActor } from './work.ts';

/** A party's score in one role, with the reasons in words. */
export interface PartyScore {
  role: 'sender' | 'receiver';
  score: number;
  alerted: boolean;
  reasons: { rule: string; points: number | null; why: string; evidence: string }[];
}

/** A party as the payments page lists it. */
export interface PartySummary extends PartyRow {
  scores: PartyScore[];
  /** Reports its keys reach that the caller may see, and their subjects. */
  reportIds: string[];
  subjectIds: string[];
  hiddenReports: number;
}

async function summaries(store: Pick<Store, 'db'>, v: QueueViewer, parties: PartyRow[]): Promise<PartySummary[]> {
  const ids = parties.map((p) => p.partyId);
  const [scores, reach] = await Promise.all([scoresOfParties(store.db, ids), reportsOfParties(store.db, ids)]);
  const seen = await visibleReports(store, v, [...new Set(reach.map((r) => r.reportId))]);
  const everything = seesAll(v);
  const out: PartySummary[] = [];
  for (const p of parties) {
    const mine = reach.filter((r) => r.partyId === p.partyId);
    const shown = mine.filter((r) => seen.has(r.reportId));
    // The rule `party`: one visible report, or a viewer who sees every report.
    if (!everything && shown.length === 0) continue;
    out.push({
      ...p,
      scores: scores
        .filter((s) => s.partyId === p.partyId)
        .map((s) => ({ role: s.role, score: s.score, alerted: s.alerted, reasons: s.reasons as PartyScore['reasons'] }))
        .sort((a, b) => b.score - a.score),
      reportIds: [...new Set(shown.map((r) => r.reportId))],
      subjectIds: [...new Set(shown.map((r) => subjectIdOf(r.reportId, r.subjectId)))].sort(),
      hiddenReports: new Set(mine.map((r) => r.reportId)).size - new Set(shown.map((r) => r.reportId)).size,
    });
  }
  return out;
}

/** Flagged parties, highest score first, or the parties matching a search (audited as `search.payments`). */
export async function paymentParties(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  v: QueueViewer,
  q: { text?: string | undefined; limit: number },
): Promise<PartySummary[]> {
  const text = q.text?.trim();
  let parties: PartyRow[];
  if (text) {
    parties = await searchParties(store.db, text, q.limit);
  } else {
    const order = [...new Set((await listAlerts(store, q.limit * 2)).map((x) => x.party))].slice(0, q.limit);
    const byId = new Map((await partiesById(store.db, order)).map((p) => [p.partyId, p]));
    parties = order.flatMap((id) => byId.get(id) ?? []);
  }
  const out = await summaries(store, v, parties);
  if (text)
    await appendAudit(store, { userId: a.user.id, username: a.user.username, ip: a.ip, action: 'search.payments', detail: { q: text, results: out.length } });
  return out;
}

/** One party: its scores and reasons, its money flow and the reports it reaches (audited as `view.payments`); undefined when unknown. */
export async function partyView(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  v: QueueViewer,
  partyId: string,
): Promise<(PartySummary & { flow: MoneyFlow }) | undefined> {
  const [party] = await partiesById(store.db, [partyId]);
  if (!party) return undefined;
  const [summary] = await summaries(store, v, [party]);
  if (!summary) return undefined;
  const flow = await partyMoneyFlow(store, partyId);
  await appendAudit(store, {
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    action: 'view.payments',
    targetKind: 'party',
    targetId: partyId,
    detail: { parties: flow.nodes.length, flows: flow.edges.length },
  });
  return { ...summary, flow };
}

/** The money flow of a subject the caller may see whole (audited as `view.payments`). */
export async function subjectFlowView(store: Pick<Store, 'db'>, a: WorkActor, grant: Granted): Promise<MoneyFlow> {
  const id = grant.subjectId!;
  const flow = await subjectMoneyFlow(store, id);
  await appendAudit(store, {
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    action: 'view.payments',
    targetKind: 'subject',
    targetId: id,
    detail: { parties: flow.nodes.length, flows: flow.edges.length },
  });
  return flow;
}
