// The canonical CyberTipline report: everything NCMEC's ISPWS schema (cyber_tipline.xsd) carries
// that an analyst or a later stage may need, plus the bundle envelope NCMEC adds on receipt.
// Field names follow the XSD element names so a field can be traced back to the schema; lists
// take the plural. Enumerated values are plain strings kept as written: NCMEC adds values over
// time and an unknown value must never be lost or rejected. See docs/report-model.md.

import { espFromDomain } from './esp-names.ts';
import { toUtcIso } from './xsd-datetime.ts';

export { isXsDate, isXsDateTime, toUtcIso } from './xsd-datetime.ts';

/** incidentSummary/incidentType values known to the schema snapshot (the older spelling "...Sexual Act" also occurs). */
export const KNOWN_INCIDENT_TYPES = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Child Sex Trafficking',
  'Child Sex Tourism',
  'Child Sexual Molestation',
  'Misleading Domain Name',
  'Misleading Words or Digital Images on the Internet',
  'Online Enticement of Children for Sexual Acts',
  'Unsolicited Obscene Material Sent to a Child',
] as const;

/** reportAnnotations element names known to the schema snapshot. */
export const KNOWN_REPORT_ANNOTATIONS = ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation'] as const;

/** fileAnnotations element names known to the schema snapshot. */
export const KNOWN_FILE_ANNOTATIONS = [
  'animeDrawingVirtualHentai',
  'potentialMeme',
  'viral',
  'possibleSelfProduction',
  'physicalHarm',
  'violenceGore',
  'bestiality',
  'liveStreaming',
  'infant',
  'generativeAi',
] as const;

/** batchedReport@reason values known to the schema snapshot. */
export const KNOWN_BATCHED_REPORT_REASONS = ['VIRAL_POTENTIAL_MEME'] as const;
/** ipCaptureEvent/eventName and deviceId/eventName values known to the schema snapshot. */
export const KNOWN_IP_CAPTURE_EVENTS = ['Login', 'Registration', 'Purchase', 'Upload', 'Other', 'Unknown'] as const;
/** associatedAccount@type values known to the schema snapshot. */
export const KNOWN_ASSOCIATED_ACCOUNT_TYPES = ['Billing', 'Linked', 'Business', 'Creator', 'Parent/Guardian', 'Other'] as const;
/** phone@type values known to the schema snapshot. */
export const KNOWN_PHONE_TYPES = ['Mobile', 'Home', 'Business', 'Work', 'Fax', 'Internet', 'Recovery'] as const;
/** email@type values known to the schema snapshot. */
export const KNOWN_EMAIL_TYPES = ['Home', 'Work', 'Business', 'Recovery'] as const;
/** address@type values known to the schema snapshot. */
export const KNOWN_ADDRESS_TYPES = ['Home', 'Business', 'Billing', 'Shipping', 'Technical'] as const;
/** fileDetails/fileRelevance values known to the schema snapshot. */
export const KNOWN_FILE_RELEVANCE = ['Reported', 'Supplemental Reported'] as const;
/** fileDetails/industryClassification values known to the schema snapshot. */
export const KNOWN_INDUSTRY_CLASSIFICATIONS = ['A1', 'A2', 'B1', 'B2'] as const;
/** details@type values known to the schema snapshot. */
export const KNOWN_DETAILS_TYPES = ['EXIF', 'HASH'] as const;

/** A phone number (XSD type `phone`): the number as written plus its attributes. */
export interface Phone {
  number: string;
  type?: string;
  verified?: boolean;
  /** xs:dateTime as written. */
  verificationDate?: string;
  /** e.g. "+63". */
  countryCallingCode?: string;
  extension?: string;
}

/** An email address (XSD type `email`) with its attributes. */
export interface Email {
  address: string;
  type?: string;
  verified?: boolean;
  /** xs:dateTime as written. */
  verificationDate?: string;
}

/** A postal address (XSD type `address`). */
export interface Address {
  type?: string;
  /** The street line (the XSD's inner `address` element). */
  address?: string;
  city?: string;
  zipCode?: string;
  /** US state code. */
  state?: string;
  nonUsaState?: string;
  country?: string;
}

/** A person (XSD types `person` and `contactPerson`; age and dateOfBirth only occur in `person`). */
export interface Person {
  firstName?: string;
  lastName?: string;
  phones: Phone[];
  emails: Email[];
  addresses: Address[];
  age?: number;
  /** xs:date as written. */
  dateOfBirth?: string;
}

