// Deconfliction between agencies (docs/deconfliction.md): a stage after linking, reading the keys
// of active cases from the store. An agency exports keyed hashes of the identifier keys of its active cases in a signed
// file; another imports it, and every report (and subject) holding an identifier with the same
// keyed hash is marked "in an active case at AGENCY" for triage and the analysts.
//
// As a task (architecture.md): plan = reports whose keys were not hashed from their current
// linked version; compute = their keyed hashes, then the marks from the joins of the peers'
// entries with the local hashes (work in proportion to the entries held); write = new hashes,
// and the marks that changed (replace-by-key). The audited exchange of files (peers, export,
// import) is src/cases/deconfliction.ts.
import type { Store } from '../store/database.ts';
import {
  digestPendingReports,
  dropExpiredFiles,
  dropForeignDigests,
  entryHits,
  externalRows,
  externalRowsOf,
  keysOf,
  listPeerFiles,
  listPeers,
  reportsBySubject,
  writeDigests,
  writeExternalRows,
  type ExternalRow,
} from '../store/deconflict.ts';
import { getSetting, setSetting } from '../store/cases.ts';
import { listExclusions } from '../store/link.ts';
import { exclusionMatcher } from '../link/rules.ts';
import { findSharedKey, findSigningKey, type SharedKey } from './keys.ts';
import { badInput } from '../model/error.ts';

/**
 * The identifier kinds agencies compare: what names a person, an account, a device or a wallet.
 * Left out: IP sightings (an address and port match only within seconds, which a hash cannot
 * compare without the time), IPs alone, display names, URLs and file hashes (weak: context, not
 * identity), and report numbers (a file never names a report).
 */
export const SHARED_KINDS = ['esp-user-id', 'device-id', 'phone', 'email', 'wallet', 'screen-name', 'profile-url', 'group-id'] as const;
/** Only what linking itself trusts: strong and medium identifiers (never placeholders, role addresses, warninglisted values). */
export const SHARED_STRENGTHS = ['strong', 'medium'] as const;
/** The roles an agency exports: the reported person and what they used; never a victim's or an intended recipient's (a child's) identifiers. */
export const EXPORTED_ROLES = ['reported', 'associated', 'file', 'incident'] as const;

const FILTER = { kinds: SHARED_KINDS, strengths: SHARED_STRENGTHS };
const IDENTITY_SETTING = 'deconflict.identity';

/** This agency as its files name it. */
export interface Identity {
  agency: string;
  contact: string;
}

/** One mark on a report: an identifier of it (or of its subject) is in an active case at another agency. */
export interface ExternalMark {
  agency: string;
  contact: string;
  /** The date (YYYY-MM-DD) the identifier came under that agency's active case (the earliest, when several). */
  since: string;
  /** When that agency's file expires: the mark goes with it unless a newer file renews it. */
  expiresAt: string;
  /** `report`: one of this report's own identifiers; `subject`: an identifier of another report of its subject. */
  via: 'report' | 'subject';
  /** The kinds of the matching local identifiers (phone, email...). */
  kinds: string[];
}

/** A name as stored: trimmed, 1 to 200 characters, no control characters. */
export const checkName = (what: string, s: string): string => {
  const t = s.trim();
  if (!t || t.length > 200 || /[\u0000-\u001f\u007f]/.test(t)) throw badInput('BAD_NAME', `${what} must be 1 to 200 characters without control characters`);
  return t;
};

/** Stores this agency's name and contact role as its files will carry them. */
export async function setIdentity(store: Pick<Store, 'db'>, id: Identity): Promise<Identity> {
  const v = { agency: checkName('the agency name', id.agency), contact: checkName('the contact role', id.contact) };
  await setSetting(store.db, IDENTITY_SETTING, v);
  return v;
}

/** This agency's stored name and contact role, if set. */
export async function identity(store: Pick<Store, 'db'>): Promise<Identity | null> {
  return getSetting<Identity | null>(store.db, IDENTITY_SETTING, null);
}

