// The canonical report as LE JSON: the inverse of map-report.ts, used by the generator
// (`bantay generate --format lejson`) and by the round-trip tests. Reading what this writes gives
// back the same report, except for the differences listed in docs/lejson.md.

import type {
  AccountDisabled,
  Address,
  AssociatedAccount,
  CybertipReport,
  DeviceId,
  Email,
  Envelope,
  EstimatedLocation,
  FileDetails,
  GeoLookup,
  InternetDetail,
  IpCaptureEvent,
  IpLookup,
  NcmecLink,
  Party,
  Person,
  Phone,
} from '../../model/report.ts';
import { countryName } from '../country.ts';
import { CARRIED_UNKNOWN_KEY } from './map-report.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Sets `key` only when `value` is defined (JSON has no undefined). */
function put(o: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) o[key] = value;
}

/** The LE wrapper style for lists: `{"emails": [...]}`. */
function wrap(key: string, list: Json[]): JsonObject {
  return { [key]: list };
}

function phone(p: Phone): JsonObject {
  const o: JsonObject = { value: p.number };
  put(o, 'type', p.type);
  put(o, 'verified', p.verified);
  put(o, 'verificationDate', p.verificationDate);
  put(o, 'countryCallingCode', p.countryCallingCode);
  put(o, 'extension', p.extension);
  return o;
}

function email(e: Email): JsonObject {
  const o: JsonObject = { value: e.address };
  put(o, 'type', e.type);
  put(o, 'verified', e.verified);
  put(o, 'verificationDate', e.verificationDate);
  return o;
}

function address(a: Address): JsonObject {
  const o: JsonObject = {};
  put(o, 'type', a.type);
  put(o, 'address', a.address);
  put(o, 'city', a.city);
  put(o, 'zipCode', a.zipCode);
  put(o, 'state', a.state);
  put(o, 'nonUsaState', a.nonUsaState);
  put(o, 'country', a.country);
  return o;
}

/** A person's fields, flat (the LE style: names, birth date and contact lists sit on the party itself). */
function flatPerson(o: JsonObject, p: Person | undefined): void {
  if (!p) return;
  put(o, 'firstName', p.firstName);
  put(o, 'lastName', p.lastName);
  put(o, 'dateOfBirth', p.dateOfBirth);
  put(o, 'approximateAge', p.age);
  o['emails'] = wrap('emails', p.emails.map(email));
  o['phones'] = wrap('phones', p.phones.map(phone));
  o['addresses'] = wrap('addresses', p.addresses.map(address));
}

function ipCapture(e: IpCaptureEvent): JsonObject {
  const o: JsonObject = { captureType: 'IP Address', value: e.ipAddress };
  put(o, 'dateTime', e.dateTime);
  put(o, 'port', e.port);
  put(o, 'eventName', e.eventName);
  put(o, 'possibleProxy', e.possibleProxy);
  return o;
}

function deviceCapture(d: DeviceId): JsonObject {
  const o: JsonObject = { captureType: 'Device ID', valueType: d.idType, value: d.idValue };
  put(o, 'dateTime', d.dateTime);
  put(o, 'eventName', d.eventName);
  return o;
}

function sourceInformation(ips: IpCaptureEvent[], devices: DeviceId[]): JsonObject | undefined {
  if (ips.length === 0 && devices.length === 0) return undefined;
  return { sourceCaptures: [...ips.map(ipCapture), ...devices.map(deviceCapture)] };
}

function disabled(d: AccountDisabled | undefined): JsonObject | undefined {
  if (!d) return undefined;
  const o: JsonObject = {};
  put(o, 'disabled', d.disabled);
  put(o, 'disabledDate', d.disabledDate);
  put(o, 'userNotified', d.userNotified);
  put(o, 'userNotifiedDate', d.userNotifiedDate);
  put(o, 'reenabledDate', d.reenabledDate);
  return o;
}

