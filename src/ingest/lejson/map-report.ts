// Maps one parsed LE JSON document (the per-tip JSON NCMEC's systems give law enforcement) onto
// the canonical model, the same CybertipReport the XML reader builds, so every later stage treats
// both alike. Keys the mapping does not know are kept verbatim in `unknown`; see docs/lejson.md.

import type { CybertipReport, FileDetails, FileMetadata, Incident, InternetDetail, InternetDetailKind, LawEnforcement, Reporter } from '../../model/report.ts';
import { INTERNET_DETAIL_ELEMENTS } from '../../model/report.ts';
import { normalizeReportNumber } from '../cybertip/values.ts';
import { Fields, isObject, LeContext, quoted } from './fields.ts';
import { envelopeOf, ncmecLinks } from './map-ncmec.ts';
import { addresses, captures, emails, flatPerson, party, phones, sourceCaptures } from './map-party.ts';

/** The outcome of mapping one document: the report, or the hard-rule violations that set it aside. */
export type LeMapOutcome = { ok: true; report: CybertipReport } | { ok: false; reportId?: string; reason: string };

/** The Bantay-only key that carries a report's unknown parts when Bantay writes LE JSON (write.ts). */
export const CARRIED_UNKNOWN_KEY = 'bantayUnknown';

// Bantay's own id for a report without a number (`h` + 16 hex digits of its text's SHA-256), as written back by write.ts.
const CONTENT_ID = /^h[0-9a-f]{16}$/;