/** An IP address seen by the ESP (XSD type `ipCaptureEvent`). */
export interface IpCaptureEvent {
  /** Required by the schema; "" (with a warning) when absent. */
  ipAddress: string;
  eventName?: string;
  /** xs:dateTime as written. */
  dateTime?: string;
  possibleProxy?: boolean;
  /** Source port: behind carrier-grade NAT a subscriber lookup needs it. */
  port?: number;
}

/** A device identifier such as IMEI, ICCID, SSID, or an advertising id (IDFA, GAID) (XSD type `deviceId`). */
export interface DeviceId {
  /** Required by the schema; "" (with a warning) when absent. */
  idType: string;
  /** Required by the schema; "" (with a warning) when absent. */
  idValue: string;
  eventName?: string;
  /** xs:dateTime as written. */
  dateTime?: string;
}

/** accountTemporarilyDisabled / accountPermanentlyDisabled: the element's boolean value plus its attributes. */
export interface AccountDisabled {
  /** The element's own boolean content. */
  disabled?: boolean;
  disabledDate?: string;
  userNotified?: boolean;
  userNotifiedDate?: string;
  /** Temporarily disabled accounts only. */
  reenabledDate?: string;
}

/** The ESP's estimate of where the user is (XSD type `estimatedLocation`). */
export interface EstimatedLocation {
  city?: string;
  region?: string;
  countryCode?: string;
  verified?: boolean;
  /** xs:dateTime as written. */
  timestamp?: string;
}

/** Another account tied to a party (XSD type `associatedAccount`). */
export interface AssociatedAccount {
  /** Billing, Linked, Business, Creator, Parent/Guardian, Other, or a newer value as written. */
  type: string;
  platform?: string;
  /** platform@thirdPartyUser. */
  thirdPartyUser?: boolean;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  approximateAge?: number;
  dateOfBirth?: string;
  phones: Phone[];
  emails: Email[];
  allEmailsReported?: boolean;
  addresses: Address[];
  espService?: string;
  espIdentifier?: string;
  profileUrls: string[];
  screenName?: string;
  displayNames: string[];
  profileBio?: string;
  groupIdentifier?: string;
  compromisedAccount?: boolean;
  accountTemporarilyDisabled?: AccountDisabled;
  accountPermanentlyDisabled?: AccountDisabled;
  ipCaptureEvents: IpCaptureEvent[];
  deviceIds: DeviceId[];
  /** Earlier CyberTipline report numbers, as written (the XSD's `priorCTReport`). */
  priorCTReports: string[];
  additionalInfo?: string;
}

/** Which list of the report a party comes from. */
export type PartyRole = 'reported' | 'recipient' | 'victim';

/**
 * A person or account in the report: personOrUserReported, intendedRecipient or victim. The three
 * share most of their elements; the few that belong to one role are marked.
 */
export interface Party {
  role: PartyRole;
  /** personOrUserReportedPerson / intendedRecipientPerson / victimPerson. */
  person?: Person;
  /** Reported only. */
  vehicleDescription?: string;
  espIdentifier?: string;
  espService?: string;
  compromisedAccount?: boolean;
  screenName?: string;
  displayNames: string[];
  profileUrls: string[];
  profileBio?: string;
  ipCaptureEvents: IpCaptureEvent[];
  deviceIds: DeviceId[];
  /** Reported only. */
  thirdPartyUserReported?: boolean;
  /** Victim only. */
  schoolName?: string;
  /** Earlier CyberTipline report numbers, as written. */
  priorCTReports: string[];
  /** Reported and recipient only. */
  groupIdentifier?: string;
  accountTemporarilyDisabled?: AccountDisabled;
  accountPermanentlyDisabled?: AccountDisabled;
  estimatedLocation?: EstimatedLocation;
  allEmailsReported?: boolean;
  /** Reported and victim only. */
  associatedAccounts: AssociatedAccount[];
  /** One entry, except for intended recipients, whose schema allows several. */
  additionalInfo: string[];
  /** LE JSON only: screen names after the first (`screenNames`), in document order; the first is `screenName`. */
  moreScreenNames?: string[];
  /** LE JSON only: estimated locations after the first (`espEstimatedLocations`), in document order; the first is `estimatedLocation`. */
  moreEstimatedLocations?: EstimatedLocation[];
  /** LE JSON only: NCMEC's links from this person to related records (`links.links[]`). */
  ncmecLinks?: NcmecLink[];
}

