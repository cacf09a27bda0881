// The children a report names or implies (pure). A mention is a victim party, an intended
// recipient under 18, or, when the report names no child of that age, a child its files imply
// (an `infant` annotation; industry class A1/A2 prepubescent, B1/B2 pubescent). Each mention carries
// the identity keys that may join it to a mention in another report (docs/children.md §1).
import type { CybertipReport, Party } from '../model/report.ts';
import { isPlaceholder } from '../enrich/placeholder.ts';
import { canonicalEmail } from '../enrich/email.ts';
import { normalisePhone } from '../enrich/phone.ts';
import { placeKey } from '../enrich/places.ts';

/** Age bands: from a stated age, or what a file's annotation implies. */
export type AgeBand = 'infant' | 'under5' | 'prepubescent' | 'pubescent' | 'minor';

/** One child as one report names or implies it. */
export interface Mention {
  reportId: string;
  /** Position within the report (victims first, then recipients, then the implied child). */
  mention: number;
  kind: 'victim' | 'recipient' | 'implied';
  firstName: string | null;
  lastName: string | null;
  handle: string | null;
  school: string | null;
  /** Stated age at the incident (or from a date of birth). */
  age: number | null;
  /** Birth year estimated from the age and the report's date, or the date of birth. */
  birthYear: number | null;
  band: AgeBand;
  /** Place the report gives for the child (address or the ESP's estimate). */
  place: string | null;
  /** Identity keys: the child's own accounts (`acct:`), its shown files (`file:`). */
  keys: string[];
  /** What the files say (infant, liveStreaming, A1…). */
  annotations: string[];
}

const YEAR_MS = 365.25 * 86_400_000;

function bandOf(age: number | null): AgeBand {
  if (age === null) return 'minor';
  if (age <= 2) return 'infant';
  if (age < 5) return 'under5';
  if (age < 12) return 'prepubescent';
  return 'pubescent';
}

function clean(v: string | undefined): string | null {
  const t = v?.trim();
  return t && !isPlaceholder(t) ? t : null;
}

/** A name folded for comparison (case, accents, punctuation). */
export function nameKey(name: string): string {
  return placeKey(name);
}

// The child's own accounts: the same account in two reports is the same child (across subjects).
function accountKeys(p: Party): string[] {
  const out = new Set<string>();
  const service = (p.espService ?? '').trim().toLowerCase();
  const add = (k: string | null): void => {
    if (k) out.add(k);
  };
  add(clean(p.espIdentifier) && `acct:esp:${service}:${p.espIdentifier!.trim().toLowerCase()}`);
  add(clean(p.screenName) && `acct:screen:${service}:${p.screenName!.trim().toLowerCase()}`);
  for (const u of p.profileUrls) add(clean(u) && `acct:url:${u.trim().toLowerCase()}`);
  const emails = [...(p.person?.emails ?? []), ...p.associatedAccounts.flatMap((a) => a.emails)];
  for (const e of emails) {
    const c = canonicalEmail(e.address);
    if (c.ok && !c.role) out.add(`acct:email:${c.canonical}`);
  }
  const phones = [...(p.person?.phones ?? []), ...p.associatedAccounts.flatMap((a) => a.phones)];
  for (const ph of phones) {
    const n = normalisePhone(ph.number, ph.countryCallingCode ? { countryCallingCode: ph.countryCallingCode } : {});
    if (n.ok) out.add(`acct:phone:${n.e164}`);
  }
  for (const d of p.deviceIds) add(clean(d.idValue) && `acct:device:${d.idValue.trim().toLowerCase()}`);
  for (const a of p.associatedAccounts) {
    const s = (a.espService ?? '').trim().toLowerCase();
    add(clean(a.espIdentifier) && `acct:esp:${s}:${a.espIdentifier!.trim().toLowerCase()}`);
    add(clean(a.screenName) && `acct:screen:${s}:${a.screenName!.trim().toLowerCase()}`);
  }
  return [...out];
}

function ageOf(p: Party, at: number): { age: number | null; birthYear: number | null } {
  const dob = p.person?.dateOfBirth;
  if (dob && /^\d{4}-\d{2}-\d{2}/.test(dob)) {
    const born = Date.parse(dob.slice(0, 10));
    if (!Number.isNaN(born) && !Number.isNaN(at)) return { age: Math.floor((at - born) / YEAR_MS), birthYear: new Date(born).getUTCFullYear() };
  }
  const age = p.person?.age ?? p.associatedAccounts.find((a) => a.approximateAge !== undefined)?.approximateAge;
  if (age === undefined || age < 0 || age > 120) return { age: null, birthYear: null };
  return { age, birthYear: Number.isNaN(at) ? null : new Date(at).getUTCFullYear() - age };
}

function placeOf(p: Party): string | null {
  const a = p.person?.addresses[0];
  const l = p.estimatedLocation;
  const parts = a ? [a.city, a.nonUsaState ?? a.state] : l ? [l.city, l.region] : [];
  const s = parts.filter((x): x is string => !!x && !isPlaceholder(x)).join(', ');
  return s || null;
}

