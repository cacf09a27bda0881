// The typed features a triage rule can test, and how they are computed: first from the canonical
// report alone (stored once per version, see DocFeatures), then completed at scoring time with
// hash signals, enrichment, linkage, payments, deconfliction and the clock (assembleFeatures).
// Pure functions: every input arrives as a plain value.
import { LIVE_TALK as LIVE_TALK_PATTERN, PAYMENT_TALK as PAYMENT_TALK_PATTERN, THREAT as THREAT_PATTERN, statedMinorAge } from './text-signals.ts';
import type { CybertipReport, Party } from '../model/report.ts';
import { deriveEsp, toUtcIso } from '../model/report.ts';
import type { FeatureCatalogue, FeatureRecord } from '../model/rule-engine.ts';
import { escalationStrength } from './escalation.ts';

/** What the canonical report alone says, as stored per version (JSON). */
export interface DocFeatures {
  incidentType: string;
  incidentCategory: string;
  /** The escalation text as written, trimmed ('' when the element is there but blank); null when absent. */
  escalationText: string | null;
  annotations: string[];
  fileAnnotations: string[];
  industryClassifications: string[];
  fileCount: number;
  viewedFileCount: number;
  victimCount: number;
  victimMinAge: number | null;
  intendedMinorCount: number;
  /** A victim shares a reported user's surname: a child in the household (access to children). */
  victimSharesSurname: boolean;
  referral: boolean | null;
  ncmecPriority: string | null;
  batchedReason: string | null;
  priorReportsCited: number;
  ipEventCount: number;
  ipPortTimeCount: number;
  possibleProxy: boolean;
  phoneCount: number;
  emailCount: number;
  deviceCount: number;
  hasLocation: boolean;
  thirdParty: boolean;
  lawEnforcementInvolved: boolean;
  groupCount: number;
  associatedAccountCount: number;
  /** Every free text of the report (escalation, notes, then chat, game, e-mail and newsgroup content; reportText), lower-cased, at most 2,000 characters. */
  text: string;
  esp: string | null;
  country: string | null;
  /** UTC ISO. */
  receivedAt: string | null;
  incidentTime: string | null;
  /** The latest IP capture time (UTC ISO): Philippine traffic data is kept 6 months from the transaction. */
  lastEventAt: string | null;
  /** What NCMEC itself says about the report (LE JSON); absent in features stored before it was read. */
  ncmec?: NcmecFacts;
}

/** NCMEC's own notes on a report (LE JSON's automated information and law-enforcement contacts; docs/ncmec.md). */
export interface NcmecFacts {
  autoRefers: number;
  autoCloses: number;
  /** The auto-refer and auto-close notes, lower-cased, at most 1,000 characters. */
  autoNotes: string;
  /** Agencies NCMEC's external deconfliction matched ('' when a match names none). */
  deconflictionAgencies: string[];
  deconflictionMatches: number;
  associatedReports: number;
  /** Agencies NCMEC made the report available to. */
  lawEnforcementAgencies: string[];
  /** An agency recorded feedback on the report with NCMEC. */
  leFeedback: boolean;
}

/** Linkage signals of one report, which its subject's other reports see (`subject.signals`). */
export type LinkSignal = 'escalation' | 'sextortion' | 'livestream' | 'new-young' | 'young-victim' | 'payment-talk' | 'sadistic';

/** Hash signals of a report (report_hash_signals), or null when it was never hashed. */
export interface HashFacts {
  novelty: string;
  known: boolean;
  viral: boolean;
  newFiles: number;
  knownCategories: string[];
  /**
   * Files first seen in this report, on no list and not recirculating by Bantay's own count,
   * whatever the ESP's meme or viral flag says (null: not read, e.g. a context stored before).
   */
  unlistedFirstSeen?: number | null;
  /** A file recirculates by Bantay's own count (reports and users in a window), not by an ESP flag alone. */
  recirculating?: boolean | null;
}

/** Enrichment of a report (report_enrichment), or null when it has none yet. */
export interface EnrichFacts {
  countries: string[];
  ipFlags: string[];
  carriers: string[];
  provinceCode: string | null;
  ipPortTimeCount: number;
  phoneCount: number;
}

