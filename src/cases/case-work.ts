// The work a case carries: where it stands in the legal process, its communication log, handover
// notes between shifts, attachments by their hashes (metadata only: the file never enters Bantay),
// its reports and subjects with their tiers, and its referrals. Every change is audited.
import type { Store } from '../store/database.ts';
import { getCase, referralsOf, type CaseView } from '../store/cases.ts';
import {
  caseAttachments,
  caseLegalStatus,
  caseLog,
  insertCaseAttachment,
  insertCaseLog,
  setCaseLegalStatus,
  type CaseAttachment,
  type CaseLogEntry,
} from '../store/case-work.ts';
import { subjectReportRows } from '../store/link.ts';
import { subjectsOf, tiersOfReports } from '../store/triage.ts';
import { rankSuspects } from '../triage/suspects.ts';
import { compareReportIds } from '../link/subjects.ts';
import type { Granted } from './access.ts';
import { appendAudit } from './audit.ts';
import { type WorkActor } from './work.ts';
import { badInput, forbidden, notFound, conflict } from '../model/error.ts';

/**
 * Steps of the legal process in the Philippines, in order: a preservation request to the service
 * provider (RA 10175 s. 13; RA 11930 s. 27), the cybercrime warrants of the Rule on Cybercrime
 * Warrants (A.M. No. 17-11-03-SC: to disclose computer data, WDCD; to search, seize and examine,
 * WSSECD), the complaint before the prosecutor, and the case filed in court.
 */
export const LEGAL_STATUSES = [
  'none',
  'preservation_requested',
  'preservation_confirmed',
  'wdcd_applied',
  'wdcd_issued',
  'wssecd_applied',
  'wssecd_issued',
  'complaint_filed',
  'case_filed',
  'no_further_action',
] as const;
/** Kinds of log entries a person writes (legal-process steps are written by the status change). */
export const LOG_KINDS = ['communication', 'handover'] as const;

const who = (a: WorkActor): { userId: number; username: string; ip: string } => ({ userId: a.user.id, username: a.user.username, ip: a.ip });
const isSupervisor = (a: WorkActor): boolean => a.user.role === 'supervisor' || a.user.role === 'admin';

async function existingCase(store: Pick<Store, 'db'>, caseId: string): Promise<CaseView> {
  const c = await getCase(store.db, caseId);
  if (!c) throw notFound('NOT_FOUND', `no case ${caseId}`);
  return c;
}

/** A report of a case as its page lists it. */
export interface CaseReport {
  reportId: string;
  tier: string | null;
  score: number | null;
  receivedAt: string | null;
  incidentType: string | null;
  esp: string | null;
  status: string;
  assignee: string | null;
  /** The subject through which the case holds it, or null when the case names the report itself. */
  viaSubject: string | null;
}

/** A subject of a case with its suspect tier (ranked like `bantay suspects`). */
export interface CaseSubject {
  id: string;
  inCase: boolean;
  tier: string | null;
  score: number | null;
  reports: number;
}

/** What the case page shows. */
export interface CaseDetail extends CaseView {
  legalStatus: string;
  reports: CaseReport[];
  hiddenReports: number;
  subjects: CaseSubject[];
  log: CaseLogEntry[];
  attachments: CaseAttachment[];
  referrals: { id: number; agency: string; type: string; sentAt: string; sent: unknown }[];
}

/** One case with its work, its visible reports and their tiers (audited as a view); undefined when there is no such case. */
export async function caseDetail(store: Pick<Store, 'db'>, a: WorkActor, caseId: string, grant: Granted): Promise<CaseDetail | undefined> {
  const c = await getCase(store.db, caseId);
  if (!c) return undefined;
  const visible = [...(grant.visible ?? [])].sort(compareReportIds);
  const named = new Set(c.items.filter((i) => i.kind === 'report').map((i) => i.itemId));
  const subjectItems = c.items.filter((i) => i.kind === 'subject').map((i) => i.itemId);
  const [legalStatus, log, attachments, referrals, rows, tiers] = await Promise.all([
    caseLegalStatus(store.db, caseId),
    caseLog(store.db, caseId),
    caseAttachments(store.db, caseId),
    referralsOf(store.db, 'case', caseId),
    subjectReportRows(store.db, visible),
    tiersOfReports(store.db, visible),
  ]);
  const subjectIds = [...new Set([...subjectItems, ...(await subjectsOf(store.db, visible))])].sort();
  const ranked = new Map((await rankSuspects(store, { subjectIds })).map((s) => [s.subjectId, s]));
  const membership = new Map<string, string>();
  for (const s of ranked.values()) for (const r of s.reports) if (!membership.has(r)) membership.set(r, s.subjectId);
  const reports = visible.map((reportId) => {
    const r = rows.get(reportId);
    const t = tiers.get(reportId);
    return {
      reportId,
      tier: t?.tier ?? null,
      score: t?.score ?? null,
      receivedAt: r?.receivedAt ?? null,
      incidentType: r?.incidentType ?? null,
      esp: r?.esp ?? null,
      status: r?.status ?? 'new',
      assignee: r?.assignee ?? null,
      viaSubject: named.has(reportId) ? null : (membership.get(reportId) ?? null),
    };
  });
  const shown = new Set(visible);
  const subjects = subjectIds.map((id) => {
    const s = ranked.get(id);
    return {
      id,
      inCase: subjectItems.includes(id),
      tier: s?.tier ?? null,
      score: s?.score ?? null,
      reports: s ? s.reports.filter((r) => shown.has(r)).length : 0,
    };
  });
  await appendAudit(store, { ...who(a), action: 'view', targetKind: 'case', targetId: caseId });
  return {
    ...c,
    legalStatus: legalStatus ?? 'none',
    reports,
    hiddenReports: grant.hidden,
    subjects,
    log,
    attachments,
    referrals: referrals.map((r) => ({ id: r.id, agency: r.agency, type: r.type, sentAt: r.sentAt, sent: r.sent })),
  };
}

