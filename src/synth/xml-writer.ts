// Writes ReportSpec as XML valid against ../shared/spec/cybertip-bundle.xsd. NCMEC's types are
// xs:sequence, so every block below emits its children in the schema's order; reordering any
// line breaks validity.
import type {
  AccountSpec,
  AddressSpec,
  AssociatedSpec,
  DeviceSpec,
  EmailSpec,
  FileSpec,
  InternetSpec,
  IpEventSpec,
  PersonSpec,
  PhoneSpec,
  ReportSpec,
} from './spec.ts';

const TEXT_RE = /[&<>]/;
const ATTR_RE = /[&<>"]/;

/** Escapes element text. */
export function escText(s: string): string {
  if (!TEXT_RE.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (written in double quotes). */
export function escAttr(s: string): string {
  if (!ATTR_RE.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function el(ind: string, name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `${ind}<${name}>${typeof value === 'string' ? escText(value) : String(value)}</${name}>\n`;
}

function phone(ind: string, name: string, p: PhoneSpec): string {
  let a = '';
  if (p.type) a += ` type="${p.type}"`;
  if (p.verified !== undefined) a += ` verified="${p.verified}"`;
  if (p.countryCallingCode) a += ` countryCallingCode="${p.countryCallingCode}"`;
  return `${ind}<${name}${a}>${escText(p.text)}</${name}>\n`;
}

function email(ind: string, name: string, e: EmailSpec): string {
  let a = '';
  if (e.type) a += ` type="${e.type}"`;
  if (e.verified !== undefined) a += ` verified="${e.verified}"`;
  return `${ind}<${name}${a}>${escText(e.text)}</${name}>\n`;
}

function address(ind: string, name: string, a: AddressSpec): string {
  const i2 = `${ind}  `;
  return `${ind}<${name}${a.type ? ` type="${a.type}"` : ''}>\n${el(i2, 'address', a.address)}${el(i2, 'city', a.city)}${el(i2, 'zipCode', a.zipCode)}${el(i2, 'nonUsaState', a.nonUsaState)}${el(i2, 'country', a.country)}${ind}</${name}>\n`;
}

function personXml(ind: string, name: string, p: PersonSpec): string {
  const i2 = `${ind}  `;
  let s = `${ind}<${name}>\n`;
  s += el(i2, 'firstName', p.firstName);
  s += el(i2, 'lastName', p.lastName);
  for (const ph of p.phones) s += phone(i2, 'phone', ph);
  for (const e of p.emails) s += email(i2, 'email', e);
  for (const a of p.addresses) s += address(i2, 'address', a);
  s += el(i2, 'age', p.age);
  s += el(i2, 'dateOfBirth', p.dateOfBirth);
  return `${s}${ind}</${name}>\n`;
}

function ipEvent(ind: string, name: string, e: IpEventSpec): string {
  const i2 = `${ind}  `;
  return `${ind}<${name}>\n${el(i2, 'ipAddress', e.ip)}${el(i2, 'eventName', e.eventName)}${el(i2, 'dateTime', e.dateTime)}${el(i2, 'possibleProxy', e.possibleProxy)}${el(i2, 'port', e.port)}${ind}</${name}>\n`;
}

function device(ind: string, d: DeviceSpec): string {
  const i2 = `${ind}  `;
  return `${ind}<deviceId>\n${el(i2, 'idType', d.idType)}${el(i2, 'idValue', d.idValue)}${el(i2, 'eventName', d.eventName)}${el(i2, 'dateTime', d.dateTime)}${ind}</deviceId>\n`;
}

function disabled(ind: string, a: AccountSpec): string {
  const d = a.disabled;
  if (!d) return '';
  const notified = d.userNotified === undefined ? '' : ` userNotified="${d.userNotified}"`;
  const name = d.permanent ? 'accountPermanentlyDisabled' : 'accountTemporarilyDisabled';
  return `${ind}<${name} disabledDate="${d.date}"${notified}>true</${name}>\n`;
}

function location(ind: string, a: AccountSpec): string {
  const l = a.location;
  if (!l) return '';
  const i2 = `${ind}  `;
  const v = l.verified === undefined ? '' : ` verified="${l.verified}"`;
  return `${ind}<estimatedLocation${v}>\n${el(i2, 'city', l.city)}${el(i2, 'region', l.region)}${el(i2, 'countryCode', l.countryCode)}${ind}</estimatedLocation>\n`;
}

function associated(ind: string, a: AssociatedSpec): string {
  const i2 = `${ind}  `;
  let s = `${ind}<associatedAccount type="${escAttr(a.type)}">\n`;
  s += el(i2, 'platform', a.platform);
  s += el(i2, 'firstName', a.firstName);
  s += el(i2, 'lastName', a.lastName);
  for (const p of a.phones) s += phone(i2, 'phone', p);
  for (const e of a.emails) s += email(i2, 'email', e);
  s += el(i2, 'espService', a.espService);
  s += el(i2, 'espIdentifier', a.espIdentifier);
  s += el(i2, 'screenName', a.screenName);
  for (const r of a.priorCTReports) s += el(i2, 'priorCTReport', r);
  return `${s}${ind}</associatedAccount>\n`;
}

function reportedXml(ind: string, a: AccountSpec): string {
  const i2 = `${ind}  `;
  let s = `${ind}<personOrUserReported>\n`;
  if (a.person) s += personXml(i2, 'personOrUserReportedPerson', a.person);
  s += el(i2, 'espIdentifier', a.espIdentifier);
  s += el(i2, 'espService', a.espService);
  s += el(i2, 'compromisedAccount', a.compromisedAccount);
  s += el(i2, 'screenName', a.screenName);
  s += el(i2, 'displayName', a.displayName);
  s += el(i2, 'profileUrl', a.profileUrl);
  for (const e of a.ipEvents) s += ipEvent(i2, 'ipCaptureEvent', e);
  for (const d of a.devices) s += device(i2, d);
  s += el(i2, 'thirdPartyUserReported', a.thirdPartyUserReported);
  for (const r of a.priorCTReports) s += el(i2, 'priorCTReports', r);
  s += el(i2, 'groupIdentifier', a.groupIdentifier);
  s += disabled(i2, a);
  s += location(i2, a);
  for (const x of a.associated) s += associated(i2, x);
  s += el(i2, 'additionalInfo', a.additionalInfo);
  return `${s}${ind}</personOrUserReported>\n`;
}

function intendedXml(ind: string, a: AccountSpec): string {
  const i2 = `${ind}  `;
  let s = `${ind}<intendedRecipient>\n`;
  if (a.person) s += personXml(i2, 'intendedRecipientPerson', a.person);
  s += el(i2, 'espIdentifier', a.espIdentifier);
  s += el(i2, 'espService', a.espService);
  s += el(i2, 'screenName', a.screenName);
  s += el(i2, 'displayName', a.displayName);
  s += el(i2, 'profileUrl', a.profileUrl);
  for (const e of a.ipEvents) s += ipEvent(i2, 'ipCaptureEvent', e);
  for (const d of a.devices) s += device(i2, d);
  s += location(i2, a);
  s += el(i2, 'additionalInfo', a.additionalInfo);
  return `${s}${ind}</intendedRecipient>\n`;
}

function victimXml(ind: string, a: AccountSpec): string {
  const i2 = `${ind}  `;
  let s = `${ind}<victim>\n`;
  s += personXml(i2, 'victimPerson', a.person ?? { phones: [], emails: [], addresses: [] });
  s += el(i2, 'espIdentifier', a.espIdentifier);
  s += el(i2, 'espService', a.espService);
  s += el(i2, 'screenName', a.screenName);
  s += el(i2, 'displayName', a.displayName);
  for (const e of a.ipEvents) s += ipEvent(i2, 'ipCaptureEvent', e);
  s += el(i2, 'schoolName', a.schoolName);
  s += location(i2, a);
  s += el(i2, 'additionalInfo', a.additionalInfo);
  return `${s}${ind}</victim>\n`;
}

function internetXml(ind: string, d: InternetSpec): string {
  const i2 = `${ind}  `;
  const i3 = `${ind}    `;
  let inner: string;
  switch (d.kind) {
    case 'chat':
      inner = `${i2}<chatImIncident>\n${el(i3, 'chatClient', d.client)}${el(i3, 'chatRoomName', d.room)}${el(i3, 'content', d.content)}${i2}</chatImIncident>\n`;
      break;
    case 'web': {
      const tp = d.thirdParty === undefined ? '' : ` thirdPartyHostedContent="${d.thirdParty}"`;
      inner = `${i2}<webPageIncident${tp}>\n${d.urls.map((u) => el(i3, 'url', u)).join('')}${i2}</webPageIncident>\n`;
      break;
    }
    case 'email':
      inner = `${i2}<emailIncident>\n${d.addresses.map((e) => el(i3, 'emailAddress', e)).join('')}${el(i3, 'content', d.content)}${i2}</emailIncident>\n`;
      break;
    case 'cell':
      inner = `${i2}<cellPhoneIncident>\n${d.phone ? phone(i3, 'phoneNumber', d.phone) : ''}${el(i3, 'latitude', d.latitude)}${el(i3, 'longitude', d.longitude)}${i2}</cellPhoneIncident>\n`;
      break;
  }
  return `${ind}<internetDetails>\n${inner}${ind}</internetDetails>\n`;
}

/** The ISPWS `<report>` element of a spec, indented by `ind`. */
export function reportXml(r: ReportSpec, ind: string): string {
  const i2 = `${ind}  `;
  const i3 = `${ind}    `;
  let s = `${ind}<report>\n`;
  if (r.batched) s += `${i2}<batchedReport reason="VIRAL_POTENTIAL_MEME"/>\n`;
  s += `${i2}<incidentSummary>\n`;
  s += el(i3, 'incidentType', r.incidentType);
  s += el(i3, 'platform', r.platform);
  s += el(i3, 'escalateToHighPriority', r.escalate);
  if (r.reportAnnotations.length > 0) {
    s += `${i3}<reportAnnotations>${r.reportAnnotations.map((a) => `<${a}>true</${a}>`).join('')}</reportAnnotations>\n`;
  }
  s += el(i3, 'incidentDateTime', r.incidentDateTime);
  s += el(i3, 'incidentDateTimeDescription', r.timeDescription);
  s += `${i2}</incidentSummary>\n`;
  for (const d of r.internet) s += internetXml(i2, d);
  const rep = r.reporter;
  s += `${i2}<reporter>\n${i3}<reportingPerson>\n`;
  const i4 = `${i3}  `;
  s += el(i4, 'firstName', rep.firstName);
  s += el(i4, 'lastName', rep.lastName);
  s += el(i4, 'phone', rep.phone);
  if (rep.email) s += `${i4}<email>${escText(rep.email)}</email>\n`;
  if (rep.country) s += address(i4, 'address', { country: rep.country, type: 'Business' });
  s += `${i3}</reportingPerson>\n`;
  const c = rep.contact;
  if (c)
    s += `${i3}<contactPerson>\n${el(i4, 'firstName', c.firstName)}${el(i4, 'lastName', c.lastName)}${el(i4, 'phone', c.phone)}${el(i4, 'email', c.email)}${i3}</contactPerson>\n`;
  s += el(i3, 'companyTemplate', rep.company);
  s += `${i2}</reporter>\n`;
  for (const a of r.reported) s += reportedXml(i2, a);
  for (const a of r.intended) s += intendedXml(i2, a);
  for (const a of r.victims) s += victimXml(i2, a);
  s += el(i2, 'additionalInfo', r.additionalInfo);
  return `${s}${ind}</report>\n`;
}

function fileXml(ind: string, reportId: string, f: FileSpec): string {
  const i2 = `${ind}  `;
  const i3 = `${ind}    `;
  let s = `${ind}<fileDetails>\n`;
  s += el(i2, 'reportId', reportId);
  s += el(i2, 'fileId', f.fileId);
  s += el(i2, 'fileName', f.fileName);
  s += el(i2, 'originalFileName', f.originalFileName);
  s += el(i2, 'uploadedToEspTimestamp', f.uploaded);
  s += el(i2, 'locationOfFile', f.locationOfFile);
  s += el(i2, 'fileViewedByEsp', f.viewedByEsp);
  s += el(i2, 'exifViewedByEsp', f.exifViewedByEsp);
  s += el(i2, 'publiclyAvailable', f.publiclyAvailable);
  s += el(i2, 'fileRelevance', f.relevance);
  if (f.legacyPotentialMeme) s += `${i2}<potentialMeme>true</potentialMeme>\n`;
  else if (f.annotations.length > 0) s += `${i2}<fileAnnotations>${f.annotations.map((a) => `<${a}>true</${a}>`).join('')}</fileAnnotations>\n`;
  s += el(i2, 'industryClassification', f.classification);
  for (const [t, v] of f.hashes) s += `${i2}<originalFileHash hashType="${t}">${v}</originalFileHash>\n`;
  if (f.ipEvent) s += ipEvent(i2, 'ipCaptureEvent', f.ipEvent);
  if (f.hashDetails.length > 0) {
    s += `${i2}<details type="HASH">\n`;
    for (const [n, v] of f.hashDetails) s += `${i3}<nameValuePair><name>${n}</name><value>${v}</value></nameValuePair>\n`;
    s += `${i2}</details>\n`;
  }
  if (f.exifDetails && f.exifDetails.length > 0) {
    s += `${i2}<details type="EXIF">\n`;
    for (const [n, v] of f.exifDetails) s += `${i3}<nameValuePair><name>${escText(n)}</name><value>${escText(v)}</value></nameValuePair>\n`;
    s += `${i2}</details>\n`;
  }
  s += el(i2, 'additionalInfo', f.additionalInfo);
  return `${s}${ind}</fileDetails>\n`;
}

// Annotation elements are xs:boolean fixed to "true": the schema refuses "1" there.
const ANNOTATION_NAMES = new Set([
  'sextortion',
  'csamSolicitation',
  'minorToMinorInteraction',
  'spam',
  'sadisticOnlineExploitation',
  'potentialMeme',
  'viral',
  'animeDrawingVirtualHentai',
  'possibleSelfProduction',
  'physicalHarm',
  'violenceGore',
  'bestiality',
  'liveStreaming',
  'infant',
  'generativeAi',
]);

/** xs:boolean values written as 1 / 0 (the other lexical form the schema allows), annotations excepted. */
function booleanDigits(xml: string): string {
  return xml
    .replace(/<(\w+)>(true|false)<\/\1>/g, (m, name: string, v: string) => (ANNOTATION_NAMES.has(name) ? m : `<${name}>${v === 'true' ? '1' : '0'}</${name}>`))
    .replace(/ (verified|referral|userNotified|thirdPartyHostedContent)="(true|false)"/g, (_m, a: string, v: string) => ` ${a}="${v === 'true' ? '1' : '0'}"`);
}

/** The `<cybertipReport>` envelope around a report, its files and NCMEC's look-ups, indented by `ind`. */
export function envelopeXml(r: ReportSpec, ind = '  '): string {
  const xml = envelopeXmlOf(r, ind);
  return r.boolDigits ? booleanDigits(xml) : xml;
}

function envelopeXmlOf(r: ReportSpec, ind: string): string {
  const i2 = `${ind}  `;
  let a = ` reportId="${r.reportId}" receivedAt="${r.receivedAt}"`;
  if (r.referral !== undefined) a += ` referral="${r.referral}"`;
  if (r.priority !== undefined) a += ` priority="${escAttr(r.priority)}"`;
  if (r.country !== undefined) a += ` country="${escAttr(r.country)}"`;
  let s = `${ind}<cybertipReport${a}>\n`;
  s += reportXml(r, i2);
  for (const f of r.files) s += fileXml(i2, r.reportId, f);
  for (const l of r.lookups) {
    let la = ` ipAddress="${escAttr(l.ip)}"`;
    if (l.country) la += ` country="${escAttr(l.country)}"`;
    if (l.region) la += ` region="${escAttr(l.region)}"`;
    if (l.city) la += ` city="${escAttr(l.city)}"`;
    if (l.isp) la += ` isp="${escAttr(l.isp)}"`;
    if (l.asn) la += ` asn="${escAttr(l.asn)}"`;
    s += `${i2}<ipLookup${la}/>\n`;
  }
  return `${s}${ind}</cybertipReport>\n`;
}

/** The XML declaration every file starts with. */
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A whole file holding one report under a `<cybertipReport>` root. */
export function singleFile(r: ReportSpec): string {
  return XML_DECL + envelopeXml(r, '');
}

/** A whole file holding a bare ISPWS `<report>` (what an ESP submits; no envelope, no files). */
export function bareFile(r: ReportSpec): string {
  const xml = reportXml(r, '');
  return XML_DECL + (r.boolDigits ? booleanDigits(xml) : xml);
}