/** A linked report as its subject's other members see it. */
export interface LinkedReport {
  id: string;
  signals: string[];
  esp: string | null;
  receivedAt: string | null;
}

/** What the subject of a report brings: its other reports, payments and deconfliction. */
export interface SubjectFacts {
  id: string;
  members: LinkedReport[];
  paymentScore: number | null;
  paymentAlerts: number | null;
  paymentReason: string | null;
  inActiveCase: boolean;
}

const DAY = 86_400_000;

const CATEGORY: [RegExp, string][] = [
  [/pornography|csam/i, 'csam'],
  [/enticement/i, 'enticement'],
  [/trafficking/i, 'trafficking'],
  [/molestation/i, 'molestation'],
  [/obscene/i, 'obscene'],
  [/tourism/i, 'tourism'],
  [/misleading/i, 'misleading'],
];

function safeIso(v: string | undefined): string | null {
  if (!v) return null;
  try {
    return toUtcIso(v);
  } catch {
    return null;
  }
}

function ageFrom(dob: string | undefined, at: string | null): number | null {
  if (!dob || !/^\d{4}-\d{2}-\d{2}/.test(dob)) return null;
  const born = Date.parse(dob.slice(0, 10));
  const ref = at ? Date.parse(at) : NaN;
  if (Number.isNaN(born) || Number.isNaN(ref)) return null;
  return Math.floor((ref - born) / (365.25 * DAY));
}

function partyAge(p: Party, at: string | null): number | null {
  if (p.person?.age !== undefined) return p.person.age;
  const a = ageFrom(p.person?.dateOfBirth, at);
  if (a !== null) return a;
  for (const acc of p.associatedAccounts) if (acc.approximateAge !== undefined) return acc.approximateAge;
  return null;
}

/** The most of a report's words the features keep (they are stored with every report version). */
const TEXT_LIMIT = 2000;

/**
 * Every free text the schema gives a report, the ESP's notes first and the communications last, so
 * that a long chat loses its tail, never a note: the escalation, the incident's time description,
 * the report's additional information, the notes on each reported person, intended recipient and
 * victim ("Any additional notes on this victim": where an ESP writes that a child gave an age), on
 * each internet detail and file, then the content of chats, online games ("the content of the
 * message/chat that occurred during the game"), e-mails and newsgroups (cyber_tipline.xsd).
 */
function reportText(r: CybertipReport): string[] {
  const texts: string[] = [];
  const add = (t: string | undefined): void => {
    if (t?.trim()) texts.push(t);
  };
  add(r.incident.escalateToHighPriority);
  add(r.incident.incidentDateTimeDescription);
  add(r.additionalInfo);
  for (const p of [...r.reportedPersons, ...r.intendedRecipients, ...r.victims]) p.additionalInfo.forEach(add);
  for (const d of r.internetDetails) add(d.additionalInfo);
  for (const f of r.files) f.additionalInfo.forEach(add);
  for (const d of r.internetDetails) if (d.kind === 'chatIm' || d.kind === 'onlineGaming' || d.kind === 'email' || d.kind === 'newsgroup') add(d.content);
  return texts;
}