/** One internetDetails element: the schema allows exactly one kind per element. */
export type InternetDetail =
  | { kind: 'webPage'; urls: string[]; thirdPartyHostedContent?: boolean; additionalInfo?: string }
  | { kind: 'email'; emails: Email[]; content?: string; additionalInfo?: string }
  | { kind: 'newsgroup'; name?: string; emails: Email[]; content?: string; additionalInfo?: string }
  | { kind: 'chatIm'; chatClient?: string; chatRoomName?: string; content?: string; additionalInfo?: string }
  | { kind: 'onlineGaming'; gameName?: string; console?: string; content?: string; additionalInfo?: string }
  | { kind: 'cellPhone'; phone?: Phone; latitude?: number; longitude?: number; additionalInfo?: string }
  | { kind: 'nonInternet'; locationName?: string; addresses: Address[]; additionalInfo?: string }
  | { kind: 'peer2peer'; client?: string; ipCaptureEvents: IpCaptureEvent[]; fileNames?: string; additionalInfo?: string };

/** The kinds of internetDetails, in schema order. */
export type InternetDetailKind = InternetDetail['kind'];

/** The element (XML) or key (LE JSON) that carries each kind of internetDetails. */
export const INTERNET_DETAIL_ELEMENTS: Readonly<Record<string, InternetDetailKind>> = {
  webPageIncident: 'webPage',
  emailIncident: 'email',
  newsgroupIncident: 'newsgroup',
  chatImIncident: 'chatIm',
  onlineGamingIncident: 'onlineGaming',
  cellPhoneIncident: 'cellPhone',
  nonInternetIncident: 'nonInternet',
  peer2peerIncident: 'peer2peer',
};

/** The law-enforcement contact already involved (XSD element `lawEnforcement`). */
export interface LawEnforcement {
  agencyName?: string;
  caseNumber?: string;
  officerContact?: Person;
  reportedToLe?: boolean;
  servedLegalProcessDomestic?: boolean;
  servedLegalProcessInternational?: boolean;
  /** servedLegalProcessInternational@fleaCountry. */
  fleaCountry?: string;
}

/** The reporting company's people and texts (XSD element `reporter`). */
export interface Reporter {
  reportingPerson?: Person;
  contactPerson?: Person;
  companyTemplate?: string;
  termsOfService?: string;
  legalURL?: string;
  /** LE JSON only: NCMEC's links from the reporting ESP to related records (`links.links[]`). */
  ncmecLinks?: NcmecLink[];
}

/** incidentSummary, plus the report's batchedReport reason. */
export interface Incident {
  /** As written; unknown values kept verbatim. */
  incidentType: string;
  platform?: string;
  /** Free text, present only when the ESP sees an immediate risk to a child. */
  escalateToHighPriority?: string;
  /** Names of the reportAnnotations set (unknown names kept); one set to false is left out with a warning. */
  reportAnnotations: string[];
  /** xs:dateTime as written; use toUtcIso() to compare. */
  incidentDateTime: string;
  incidentDateTimeDescription?: string;
  /** report/batchedReport@reason, e.g. VIRAL_POTENTIAL_MEME. */
  batchedReason?: string;
}

/** An original-file hash (fileDetails/originalFileHash). */
export interface FileHash {
  hashType: string;
  value: string;
}

/** fileDetails/details: EXIF or HASH name/value pairs. */
export interface FileMetadata {
  /** EXIF, HASH, or another value as written; absent when the attribute is. */
  type?: string;
  pairs: { name: string; value: string }[];
}

/** One reported file (XSD element `fileDetails`). No imagery: metadata and hashes only. */
export interface FileDetails {
  /** fileDetails/reportId as written (should equal the report's id; a mismatch is a warning). */
  reportId?: string;
  fileId: string;
  fileName?: string;
  originalFileName?: string;
  /** xs:dateTime as written. */
  uploadedToEspTimestamp?: string;
  locationOfFile?: string;
  fileViewedByEsp?: boolean;
  exifViewedByEsp?: boolean;
  publiclyAvailable?: boolean;
  fileRelevance?: string;
  /** The older stand-alone potentialMeme flag (the schema offers it as an alternative to fileAnnotations). */
  potentialMeme?: boolean;
  /** Names of the fileAnnotations set (unknown names kept). */
  fileAnnotations: string[];
  industryClassification?: string;
  originalFileHashes: FileHash[];
  ipCaptureEvent?: IpCaptureEvent;
  deviceIds: DeviceId[];
  details: FileMetadata[];
  additionalInfo: string[];
}

