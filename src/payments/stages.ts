// The payments stage in the runtime's shape (src/runtime/stage.ts), as two stages:
//   payment-scores (one key, "all")   parties resolved and scored over every stored transaction
//                                     (party resolution is global); rows written only where they changed;
//   payments-join  (keys: report ids) which parties' keys each report holds, and the flags of the
//                                     subjects those reports were and are in.
// A payment touches the subjects its parties reach and nothing else.
import type { Stage } from '../runtime/stage.ts';
import { ratesInUse } from '../ingest/transactions/run.ts';
import { membersOfSubjects, subjectsOfReports } from '../store/link.ts';
import {
  flagsOfSubjects,
  joinInputs,
  linksOfSubjects,
  markJoinForParties,
  putJoin,
  putScoring,
  scoresOfParties,
  scoringTxns,
  type PartyReportLink,
  type PartyRow,
  type ScoreRow,
  type SubjectFlag,
} from '../store/payments.ts';
import { TxnLoader, type ScoreOptions } from './loader.ts';
import { subjectFlags, subjectIdOf } from './flags.ts';

/** The plan of payment-scores: every stored transaction, loaded into columns. */
export interface PaymentScoresPlan {
  loader: TxnLoader;
}

/** What payment-scores computes. */
export interface PaymentScoresOut {
  parties: PartyRow[];
  nodes: [string, string][];
  scores: ScoreRow[];
  transactions: number;
  hubKeys: number;
}

/** payment-scores: resolves and scores every party; marks the reports of parties whose rows changed. */
export function paymentScoresStage(opts: ScoreOptions = {}): Stage<PaymentScoresPlan, PaymentScoresOut> {
  return {
    name: 'payment-scores',
    batch: 1,
    async plan(store) {
      const loader = new TxnLoader((await ratesInUse(store)).rates.get('USD') ?? 57, opts.indicators);
      for await (const page of scoringTxns(store.db)) for (const t of page) loader.add(t);
      return { loader };
    },
    compute(plan) {
      return plan.loader.score(opts);
    },
    async write(target, _plan, out) {
      const changed = await putScoring(target.db, target.copy, out.parties, out.nodes, out.scores);
      // Links of changed parties (before and after) are redone by the join; its marks go in this transaction.
      await markJoinForParties(target.db, changed);
      return {
        written: changed.length,
        marks: {},
        stats: {
          transactions: out.transactions,
          parties: out.parties.length,
          hubKeys: out.hubKeys,
          scored: out.scores.length,
          alertSenders: out.scores.filter((s) => s.alerted && s.role === 'sender').length,
          alertReceivers: out.scores.filter((s) => s.alerted && s.role === 'receiver').length,
        },
      };
    },
  };
}

/** The plan of payments-join: the batch's keys, the parties holding them, and the subjects whose flags depend on them. */
export interface JoinPlan {
  reports: string[];
  keys: { reportId: string; key: string }[];
  parties: { partyId: string; keys: string[] }[];
  subjectOf: Map<string, string>;
  /** Every subject whose flag may change, with the links of its other reports. */
  subjects: string[];
  otherLinks: PartyReportLink[];
  scores: ScoreRow[];
  flags: Map<string, SubjectFlag>;
  members: Map<string, string[]>;
}

/** What payments-join computes. */
export interface JoinOut {
  links: PartyReportLink[];
  flags: SubjectFlag[];
  /** Subjects whose flag differs from the stored one. */
  changed: string[];
}

/** payments-join: links reports to the parties holding their keys, and flags their subjects. */
export function paymentsJoinStage(): Stage<JoinPlan, JoinOut> {
  return {
    name: 'payments-join',
    batch: 5000,
    async plan(store, reports) {
      const { keys, parties, links } = await joinInputs(store.db, reports);
      const subjectOf = await subjectsOfReports(store.db, reports);
      const batch = new Set(reports);
      const subjects = [
        ...new Set([
          ...links.map((l) => subjectIdOf(l.reportId, l.subjectId)),
          ...[...new Set(keys.map((k) => k.reportId))].map((r) => subjectIdOf(r, subjectOf.get(r) ?? null)),
        ]),
      ].sort();
      const otherLinks = (await linksOfSubjects(store.db, subjects)).filter((l) => !batch.has(l.reportId));
      // Singletons (S-<report>) are stored with no subject: their links come with the report.
      const partyIds = [...new Set([...parties.map((p) => p.partyId), ...otherLinks.map((l) => l.partyId)])];
      const [scores, flags, members] = await Promise.all([
        scoresOfParties(store.db, partyIds),
        flagsOfSubjects(store.db, subjects),
        membersOfSubjects(store.db, subjects),
      ]);
      const byS = new Map<string, string[]>();
      for (const [r, s] of members) (byS.get(s) ?? byS.set(s, []).get(s)!).push(r);
      return { reports, keys, parties, subjectOf, subjects, otherLinks, scores, flags: new Map(flags.map((f) => [f.subjectId, f])), members: byS };
    },
    compute(plan) {
      const byKey = new Map<string, string[]>();
      for (const p of plan.parties) for (const k of p.keys) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(p.partyId);
      const links: PartyReportLink[] = [];
      for (const { reportId, key } of plan.keys) {
        for (const partyId of byKey.get(key) ?? [])
          links.push({ partyId, key, reportId, subjectId: subjectIdOf(reportId, plan.subjectOf.get(reportId) ?? null) });
      }
      const wanted = new Set(plan.subjects);
      const flags = subjectFlags([...plan.otherLinks, ...links], plan.scores).filter(
        (f) => wanted.has(f.subjectId) || links.some((l) => l.subjectId === f.subjectId),
      );
      const changed: string[] = [];
      const now = new Map(flags.map((f) => [f.subjectId, f]));
      for (const s of new Set([...plan.subjects, ...now.keys()])) {
        const a = now.get(s);
        const b = plan.flags.get(s);
        if (
          JSON.stringify(a ?? null) !==
          JSON.stringify(b ? { subjectId: b.subjectId, score: b.score, alerts: b.alerts, parties: b.parties, topReason: b.topReason } : null)
        )
          changed.push(s);
      }
      return { links, flags, changed };
    },
    async write(target, plan, out) {
      const subjects = [...new Set([...plan.subjects, ...out.flags.map((f) => f.subjectId)])];
      const changed = await putJoin(target.db, target.copy, plan.reports, out.links, subjects, out.flags);
      // A flag is read by every report of its subject (a subject of one is its report).
      const rescore = changed.flatMap((s) => plan.members.get(s) ?? (s.startsWith('S-') ? [s.slice(2)] : []));
      return { written: changed.length, marks: { scores: rescore }, stats: { links: out.links.length, subjectsChanged: changed.length } };
    },
  };
}