/** Computes the document features of one canonical report (pure). */
export function docFeatures(r: CybertipReport): DocFeatures {
  const incidentTime = safeIso(r.incident.incidentDateTime);
  const parties = [...r.reportedPersons, ...r.intendedRecipients, ...r.victims];
  const ages = r.victims.map((v) => partyAge(v, incidentTime)).filter((a): a is number => a !== null && a >= 0);
  const ipEvents = [
    ...parties.flatMap((p) => [...p.ipCaptureEvents, ...p.associatedAccounts.flatMap((a) => a.ipCaptureEvents)]),
    ...r.files.flatMap((f) => (f.ipCaptureEvent ? [f.ipCaptureEvent] : [])),
    ...r.internetDetails.flatMap((d) => (d.kind === 'peer2peer' ? d.ipCaptureEvents : [])),
  ].filter((e) => e.ipAddress.trim() !== '');
  let lastEvent: string | null = null;
  for (const e of ipEvents) {
    const t = safeIso(e.dateTime);
    if (t && (!lastEvent || t > lastEvent)) lastEvent = t;
  }
  const reported = r.reportedPersons;
  const phones = reported
    .flatMap((p) => [...(p.person?.phones ?? []), ...p.associatedAccounts.flatMap((a) => a.phones)])
    .concat(r.internetDetails.flatMap((d) => (d.kind === 'cellPhone' && d.phone ? [d.phone] : [])));
  const emails = reported.flatMap((p) => [...(p.person?.emails ?? []), ...p.associatedAccounts.flatMap((a) => a.emails)]);
  const texts = reportText(r);
  const escalation = r.incident.escalateToHighPriority === undefined ? null : r.incident.escalateToHighPriority.trim();
  const set = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
  return {
    incidentType: r.incident.incidentType,
    incidentCategory: CATEGORY.find(([re]) => re.test(r.incident.incidentType))?.[1] ?? 'other',
    escalationText: escalation,
    annotations: set(r.incident.reportAnnotations),
    fileAnnotations: set(r.files.flatMap((f) => [...f.fileAnnotations, ...(f.potentialMeme ? ['potentialMeme'] : [])])),
    industryClassifications: set(r.files.flatMap((f) => (f.industryClassification ? [f.industryClassification] : []))),
    fileCount: r.files.length,
    viewedFileCount: r.files.filter((f) => f.fileViewedByEsp === true).length,
    victimCount: r.victims.length,
    victimMinAge: ages.length ? Math.min(...ages) : null,
    victimSharesSurname: r.victims.some((v) => {
      const last = v.person?.lastName?.trim().toLowerCase();
      return !!last && reported.some((p) => p.person?.lastName?.trim().toLowerCase() === last);
    }),
    intendedMinorCount: r.intendedRecipients.filter((p) => {
      const a = partyAge(p, incidentTime);
      return a !== null && a < 18;
    }).length,
    referral: r.envelope.referral ?? null,
    ncmecPriority: r.envelope.priority?.trim() || null,
    batchedReason: r.incident.batchedReason ?? null,
    priorReportsCited: new Set(parties.flatMap((p) => [...p.priorCTReports, ...p.associatedAccounts.flatMap((a) => a.priorCTReports)])).size,
    ipEventCount: ipEvents.length,
    ipPortTimeCount: ipEvents.filter((e) => e.port !== undefined && safeIso(e.dateTime) !== null).length,
    possibleProxy: ipEvents.some((e) => e.possibleProxy === true),
    phoneCount: new Set(phones.map((p) => p.number.replace(/\D/g, '')).filter((n) => n.length >= 7 && !/^0+$/.test(n))).size,
    emailCount: new Set(emails.map((e) => e.address.trim().toLowerCase()).filter((e) => e.includes('@'))).size,
    deviceCount: new Set(
      parties
        .flatMap((p) => p.deviceIds)
        .concat(r.files.flatMap((f) => f.deviceIds))
        .map((d) => d.idValue.trim())
        .filter((v) => v && !/^(0+|n\/?a|unknown|none)$/i.test(v)),
    ).size,
    hasLocation:
      reported.some((p) => p.estimatedLocation !== undefined || (p.person?.addresses.length ?? 0) > 0) ||
      r.internetDetails.some((d) => (d.kind === 'cellPhone' && d.latitude !== undefined) || (d.kind === 'nonInternet' && d.addresses.length > 0)),
    thirdParty: reported.length > 0 && reported.every((p) => p.thirdPartyUserReported === true),
    lawEnforcementInvolved: r.lawEnforcement?.reportedToLe === true || r.lawEnforcement?.caseNumber !== undefined,
    groupCount: new Set(parties.flatMap((p) => (p.groupIdentifier ? [p.groupIdentifier] : []))).size,
    associatedAccountCount: reported.reduce((n, p) => n + p.associatedAccounts.length, 0),
    text: texts.join('\n').toLowerCase().slice(0, TEXT_LIMIT),
    esp: deriveEsp(r),
    country: r.envelope.country?.trim() || null,
    receivedAt: safeIso(r.envelope.receivedAt),
    incidentTime,
    lastEventAt: lastEvent,
    ncmec: ncmecFacts(r),
  };
}