/** NCMEC's geolocation of an IP address in the report (envelope ipLookup; LE JSON geoLookups entries with an IP address). */
export interface IpLookup {
  ipAddress: string;
  /** ISO 3166-1 alpha-2 where NCMEC wrote a code or a name Bantay knows; else as written. */
  country?: string;
  region?: string;
  city?: string;
  isp?: string;
  asn?: string;
  /** LE JSON only: which of NCMEC's geo look-up lists it came from (GEO_LOOKUP_LISTS, or a newer list's name as written). */
  about?: string;
  /** LE JSON only: the country as NCMEC wrote it, when that was a name rather than a code. */
  countryName?: string;
  postalCode?: string;
  latitude?: number;
  longitude?: number;
  /** LE JSON only: the organisation the address is registered to, where NCMEC names one besides the ISP. */
  organization?: string;
  /** LE JSON only: NCMEC's kinds of address (e.g. "residential"), as written. */
  types?: string[];
}

/** The geo look-up lists of LE JSON (`automatedInformation.autoGeneratedNotes.geoLookups.<list>GeoLookups`, and `phoneGeoLookups`), by the name `about` gives them. */
export const GEO_LOOKUP_LISTS = ['reportedPerson', 'childVictim', 'intendedRecipient', 'image', 'internet', 'phone'] as const;

/** NCMEC's geolocation of something other than an IP address: a phone number (`phoneGeoLookups`), or a geo look-up entry without an IP. */
export interface GeoLookup {
  /** Which list it came from (GEO_LOOKUP_LISTS, or a newer list's name as written). */
  about: string;
  phoneNumber?: string;
  /** ISO 3166-1 alpha-2 where NCMEC wrote a code or a name Bantay knows; else as written. */
  country?: string;
  /** The country as NCMEC wrote it, when that was a name rather than a code. */
  countryName?: string;
  region?: string;
  city?: string;
  postalCode?: string;
  latitude?: number;
  longitude?: number;
  /** The phone carrier or network, as written. */
  carrier?: string;
}

/** A HAL-style link NCMEC attaches to a report, the reporting ESP or a person (`links.links[]`: `associations`, `location-predictions`, ...). */
export interface NcmecLink {
  rel: string;
  href: string;
}

/** One group of NCMEC's tags on a report (`additionalNcmecInformation.reportTags.groups[]`). */
export interface NcmecTagGroup {
  name: string;
  /** The tags' values, in document order. */
  tags: string[];
}

/** A note NCMEC's systems wrote when a rule referred or closed the report automatically (`autoRefers[]`, `autoCloses[]`). */
export interface NcmecAutoNote {
  /** The note, as written. */
  text: string;
  /** xs:dateTime as written, when the note has one. */
  dateTime?: string;
}

/** A law-enforcement agency NCMEC made the report available to (`lawEnforcementContactInformation.lawEnforcementContacts[]`). */
export interface LawEnforcementContact {
  agency?: string;
  officer?: string;
  /** `dateTimeMadeAvailable`: xs:dateTime as written. */
  madeAvailableAt?: string;
  /** The agency's feedback to NCMEC, as written. */
  leaFeedback?: string;
  referralType?: string;
}

/** A match NCMEC's deconfliction against other agencies' systems found (`automatedInformation.externalDeconfliction`). */
export interface ExternalDeconfliction {
  agency?: string;
  caseNumber?: string;
  contact?: string;
  /** xs:dateTime as written. */
  dateTime?: string;
  /** The match's description, as written. */
  text?: string;
}

/** What the priority codes NCMEC writes mean, where that is published (the code set as a whole is not public). */
export const NCMEC_PRIORITY_MEANINGS: Readonly<Record<string, string>> = Object.freeze({
  E: 'Report submitted by a registered Electronic Service Provider',
});

/** The meaning of a report's NCMEC priority: as NCMEC wrote it beside the code, else the published meaning of the code, else undefined. */
export function ncmecPriorityMeaning(envelope: Pick<Envelope, 'priority' | 'priorityMeaning'>): string | undefined {
  if (envelope.priorityMeaning?.trim()) return envelope.priorityMeaning;
  const code = envelope.priority?.trim().toUpperCase();
  return code === undefined ? undefined : NCMEC_PRIORITY_MEANINGS[code];
}

/**
 * What NCMEC adds on receipt (the bundle envelope); empty for a bare <report> file. The fields
 * after `ipLookups` come from LE JSON only (the XML envelope has no place for them).
 */