/** Moves a case to a step of the legal process (its lead or a supervisor); the step and its note go to the case log. */
export async function setLegalStatus(store: Pick<Store, 'db'>, a: WorkActor, caseId: string, status: string, note: string | null): Promise<void> {
  if (!(LEGAL_STATUSES as readonly string[]).includes(status)) throw badInput('BAD_LEGAL_STATUS', `legal status must be one of ${LEGAL_STATUSES.join(', ')}`);
  const c = await existingCase(store, caseId);
  if (!isSupervisor(a) && c.leadId !== a.user.id) throw forbidden('FORBIDDEN', 'only the case lead or a supervisor changes the legal status');
  const from = (await caseLegalStatus(store.db, caseId)) ?? 'none';
  await setCaseLegalStatus(store.db, caseId, status);
  // A legal step's entry names the step it left (`counterpart`) and the step it reached (`channel`), with the note as its text.
  const logId = await insertCaseLog(store.db, {
    caseId,
    kind: 'legal',
    authorId: a.user.id,
    channel: status,
    direction: null,
    counterpart: from,
    text: note?.trim() ?? '',
  });
  await appendAudit(store, { ...who(a), action: 'case.legal', targetKind: 'case', targetId: caseId, detail: { from, to: status, logId } });
}

/** Adds a communication or a handover note to a case's log. */
export async function addCaseLog(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  caseId: string,
  e: { kind: string; text: string; channel?: string | null; direction?: string | null; counterpart?: string | null },
): Promise<number> {
  if (!(LOG_KINDS as readonly string[]).includes(e.kind)) throw badInput('BAD_LOG_KIND', `a log entry is one of ${LOG_KINDS.join(', ')}`);
  const text = e.text.trim();
  if (!text) throw badInput('EMPTY_NOTE', 'a log entry needs some text');
  if (e.direction && e.direction !== 'in' && e.direction !== 'out') throw badInput('BAD_DIRECTION', 'direction is in or out');
  await existingCase(store, caseId);
  const id = await insertCaseLog(store.db, {
    caseId,
    kind: e.kind,
    authorId: a.user.id,
    channel: e.channel?.trim() || null,
    direction: e.direction ?? null,
    counterpart: e.counterpart?.trim() || null,
    text,
  });
  await appendAudit(store, { ...who(a), action: `case.${e.kind}`, targetKind: 'case', targetId: caseId, detail: { logId: id, length: text.length } });
  return id;
}

const SHA256 = /^[0-9a-f]{64}$/;
const MD5 = /^[0-9a-f]{32}$/;

/** Records an attachment of a case by its hashes and size (the file itself is never sent or stored). */
export async function addCaseAttachment(
  store: Pick<Store, 'db'>,
  a: WorkActor,
  caseId: string,
  f: { name: string; sha256: string; md5?: string | null; bytes?: number | null; note?: string | null },
): Promise<number> {
  const sha256 = f.sha256.trim().toLowerCase();
  const md5 = f.md5?.trim().toLowerCase() || null;
  if (!SHA256.test(sha256)) throw badInput('BAD_HASH', 'sha256 is 64 hexadecimal characters');
  if (md5 !== null && !MD5.test(md5)) throw badInput('BAD_HASH', 'md5 is 32 hexadecimal characters');
  const name = f.name.trim();
  if (!name) throw badInput('BAD_NAME', 'an attachment needs a name');
  await existingCase(store, caseId);
  const id = await insertCaseAttachment(store.db, { caseId, name, sha256, md5, bytes: f.bytes ?? null, note: f.note?.trim() || null, addedBy: a.user.id });
  if (id === undefined) throw conflict('DUPLICATE_ATTACHMENT', `case ${caseId} already holds a file with SHA-256 ${sha256}`);
  await appendAudit(store, {
    ...who(a),
    action: 'case.attachment',
    targetKind: 'case',
    targetId: caseId,
    detail: { attachmentId: id, name, sha256, md5, bytes: f.bytes ?? null },
  });
  return id;
}
