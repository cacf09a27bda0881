// Maps the parsed tree of one report (an envelope <cybertipReport> or a bare <report>) onto the
// canonical model, element by element as cyber_tipline.xsd defines them. Whatever the schema does
// not know at a place is kept verbatim in `unknown`; order inside a sequence is not enforced.

import {
  isXsDateTime,
  type Address,
  type CybertipReport,
  type Email,
  type Envelope,
  type FileDetails,
  type Incident,
  type InternetDetail,
  type IpCaptureEvent,
  type IpLookup,
  type LawEnforcement,
  type Phone,
  type Reporter,
  INTERNET_DETAIL_ELEMENTS,
} from '../../model/report.ts';
import { address, annotationNames, attr, email, first, indexed, ipEvent, otherAttrs, person, phone, required, setBool } from './map-common.ts';
import { MapContext, quote, shown } from './map-context.ts';
import { fileDetails } from './map-files.ts';
import { party } from './map-party.ts';
import { checkDate, doubleOf, isNamespaceAttr, leaf, normalizeReportNumber, parseBool } from './values.ts';
import { NONE, type XmlNode } from './xml-node.ts';
import { internal } from '../../model/error.ts';

/** The outcome of mapping one report: the report, or the hard-rule violations that set it aside. */
export type MapOutcome = { ok: true; report: CybertipReport } | { ok: false; reportId?: string; violations: string[] };

/** How a bare report got its id. */
export interface BareId {
  reportId: string;
  idSource: 'filename' | 'content';
}