export interface Envelope {
  /** xs:dateTime as written. */
  receivedAt?: string;
  referral?: boolean;
  /** NCMEC's priority code as written ("1", "2", "E"...; the code set is not public): see ncmecPriorityMeaning. */
  priority?: string;
  /** The country NCMEC routed the report to: ISO 3166-1 alpha-2 (LE JSON's name is read into its code). */
  country?: string;
  ipLookups: IpLookup[];
  /** The meaning NCMEC wrote beside its priority code (`priority.value`), as written. */
  priorityMeaning?: string;
  /** The routed country as NCMEC wrote it (`internationalCountry`), when that was a name. */
  countryName?: string;
  /** NCMEC's own flag that the report is a potential meme (`potentialMemeReport`). */
  potentialMemeReport?: boolean;
  /** Why NCMEC escalated the report, as written (`escalationReason`). */
  escalationReason?: string;
  reportTags?: NcmecTagGroup[];
  /** Other CyberTipline reports NCMEC associated with this one (report numbers as written). */
  associatedCybertipReports?: string[];
  autoRefers?: NcmecAutoNote[];
  autoCloses?: NcmecAutoNote[];
  /** NCMEC's look-ups of phones and other non-IP identifiers (IP look-ups are in ipLookups). */
  geoLookups?: GeoLookup[];
  lawEnforcementContacts?: LawEnforcementContact[];
  externalDeconfliction?: ExternalDeconfliction[];
  /** NCMEC's links from the report to related records (`links.links[]`). */
  ncmecLinks?: NcmecLink[];
}

/** An element or attribute the schema snapshot does not know, kept verbatim. */
export interface UnknownPart {
  /** Where it was, e.g. `report/personOrUserReported[0]/potentialAggravatingFactors` or `.../@someAttribute`. */
  path: string;
  /** The element re-serialised from the parsed node (attributes and text kept, escaped), or `name="value"` for an attribute. */
  xml: string;
}

/** One CyberTipline report in canonical form. */
export interface CybertipReport {
  /** The CyberTipline report number (digits), or `h` + 16 hex digits when derived from the content. */
  reportId: string;
  /** Where reportId came from: the envelope, the file name's leading digits, or a hash of the report text. */
  idSource: 'envelope' | 'filename' | 'content';
  envelope: Envelope;
  incident: Incident;
  internetDetails: InternetDetail[];
  lawEnforcement?: LawEnforcement;
  reporter?: Reporter;
  reportedPersons: Party[];
  intendedRecipients: Party[];
  victims: Party[];
  /** report/additionalInfo. */
  additionalInfo?: string;
  files: FileDetails[];
  unknown: UnknownPart[];
  /** Readable notes on values that were off-schema but not serious enough to set the report aside. */
  warnings: string[];
}

/** The one-line view of a report that queues and lists show. */
export interface ReportSummary {
  reportId: string;
  /** UTC ISO. */
  receivedAt: string | null;
  incidentType: string;
  /** UTC ISO. */
  incidentTime: string;
  referral: boolean | null;
  priority: string | null;
  country: string | null;
  /** Derived: the XML has no ESP field (see summarize). */
  esp: string | null;
  annotations: string[];
  escalation: string | null;
  batched: boolean;
  fileCount: number;
  reportedCount: number;
  victimCount: number;
}

function present(value: string | undefined): string | null {
  if (value === undefined) return null;
  const t = value.trim();
  return t === '' ? null : t;
}

function safeUtc(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    return toUtcIso(value);
  } catch {
    return null;
  }
}

/** The ESP behind a report: incident.platform, else the first reported person's espService, else the domain of the reporting person's first email, else null. */
export function deriveEsp(report: CybertipReport): string | null {
  const platform = present(report.incident.platform);
  if (platform) return platform;
  const service = present(report.reportedPersons[0]?.espService);
  if (service) return service;
  const email = present(report.reporter?.reportingPerson?.emails[0]?.address);
  if (email) {
    const at = email.lastIndexOf('@');
    const domain =
      at >= 0
        ? email
            .slice(at + 1)
            .trim()
            .toLowerCase()
        : '';
    if (domain) return espFromDomain(domain);
  }
  return null;
}

/** The summary of a report; times in UTC ISO (an unparseable time, which the reader never lets through, gives null or the raw value). */
export function summarize(report: CybertipReport): ReportSummary {
  const escalation = present(report.incident.escalateToHighPriority);
  return {
    reportId: report.reportId,
    receivedAt: safeUtc(report.envelope.receivedAt),
    incidentType: report.incident.incidentType,
    incidentTime: safeUtc(report.incident.incidentDateTime) ?? report.incident.incidentDateTime,
    referral: report.envelope.referral ?? null,
    priority: present(report.envelope.priority),
    country: present(report.envelope.country),
    esp: deriveEsp(report),
    annotations: [...report.incident.reportAnnotations],
    escalation,
    batched: report.incident.batchedReason !== undefined,
    fileCount: report.files.length,
    reportedCount: report.reportedPersons.length,
    victimCount: report.victims.length,
  };
}