/** NCMEC's own notes on a report, as facts a rule can test (pure). */
export function ncmecFacts(r: CybertipReport): NcmecFacts {
  const e = r.envelope;
  const refers = e.autoRefers ?? [];
  const closes = e.autoCloses ?? [];
  const matches = e.externalDeconfliction ?? [];
  const contacts = e.lawEnforcementContacts ?? [];
  const names = (xs: (string | undefined)[]): string[] => [...new Set(xs.map((x) => x?.trim() ?? '').filter((x) => x !== ''))].sort();
  return {
    autoRefers: refers.length,
    autoCloses: closes.length,
    autoNotes: [...refers, ...closes]
      .map((n) => n.text)
      .join('\n')
      .toLowerCase()
      .slice(0, 1000),
    deconflictionAgencies: names(matches.map((m) => m.agency)),
    deconflictionMatches: matches.length,
    associatedReports: new Set(e.associatedCybertipReports ?? []).size,
    lawEnforcementAgencies: names(contacts.map((c) => c.agency)),
    leFeedback: contacts.some((c) => (c.leaFeedback?.trim() ?? '') !== ''),
  };
}

// Fixed patterns for the linkage signals (what a linked report tells about its subject); the
// rules themselves test `text` with their own, editable patterns.
const PAYMENT_TALK = new RegExp(PAYMENT_TALK_PATTERN, 'i');
const LIVE_TALK = new RegExp(LIVE_TALK_PATTERN, 'i');
const THREAT = new RegExp(THREAT_PATTERN, 'i');

/** The linkage signals of one report from its document features and hash novelty (pure). */
export function linkSignals(d: DocFeatures, novelty: string | null): LinkSignal[] {
  const out: LinkSignal[] = [];
  const infant = d.fileAnnotations.includes('infant');
  const young = (d.victimMinAge !== null && d.victimMinAge <= 5) || infant;
  const child = (d.victimMinAge !== null && d.victimMinAge < 12) || infant;
  // A bare escalation flag is a label, not a statement of risk: it does not lift linked reports.
  if (escalationStrength(d.escalationText) === 'reason') out.push('escalation');
  if (d.annotations.includes('sextortion') || THREAT.test(d.text)) out.push('sextortion');
  // A livestream label on listed or recirculating material is a recording of a past stream.
  if ((d.fileAnnotations.includes('liveStreaming') && novelty !== 'known' && novelty !== 'viral') || (PAYMENT_TALK.test(d.text) && LIVE_TALK.test(d.text)))
    out.push('livestream');
  if (child && novelty === 'new') out.push('new-young');
  if (young) out.push('young-victim');
  if (PAYMENT_TALK.test(d.text)) out.push('payment-talk');
  if (d.annotations.includes('sadisticOnlineExploitation') || d.fileAnnotations.some((a) => a === 'physicalHarm' || a === 'violenceGore')) out.push('sadistic');
  return out;
}

/** Deadlines that decide whether the data behind a report is still preserved. */
export interface PreservationPolicy {
  /** US ESP preservation of reported content: 1 year since May 2024. */
  usDays: number;
  /** Philippine traffic data (RA 10175): 6 months from the transaction. */
  phTrafficDays: number;
}

/** Default deadlines (domain.md §6.4). */
export const DEFAULT_PRESERVATION: PreservationPolicy = { usDays: 365, phTrafficDays: 182 };

/** The earliest applicable preservation deadline of a report (UTC ISO), or null when no date is known. */
export function preservationDeadline(d: DocFeatures, philippine: boolean, policy: PreservationPolicy = DEFAULT_PRESERVATION): string | null {
  const candidates: number[] = [];
  const received = d.receivedAt ?? d.incidentTime;
  if (received) candidates.push(Date.parse(received) + policy.usDays * DAY);
  const transaction = d.lastEventAt ?? d.incidentTime;
  if (philippine && transaction) candidates.push(Date.parse(transaction) + policy.phTrafficDays * DAY);
  const ok = candidates.filter((t) => !Number.isNaN(t));
  return ok.length ? new Date(Math.min(...ok)).toISOString() : null;
}