// What the files imply about a child's age: infant first, then the industry classes.
function impliedBand(report: CybertipReport): { band: AgeBand; files: string[]; annotations: string[] } | null {
  const infant = report.files.filter((f) => f.fileAnnotations.includes('infant'));
  const pre = report.files.filter((f) => f.industryClassification === 'A1' || f.industryClassification === 'A2');
  const pub = report.files.filter((f) => f.industryClassification === 'B1' || f.industryClassification === 'B2');
  const pick = infant.length
    ? { band: 'infant' as const, files: infant }
    : pre.length
      ? { band: 'prepubescent' as const, files: pre }
      : pub.length
        ? { band: 'pubescent' as const, files: pub }
        : null;
  if (!pick) return null;
  const annotations = [...new Set(pick.files.flatMap((f) => [...f.fileAnnotations, ...(f.industryClassification ? [f.industryClassification] : [])]))].sort();
  const files = pick.files.flatMap((f) =>
    f.originalFileHashes.map((h) => `file:${h.hashType.trim().toLowerCase().replace(/-/g, '')}:${h.value.trim().toLowerCase()}`),
  );
  return { band: pick.band, files, annotations };
}

const fits = (band: AgeBand, age: number | null): boolean =>
  age !== null && (band === 'infant' ? age <= 2 : band === 'prepubescent' ? age < 12 : band === 'pubescent' ? age >= 10 && age < 18 : age < 18);

/** Every child a report names or implies. */
export function mentionsOf(report: CybertipReport, receivedAt: string | null): Mention[] {
  const at = Date.parse(receivedAt ?? report.envelope.receivedAt ?? report.incident.incidentDateTime);
  const out: Mention[] = [];
  const named = (p: Party, kind: 'victim' | 'recipient'): void => {
    const { age, birthYear } = ageOf(p, at);
    // A recipient is a child only when its age says so; a victim is one unless its age says otherwise.
    if (age !== null ? age >= 18 : kind === 'recipient') return;
    out.push({
      reportId: report.reportId,
      mention: out.length,
      kind,
      firstName: clean(p.person?.firstName),
      lastName: clean(p.person?.lastName),
      handle: clean(p.screenName) ?? clean(p.associatedAccounts[0]?.screenName),
      school: clean(p.schoolName),
      age,
      birthYear,
      band: bandOf(age),
      place: placeOf(p),
      keys: accountKeys(p),
      annotations: [],
    });
  };
  for (const v of report.victims) named(v, 'victim');
  for (const r of report.intendedRecipients) named(r, 'recipient');
  const implied = impliedBand(report);
  if (implied) {
    const victims = out.filter((m) => m.kind === 'victim');
    const fitting = victims.filter((m) => fits(implied.band, m.age));
    // One named victim whose age fits is the child the files show: the files join to it.
    if (victims.length === 1 && (fitting.length === 1 || victims[0]!.age === null)) {
      const v = victims[0]!;
      v.keys = [...new Set([...v.keys, ...implied.files])];
      v.annotations = implied.annotations;
      if (v.age === null) v.band = implied.band;
    } else if (fitting.length === 0) {
      out.push({
        reportId: report.reportId,
        mention: out.length,
        kind: 'implied',
        firstName: null,
        lastName: null,
        handle: null,
        school: null,
        age: null,
        birthYear: null,
        band: implied.band,
        place: null,
        keys: implied.files,
        annotations: implied.annotations,
      });
    }
  }
  return out;
}

/** A mention as stored, with the report's subject. */
export interface StoredMention extends Mention {
  subjectId: string | null;
  receivedAt: string | null;
}

/**
 * Whether two mentions are one child (conservative): the same account or the same shown file; or,
 * within one subject, the same first name with ages that agree (birth years at most a year apart)
 * and no conflicting last name. Two children of one subject without such evidence stay two.
 */
export function sameChild(a: StoredMention, b: StoredMention): boolean {
  if (a.keys.some((k) => b.keys.includes(k))) return true;
  if (!a.subjectId || a.subjectId !== b.subjectId) return false;
  if (!a.firstName || !b.firstName || nameKey(a.firstName) !== nameKey(b.firstName)) return false;
  if (a.lastName && b.lastName && nameKey(a.lastName) !== nameKey(b.lastName)) return false;
  return a.birthYear !== null && b.birthYear !== null && Math.abs(a.birthYear - b.birthYear) <= 1;
}

/** The keys under which a mention may meet others: its own keys and its name within its subject. */
export function meetingKeys(m: StoredMention): string[] {
  const out = [...m.keys];
  if (m.subjectId && m.firstName && m.birthYear !== null) out.push(`name:${m.subjectId}:${nameKey(m.firstName)}`);
  return out;
}

/** Groups mentions into children (union-find over pairs that meet under a key). */
export function cluster(mentions: StoredMention[]): StoredMention[][] {
  const parent = mentions.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const byKey = new Map<string, number[]>();
  mentions.forEach((m, i) => {
    for (const k of meetingKeys(m)) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(i);
  });
  const union = (a: number, b: number): void => {
    const x = find(a);
    const y = find(b);
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  };
  for (const [key, idx] of byKey) {
    // An account or a shown file is the same child wherever it meets: no pairwise check needed
    // (a file spread across thousands of reports must not cost their square).
    if (!key.startsWith('name:')) {
      for (let i = 1; i < idx.length; i++) union(idx[0]!, idx[i]!);
      continue;
    }
    for (let i = 0; i < idx.length; i++) {
      for (let j = i + 1; j < idx.length; j++) {
        if (find(idx[i]!) !== find(idx[j]!) && sameChild(mentions[idx[i]!]!, mentions[idx[j]!]!)) union(idx[i]!, idx[j]!);
      }
    }
  }
  const groups = new Map<number, StoredMention[]>();
  mentions.forEach((m, i) => (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(m));
  return [...groups.values()];
}