function incidentSummary(n: XmlNode, path: string, ctx: MapContext, inc: Incident): void {
  otherAttrs(n, path, ctx, []);
  let type: string | undefined;
  let time: string | undefined;
  let sawAnnotations = false;
  for (const c of n.children) {
    switch (c.name) {
      case 'incidentType':
        if (first(type, c, path, ctx)) type = leaf(c, path, ctx);
        break;
      case 'platform':
        if (first(inc.platform, c, path, ctx)) inc.platform = leaf(c, path, ctx);
        break;
      case 'escalateToHighPriority':
        if (first(inc.escalateToHighPriority, c, path, ctx)) inc.escalateToHighPriority = leaf(c, path, ctx);
        break;
      case 'reportAnnotations':
        if (first(sawAnnotations ? true : undefined, c, path, ctx)) {
          sawAnnotations = true;
          inc.reportAnnotations = annotationNames(c, `${path}/${c.name}`, ctx);
        }
        break;
      case 'incidentDateTime':
        if (first(time, c, path, ctx)) time = leaf(c, path, ctx);
        break;
      case 'incidentDateTimeDescription':
        if (first(inc.incidentDateTimeDescription, c, path, ctx)) inc.incidentDateTimeDescription = leaf(c, path, ctx);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  if (type === undefined) ctx.violate(`${shown(path)}/incidentType is missing`);
  else if (type.trim() === '') ctx.violate(`${shown(path)}/incidentType is empty`);
  else inc.incidentType = type;
  if (time === undefined) ctx.violate(`${shown(path)}/incidentDateTime is missing`);
  else if (time.trim() === '') ctx.violate(`${shown(path)}/incidentDateTime is empty`);
  else inc.incidentDateTime = checkDate(time, `${path}/incidentDateTime`, ctx) ?? time;
}

function internetDetail(n: XmlNode, path: string, ctx: MapContext): InternetDetail {
  const kind = INTERNET_DETAIL_ELEMENTS[n.name];
  let additionalInfo: string | undefined;
  let content: string | undefined;
  const emails: Email[] = [];
  const urls: string[] = [];
  const addresses: Address[] = [];
  const events: IpCaptureEvent[] = [];
  const s: Record<string, string | undefined> = {};
  let cellPhone: Phone | undefined;
  let latitude: number | undefined;
  let longitude: number | undefined;
  let sawLat = false;
  let sawLong = false;
  // The simple string children each kind allows, besides content and additionalInfo.
  const strings: readonly string[] =
    kind === 'newsgroup'
      ? ['name']
      : kind === 'chatIm'
        ? ['chatClient', 'chatRoomName']
        : kind === 'onlineGaming'
          ? ['gameName', 'console']
          : kind === 'nonInternet'
            ? ['locationName']
            : kind === 'peer2peer'
              ? ['client', 'fileNames']
              : [];
  const hasContent = kind === 'email' || kind === 'newsgroup' || kind === 'chatIm' || kind === 'onlineGaming';
  otherAttrs(n, path, ctx, kind === 'webPage' ? ['thirdPartyHostedContent'] : []);
  for (const c of n.children) {
    const name = c.name;
    if (name === 'additionalInfo') {
      if (first(additionalInfo, c, path, ctx)) additionalInfo = leaf(c, path, ctx);
      continue;
    }
    if (hasContent && name === 'content') {
      if (first(content, c, path, ctx)) content = leaf(c, path, ctx);
      continue;
    }
    if (strings.includes(name)) {
      if (first(s[name], c, path, ctx)) s[name] = leaf(c, path, ctx);
      continue;
    }
    if (kind === 'webPage' && name === 'url') {
      urls.push(leaf(c, path, ctx));
      continue;
    }
    if ((kind === 'email' || kind === 'newsgroup') && name === 'emailAddress') {
      emails.push(email(c, indexed(path, 'emailAddress', emails.length), ctx));
      continue;
    }
    if (kind === 'cellPhone' && name === 'phoneNumber') {
      if (first(cellPhone, c, path, ctx)) cellPhone = phone(c, `${path}/phoneNumber`, ctx);
      continue;
    }
    if (kind === 'cellPhone' && name === 'latitude') {
      if (first(sawLat ? true : undefined, c, path, ctx)) {
        sawLat = true;
        latitude = doubleOf(c, path, ctx);
      }
      continue;
    }
    if (kind === 'cellPhone' && name === 'longitude') {
      if (first(sawLong ? true : undefined, c, path, ctx)) {
        sawLong = true;
        longitude = doubleOf(c, path, ctx);
      }
      continue;
    }
    if (kind === 'nonInternet' && name === 'incidentAddress') {
      addresses.push(address(c, indexed(path, 'incidentAddress', addresses.length), ctx));
      continue;
    }
    if (kind === 'peer2peer' && name === 'ipCaptureEvent') {
      events.push(ipEvent(c, indexed(path, 'ipCaptureEvent', events.length), ctx));
      continue;
    }
    ctx.keep(path, c);
  }
  let d: InternetDetail;
  switch (kind) {
    case 'webPage': {
      d = { kind, urls };
      const third = attr(n, 'thirdPartyHostedContent');
      if (third !== undefined) {
        const b = parseBool(third, `${path}/@thirdPartyHostedContent`, ctx);
        if (b !== undefined) d.thirdPartyHostedContent = b;
      }
      break;
    }
    case 'email':
      d = { kind, emails };
      if (content !== undefined) d.content = content;
      break;
    case 'newsgroup':
      d = { kind, emails };
      if (s.name !== undefined) d.name = s.name;
      if (content !== undefined) d.content = content;
      break;
    case 'chatIm':
      d = { kind };
      if (content !== undefined) d.content = content;
      if (s.chatClient !== undefined) d.chatClient = s.chatClient;
      if (s.chatRoomName !== undefined) d.chatRoomName = s.chatRoomName;
      break;
    case 'onlineGaming':
      d = { kind };
      if (content !== undefined) d.content = content;
      if (s.gameName !== undefined) d.gameName = s.gameName;
      if (s.console !== undefined) d.console = s.console;
      break;
    case 'cellPhone':
      d = { kind };
      if (cellPhone) d.phone = cellPhone;
      if (latitude !== undefined) d.latitude = latitude;
      if (longitude !== undefined) d.longitude = longitude;
      break;
    case 'nonInternet':
      d = { kind, addresses };
      if (s.locationName !== undefined) d.locationName = s.locationName;
      break;
    case 'peer2peer':
      d = { kind, ipCaptureEvents: events };
      if (s.client !== undefined) d.client = s.client;
      if (s.fileNames !== undefined) d.fileNames = s.fileNames;
      break;
    default:
      throw internal(`unreachable internetDetails kind ${n.name}`);
  }
  if (additionalInfo !== undefined) d.additionalInfo = additionalInfo;
  return d;
}

function lawEnforcement(n: XmlNode, path: string, ctx: MapContext): LawEnforcement {
  otherAttrs(n, path, ctx, []);
  const le: LawEnforcement = {};
  for (const c of n.children) {
    switch (c.name) {
      case 'agencyName':
        if (first(le.agencyName, c, path, ctx)) le.agencyName = leaf(c, path, ctx);
        break;
      case 'caseNumber':
        if (first(le.caseNumber, c, path, ctx)) le.caseNumber = leaf(c, path, ctx);
        break;
      case 'officerContact':
        if (first(le.officerContact, c, path, ctx)) le.officerContact = person(c, `${path}/${c.name}`, ctx, false);
        break;
      case 'reportedToLe':
        setBool(le, 'reportedToLe', c, path, ctx);
        break;
      case 'servedLegalProcessDomestic':
        setBool(le, 'servedLegalProcessDomestic', c, path, ctx);
        break;
      case 'servedLegalProcessInternational':
        if (first(le.servedLegalProcessInternational, c, path, ctx)) {
          const where = `${path}/${c.name}`;
          const b = parseBool(leaf(c, path, ctx, true), where, ctx);
          if (b !== undefined) le.servedLegalProcessInternational = b;
          for (const key in c.attrs ?? NONE) {
            const v = c.attrs?.[key] ?? '';
            if (key === 'fleaCountry') le.fleaCountry = v;
            else if (!isNamespaceAttr(key)) ctx.keepAttr(where, key, v);
          }
        }
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return le;
}

function reporter(n: XmlNode, path: string, ctx: MapContext): Reporter {
  otherAttrs(n, path, ctx, []);
  const r: Reporter = {};
  for (const c of n.children) {
    switch (c.name) {
      case 'reportingPerson':
        if (first(r.reportingPerson, c, path, ctx)) r.reportingPerson = person(c, `${path}/${c.name}`, ctx, true);
        break;
      case 'contactPerson':
        if (first(r.contactPerson, c, path, ctx)) r.contactPerson = person(c, `${path}/${c.name}`, ctx, false);
        break;
      case 'companyTemplate':
        if (first(r.companyTemplate, c, path, ctx)) r.companyTemplate = leaf(c, path, ctx);
        break;
      case 'termsOfService':
        if (first(r.termsOfService, c, path, ctx)) r.termsOfService = leaf(c, path, ctx);
        break;
      case 'legalURL':
        if (first(r.legalURL, c, path, ctx)) r.legalURL = leaf(c, path, ctx);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return r;
}

function ipLookup(n: XmlNode, path: string, ctx: MapContext): IpLookup {
  otherAttrs(n, path, ctx, ['ipAddress', 'country', 'region', 'city', 'isp', 'asn']);
  for (const c of n.children) ctx.keep(path, c);
  const l: IpLookup = { ipAddress: required(attr(n, 'ipAddress'), `${path}/@ipAddress`, ctx) };
  const country = attr(n, 'country');
  const region = attr(n, 'region');
  const city = attr(n, 'city');
  const isp = attr(n, 'isp');
  const asn = attr(n, 'asn');
  if (country !== undefined) l.country = country;
  if (region !== undefined) l.region = region;
  if (city !== undefined) l.city = city;
  if (isp !== undefined) l.isp = isp;
  if (asn !== undefined) l.asn = asn;
  return l;
}

// The ESP's <report>: everything except the envelope and the files.
function reportBody(n: XmlNode, ctx: MapContext): Omit<CybertipReport, 'reportId' | 'idSource' | 'envelope' | 'files' | 'unknown' | 'warnings'> {
  const path = 'report';
  otherAttrs(n, path, ctx, []);
  const incident: Incident = { incidentType: '', reportAnnotations: [], incidentDateTime: '' };
  const body: ReturnType<typeof reportBody> = {
    incident,
    internetDetails: [],
    reportedPersons: [],
    intendedRecipients: [],
    victims: [],
  };
  let sawSummary = false;
  let sawBatched = false;
  for (const c of n.children) {
    switch (c.name) {
      case 'batchedReport':
        if (first(sawBatched ? true : undefined, c, path, ctx)) {
          sawBatched = true;
          const where = `${path}/batchedReport`;
          otherAttrs(c, where, ctx, ['reason']);
          for (const g of c.children) ctx.keep(where, g);
          incident.batchedReason = required(attr(c, 'reason'), `${where}/@reason`, ctx);
        }
        break;
      case 'incidentSummary':
        if (first(sawSummary ? true : undefined, c, path, ctx)) {
          sawSummary = true;
          incidentSummary(c, `${path}/incidentSummary`, ctx, incident);
        }
        break;
      case 'internetDetails': {
        const where = indexed(path, 'internetDetails', body.internetDetails.length);
        otherAttrs(c, where, ctx, []);
        let mapped: InternetDetail | undefined;
        for (const g of c.children) {
          if (mapped === undefined && g.name in INTERNET_DETAIL_ELEMENTS) mapped = internetDetail(g, `${where}/${g.name}`, ctx);
          else ctx.keep(where, g);
        }
        if (mapped) body.internetDetails.push(mapped);
        else ctx.warn(`${shown(where)} holds no known incident kind; kept as unknown`);
        break;
      }
      case 'lawEnforcement':
        if (first(body.lawEnforcement, c, path, ctx)) body.lawEnforcement = lawEnforcement(c, `${path}/lawEnforcement`, ctx);
        break;
      case 'reporter':
        if (first(body.reporter, c, path, ctx)) body.reporter = reporter(c, `${path}/reporter`, ctx);
        break;
      case 'personOrUserReported':
        body.reportedPersons.push(party(c, indexed(path, c.name, body.reportedPersons.length), 'reported', ctx));
        break;
      case 'intendedRecipient':
        body.intendedRecipients.push(party(c, indexed(path, c.name, body.intendedRecipients.length), 'recipient', ctx));
        break;
      case 'victim':
        body.victims.push(party(c, indexed(path, c.name, body.victims.length), 'victim', ctx));
        break;
      case 'additionalInfo':
        if (first(body.additionalInfo, c, path, ctx)) body.additionalInfo = leaf(c, path, ctx);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  if (!sawSummary) ctx.violate('incidentSummary is missing (it must hold incidentType and incidentDateTime)');
  return body;
}

// Fields are filled as elements turn up; for a JSON view that reads like the schema, the two
// parts analysts look at first are laid out in schema order.
const ENVELOPE_ORDER = ['receivedAt', 'referral', 'priority', 'country', 'ipLookups'] as const;
const INCIDENT_ORDER = [
  'incidentType',
  'platform',
  'escalateToHighPriority',
  'reportAnnotations',
  'incidentDateTime',
  'incidentDateTimeDescription',
  'batchedReason',
] as const;

function inSchemaOrder<T extends object>(value: T, order: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const key of order) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

function assemble(
  reportId: string,
  idSource: CybertipReport['idSource'],
  envelope: Envelope,
  body: ReturnType<typeof reportBody>,
  files: FileDetails[],
  ctx: MapContext,
): CybertipReport {
  const report: CybertipReport = {
    reportId,
    idSource,
    envelope: inSchemaOrder(envelope, ENVELOPE_ORDER),
    incident: inSchemaOrder(body.incident, INCIDENT_ORDER),
    internetDetails: body.internetDetails,
    reportedPersons: body.reportedPersons,
    intendedRecipients: body.intendedRecipients,
    victims: body.victims,
    files,
    unknown: ctx.unknown,
    warnings: ctx.warnings,
  };
  if (body.lawEnforcement) report.lawEnforcement = body.lawEnforcement;
  if (body.reporter) report.reporter = body.reporter;
  if (body.additionalInfo !== undefined) report.additionalInfo = body.additionalInfo;
  return report;
}

/** Maps an envelope <cybertipReport> element. */
export function mapEnvelopeReport(n: XmlNode, ctx: MapContext = new MapContext()): MapOutcome {
  const path = 'cybertipReport';
  const envelope: Envelope = { ipLookups: [] };
  let reportId: string | undefined;
  for (const key in n.attrs ?? NONE) {
    const v = n.attrs?.[key] ?? '';
    switch (key) {
      case 'reportId': {
        const id = normalizeReportNumber(v);
        if (id === null) ctx.violate(`envelope reportId ${quote(v)} is not a report number`);
        else reportId = id;
        break;
      }
      case 'receivedAt':
        if (v.trim() === '') ctx.violate('envelope receivedAt is empty');
        else if (!isXsDateTime(v)) ctx.violate(`envelope receivedAt ${quote(v)} is not a date-time`);
        else envelope.receivedAt = v.trim();
        break;
      case 'referral': {
        const b = parseBool(v, 'envelope referral', ctx);
        if (b !== undefined) envelope.referral = b;
        break;
      }
      case 'priority':
        envelope.priority = v;
        break;
      case 'country':
        envelope.country = v;
        break;
      default:
        if (!isNamespaceAttr(key)) ctx.keepAttr(path, key, v);
    }
  }
  if (attr(n, 'reportId') === undefined) ctx.violate('envelope reportId is missing');
  if (attr(n, 'receivedAt') === undefined) ctx.violate('envelope receivedAt is missing');
  let body: ReturnType<typeof reportBody> | undefined;
  const files: FileDetails[] = [];
  for (const c of n.children) {
    switch (c.name) {
      case 'report':
        if (first(body, c, path, ctx)) body = reportBody(c, ctx);
        break;
      case 'fileDetails':
        files.push(fileDetails(c, `fileDetails[${files.length}]`, ctx));
        break;
      case 'ipLookup':
        envelope.ipLookups.push(ipLookup(c, `ipLookup[${envelope.ipLookups.length}]`, ctx));
        break;
      default:
        ctx.keep(path, c);
    }
  }
  if (!body) ctx.violate('report is missing: the envelope holds no <report> element');
  if (reportId !== undefined) {
    for (let i = 0; i < files.length; i++) {
      const fid = files[i]?.reportId;
      if (fid !== undefined && normalizeReportNumber(fid) !== reportId) {
        ctx.warn(`fileDetails[${i}]/reportId ${quote(fid)} differs from the envelope's report number ${reportId}`);
      }
    }
  }
  if (ctx.violations.length > 0 || reportId === undefined || !body) {
    return reportId === undefined ? { ok: false, violations: ctx.violations } : { ok: false, reportId, violations: ctx.violations };
  }
  return { ok: true, report: assemble(reportId, 'envelope', envelope, body, files, ctx) };
}

/** Maps a bare ISPWS <report> element, whose id comes from the file name or the content. */
export function mapBareReport(n: XmlNode, id: BareId, ctx: MapContext = new MapContext()): MapOutcome {
  const body = reportBody(n, ctx);
  if (ctx.violations.length > 0) return { ok: false, reportId: id.reportId, violations: ctx.violations };
  return { ok: true, report: assemble(id.reportId, id.idSource, { ipLookups: [] }, body, [], ctx) };
}