/** What a matching run did. */
export interface MatchSummary {
  /** Peers whose file expired and was dropped in this run. */
  expired: string[];
  /** Reports whose keys were hashed in this run. */
  hashed: number;
  /** Reports not hashed because no shared key is configured here (they cannot match until it is). */
  unhashed: number;
  /** Reports marked after the run, of which through their own identifiers. */
  marked: number;
  direct: number;
  added: number;
  removed: number;
  changed: number;
  ms: number;
}

/** Hashes the keys of reports not hashed from their current linked version (all of them after a key change). */
async function hashPending(store: Pick<Store, 'db'>, shared: SharedKey | undefined): Promise<{ hashed: number; unhashed: number }> {
  if (!shared) return { hashed: 0, unhashed: (await digestPendingReports(store.db, 1_000_000)).length };
  await dropForeignDigests(store.db, shared.id);
  let hashed = 0;
  for (;;) {
    const page = await digestPendingReports(store.db, 5000);
    if (page.length === 0) break;
    const keys = await keysOf(
      store.db,
      page.map((r) => r.reportId),
      FILTER,
    );
    await writeDigests(
      store,
      shared.id,
      keys.map((k) => [k, shared.digest(k)]),
      page,
    );
    hashed += page.length;
  }
  return { hashed, unhashed: 0 };
}

/** The marks of every report from the hits (pure): its own identifiers first, then its subject's. */
export function marksFromHits(
  hits: { reportId: string; subjectId: string | null; kind: string; peer: string; contact: string; since: string; expiresAt: string }[],
  subjects: Map<string, string[]>,
): Map<string, ExternalMark[]> {
  const byReport = new Map<string, Map<string, ExternalMark>>();
  const put = (reportId: string, m: ExternalMark): void => {
    const marks = byReport.get(reportId) ?? byReport.set(reportId, new Map()).get(reportId)!;
    const had = marks.get(m.agency);
    if (!had) {
      marks.set(m.agency, { ...m, kinds: [...m.kinds] });
      return;
    }
    if (m.via === 'report' && had.via === 'subject') {
      marks.set(m.agency, { ...m, kinds: [...m.kinds] });
      return;
    }
    if (m.via !== had.via) return;
    if (m.since < had.since) had.since = m.since;
    for (const k of m.kinds) if (!had.kinds.includes(k)) had.kinds.push(k);
  };
  for (const h of hits) {
    const m: ExternalMark = { agency: h.peer, contact: h.contact, since: h.since, expiresAt: h.expiresAt, via: 'report', kinds: [h.kind] };
    put(h.reportId, m);
    if (h.subjectId) for (const other of subjects.get(h.subjectId) ?? []) if (other !== h.reportId) put(other, { ...m, via: 'subject' });
  }
  const out = new Map<string, ExternalMark[]>();
  for (const [id, marks] of byReport)
    out.set(
      id,
      [...marks.values()].map((m) => ({ ...m, kinds: m.kinds.sort() })).sort((a, b) => a.agency.localeCompare(b.agency)),
    );
  return out;
}

/**
 * The matching task: drops expired files, hashes new or changed reports' keys (when the shared key
 * is here), then recomputes every mark from the peers' entries and writes what changed. Idempotent.
 */
export async function matchExternal(store: Pick<Store, 'db' | 'copy'>, o: { now?: Date; shared?: SharedKey | null } = {}): Promise<MatchSummary> {
  const t0 = Date.now();
  const now = o.now ?? new Date();
  const expired = await dropExpiredFiles(store.db, now);
  const shared = o.shared === null ? undefined : (o.shared ?? findSharedKey());
  const files = await listPeerFiles(store.db);
  const { hashed, unhashed } = files.length > 0 ? await hashPending(store, shared) : { hashed: 0, unhashed: 0 };
  const excluded = exclusionMatcher(await listExclusions(store.db));
  const hits = files.length === 0 ? [] : (await entryHits(store.db, { now, ...FILTER })).filter((h) => excluded(h.value, h.key) === undefined);
  const subjects = await reportsBySubject(store.db, [...new Set(hits.flatMap((h) => (h.subjectId ? [h.subjectId] : [])))]);
  const marks = marksFromHits(hits, subjects);
  const before = await externalRows(store.db);
  const upsert: ExternalRow[] = [];
  let added = 0;
  let changed = 0;
  for (const [reportId, m] of marks) {
    const row = { reportId, agencies: m.map((x) => x.agency), detail: JSON.stringify(m) };
    const had = before.get(reportId);
    if (!had) added++;
    else if (had.detail !== row.detail) changed++;
    else continue;
    upsert.push(row);
  }
  const remove = [...before.keys()].filter((id) => !marks.has(id));
  await writeExternalRows(store.db, upsert, remove, now);
  const direct = [...marks.values()].filter((m) => m.some((x) => x.via === 'report')).length;
  return { expired, hashed, unhashed, marked: marks.size, direct, added, removed: remove.length, changed, ms: Date.now() - t0 };
}

