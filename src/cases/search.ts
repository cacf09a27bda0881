// Search by any identifier: a phone in any format, an e-mail, an IP, a hash, a screen name, a
// report number. The query is normalised the way linking normalises values, then looked up by key;
// every value reaches the database as a bound parameter.
import type { Store } from '../store/database.ts';
import { normalisePhone } from '../enrich/phone.ts';
import { canonicalEmail } from '../enrich/email.ts';
import { classifyIp } from '../enrich/ip.ts';
import { deconflictionOf } from '../store/cases.ts';
import { existingReports, identifierMatches } from '../store/link.ts';
import { visibleReports } from './access.ts';
import type { QueueViewer } from './queue.ts';

/** One matching value with the reports and subjects holding it. */
export interface SearchResult {
  kind: string;
  value: string;
  reportIds: string[];
  subjectIds: string[];
  /** Reports holding the value that the caller may not see (left out of reportIds and subjectIds). */
  hiddenReports: number;
  /** Deconfliction marks of those reports (shown to everyone). */
  deconflicted: { reportId: string; caseId: string }[];
}

const HASH_TYPES = ['md5', 'sha1', 'sha256', 'sha512', 'pdq', 'photodna'];
const MAX_REPORTS = 500;

/** The keys a query could be stored under. */
export function candidateKeys(q: string): string[] {
  const t = q.trim();
  const keys = new Set<string>();
  if (!t) return [];
  const phone = normalisePhone(t, { defaultCountry: 'PH' });
  if (phone.ok) keys.add(`phone:${phone.e164}`);
  if (t.includes('@')) {
    const e = canonicalEmail(t);
    if (e.ok) keys.add(`email:${e.canonical}`);
  }
  const ip = classifyIp(t);
  if (ip) keys.add(`ip:${ip.ip}`);
  const hex = t.toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{32,128}$/.test(hex)) for (const h of HASH_TYPES) keys.add(`file-hash:${h}:${hex}`);
  if (/^[A-Za-z0-9+/=]{40,}$/.test(t)) keys.add(`file-hash:photodna:${t}`);
  if (/^\d{5,12}$/.test(t)) keys.add(`report:${t}`);
  // `esp:handle` as typed (screen names, user ids, groups), lowercased the way linking stores them.
  if (t.includes(':'))
    for (const k of ['screen-name', 'esp-user-id', 'group-id', 'wallet', 'profile-url', 'url']) keys.add(`${k}:${t}`).add(`${k}:${t.toLowerCase()}`);
  keys.add(`wallet:${t}`);
  return [...keys];
}

/** Finds reports and subjects by any identifier, among the reports the viewer may see (src/cases/access.ts). */
export async function searchIdentifiers(store: Pick<Store, 'db'>, q: string, viewer: QueueViewer): Promise<SearchResult[]> {
  const t = q.trim();
  if (!t) return [];
  const keys = candidateKeys(t);
  const rows = await identifierMatches(store.db, keys, t, MAX_REPORTS * 4);
  const direct = /^\d{5,12}$/.test(t) && (await existingReports(store.db, [t])).has(t);
  const by = new Map<string, { kind: string; value: string; reports: Set<string>; subjects: Set<string> }>();
  for (const r of rows) {
    const k = `${r.kind}\u0000${r.value}`;
    const e = by.get(k) ?? { kind: r.kind, value: r.value, reports: new Set<string>(), subjects: new Set<string>() };
    by.set(k, e);
    if (e.reports.size < MAX_REPORTS) e.reports.add(r.report_id);
    if (r.subject_id) e.subjects.add(r.subject_id);
  }
  if (direct) by.set('report', { kind: 'report', value: t, reports: new Set([t]), subjects: new Set() });
  const all = [...new Set([...by.values()].flatMap((e) => [...e.reports]))];
  const [marks, seen] = await Promise.all([deconflictionOf(store.db, all), visibleReports(store, viewer, all)]);
  const subjectOf = new Map(rows.flatMap((r) => (r.subject_id ? [[r.report_id, r.subject_id] as const] : [])));
  return [...by.values()].map((e) => {
    const held = [...e.reports].sort();
    const reportIds = held.filter((r) => seen.has(r));
    const subjectIds = [...new Set(reportIds.flatMap((r) => subjectOf.get(r) ?? []))].sort();
    // Deconfliction marks name every holder, visible or not: two teams must not work one case unknowingly.
    return {
      kind: e.kind,
      value: e.value,
      reportIds,
      subjectIds,
      hiddenReports: held.length - reportIds.length,
      deconflicted: held.filter((r) => marks.has(r)).map((r) => ({ reportId: r, caseId: marks.get(r)!.caseId })),
    };
  });
}
