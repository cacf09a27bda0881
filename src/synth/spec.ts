// The generator's own picture of one report before it is written: plain data that xml-writer.ts
// turns into NCMEC ISPWS XML. Every value is already text as it will be written, so that what
// truth.json records as "written" is exactly what lands in the file.
import type { IpAddr } from './ips.ts';
import type { IncidentType } from './params.ts';

/** A phone element. */
export interface PhoneSpec {
  text: string;
  type?: 'Mobile' | 'Home' | 'Business';
  verified?: boolean;
  countryCallingCode?: string;
}

/** An email element. */
export interface EmailSpec {
  text: string;
  type?: 'Home' | 'Work' | 'Recovery';
  verified?: boolean;
}

/** An address element (NCMEC address type). */
export interface AddressSpec {
  address?: string;
  city?: string;
  zipCode?: string;
  nonUsaState?: string;
  country?: string;
  type?: 'Home' | 'Business' | 'Billing';
}

/** A person (NCMEC person type). */
export interface PersonSpec {
  firstName?: string;
  lastName?: string;
  phones: PhoneSpec[];
  emails: EmailSpec[];
  addresses: AddressSpec[];
  age?: number;
  dateOfBirth?: string;
}

/** An ipCaptureEvent. */
export interface IpEventSpec {
  ip: string;
  eventName?: string;
  dateTime?: string;
  possibleProxy?: boolean;
  port?: number;
}

/** A deviceId. */
export interface DeviceSpec {
  idType: string;
  idValue: string;
  eventName?: string;
  dateTime?: string;
}

/** estimatedLocation. */
export interface LocationSpec {
  city?: string;
  region?: string;
  countryCode?: string;
  verified?: boolean;
}

/** associatedAccount. */
export interface AssociatedSpec {
  type: 'Billing' | 'Linked' | 'Business' | 'Creator' | 'Parent/Guardian' | 'Other';
  platform?: string;
  firstName?: string;
  lastName?: string;
  phones: PhoneSpec[];
  emails: EmailSpec[];
  espService?: string;
  espIdentifier?: string;
  screenName?: string;
  priorCTReports: string[];
}

/** personOrUserReported, intendedRecipient or victim: one account and the person behind it. */
export interface AccountSpec {
  person?: PersonSpec;
  espIdentifier?: string;
  espService?: string;
  compromisedAccount?: boolean;
  screenName?: string;
  displayName?: string;
  profileUrl?: string;
  ipEvents: IpEventSpec[];
  devices: DeviceSpec[];
  thirdPartyUserReported?: boolean;
  priorCTReports: string[];
  groupIdentifier?: string;
  schoolName?: string;
  disabled?: { permanent: boolean; date: string; userNotified?: boolean };
  location?: LocationSpec;
  associated: AssociatedSpec[];
  additionalInfo?: string;
}

/** internetDetails, one of the incident kinds the generator uses. */
export type InternetSpec =
  | { kind: 'chat'; client?: string; room?: string; content?: string }
  | { kind: 'web'; urls: string[]; thirdParty?: boolean }
  | { kind: 'email'; addresses: string[]; content?: string }
  | { kind: 'cell'; phone?: PhoneSpec; latitude?: number; longitude?: number };

/** One fileDetails. */
export interface FileSpec {
  fileId: string;
  fileName?: string;
  originalFileName?: string;
  uploaded?: string;
  locationOfFile?: string;
  viewedByEsp?: boolean;
  exifViewedByEsp?: boolean;
  publiclyAvailable?: boolean;
  relevance?: 'Reported' | 'Supplemental Reported';
  /** The legacy top-level potentialMeme flag (exclusive with annotations in the XSD). */
  legacyPotentialMeme?: boolean;
  annotations: string[];
  classification?: 'A1' | 'A2' | 'B1' | 'B2';
  /** originalFileHash elements: [hashType, value]. */
  hashes: [string, string][];
  ipEvent?: IpEventSpec;
  /** details type="HASH" name/value pairs. */
  hashDetails: [string, string][];
  /** details type="EXIF" name/value pairs. */
  exifDetails?: [string, string][];
  additionalInfo?: string;
}

/** One report with its envelope. */
export interface ReportSpec {
  reportId: string;
  receivedAt: string;
  referral?: boolean;
  priority?: string;
  /** undefined: no attribute; '': an empty attribute. */
  country?: string;
  batched: boolean;
  incidentType: IncidentType;
  platform?: string;
  escalate?: string;
  reportAnnotations: string[];
  incidentDateTime: string;
  timeDescription?: string;
  internet: InternetSpec[];
  reporter: {
    firstName?: string;
    lastName?: string;
    /** The reporting person's line (the ESP's own, in the adversarial world). */
    phone?: string;
    email?: string;
    /** The reporting company's country, written as the reporting person's address. */
    country?: string;
    /** A contactPerson block: whom law enforcement should call. */
    contact?: { firstName?: string; lastName?: string; phone?: string; email?: string };
    company?: string;
  };
  reported: AccountSpec[];
  intended: AccountSpec[];
  victims: AccountSpec[];
  additionalInfo?: string;
  files: FileSpec[];
  lookups: IpAddr[];
  /** Write xs:boolean values as 1 / 0 (annotations stay "true": their schema fixes the value). */
  boolDigits?: boolean;
}

/** An empty person. */
export function person(): PersonSpec {
  return { phones: [], emails: [], addresses: [] };
}

/** An empty account. */
export function account(): AccountSpec {
  return { ipEvents: [], devices: [], priorCTReports: [], associated: [] };
}