function strings(list: string[]): Json[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** A list of texts in NCMEC's style: `{"<key>": [{"value": ...}]}`. */
function values(key: string, list: string[] | undefined): JsonObject | undefined {
  return list && list.length > 0
    ? wrap(
        key,
        list.map((value) => ({ value })),
      )
    : undefined;
}

function links(list: NcmecLink[] | undefined): JsonObject | undefined {
  return list && list.length > 0
    ? wrap(
        'links',
        list.map((l) => ({ rel: l.rel, href: l.href })),
      )
    : undefined;
}

function location(l: EstimatedLocation): JsonObject {
  const o: JsonObject = {};
  put(o, 'city', l.city);
  put(o, 'region', l.region);
  put(o, 'countryCode', l.countryCode);
  put(o, 'verified', l.verified);
  put(o, 'timestamp', l.timestamp);
  return o;
}

function associated(a: AssociatedAccount): JsonObject {
  const o: JsonObject = { type: a.type };
  put(o, 'platform', a.platform);
  put(o, 'thirdPartyUser', a.thirdPartyUser);
  put(o, 'firstName', a.firstName);
  put(o, 'middleName', a.middleName);
  put(o, 'lastName', a.lastName);
  put(o, 'approximateAge', a.approximateAge);
  put(o, 'dateOfBirth', a.dateOfBirth);
  if (a.emails.length > 0) o['emails'] = wrap('emails', a.emails.map(email));
  if (a.phones.length > 0) o['phones'] = wrap('phones', a.phones.map(phone));
  if (a.addresses.length > 0) o['addresses'] = wrap('addresses', a.addresses.map(address));
  put(o, 'allEmailsReported', a.allEmailsReported);
  put(o, 'espService', a.espService);
  put(o, 'espUserId', a.espIdentifier);
  put(o, 'profileUrls', strings(a.profileUrls));
  put(o, 'screenName', a.screenName);
  put(o, 'displayNames', strings(a.displayNames));
  put(o, 'profileBio', a.profileBio);
  put(o, 'groupIdentifier', a.groupIdentifier);
  put(o, 'compromisedAccount', a.compromisedAccount);
  put(o, 'accountTemporarilyDisabled', disabled(a.accountTemporarilyDisabled));
  put(o, 'accountPermanentlyDisabled', disabled(a.accountPermanentlyDisabled));
  put(o, 'sourceInformation', sourceInformation(a.ipCaptureEvents, a.deviceIds));
  put(o, 'priorCTReports', strings(a.priorCTReports));
  put(o, 'additionalInfo', a.additionalInfo);
  return o;
}

function party(p: Party): JsonObject {
  const o: JsonObject = {};
  flatPerson(o, p.person);
  put(o, 'espService', p.espService);
  put(o, 'espUserId', p.espIdentifier);
  put(o, 'screenName', p.screenName);
  put(o, 'screenNames', values('screenNames', p.moreScreenNames));
  put(o, 'displayNames', values('displayNames', p.displayNames));
  put(o, 'profileUrls', strings(p.profileUrls));
  put(o, 'profileBio', p.profileBio);
  put(o, 'vehicleDescription', p.vehicleDescription);
  put(o, 'compromisedAccount', p.compromisedAccount);
  put(o, 'thirdPartyUser', p.thirdPartyUserReported);
  put(o, 'schoolName', p.schoolName);
  put(o, 'espGroupId', p.groupIdentifier);
  if (p.priorCTReports.length > 0) o['priorCybertipReports'] = wrap('priorCybertipReports', p.priorCTReports);
  put(o, 'accountTemporarilyDisabled', disabled(p.accountTemporarilyDisabled));
  put(o, 'accountPermanentlyDisabled', disabled(p.accountPermanentlyDisabled));
  if (p.estimatedLocation) o['espEstimatedLocations'] = wrap('espEstimatedLocations', [p.estimatedLocation, ...(p.moreEstimatedLocations ?? [])].map(location));
  put(o, 'allEmailsReported', p.allEmailsReported);
  if (p.associatedAccounts.length > 0) o['associatedAccounts'] = wrap('associatedAccounts', p.associatedAccounts.map(associated));
  put(o, 'sourceInformation', sourceInformation(p.ipCaptureEvents, p.deviceIds));
  put(o, 'additionalInformations', values('additionalInformations', p.additionalInfo));
  put(o, 'links', links(p.ncmecLinks));
  return o;
}

const KIND_KEYS: Record<InternetDetail['kind'], string> = {
  webPage: 'webPageIncident',
  email: 'emailIncident',
  newsgroup: 'newsgroupIncident',
  chatIm: 'chatImIncident',
  onlineGaming: 'onlineGamingIncident',
  cellPhone: 'cellPhoneIncident',
  nonInternet: 'nonInternetIncident',
  peer2peer: 'peer2peerIncident',
};

function internetDetail(d: InternetDetail): JsonObject {
  const o: JsonObject = {};
  switch (d.kind) {
    case 'webPage':
      o['urls'] = d.urls;
      put(o, 'thirdPartyHostedContent', d.thirdPartyHostedContent);
      break;
    case 'email':
      o['emails'] = wrap('emails', d.emails.map(email));
      put(o, 'content', d.content);
      break;
    case 'newsgroup':
      put(o, 'name', d.name);
      o['emails'] = wrap('emails', d.emails.map(email));
      put(o, 'content', d.content);
      break;
    case 'chatIm':
      put(o, 'chatClient', d.chatClient);
      put(o, 'chatRoomName', d.chatRoomName);
      put(o, 'content', d.content);
      break;
    case 'onlineGaming':
      put(o, 'gameName', d.gameName);
      put(o, 'console', d.console);
      put(o, 'content', d.content);
      break;
    case 'cellPhone':
      put(o, 'phone', d.phone ? phone(d.phone) : undefined);
      put(o, 'latitude', d.latitude);
      put(o, 'longitude', d.longitude);
      break;
    case 'nonInternet':
      put(o, 'locationName', d.locationName);
      o['addresses'] = wrap('addresses', d.addresses.map(address));
      break;
    case 'peer2peer':
      put(o, 'client', d.client);
      put(o, 'sourceInformation', sourceInformation(d.ipCaptureEvents, []));
      put(o, 'fileNames', d.fileNames);
      break;
  }
  put(o, 'additionalInfo', d.additionalInfo);
  return { [KIND_KEYS[d.kind]]: o };
}

function file(f: FileDetails): JsonObject {
  const o: JsonObject = { fileId: f.fileId };
  put(o, 'reportId', f.reportId);
  put(o, 'filename', f.fileName);
  put(o, 'originalFilename', f.originalFileName);
  put(o, 'uploadedToEspTimestamp', f.uploadedToEspTimestamp);
  put(o, 'locationOfFile', f.locationOfFile);
  put(o, 'viewedByEsp', f.fileViewedByEsp);
  put(o, 'exifViewedByEsp', f.exifViewedByEsp);
  put(o, 'publiclyAvailable', f.publiclyAvailable);
  put(o, 'fileRelevance', f.fileRelevance);
  put(o, 'potentialMeme', f.potentialMeme);
  put(o, 'fileAnnotations', strings(f.fileAnnotations));
  put(o, 'industryClassification', f.industryClassification);
  if (f.originalFileHashes.length > 0) o['originalFileHashes'] = f.originalFileHashes.map((h) => ({ hashType: h.hashType, value: h.value }));
  put(o, 'sourceInformation', sourceInformation(f.ipCaptureEvent ? [f.ipCaptureEvent] : [], f.deviceIds));
  if (f.details.length > 0) {
    o['espMetadata'] = f.details.map((d) => {
      const m: JsonObject = {};
      put(m, 'type', d.type);
      m['pairs'] = d.pairs.map((p) => ({ name: p.name, value: p.value }));
      return m;
    });
  }
  put(o, 'additionalInfo', strings(f.additionalInfo));
  return o;
}

// Which of NCMEC's geo look-up lists an IP look-up without one belongs in: the list of the
// party (or file) the address was captured from, else the internet list.
function geoListOf(r: CybertipReport, ip: string): string {
  const has = (parties: Party[]): boolean => parties.some((p) => p.ipCaptureEvents.some((e) => e.ipAddress === ip));
  if (has(r.reportedPersons)) return 'reportedPerson';
  if (has(r.victims)) return 'childVictim';
  if (has(r.intendedRecipients)) return 'intendedRecipient';
  if (r.files.some((f) => f.ipCaptureEvent?.ipAddress === ip)) return 'image';
  return 'internet';
}

/** The place a look-up found (the country as NCMEC named it, when it did). */
function place(o: JsonObject, l: IpLookup | GeoLookup): JsonObject {
  put(o, 'country', l.countryName ?? l.country);
  put(o, 'region', l.region);
  put(o, 'city', l.city);
  put(o, 'postalCode', l.postalCode);
  put(o, 'latitude', l.latitude);
  put(o, 'longitude', l.longitude);
  return o;
}

function ipLookup(l: IpLookup): JsonObject {
  const o = place({ ipAddress: l.ipAddress }, l);
  put(o, 'esp', l.isp);
  put(o, 'organization', l.organization);
  put(o, 'asn', l.asn);
  put(o, 'types', l.types);
  return o;
}

function geoLookup(l: GeoLookup): JsonObject {
  const o: JsonObject = {};
  put(o, 'phoneNumber', l.phoneNumber);
  place(o, l);
  put(o, 'carrier', l.carrier);
  return o;
}

/** `automatedInformation`: NCMEC's geo look-ups, auto-refer and auto-close notes, external deconfliction. */
function automatedInformation(r: CybertipReport): JsonObject | undefined {
  const env = r.envelope;
  const lists: Record<string, Json[]> = {};
  for (const l of env.ipLookups) (lists[`${l.about ?? geoListOf(r, l.ipAddress)}GeoLookups`] ??= []).push(ipLookup(l));
  const phones: Json[] = [];
  for (const l of env.geoLookups ?? []) {
    if (l.about === 'phone') phones.push(geoLookup(l));
    else (lists[`${l.about}GeoLookups`] ??= []).push(geoLookup(l));
  }
  const notes: JsonObject = {};
  if (Object.keys(lists).length > 0) notes['geoLookups'] = lists;
  if (phones.length > 0) notes['phoneGeoLookups'] = phones;
  const note = (n: { text: string; dateTime?: string }): JsonObject => {
    const o: JsonObject = { value: n.text };
    put(o, 'dateTime', n.dateTime);
    return o;
  };
  if (env.autoCloses) notes['autoCloses'] = env.autoCloses.map(note);
  if (env.autoRefers) notes['autoRefers'] = env.autoRefers.map(note);
  const out: JsonObject = {};
  if (Object.keys(notes).length > 0) out['autoGeneratedNotes'] = notes;
  if (env.externalDeconfliction) {
    out['externalDeconfliction'] = env.externalDeconfliction.map((d) => {
      const o: JsonObject = {};
      put(o, 'agency', d.agency);
      put(o, 'caseNumber', d.caseNumber);
      put(o, 'contact', d.contact);
      put(o, 'dateTime', d.dateTime);
      put(o, 'value', d.text);
      return o;
    });
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `additionalNcmecInformation`: priority with its meaning, the routed country by name, tags, escalation, associated reports. */
function additionalNcmecInformation(env: Envelope): JsonObject | undefined {
  const o: JsonObject = {};
  if (env.priority !== undefined) {
    const p: JsonObject = { priorityId: env.priority };
    put(p, 'value', env.priorityMeaning);
    o['priority'] = p;
  }
  if (env.country !== undefined) o['internationalCountry'] = env.countryName ?? countryName(env.country) ?? env.country;
  else put(o, 'internationalCountry', env.countryName);
  if (env.reportTags) o['reportTags'] = { groups: env.reportTags.map((g) => ({ name: g.name, tags: g.tags.map((value) => ({ value })) })) };
  put(o, 'escalationReason', env.escalationReason);
  if (env.associatedCybertipReports) o['associatedCybertipReports'] = wrap('associatedCybertipReports', env.associatedCybertipReports);
  return Object.keys(o).length > 0 ? o : undefined;
}

/** A canonical report as an LE JSON document in NCMEC's shape (a plain JSON value; see docs/lejson.md for every key). */
export function toLeJson(r: CybertipReport): JsonObject {
  const env = r.envelope;
  const doc: JsonObject = { reportId: r.reportId };
  put(doc, 'dateReceived', env.receivedAt);
  put(doc, 'informational', env.referral === undefined ? undefined : !env.referral);
  put(doc, 'potentialMemeReport', env.potentialMemeReport);
  const info: JsonObject = {};
  if (r.reporter) {
    const esp: JsonObject = {};
    flatPerson(esp, r.reporter.reportingPerson);
    if (r.reporter.contactPerson) {
      const c: JsonObject = {};
      flatPerson(c, r.reporter.contactPerson);
      esp['contactPerson'] = c;
    }
    put(esp, 'companyTemplate', r.reporter.companyTemplate);
    put(esp, 'termsOfService', r.reporter.termsOfService);
    put(esp, 'legalUrl', r.reporter.legalURL);
    put(esp, 'links', links(r.reporter.ncmecLinks));
    info['reportingEsp'] = esp;
  }
  const inc = r.incident;
  const summary: JsonObject = { incidentType: inc.incidentType, incidentDateTime: inc.incidentDateTime };
  put(summary, 'incidentDateTimeDescription', inc.incidentDateTimeDescription);
  put(summary, 'platform', inc.platform);
  put(summary, 'escalateToHighPriority', inc.escalateToHighPriority);
  put(summary, 'reportAnnotations', strings(inc.reportAnnotations));
  put(summary, 'batchedReportReason', inc.batchedReason);
  info['incidentSummary'] = summary;
  if (r.internetDetails.length > 0) info['incidentDetails'] = wrap('incidentDetails', r.internetDetails.map(internetDetail));
  if (r.reportedPersons.length > 0) info['reportedPeople'] = wrap('reportedPersons', r.reportedPersons.map(party));
  if (r.intendedRecipients.length > 0) info['intendedRecipients'] = wrap('intendedRecipients', r.intendedRecipients.map(party));
  if (r.victims.length > 0) info['childVictims'] = wrap('childVictims', r.victims.map(party));
  if (r.lawEnforcement) {
    const le = r.lawEnforcement;
    const o: JsonObject = {};
    put(o, 'agencyName', le.agencyName);
    put(o, 'caseNumber', le.caseNumber);
    if (le.officerContact) {
      const c: JsonObject = {};
      flatPerson(c, le.officerContact);
      o['officerContact'] = c;
    }
    put(o, 'reportedToLe', le.reportedToLe);
    put(o, 'servedLegalProcessDomestic', le.servedLegalProcessDomestic);
    put(o, 'servedLegalProcessInternational', le.servedLegalProcessInternational);
    put(o, 'fleaCountry', le.fleaCountry);
    info['lawEnforcement'] = o;
  }
  if (r.files.length > 0) info['uploadedFiles'] = wrap('uploadedFiles', r.files.map(file));
  if (r.additionalInfo !== undefined) info['additionalInformations'] = wrap('additionalInformations', [r.additionalInfo]);
  doc['reportedInformation'] = info;
  put(doc, 'automatedInformation', automatedInformation(r));
  put(doc, 'additionalNcmecInformation', additionalNcmecInformation(env));
  if (env.lawEnforcementContacts) {
    doc['lawEnforcementContactInformation'] = wrap(
      'lawEnforcementContacts',
      env.lawEnforcementContacts.map((c) => {
        const o: JsonObject = {};
        put(o, 'agency', c.agency);
        put(o, 'officer', c.officer);
        put(o, 'dateTimeMadeAvailable', c.madeAvailableAt);
        put(o, 'leaFeedback', c.leaFeedback);
        put(o, 'referralType', c.referralType);
        return o;
      }),
    );
  }
  put(doc, 'links', links(env.ncmecLinks));
  if (r.unknown.length > 0) doc[CARRIED_UNKNOWN_KEY] = r.unknown.map((u) => ({ path: u.path, xml: u.xml }));
  return doc;
}