/** Everything the scorer knows about one report. */
export interface ReportFacts {
  reportId: string;
  doc: DocFeatures;
  hash: HashFacts | null;
  enrich: EnrichFacts | null;
  subject: SubjectFacts | null;
  deconflicted: boolean;
  /** The rescued child the report is about, when it brought no new material since the rescue (children stage). */
  rescuedChild?: string | null;
  /** Other agencies holding an identifier of this report or its subject in an active case (deconfliction between agencies). */
  external?: string[] | null;
}

const days = (from: string | null, now: number): number | null => (from ? Math.floor(((now - Date.parse(from)) / DAY) * 10) / 10 : null);

/** Whether a report concerns the Philippines (envelope country, enrichment, or a province). */
export function isPhilippine(f: Pick<ReportFacts, 'doc' | 'enrich'>): boolean {
  return f.doc.country === 'PH' || (f.enrich?.countries.includes('PH') ?? false) || (f.enrich?.provinceCode ?? null) !== null;
}

/** The feature record of one report at time `now` (ms since the epoch). */
export function assembleFeatures(f: ReportFacts, now: number, policy: PreservationPolicy = DEFAULT_PRESERVATION): FeatureRecord {
  const d = f.doc;
  const signals = linkSignals(d, f.hash?.novelty ?? null);
  const others = f.subject ? f.subject.members.filter((m) => m.id !== f.reportId) : [];
  const subjectSignals = new Set<string>();
  for (const m of others) for (const s of m.signals) subjectSignals.add(s);
  const own = d.receivedAt ?? d.incidentTime;
  const esps = new Set<string>();
  if (d.esp) esps.add(d.esp);
  for (const m of others) if (m.esp) esps.add(m.esp);
  const philippine = isPhilippine(f);
  const deadline = preservationDeadline(d, philippine, policy);
  // NCMEC's priority is kept raw: only a number is a level (1 highest); a letter such as "E" is a
  // code whose meaning the agency configures in its rules (ncmecPriorityCode), never a level.
  const priorityCode = d.ncmecPriority === null ? null : d.ncmecPriority.toUpperCase();
  const priority = priorityCode !== null && /^\d+$/.test(priorityCode) ? Number(priorityCode) : null;
  const escalation = escalationStrength(d.escalationText);
  const h = f.hash;
  const ipFlags = f.enrich?.ipFlags ?? [];
  const ipPortTime = f.enrich ? f.enrich.ipPortTimeCount : d.ipPortTimeCount;
  return {
    incidentType: d.incidentType,
    incidentCategory: d.incidentCategory,
    escalation: escalation !== 'none',
    escalationReason: escalation === 'none' ? null : escalation === 'reason',
    escalationText: d.escalationText,
    annotations: d.annotations,
    fileAnnotations: d.fileAnnotations,
    industryClassifications: d.industryClassifications,
    fileCount: d.fileCount,
    viewedFileCount: d.viewedFileCount,
    victimCount: d.victimCount,
    victimMinAge: d.victimMinAge,
    statedMinorAge: statedMinorAge(d.text),
    intendedMinorCount: d.intendedMinorCount,
    victimSharesSurname: d.victimSharesSurname ?? false,
    referral: d.referral,
    informational: d.referral === false || d.annotations.includes('informational'),
    ncmecPriority: priority,
    ncmecPriorityCode: priorityCode,
    batched: d.batchedReason !== null,
    batchedReason: d.batchedReason,
    priorReportsCited: d.priorReportsCited,
    ipEventCount: d.ipEventCount,
    ipPortTimeCount: ipPortTime,
    possibleProxy: d.possibleProxy,
    anonymised: d.possibleProxy || ipFlags.some((x) => x === 'vpn' || x === 'proxy' || x === 'relay'),
    cgnat: ipFlags.includes('cgnat'),
    phoneCount: Math.max(d.phoneCount, f.enrich?.phoneCount ?? 0),
    emailCount: d.emailCount,
    deviceCount: d.deviceCount,
    hasLocation: d.hasLocation || (f.enrich?.provinceCode ?? null) !== null,
    thirdParty: d.thirdParty,
    lawEnforcementInvolved: d.lawEnforcementInvolved,
    groupCount: d.groupCount,
    associatedAccountCount: d.associatedAccountCount,
    text: d.text,
    esp: d.esp,
    country: d.country,
    signals,
    'hash.novelty': f.hash?.novelty ?? null,
    'hash.new': f.hash ? f.hash.novelty === 'new' : null,
    'hash.known': f.hash?.known ?? null,
    'hash.viral': f.hash?.viral ?? null,
    'hash.newFiles': f.hash?.newFiles ?? null,
    // A context stored before these facts existed falls back to the novelty, which folds in the ESP's flag.
    'hash.newMaterial': h ? (typeof h.unlistedFirstSeen === 'number' ? h.unlistedFirstSeen > 0 : h.novelty === 'new') : null,
    'hash.recirculating': h ? (typeof h.recirculating === 'boolean' ? h.recirculating : h.viral) : null,
    'hash.knownCategories': f.hash?.knownCategories ?? [],
    'enrich.known': f.enrich !== null,
    'enrich.countries': f.enrich?.countries ?? [],
    'enrich.ipFlags': ipFlags,
    'enrich.carriers': f.enrich?.carriers ?? [],
    'enrich.provinceCode': f.enrich?.provinceCode ?? null,
    philippine,
    'subject.id': f.subject?.id ?? null,
    'subject.reports': f.subject ? f.subject.members.length : 1,
    'subject.priorReports': own ? others.filter((m) => (m.receivedAt ?? '') < own).length : 0,
    'subject.esps': esps.size,
    'subject.signals': [...subjectSignals].sort(),
    'subject.urgentLinked': others.filter((m) => m.signals.some((s) => s === 'escalation' || s === 'sextortion' || s === 'livestream' || s === 'new-young'))
      .length,
    'subject.paymentScore': f.subject?.paymentScore ?? null,
    'subject.paymentAlerts': f.subject?.paymentAlerts ?? null,
    'subject.paymentReason': f.subject?.paymentReason ?? null,
    'subject.inActiveCase': f.subject?.inActiveCase ?? false,
    deconflicted: f.deconflicted,
    'child.rescued': f.rescuedChild ?? null,
    'external.case': (f.external?.length ?? 0) > 0,
    'external.agencies': f.external ?? [],
    // Features stored before NCMEC's notes were read say nothing about them: unknown, so rules stay neutral.
    'ncmec.autoReferred': d.ncmec ? d.ncmec.autoRefers > 0 : null,
    'ncmec.autoClosed': d.ncmec ? d.ncmec.autoCloses > 0 : null,
    'ncmec.autoNotes': d.ncmec?.autoNotes ?? null,
    'ncmec.externalDeconfliction': d.ncmec ? d.ncmec.deconflictionMatches > 0 : null,
    'ncmec.deconflictionAgencies': d.ncmec?.deconflictionAgencies ?? [],
    'ncmec.associatedReports': d.ncmec?.associatedReports ?? null,
    'ncmec.lawEnforcementAgencies': d.ncmec?.lawEnforcementAgencies ?? [],
    'ncmec.leFeedback': d.ncmec?.leFeedback ?? null,
    linked: others.map((m) => ({ id: m.id, signals: m.signals, esp: m.esp, ageDays: days(m.receivedAt, now) })),
    'time.ageDays': days(own, now),
    'time.incidentAgeDays': days(d.incidentTime, now),
    'time.preservationDaysLeft': deadline ? Math.floor(((Date.parse(deadline) - now) / DAY) * 10) / 10 : null,
  };
}

