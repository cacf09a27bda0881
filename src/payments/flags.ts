// Subject flags from payments (the triage contract, payment_subject_flags): pure.
import type { PartyReportLink, ScoreRow, SubjectFlag } from '../store/payments.ts';

/** The score in payment_subject_flags is the alert score over this, capped at 1: an alert (≥ 6) is ≥ 0.5. */
export const FLAG_SCALE = 12;

/** The subject id of a report: its linked subject, else `S-<report>` (a subject of one). */
export const subjectIdOf = (reportId: string, subjectId: string | null): string => subjectId ?? `S-${reportId}`;

/** The flags of subjects from their party links and the parties' alerted scores (pure). */
export function subjectFlags(links: PartyReportLink[], scores: ScoreRow[]): SubjectFlag[] {
  const bestOf = new Map<string, { score: number; reason: string; alerts: number }>();
  for (const s of scores.filter((x) => x.alerted).sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : a.role < b.role ? -1 : 1))) {
    const top = (s.reasons as { why: string; points: number | null }[]).find((r) => (r.points ?? 0) > 0);
    const b = bestOf.get(s.partyId);
    const reason = `${s.role} ${s.partyId}: ${top?.why ?? 'flagged'}`;
    if (!b || s.score > b.score) bestOf.set(s.partyId, { score: s.score, reason, alerts: (b?.alerts ?? 0) + 1 });
    else b.alerts++;
  }
  const flags = new Map<string, { score: number; alerts: number; parties: Set<string>; topReason: string }>();
  for (const l of [...links].sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0))) {
    const b = bestOf.get(l.partyId);
    if (!b) continue;
    const sid = subjectIdOf(l.reportId, l.subjectId);
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
  return [...flags].map(([subjectId, f]) => ({
    subjectId,
    score: Math.round(f.score * 1000) / 1000,
    alerts: f.alerts,
    parties: [...f.parties].sort(),
    topReason: f.topReason,
  }));
}