/** The report number of a document's `reportId`, or null (digits in a string, a safe whole number, or Bantay's content id). */
export function leReportId(v: unknown): string | null {
  if (typeof v === 'string') return CONTENT_ID.test(v) ? v : normalizeReportNumber(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
}

function incidentSummary(f: Fields, inc: Incident): void {
  const type = f.str('incidentType');
  if (type === undefined) f.ctx.violate(`${f.at('incidentType')} is missing`);
  else if (type.trim() === '') f.ctx.violate(`${f.at('incidentType')} is empty`);
  else inc.incidentType = type;
  const rawTime = f.raw('incidentDateTime');
  if (rawTime === undefined) f.ctx.violate(`${f.at('incidentDateTime')} is missing`);
  else if (typeof rawTime === 'string' && rawTime.trim() === '') f.ctx.violate(`${f.at('incidentDateTime')} is empty`);
  else inc.incidentDateTime = f.date('incidentDateTime') ?? String(rawTime);
  const set = (k: 'incidentDateTimeDescription' | 'platform' | 'escalateToHighPriority' | 'batchedReason', key: string = k): void => {
    const v = f.str(key);
    if (v !== undefined) inc[k] = v;
  };
  set('incidentDateTimeDescription');
  set('platform');
  set('escalateToHighPriority');
  // The ESP's escalation text under the name NCMEC's LE JSON gives it.
  if (inc.escalateToHighPriority === undefined) set('escalateToHighPriority', 'espEscalation');
  set('batchedReason', 'batchedReportReason');
  inc.reportAnnotations = annotations(f, 'reportAnnotations');
  f.done();
}

/** Annotation names: an array of names, or an object of name → true (false ones left out, with a warning). */
function annotations(f: Fields, key: string): string[] {
  const v = f.o[key];
  if (isObject(v) && !(key in v)) {
    const o = f.obj(key)!;
    const out: string[] = [];
    for (const name of Object.keys(v)) {
      const on = o.bool(name);
      if (on === true) out.push(name);
      else if (on === false) f.ctx.warn(`${o.at(name)} is false; annotations are only ever set to true, so it is left out`);
    }
    o.done();
    return out;
  }
  return f.strings(key, key, 'name');
}

function internetDetail(kind: InternetDetail['kind'], f: Fields): InternetDetail {
  const opt = <K extends string>(key: K): { [P in K]?: string } => {
    const v = f.str(key);
    return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
  };
  const info = opt('additionalInfo');
  let out: InternetDetail;
  switch (kind) {
    case 'webPage': {
      out = { kind, urls: f.strings('urls', 'urls', ['url', 'value']), ...info };
      const third = f.bool('thirdPartyHostedContent');
      if (third !== undefined) out.thirdPartyHostedContent = third;
      break;
    }
    case 'email':
      out = { kind, emails: emails(f), ...opt('content'), ...info };
      break;
    case 'newsgroup':
      out = { kind, ...opt('name'), emails: emails(f), ...opt('content'), ...info };
      break;
    case 'chatIm': {
      // NCMEC's chat incidents name the client chatServiceOrClient, hold the transcript in
      // notes and keep NCMEC's own misspelling additonalInformations.
      const client = f.firstStr('chatClient', 'chatServiceOrClient');
      const transcript = f.has('content') ? [] : f.strings('notes', 'notes');
      const misspelt = info.additionalInfo === undefined ? f.strings('additonalInformations', 'additonalInformations') : [];
      out = {
        kind,
        ...(client !== undefined ? { chatClient: client } : {}),
        ...opt('chatRoomName'),
        ...opt('content'),
        ...(transcript.length > 0 ? { content: transcript.join('\n') } : {}),
        ...info,
        ...(misspelt.length > 0 ? { additionalInfo: misspelt.join('\n') } : {}),
      };
      break;
    }
    case 'onlineGaming':
      out = { kind, ...opt('gameName'), ...opt('console'), ...opt('content'), ...info };
      break;
    case 'cellPhone': {
      out = { kind, ...info };
      const ph = f.has('phone') ? phones(f, 'phone')[0] : undefined;
      if (ph) out.phone = ph;
      const lat = f.num('latitude');
      if (lat !== undefined) out.latitude = lat;
      const lon = f.num('longitude');
      if (lon !== undefined) out.longitude = lon;
      break;
    }
    case 'nonInternet':
      out = { kind, ...opt('locationName'), addresses: addresses(f), ...info };
      break;
    case 'peer2peer':
      out = { kind, ...opt('client'), ipCaptureEvents: captures(sourceCaptures(f)).ips, ...opt('fileNames'), ...info };
      break;
  }
  f.done();
  return out;
}

// The names NCMEC's LE JSON gives kinds of incident whose XSD element is named otherwise.
const LE_INCIDENT_KINDS: Readonly<Record<string, InternetDetailKind>> = {
  chatIncident: 'chatIm',
  webpageIncident: 'webPage',
  peerToPeerIncident: 'peer2peer',
  gamingIncident: 'onlineGaming',
};

/**
 * incidentDetails: an array of one-key objects (`{"webPageIncident": {...}}`), or an object of
 * kind → object or array (NCMEC's shape: `{"chatIncident": [...], "emailIncident": [], ...}`).
 */
function incidentDetails(f: Fields, ctx: LeContext): InternetDetail[] {
  const out: InternetDetail[] = [];
  const v = f.o['incidentDetails'];
  const entries: Fields[] = isObject(v) && !('incidentDetails' in v) ? [f.obj('incidentDetails')!] : f.objects('incidentDetails');
  let lists = 0;
  for (const e of entries) {
    for (const key of Object.keys(e.o)) {
      const kind = INTERNET_DETAIL_ELEMENTS[key] ?? LE_INCIDENT_KINDS[key];
      if (!kind) continue;
      lists++;
      for (const d of e.objects(key, key)) out.push(internetDetail(kind, d));
    }
    e.done();
  }
  if (lists === 0 && entries.length > 0) ctx.warn(`${f.at('incidentDetails')} holds no known kind of incident detail; kept as unknown`);
  return out;
}

function reporter(f: Fields): Reporter {
  const r: Reporter = {};
  const person = flatPerson(f);
  if (person) r.reportingPerson = person;
  const contact = f.obj('contactPerson');
  if (contact) {
    r.contactPerson = flatPerson(contact) ?? { phones: [], emails: [], addresses: [] };
    contact.done();
  }
  const set = (k: 'companyTemplate' | 'termsOfService' | 'legalURL', key: string): void => {
    const v = f.str(key);
    if (v !== undefined) r[k] = v;
  };
  set('companyTemplate', 'companyTemplate');
  set('termsOfService', 'termsOfService');
  set('legalURL', f.has('legalUrl') ? 'legalUrl' : 'legalURL');
  const links = ncmecLinks(f);
  if (links && links.length > 0) r.ncmecLinks = links;
  return r;
}

function lawEnforcement(f: Fields): LawEnforcement {
  const le: LawEnforcement = {};
  const agency = f.str('agencyName');
  if (agency !== undefined) le.agencyName = agency;
  const caseNo = f.str('caseNumber');
  if (caseNo !== undefined) le.caseNumber = caseNo;
  const officer = f.obj('officerContact');
  if (officer) {
    le.officerContact = flatPerson(officer) ?? { phones: [], emails: [], addresses: [] };
    officer.done();
  }
  const b = (k: 'reportedToLe' | 'servedLegalProcessDomestic' | 'servedLegalProcessInternational'): void => {
    const v = f.bool(k);
    if (v !== undefined) le[k] = v;
  };
  b('reportedToLe');
  b('servedLegalProcessDomestic');
  b('servedLegalProcessInternational');
  const flea = f.str('fleaCountry');
  if (flea !== undefined) le.fleaCountry = flea;
  f.done();
  return le;
}

function file(f: Fields): FileDetails {
  const fileId = f.str('fileId');
  if (fileId === undefined) f.ctx.warn(`${f.at('fileId')} is missing; left empty`);
  const caps = captures(sourceCaptures(f));
  const details: FileMetadata[] = f.objects('espMetadata').map((m) => {
    const d: FileMetadata = { pairs: [] };
    const type = m.str('type');
    if (type !== undefined) d.type = type;
    for (const p of m.objects('pairs')) {
      d.pairs.push({ name: p.str('name') ?? '', value: p.str('value') ?? '' });
      p.done();
    }
    m.done();
    return d;
  });
  const out: FileDetails = {
    fileId: fileId ?? '',
    fileAnnotations: annotations(f, 'fileAnnotations'),
    originalFileHashes: f.objects('originalFileHashes').map((h) => {
      const r = { hashType: h.str('hashType') ?? '', value: h.str('value') ?? '' };
      h.done();
      return r;
    }),
    deviceIds: caps.devices,
    details,
    additionalInfo: f.strings('additionalInfo'),
  };
  const verification = f.str('verificationHash');
  // NCMEC's MD5 of the file as uploaded: a hash of the same file, so it joins the HASH details.
  if (verification !== undefined) details.push({ type: 'HASH', pairs: [{ name: 'MD5', value: verification }] });
  if (caps.ips.length > 0) out.ipCaptureEvent = caps.ips[0];
  if (caps.ips.length > 1) {
    for (const extra of caps.ipSources.slice(1)) f.ctx.unknown.push({ path: extra.path, xml: JSON.stringify(extra.o) });
    f.ctx.warn(`${f.at('sourceCaptures')} holds ${caps.ips.length} IP captures; a file has one, so the first is used and the others are kept as unknown`);
  }
  const s = (k: 'reportId' | 'fileName' | 'originalFileName' | 'locationOfFile' | 'fileRelevance' | 'industryClassification', key: string = k): void => {
    const v = f.str(key);
    if (v !== undefined) out[k] = v;
  };
  const b = (k: 'fileViewedByEsp' | 'exifViewedByEsp' | 'publiclyAvailable' | 'potentialMeme', key: string = k): void => {
    const v = f.bool(key);
    if (v !== undefined) out[k] = v;
  };
  s('reportId');
  s('fileName', 'filename');
  s('originalFileName', 'originalFilename');
  const up = f.date('uploadedToEspTimestamp');
  if (up !== undefined) out.uploadedToEspTimestamp = up;
  s('locationOfFile');
  b('fileViewedByEsp', 'viewedByEsp');
  b('exifViewedByEsp');
  b('publiclyAvailable');
  s('fileRelevance');
  b('potentialMeme');
  s('industryClassification');
  f.done();
  return out;
}

/** Maps one parsed document; `where` names it in messages when its report number is unknown. */
export function mapLeDocument(value: unknown, where: string): LeMapOutcome {
  if (!isObject(value)) return { ok: false, reason: `${where}: not a JSON object (an LE JSON report is an object with reportId and reportedInformation)` };
  const ctx = new LeContext();
  const doc = new Fields(value, '', ctx);
  const rawId = doc.raw('reportId');
  const reportId = rawId === undefined ? null : leReportId(rawId);
  const label = reportId ? `report ${reportId}` : where;
  if (rawId === undefined) ctx.violate('reportId is missing');
  else if (reportId === null)
    ctx.violate(
      `reportId ${quoted(rawId)} is not a report number${typeof rawId === 'number' ? ' (a number too large to read exactly must be written as a string)' : ''}`,
    );

  const report: CybertipReport = {
    reportId: reportId ?? '',
    idSource: reportId !== null && CONTENT_ID.test(reportId) ? 'content' : 'envelope',
    envelope: envelopeOf(doc),
    incident: { incidentType: '', reportAnnotations: [], incidentDateTime: '' },
    internetDetails: [],
    reportedPersons: [],
    intendedRecipients: [],
    victims: [],
    files: [],
    unknown: [],
    warnings: [],
  };
  const info = doc.obj('reportedInformation');
  if (!info) ctx.violate('reportedInformation is missing: the document holds no report');
  else {
    const summary = info.obj('incidentSummary');
    if (summary) incidentSummary(summary, report.incident);
    else ctx.violate(`${info.at('incidentSummary')} is missing (it holds incidentType and incidentDateTime)`);
    const esp = info.obj('reportingEsp');
    if (esp) {
      report.reporter = reporter(esp);
      // The XML has no ESP field; the name NCMEC records stands in for incidentSummary/platform when that is absent.
      const name = esp.str('espName');
      if (name !== undefined && report.incident.platform === undefined) report.incident.platform = name;
      else if (name !== undefined) ctx.keep(esp.path, 'espName', name);
      esp.done();
    }
    report.reportedPersons = info.objects('reportedPeople', 'reportedPersons').map((p) => party(p, 'reported'));
    report.intendedRecipients = info.objects('intendedRecipients').map((p) => party(p, 'recipient'));
    report.victims = [...info.objects('victims'), ...info.objects('childVictims')].map((p) => party(p, 'victim'));
    report.files = info.objects('uploadedFiles').map(file);
    report.internetDetails = incidentDetails(info, ctx);
    const le = info.obj('lawEnforcement');
    if (le) report.lawEnforcement = lawEnforcement(le);
    const extra = info.strings('additionalInformations', 'additionalInformations');
    if (extra.length > 0) report.additionalInfo = extra.join('\n');
    if (extra.length > 1) ctx.warn(`${info.at('additionalInformations')} holds ${extra.length} entries; joined with line breaks into one additionalInfo`);
    info.done();
  }
  const carried = doc.raw(CARRIED_UNKNOWN_KEY);
  if (Array.isArray(carried)) {
    for (const u of carried) {
      if (isObject(u) && typeof u['path'] === 'string' && typeof u['xml'] === 'string') ctx.unknown.push({ path: u['path'], xml: u['xml'] });
      else ctx.keep('', CARRIED_UNKNOWN_KEY, u);
    }
  } else if (carried !== undefined) ctx.keep('', CARRIED_UNKNOWN_KEY, carried);
  doc.done();

  if (ctx.violations.length > 0) {
    const reason = `${label}: ${ctx.violations.join('; ')}`;
    return reportId ? { ok: false, reportId, reason } : { ok: false, reason };
  }
  report.unknown = ctx.unknown;
  report.warnings = ctx.warnings;
  return { ok: true, report };
}