const LINKED_ITEMS: FeatureCatalogue = {
  id: { type: 'string', description: "the linked report's id" },
  signals: { type: 'strings', description: "the linked report's linkage signals" },
  esp: { type: 'string', description: "the linked report's ESP" },
  ageDays: { type: 'number', description: 'days since the linked report was received' },
};

/** Every feature a triage rule may test, with its type (docs/triage.md lists them). */
export const REPORT_FEATURES: FeatureCatalogue = {
  incidentType: { type: 'string', description: 'incidentSummary/incidentType as written' },
  incidentCategory: { type: 'string', description: 'csam, enticement, trafficking, molestation, obscene, tourism, misleading or other' },
  escalation: { type: 'boolean', description: 'the ESP escalated the report to high priority (any text, even a bare flag)' },
  escalationReason: {
    type: 'boolean',
    description:
      'the escalation gives a reason (two or more words beyond procedure, flags and placeholders; src/triage/escalation.ts); unknown when not escalated',
  },
  escalationText: { type: 'string', description: 'the escalateToHighPriority text' },
  annotations: {
    type: 'strings',
    description: 'report annotations (sextortion, csamSolicitation, minorToMinorInteraction, spam, sadisticOnlineExploitation...)',
  },
  fileAnnotations: { type: 'strings', description: "union of the files' annotations (liveStreaming, infant, physicalHarm, potentialMeme, viral...)" },
  industryClassifications: { type: 'strings', description: "union of the files' industry classifications (A1, A2, B1, B2)" },
  fileCount: { type: 'number', description: 'files in the report' },
  viewedFileCount: { type: 'number', description: 'files the ESP viewed (usable without a warrant after Wilson)' },
  victimCount: { type: 'number', description: 'victims named' },
  victimMinAge: { type: 'number', description: "youngest victim's age (age, date of birth or approximate age); unknown when none is given" },
  statedMinorAge: {
    type: 'number',
    description: 'the youngest age under 18 the report\'s text states ("im only 14", "13 years old", "14 pa lang ako"); unknown when none',
  },
  intendedMinorCount: { type: 'number', description: 'intended recipients under 18' },
  victimSharesSurname: { type: 'boolean', description: "a victim shares a reported user's surname (a child in the household)" },
  referral: { type: 'boolean', description: 'NCMEC referral (false: informational)' },
  informational: { type: 'boolean', description: 'NCMEC marked the report informational (referral false, or an informational annotation)' },
  ncmecPriority: { type: 'number', description: 'NCMEC priority when it is a number (1 highest); unknown when absent or a letter code' },
  ncmecPriorityCode: { type: 'string', description: "NCMEC priority as written, upper-cased (e.g. 1, 2, E); its meaning is the agency's to configure" },
  batched: { type: 'boolean', description: 'part of a batched (viral or meme) report' },
  batchedReason: { type: 'string', description: 'the batch reason, e.g. VIRAL_POTENTIAL_MEME' },
  priorReportsCited: { type: 'number', description: 'earlier CyberTipline reports the report cites (priorCTReport)' },
  ipEventCount: { type: 'number', description: 'IP capture events' },
  ipPortTimeCount: { type: 'number', description: "IPs with a port and a time (enrichment's public, non-shared count when enriched)" },
  possibleProxy: { type: 'boolean', description: 'the ESP flagged an IP as a possible proxy' },
  anonymised: { type: 'boolean', description: 'a proxy flag, or enrichment found a VPN, proxy or relay IP' },
  cgnat: { type: 'boolean', description: 'enrichment found a carrier-grade NAT IP' },
  phoneCount: { type: 'number', description: 'distinct phone numbers of the reported persons' },
  emailCount: { type: 'number', description: 'distinct e-mail addresses of the reported persons' },
  deviceCount: { type: 'number', description: 'distinct device ids' },
  hasLocation: { type: 'boolean', description: 'an estimated location, an address, coordinates or an enrichment province' },
  thirdParty: { type: 'boolean', description: 'every reported user is a third party' },
  lawEnforcementInvolved: { type: 'boolean', description: 'the report names law enforcement already involved' },
  groupCount: { type: 'number', description: 'group identifiers' },
  associatedAccountCount: { type: 'number', description: 'associated accounts of the reported persons' },
  text: {
    type: 'string',
    description:
      'every free text of the report: escalation, notes on the report, its people, internet details and files, then chat, game and e-mail content; lower-cased',
  },
  esp: { type: 'string', description: 'the reporting ESP' },
  country: { type: 'string', description: "NCMEC's country" },
  signals: {
    type: 'strings',
    description: "this report's linkage signals: escalation, sextortion, livestream, new-young, young-victim, payment-talk, sadistic",
  },
  'hash.novelty': { type: 'string', description: 'new, repeat, known, viral or unhashed' },
  'hash.new': { type: 'boolean', description: 'the newest file is new (no list match, first sighting)' },
  'hash.known': { type: 'boolean', description: 'a file matches a known-hash list' },
  'hash.viral': { type: 'boolean', description: 'a file recirculates across reports and users, or the ESP flagged it viral' },
  'hash.newFiles': { type: 'number', description: 'files never seen before' },
  'hash.newMaterial': {
    type: 'boolean',
    description: "a file first seen in this report, on no list and not recirculating by Bantay's count, whatever the ESP's meme or viral flag",
  },
  'hash.recirculating': {
    type: 'boolean',
    description: "a file recirculates by Bantay's own count (reports and users within a window), not by an ESP flag alone",
  },
  'hash.knownCategories': { type: 'strings', description: 'categories of the matched list entries' },
  'enrich.known': { type: 'boolean', description: 'the report has been enriched' },
  'enrich.countries': { type: 'strings', description: 'countries from IPs, phones and addresses' },
  'enrich.ipFlags': { type: 'strings', description: 'IP classes: private, cgnat, vpn, proxy, relay, public-dns, cloud' },
  'enrich.carriers': { type: 'strings', description: 'network operators of the public IPs' },
  'enrich.provinceCode': { type: 'string', description: 'PSGC code of the most likely Philippine province' },
  philippine: { type: 'boolean', description: 'the report concerns the Philippines (country, enrichment or province)' },
  'subject.id': { type: 'string', description: 'the linked subject' },
  'subject.reports': { type: 'number', description: 'reports in the subject (1 when unlinked)' },
  'subject.priorReports': { type: 'number', description: "the subject's reports received before this one" },
  'subject.esps': { type: 'number', description: "distinct ESPs over the subject's reports" },
  'subject.signals': { type: 'strings', description: "linkage signals of the subject's other reports" },
  'subject.urgentLinked': { type: 'number', description: "the subject's other reports with escalation, sextortion, livestream or new-young signals" },
  'subject.paymentScore': { type: 'number', description: "payments stage: the subject's highest alert score (0-1)" },
  'subject.paymentAlerts': { type: 'number', description: "payments stage: alerts on the subject's parties" },
  'subject.paymentReason': { type: 'string', description: 'payments stage: the strongest reason' },
  'subject.inActiveCase': { type: 'boolean', description: 'a report of the subject is held by an active case' },
  deconflicted: { type: 'boolean', description: 'this report is held by an active case' },
  'child.rescued': { type: 'string', description: 'the rescued child (children page) this report is about, when it brought no new material since the rescue' },
  'external.case': {
    type: 'boolean',
    description: 'an identifier of this report or its subject is in an active case at another agency (an imported deconfliction file)',
  },
  'external.agencies': { type: 'strings', description: 'the other agencies with an active case on an identifier of this report or its subject' },
  'ncmec.autoReferred': {
    type: 'boolean',
    description: "NCMEC's systems referred the report automatically (LE JSON autoRefers); unknown in features stored before it was read",
  },
  'ncmec.autoClosed': { type: 'boolean', description: "NCMEC's systems closed the report automatically (LE JSON autoCloses)" },
  'ncmec.autoNotes': { type: 'string', description: 'the auto-refer and auto-close notes, lower-cased' },
  'ncmec.externalDeconfliction': { type: 'boolean', description: "NCMEC's external deconfliction matched the report to another agency's records" },
  'ncmec.deconflictionAgencies': { type: 'strings', description: "the agencies NCMEC's external deconfliction names" },
  'ncmec.associatedReports': { type: 'number', description: 'other CyberTipline reports NCMEC associated with this one' },
  'ncmec.lawEnforcementAgencies': { type: 'strings', description: 'the agencies NCMEC made the report available to' },
  'ncmec.leFeedback': { type: 'boolean', description: 'an agency recorded feedback on the report with NCMEC' },
  linked: { type: 'list', description: "the subject's other reports", items: LINKED_ITEMS },
  'time.ageDays': { type: 'number', description: 'days since the report was received' },
  'time.incidentAgeDays': { type: 'number', description: 'days since the incident' },
  'time.preservationDaysLeft': {
    type: 'number',
    description: 'days before the earliest preservation deadline (US 1 year from receipt; PH traffic data 6 months from the transaction)',
  },
};
