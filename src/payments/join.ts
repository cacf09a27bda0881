// Payments joined to the reports: a party's identifier keys (same format as the linking stage's)
// are looked up in link_identifiers (linkable identifiers: strong or medium), and the reports found lead to their
// subject in link_subjects. A report in no multi-report subject stands for itself as `S-<report>`,
// the name linking would give it. Flagged parties then flag their subjects (the triage contract).

import type { Store } from '../store/database.ts';
import { flowsOfParties, partiesById, partiesOfSubject, partyKeyRows, replaceJoin, reportsForKeys, scoresOfParties } from '../store/payments.ts';
import { liveSubjectId } from '../store/link.ts';

/** The score in payment_subject_flags is the alert score over this, capped at 1: an alert (≥ 6) is ≥ 0.5. */
export const FLAG_SCALE = 12;

/** What a join did. */
export interface JoinSummary {
  partiesWithKeys: number;
  partiesOnReports: number;
  reports: number;
  subjectsFlagged: number;
}

/** The subject id of a report: its linked subject, else `S-<report>` (a subject of one). */
export const subjectIdOf = (reportId: string, subjectId: string | null): string => subjectId ?? `S-${reportId}`;

/** Maps parties to reports and subjects through their keys and fills payment_subject_flags. */
export async function joinPaymentsToSubjects(store: Pick<Store, 'db' | 'copy'>): Promise<JoinSummary> {
  const parties = await partyKeyRows(store.db);
  const byKey = new Map<string, string[]>();
  for (const p of parties) for (const k of p.keys) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(p.partyId);
  const found = await reportsForKeys(store.db, [...byKey.keys()]);
  const links: { partyId: string; key: string; reportId: string; subjectId: string | null }[] = [];
  for (const f of found) for (const p of byKey.get(f.key) ?? []) links.push({ partyId: p, key: f.key, reportId: f.reportId, subjectId: subjectIdOf(f.reportId, f.subjectId) });
  const onReports = [...new Set(links.map((l) => l.partyId))];
  const scores = (await scoresOfParties(store.db, onReports)).filter((s) => s.alerted);
  const bestOf = new Map<string, { score: number; reason: string; alerts: number }>();
  for (const s of scores) {
    const top = (s.reasons as { why: string; points: number | null }[]).find((r) => (r.points ?? 0) > 0);
    const b = bestOf.get(s.partyId);
    const reason = `${s.role} ${s.partyId}: ${top?.why ?? 'flagged'}`;
    if (!b || s.score > b.score) bestOf.set(s.partyId, { score: s.score, reason, alerts: (b?.alerts ?? 0) + 1 });
    else b.alerts++;
  }
  const flags = new Map<string, { score: number; alerts: number; parties: Set<string>; topReason: string }>();
  for (const l of links) {
    const b = bestOf.get(l.partyId);
    if (!b) continue;
    const sid = l.subjectId!;
    const f = flags.get(sid) ?? { score: 0, alerts: 0, parties: new Set<string>(), topReason: '' };
    if (!f.parties.has(l.partyId)) {
      f.parties.add(l.partyId);
      f.alerts += b.alerts;
      if (b.score / FLAG_SCALE > f.score) {
        f.score = Math.min(1, b.score / FLAG_SCALE);
        f.topReason = b.reason;
      }
    }
    flags.set(sid, f);
  }
  await replaceJoin(store, links, [...flags].map(([subjectId, f]) => ({ subjectId, score: Math.round(f.score * 1000) / 1000, alerts: f.alerts, parties: [...f.parties].sort(), topReason: f.topReason })));
  return { partiesWithKeys: parties.length, partiesOnReports: onReports.length, reports: new Set(links.map((l) => l.reportId)).size, subjectsFlagged: flags.size };
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
        id, role: ownSet.has(id) ? ownRole : paysOwn.has(id) ? 'payer' : 'receiver', label: p?.label ?? id, country: p?.country ?? null,
        flagged: flagged.has(id), score: best.get(id) ?? null,
      };
    }),
    edges: flows.map((f) => ({
      from: f.from, to: f.to, amount: Math.round(f.amount * 100) / 100, currency: f.currency, amountPhp: Math.round(f.amountPhp * 100) / 100, count: f.count,
      first: f.first.toISOString(), last: f.last.toISOString(),
    })),
  };
}