/** Whether there is anything for the matching task to do (a file held, or marks to clear). */
export async function hasExternalWork(store: Pick<Store, 'db'>): Promise<boolean> {
  if ((await listPeerFiles(store.db)).length > 0) return true;
  return (await externalRows(store.db)).size > 0;
}

/** The marks of some reports (visible to everyone, like the marks of this agency's own cases). */
export async function externalMarks(store: Pick<Store, 'db'>, reportIds: string[]): Promise<Map<string, ExternalMark[]>> {
  const out = new Map<string, ExternalMark[]>();
  for (const r of await externalRowsOf(store.db, reportIds)) out.set(r.reportId, JSON.parse(r.detail) as ExternalMark[]);
  return out;
}

/** The marks of a subject: one per agency over the given reports (its own identifiers when any report has them). */
export async function subjectMarks(store: Pick<Store, 'db'>, reportIds: string[]): Promise<ExternalMark[]> {
  const by = new Map<string, ExternalMark>();
  for (const marks of (await externalMarks(store, reportIds)).values()) {
    for (const m of marks) {
      const had = by.get(m.agency);
      if (!had) {
        by.set(m.agency, { ...m, via: 'subject', kinds: [...m.kinds] });
        continue;
      }
      if (m.since < had.since) had.since = m.since;
      for (const k of m.kinds) if (!had.kinds.includes(k)) had.kinds.push(k);
    }
  }
  return [...by.values()].map((m) => ({ ...m, kinds: m.kinds.sort() })).sort((a, b) => a.agency.localeCompare(b.agency));
}

/** Everything `bantay deconflict list` shows. */
export interface DeconflictionState {
  identity: Identity | null;
  signingKey: { fingerprint: string; publicKey: string; source: string } | null;
  sharedKey: { id: string; source: string } | null;
  peers: {
    name: string;
    fingerprint: string;
    addedAt: string;
    addedBy: string | null;
    file: { contact: string; issuedAt: string; expiresAt: string; entries: number; keyId: string; importedAt: string } | null;
    reportsMarked: number;
  }[];
  reportsMarked: number;
}

/** The agency's identity, keys (fingerprints only), peers, their files and the marks they make. */
export async function deconflictionState(store: Pick<Store, 'db'>): Promise<DeconflictionState> {
  const signing = findSigningKey();
  const shared = findSharedKey();
  const files = new Map((await listPeerFiles(store.db)).map((f) => [f.peer, f]));
  const marks = await externalRows(store.db);
  const perAgency = new Map<string, number>();
  for (const r of marks.values()) for (const a of r.agencies) perAgency.set(a, (perAgency.get(a) ?? 0) + 1);
  return {
    identity: await identity(store),
    signingKey: signing ? { fingerprint: signing.fingerprint, publicKey: signing.publicKeyText, source: signing.source } : null,
    sharedKey: shared ? { id: shared.id, source: shared.source } : null,
    peers: (await listPeers(store.db)).map((p) => {
      const f = files.get(p.name);
      return {
        name: p.name,
        fingerprint: p.fingerprint,
        addedAt: p.addedAt,
        addedBy: p.addedBy,
        file: f ? { contact: f.contact, issuedAt: f.issuedAt, expiresAt: f.expiresAt, entries: f.entries, keyId: f.keyId, importedAt: f.importedAt } : null,
        reportsMarked: perAgency.get(p.name) ?? 0,
      };
    }),
    reportsMarked: marks.size,
  };
}
