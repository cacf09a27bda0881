// Read side of linking: subjects as the CLI and API print them.

import type { Store } from '../store/database.ts';
import { evidenceRows, identifiersOfReports, subjectMembership, subjectOfReport, type EvidenceRow } from '../store/link.ts';
import { linkRule, pairEvidence, type LinkRule } from './rules.ts';
import { compareReportIds } from './subjects.ts';

/** A subject as `bantay subjects --json` prints it. */
export interface SubjectView {
  id: string;
  reportIds: string[];
  /** The linkable (strong or medium) identifiers its reports hold, each once. */
  identifiers: { kind: string; value: string }[];
}

/** Subjects with at least `minReports` reports, largest first, then by id. */
export async function listSubjects(store: Pick<Store, 'db'>, opts: { minReports?: number } = {}): Promise<SubjectView[]> {
  const membership = await subjectMembership(store.db);
  const bySubject = new Map<string, string[]>();
  for (const [r, s] of membership) (bySubject.get(s) ?? bySubject.set(s, []).get(s)!).push(r);
  const min = opts.minReports ?? 2;
  const chosen = [...bySubject].filter(([, rs]) => rs.length >= min);
  const ids = await identifiersOfReports(
    store.db,
    chosen.flatMap(([, rs]) => rs),
  );
  const byReport = new Map<string, { kind: string; value: string; strength: string }[]>();
  for (const i of ids) (byReport.get(i.reportId) ?? byReport.set(i.reportId, []).get(i.reportId)!).push(i);
  return chosen
    .map(([id, rs]) => {
      const seen = new Set<string>();
      const identifiers: { kind: string; value: string }[] = [];
      for (const r of rs) {
        for (const i of byReport.get(r) ?? []) {
          if (i.strength !== 'strong' && i.strength !== 'medium') continue;
          const k = `${i.kind}\u0000${i.value}`;
          if (seen.has(k)) continue;
          seen.add(k);
          identifiers.push({ kind: i.kind, value: i.value });
        }
      }
      identifiers.sort((x, y) => x.kind.localeCompare(y.kind) || x.value.localeCompare(y.value));
      return { id, reportIds: rs.sort(compareReportIds), identifiers };
    })
    .sort((x, y) => y.reportIds.length - x.reportIds.length || x.id.localeCompare(y.id));
}

/** What `bantay report ID --json` can show of linking: the report's identifiers, subject and directly linked reports with reasons. */
export interface ReportLinks {
  subject: string | null;
  identifiers: { kind: string; value: string; role: string; strength: string; raw: string; note: string | null }[];
  /** Reports linked directly, with the rule that links them and what they share. */
  linked: { reportId: string; rule: LinkRule; shared: { kind: string; value: string; strength: string }[] }[];
}

/** The identifiers, subject and direct links of one report (for the report view). */
export async function reportLinks(store: Pick<Store, 'db'>, reportId: string): Promise<ReportLinks> {
  const identifiers = (await identifiersOfReports(store.db, [reportId])).map((i) => ({
    kind: i.kind,
    value: i.value,
    role: i.role,
    strength: i.strength,
    raw: i.raw,
    note: i.note,
  }));
  const evidence = await evidenceRows(store.db, [reportId]);
  const other = (e: { reportA: string; reportB: string }): string => (e.reportA === reportId ? e.reportB : e.reportA);
  const byOther = new Map<string, EvidenceRow[]>();
  for (const e of evidence) (byOther.get(other(e)) ?? byOther.set(other(e), []).get(other(e))!).push(e);
  // Only pairs that make a link by the linking rules are listed as linked, with the rule that holds.
  const linked = [...byOther]
    .flatMap(([id, rows]) => {
      const rule = linkRule(rows.map(pairEvidence));
      return rule ? [{ reportId: id, rule, shared: rows.map((e) => ({ kind: e.kind, value: e.detail, strength: e.strength })) }] : [];
    })
    .sort((x, y) => compareReportIds(x.reportId, y.reportId));
  return { subject: await subjectOfReport(store.db, reportId), identifiers, linked };
}
