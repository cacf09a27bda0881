// The JSON Schema (2020-12) of the LE JSON document Bantay reads: one object per CyberTip. It is a
// TypeScript module so runtime code finds it from src/ and dist/ alike; docs/lejson.schema.json is
// the same schema as a file, kept identical by a test. Every object allows other keys: the reader
// keeps them verbatim. The reader is a little more lenient than the schema (see docs/lejson.md).

import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

const text: Schema = { type: ['string', 'number', 'boolean'] };
const bool: Schema = { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false', '1', '0'] }] };
const int: Schema = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\s*[+-]?\\d+\\s*$' }] };
const num: Schema = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$' }] };
// xs:dateTime and xs:date as written (the reader also checks the calendar: no 30 February).
const dateTime: Schema = { type: 'string', pattern: '^\\s*-?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?\\s*$' };
const date: Schema = { type: 'string', pattern: '^\\s*-?\\d{4,}-\\d{2}-\\d{2}(Z|[+-]\\d{2}:\\d{2})?\\s*$' };
const reportNumber: Schema = { anyOf: [{ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, { type: 'string', pattern: '^(\\s*\\+?\\d{1,19}\\s*|h[0-9a-f]{16})$' }] };

function obj(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** A list: an array, the LE wrapper `{"<key>": [...]}`, or a single item. */
function listOf(key: string, item: Schema): Schema {
  return { anyOf: [{ type: 'array', items: item }, obj({ [key]: { anyOf: [{ type: 'array', items: item }, item] } }, [key]), item] };
}

const phone = { anyOf: [{ type: 'string' }, obj({ value: text, type: text, verified: bool, verificationDate: dateTime, countryCallingCode: text, extension: text })] };
const email = { anyOf: [{ type: 'string' }, obj({ value: text, type: text, verified: bool, verificationDate: dateTime })] };
const address = obj({ type: text, address: text, street: text, city: text, zipCode: text, state: text, nonUsaState: text, country: text });
const personFields = {
  firstName: text,
  lastName: text,
  dateOfBirth: date,
  approximateAge: int,
  emails: listOf('emails', email),
  phones: listOf('phones', phone),
  addresses: listOf('addresses', address),
};
const capture = obj({ captureType: text, value: text, dateTime, port: int, eventName: text, possibleProxy: bool });
const sourceInformation = obj({ sourceCaptures: listOf('sourceCaptures', capture) });
const disabled = { anyOf: [bool, obj({ disabled: bool, disabledDate: dateTime, userNotified: bool, userNotifiedDate: dateTime, reenabledDate: dateTime })] };
const texts = (key: string): Schema => listOf(key, { anyOf: [text, obj({ value: text })] });

const associatedAccount = obj({
  ...personFields,
  type: text, platform: text, thirdPartyUser: bool, middleName: text, allEmailsReported: bool, espService: text, espUserId: text,
  profileUrls: texts('profileUrls'), screenName: text, displayNames: texts('displayNames'), profileBio: text, groupIdentifier: text,
  compromisedAccount: bool, accountTemporarilyDisabled: disabled, accountPermanentlyDisabled: disabled, sourceInformation,
  sourceCaptures: listOf('sourceCaptures', capture), priorCTReports: texts('priorCTReports'), additionalInfo: text,
});

const person = obj({
  ...personFields,
  espService: text, espUserId: text, screenName: text, displayNames: texts('displayNames'), profileUrls: texts('profileUrls'),
  profileBio: text, vehicleDescription: text, compromisedAccount: bool, thirdPartyUserReported: bool, schoolName: text,
  groupIdentifier: text, priorCTReports: texts('priorCTReports'), accountTemporarilyDisabled: disabled,
  accountPermanentlyDisabled: disabled,
  estimatedLocation: obj({ city: text, region: text, countryCode: text, verified: bool, timestamp: dateTime }),
  allEmailsReported: bool, associatedAccounts: listOf('associatedAccounts', associatedAccount), sourceInformation,
  sourceCaptures: listOf('sourceCaptures', capture), additionalInfo: texts('additionalInfo'),
});

const annotations = { anyOf: [{ type: 'array', items: { anyOf: [text, obj({ name: text })] } }, { type: 'object', additionalProperties: bool }] };

const common = { additionalInfo: text };
const incidentKinds: Record<string, Schema> = {
  webPageIncident: obj({ ...common, urls: texts('urls'), thirdPartyHostedContent: bool }),
  emailIncident: obj({ ...common, emails: listOf('emails', email), content: text }),
  newsgroupIncident: obj({ ...common, name: text, emails: listOf('emails', email), content: text }),
  chatImIncident: obj({ ...common, chatClient: text, chatRoomName: text, content: text }),
  onlineGamingIncident: obj({ ...common, gameName: text, console: text, content: text }),
  cellPhoneIncident: obj({ ...common, phone, latitude: num, longitude: num }),
  nonInternetIncident: obj({ ...common, locationName: text, addresses: listOf('addresses', address) }),
  peer2peerIncident: obj({ ...common, client: text, sourceInformation, sourceCaptures: listOf('sourceCaptures', capture), fileNames: text }),
};
const incidentDetail = obj(Object.fromEntries(Object.entries(incidentKinds).map(([k, s]) => [k, { anyOf: [s, { type: 'array', items: s }] }])));

const uploadedFile = obj({
  fileId: text, reportId: text, filename: text, originalFilename: text, uploadedToEspTimestamp: dateTime, locationOfFile: text,
  viewedByEsp: bool, exifViewedByEsp: bool, publiclyAvailable: bool, fileRelevance: text, potentialMeme: bool,
  fileAnnotations: annotations, industryClassification: text, verificationHash: text,
  originalFileHashes: { type: 'array', items: obj({ hashType: text, value: text }) },
  ncmecTags: obj({ groups: { type: 'array', items: obj({ tags: { type: 'array' } }) } }),
  sourceInformation, sourceCaptures: listOf('sourceCaptures', capture),
  espMetadata: { type: 'array', items: obj({ type: text, pairs: { type: 'array', items: obj({ name: text, value: text }) } }) },
  additionalInfo: texts('additionalInfo'),
});

/** The JSON Schema of one LE JSON document. */
export const LE_JSON_SCHEMA: Readonly<Schema> = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://bantay.invalid/schemas/lejson.schema.json',
  title: 'Bantay LE JSON: one CyberTipline report as law enforcement receives it',
  description: 'Generated from src/ingest/lejson/schema.ts; see docs/lejson.md. Objects allow other keys, which Bantay keeps verbatim.',
  ...obj({
    reportId: reportNumber,
    dateReceived: dateTime,
    referral: bool,
    priority: text,
    country: text,
    ipLookups: listOf('ipLookups', obj({ ipAddress: text, country: text, region: text, city: text, isp: text, asn: text })),
    bantayUnknown: { type: 'array', items: obj({ path: { type: 'string' }, xml: { type: 'string' } }, ['path', 'xml']) },
    reportedInformation: obj({
      reportingEsp: obj({ ...personFields, espName: text, contactPerson: obj(personFields), companyTemplate: text, termsOfService: text, legalUrl: text }),
      incidentSummary: obj({
        incidentType: { type: ['string', 'number'], minLength: 1, pattern: '\\S' },
        incidentDateTime: dateTime,
        incidentDateTimeDescription: text,
        platform: text,
        escalateToHighPriority: text,
        reportAnnotations: annotations,
        batchedReportReason: text,
      }, ['incidentType', 'incidentDateTime']),
      reportedPeople: listOf('reportedPersons', person),
      intendedRecipients: listOf('intendedRecipients', person),
      victims: listOf('victims', person),
      uploadedFiles: listOf('uploadedFiles', uploadedFile),
      incidentDetails: listOf('incidentDetails', incidentDetail),
      lawEnforcement: obj({
        agencyName: text, caseNumber: text, officerContact: obj(personFields), reportedToLe: bool,
        servedLegalProcessDomestic: bool, servedLegalProcessInternational: bool, fleaCountry: text,
      }),
      additionalInformations: texts('additionalInformations'),
    }, ['incidentSummary']),
  }, ['reportId', 'reportedInformation']),
});

let compiled: ValidateFunction | undefined;

/** Checks a parsed document against the schema: null when it conforms, else readable messages (path: problem). */
export function validateLeJson(doc: unknown): string[] | null {
  const validate = (compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(LE_JSON_SCHEMA));
  if (validate(doc)) return null;
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
