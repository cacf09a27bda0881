// The agency's outcome per report, in a form it can return to NCMEC: for a period, one line per
// report decided in it, with the report number and the outcome only (docs/ncmec.md). The outcome
// is read off case work (cases, referrals, statuses and close reasons), never typed twice.
import { parse } from 'csv-parse/sync';
import type { Store } from '../store/database.ts';
import { reportDecisions, type ReportDecision, type TimeWindow } from '../store/cases.ts';
import { toCsv } from '../export/tabular.ts';
import { appendAudit } from './audit.ts';
import { actorFields, CLI_ACTOR, type Actor } from './accounts.ts';
import { badInput } from '../model/error.ts';

/** The outcomes returned to NCMEC, strongest first. */
export const NCMEC_OUTCOMES = ['acted_on', 'referred', 'no_nexus', 'insufficient_information', 'no_action', 'duplicate'] as const;
/** One outcome. */
export type NcmecOutcome = (typeof NCMEC_OUTCOMES)[number];

/**
 * The outcome case work recorded for a report, the strongest when several apply: in a case
 * (an investigation was opened) is acted on; a referral or endorsement to a partner agency, the
 * status referred or a close as referred to another agency is referred; then the close reasons
 * no nexus, insufficient information, no action, duplicate. A report still open has none.
 */
export function ncmecOutcomeOf(d: Pick<ReportDecision, 'statuses' | 'closeReasons' | 'referred' | 'inCase'>): NcmecOutcome | null {
  if (d.inCase) return 'acted_on';
  if (d.referred || d.statuses.includes('referred') || d.closeReasons.includes('referred_to_other_agency')) return 'referred';
  for (const o of ['no_nexus', 'insufficient_information', 'no_action', 'duplicate'] as const) if (d.closeReasons.includes(o)) return o;
  return null;
}

/** One line of the feedback file. */
export interface FeedbackLine {
  reportId: string;
  outcome: NcmecOutcome;
}

/** The column names of the feedback CSV. */
export const FEEDBACK_COLUMNS = ['report_number', 'outcome'] as const;

/** Parses a day (YYYY-MM-DD) as the start of that UTC day; refuses anything else. */
export function utcDay(text: string, what: string): Date {
  const d = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(d.getTime()) || !d.toISOString().startsWith(text))
    throw badInput('BAD_OPTION', `${what} must be a date written YYYY-MM-DD, got "${text}"`);
  return d;
}

/** The outcomes of reports whose latest decision falls in the window, in report order. */
export async function feedbackLines(store: Pick<Store, 'db'>, decided: TimeWindow): Promise<FeedbackLine[]> {
  const out: FeedbackLine[] = [];
  for (const d of await reportDecisions(store.db, { decided })) {
    const outcome = ncmecOutcomeOf(d);
    if (outcome) out.push({ reportId: d.reportId, outcome });
  }
  return out;
}

/**
 * The feedback CSV for the days `from` to `to` (both included, UTC): header `report_number,outcome`,
 * one line per report. Audited (what left the agency: the period, the count and the file's lines).
 */
export async function feedbackCsv(
  store: Pick<Store, 'db'>,
  from: string,
  to: string,
  o: { actor?: Actor } = {},
): Promise<{ bytes: Uint8Array; lines: FeedbackLine[] }> {
  const start = utcDay(from, '--from');
  const end = new Date(utcDay(to, '--to').getTime() + 86_400_000);
  if (end <= start) throw badInput('BAD_OPTION', '--to is before --from');
  const lines = await feedbackLines(store, { from: start, to: end });
  const bytes = toCsv({ title: 'feedback', headers: [...FEEDBACK_COLUMNS], rows: lines.map((l) => [l.reportId, l.outcome]), notes: [] });
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.outcome] = (counts[l.outcome] ?? 0) + 1;
  await appendAudit(store, {
    ...actorFields(o.actor ?? CLI_ACTOR),
    action: 'ncmec.feedback',
    targetKind: 'ncmec',
    detail: { from, to, reports: lines.length, outcomes: counts },
  });
  return { bytes, lines };
}

/** Reads a feedback CSV back (the round trip, and a file an agency edited by hand); refuses unknown outcomes with their line. */
export function readFeedbackCsv(text: string | Uint8Array): FeedbackLine[] {
  const rows = parse(typeof text === 'string' ? text : Buffer.from(text), { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return rows.map((r, i) => {
    const outcome = r.outcome ?? '';
    if (!(NCMEC_OUTCOMES as readonly string[]).includes(outcome))
      throw badInput('BAD_FILE', `line ${i + 2}: unknown outcome "${outcome.slice(0, 40)}" (one of ${NCMEC_OUTCOMES.join(', ')})`);
    const reportId = r.report_number ?? '';
    if (!/^\d+$/.test(reportId)) throw badInput('BAD_FILE', `line ${i + 2}: "${reportId.slice(0, 40)}" is not a report number`);
    return { reportId, outcome: outcome as NcmecOutcome };
  });
}
