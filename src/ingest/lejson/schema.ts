// The JSON Schema (2020-12) of the LE JSON document Bantay reads: one object per CyberTip. It is a
// TypeScript module so runtime code finds it from src/ and dist/ alike; docs/lejson.schema.json is
// the same schema as a file, kept identical by a test. Every object allows other keys: the reader
// keeps them verbatim. The reader is a little more lenient than the schema (see docs/lejson.md).

import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

const reportNumber: Schema = {
  anyOf: [
    { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    { type: 'string', pattern: '^(\\s*\\+?\\d{1,19}\\s*|h[0-9a-f]{16})$' },
  ],
};

function obj(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/** A list: an array, the LE wrapper `{"<key>": [...]}` (or `{"<key>": null}`), a single item, or null. */
function listOf(key: string, item: Schema): Schema {
  return {
    anyOf: [{ type: 'null' }, { type: 'array', items: item }, obj({ [key]: { anyOf: [{ type: 'null' }, { type: 'array', items: item }, item] } }, [key]), item],
  };
}

const texts = (key: string): Schema => listOf(key, ref('textItem'));
const personFields = {
  firstName: ref('text'),
  lastName: ref('text'),
  dateOfBirth: ref('date'),
  approximateAge: ref('int'),
  emails: listOf('emails', ref('email')),
  phones: listOf('phones', ref('phone')),
  addresses: listOf('addresses', ref('address')),
};
const links = listOf('links', obj({ rel: ref('text'), href: ref('text') }));
const sourceInformation = listOf('sourceCaptures', ref('capture'));
const reportNumbers = (key: string): Schema => listOf(key, { anyOf: [ref('text'), obj({ reportId: ref('text'), value: ref('text') })] });

const associatedAccount = obj({
  ...personFields,
  type: ref('text'),
  platform: ref('text'),
  thirdPartyUser: ref('bool'),
  middleName: ref('text'),
  allEmailsReported: ref('bool'),
  espService: ref('text'),
  espUserId: ref('text'),
  profileUrls: texts('profileUrls'),
  screenName: ref('text'),
  displayNames: texts('displayNames'),
  profileBio: ref('text'),
  groupIdentifier: ref('text'),
  compromisedAccount: ref('bool'),
  accountTemporarilyDisabled: ref('disabled'),
  accountPermanentlyDisabled: ref('disabled'),
  sourceInformation,
  sourceCaptures: listOf('sourceCaptures', ref('capture')),
  priorCTReports: reportNumbers('priorCTReports'),
  priorCybertipReports: reportNumbers('priorCybertipReports'),
  additionalInfo: ref('text'),
});

const person = obj({
  ...personFields,
  espService: ref('text'),
  espUserId: ref('text'),
  screenName: { anyOf: [{ type: 'null' }, ref('text'), obj({ value: ref('text') })] },
  screenNames: texts('screenNames'),
  displayNames: texts('displayNames'),
  profileUrls: texts('profileUrls'),
  profileBio: ref('text'),
  vehicleDescription: ref('text'),
  compromisedAccount: ref('bool'),
  thirdPartyUserReported: ref('bool'),
  thirdPartyUser: ref('bool'),
  schoolName: ref('text'),
  groupIdentifier: ref('text'),
  espGroupId: ref('text'),
  priorCTReports: reportNumbers('priorCTReports'),
  priorCybertipReports: reportNumbers('priorCybertipReports'),
  accountTemporarilyDisabled: ref('disabled'),
  accountPermanentlyDisabled: ref('disabled'),
  estimatedLocation: ref('location'),
  espEstimatedLocations: listOf('espEstimatedLocations', ref('location')),
  allEmailsReported: ref('bool'),
  associatedAccounts: listOf('associatedAccounts', ref('associatedAccount')),
  sourceInformation,
  sourceCaptures: listOf('sourceCaptures', ref('capture')),
  additionalInfo: texts('additionalInfo'),
  additionalInformations: texts('additionalInformations'),
  ipAddress: ref('text'),
  links,
});

const annotations = {
  anyOf: [
    { type: 'array', items: { anyOf: [ref('text'), obj({ name: ref('text') })] } },
    { type: 'object', additionalProperties: ref('bool') },
  ],
};

const common = { additionalInfo: ref('text') };
const chat = obj({
  ...common,
  chatClient: ref('text'),
  chatServiceOrClient: ref('text'),
  chatRoomName: ref('text'),
  content: ref('text'),
  notes: texts('notes'),
  additonalInformations: texts('additonalInformations'),
});
const webPage = obj({ ...common, urls: texts('urls'), thirdPartyHostedContent: ref('bool') });
const peer2peer = obj({ ...common, client: ref('text'), sourceInformation, sourceCaptures: listOf('sourceCaptures', ref('capture')), fileNames: ref('text') });
const gaming = obj({ ...common, gameName: ref('text'), console: ref('text'), content: ref('text') });
const incidentKinds: Record<string, Schema> = {
  webPageIncident: ref('webPage'),
  webpageIncident: ref('webPage'),
  emailIncident: obj({ ...common, emails: listOf('emails', ref('email')), content: ref('text') }),
  newsgroupIncident: obj({ ...common, name: ref('text'), emails: listOf('emails', ref('email')), content: ref('text') }),
  chatImIncident: ref('chat'),
  chatIncident: ref('chat'),
  onlineGamingIncident: ref('gaming'),
  gamingIncident: ref('gaming'),
  cellPhoneIncident: obj({ ...common, phone: ref('phone'), latitude: ref('num'), longitude: ref('num') }),
  nonInternetIncident: obj({ ...common, locationName: ref('text'), addresses: listOf('addresses', ref('address')) }),
  peer2peerIncident: ref('peer2peer'),
  peerToPeerIncident: ref('peer2peer'),
};
const incidentDetail = obj(
  Object.fromEntries(Object.entries(incidentKinds).map(([k, s]) => [k, { anyOf: [{ type: 'null' }, s, { type: 'array', items: s }] }])),
);

const uploadedFile = obj({
  fileId: ref('text'),
  reportId: ref('text'),
  filename: ref('text'),
  originalFilename: ref('text'),
  uploadedToEspTimestamp: ref('dateTime'),
  locationOfFile: ref('text'),
  viewedByEsp: ref('bool'),
  exifViewedByEsp: ref('bool'),
  publiclyAvailable: ref('bool'),
  fileRelevance: ref('text'),
  potentialMeme: ref('bool'),
  fileAnnotations: annotations,
  industryClassification: ref('text'),
  verificationHash: ref('text'),
  originalFileHashes: { type: 'array', items: obj({ hashType: ref('text'), value: ref('text') }) },
  ncmecTags: obj({ groups: { type: 'array', items: obj({ tags: { type: 'array' } }) } }),
  sourceInformation,
  sourceCaptures: listOf('sourceCaptures', ref('capture')),
  espMetadata: { type: 'array', items: obj({ type: ref('text'), pairs: { type: 'array', items: obj({ name: ref('text'), value: ref('text') }) } }) },
  additionalInfo: texts('additionalInfo'),
});

const geoLookup = obj({
  ipAddress: ref('text'),
  phoneNumber: ref('text'),
  country: ref('text'),
  region: ref('text'),
  city: ref('text'),
  postalCode: ref('text'),
  latitude: ref('num'),
  longitude: ref('num'),
  esp: ref('text'),
  isp: ref('text'),
  organization: ref('text'),
  asn: ref('text'),
  carrier: ref('text'),
  types: texts('types'),
});
const autoNote = { anyOf: [ref('text'), obj({ value: ref('text'), dateTime: ref('text') })] };

/** The JSON Schema of one LE JSON document. */
export const LE_JSON_SCHEMA: Readonly<Schema> = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://bantay.invalid/schemas/lejson.schema.json',
  title: 'Bantay LE JSON: one CyberTipline report as law enforcement receives it',
  description:
    'Generated from src/ingest/lejson/schema.ts; see docs/lejson.md. Objects allow other keys, which Bantay keeps verbatim; null is absent and lists may be null, [] or wrapped.',
  ...obj(
    {
      reportId: reportNumber,
      dateReceived: ref('dateTime'),
      informational: ref('bool'),
      potentialMemeReport: ref('bool'),
      referral: ref('bool'),
      priority: { anyOf: [ref('text'), obj({ priorityId: ref('text'), value: ref('text') })] },
      country: ref('text'),
      ipLookups: listOf(
        'ipLookups',
        obj({ ipAddress: ref('text'), country: ref('text'), region: ref('text'), city: ref('text'), isp: ref('text'), asn: ref('text') }),
      ),
      links,
      bantayUnknown: { type: 'array', items: obj({ path: { type: 'string' }, xml: { type: 'string' } }, ['path', 'xml']) },
      reportedInformation: obj(
        {
          reportingEsp: obj({
            ...personFields,
            espName: ref('text'),
            contactPerson: obj(personFields),
            companyTemplate: ref('text'),
            termsOfService: ref('text'),
            legalUrl: ref('text'),
            links,
          }),
          incidentSummary: obj(
            {
              incidentType: { type: ['string', 'number'], minLength: 1, pattern: '\\S' },
              incidentDateTime: ref('dateTime'),
              incidentDateTimeDescription: ref('text'),
              platform: ref('text'),
              escalateToHighPriority: ref('text'),
              espEscalation: ref('text'),
              reportAnnotations: annotations,
              batchedReportReason: ref('text'),
            },
            ['incidentType', 'incidentDateTime'],
          ),
          reportedPeople: listOf('reportedPersons', ref('person')),
          intendedRecipients: listOf('intendedRecipients', ref('person')),
          victims: listOf('victims', ref('person')),
          childVictims: listOf('childVictims', ref('person')),
          uploadedFiles: listOf('uploadedFiles', ref('uploadedFile')),
          incidentDetails: listOf('incidentDetails', ref('incidentDetail')),
          lawEnforcement: obj({
            agencyName: ref('text'),
            caseNumber: ref('text'),
            officerContact: obj(personFields),
            reportedToLe: ref('bool'),
            servedLegalProcessDomestic: ref('bool'),
            servedLegalProcessInternational: ref('bool'),
            fleaCountry: ref('text'),
          }),
          additionalInformations: texts('additionalInformations'),
        },
        ['incidentSummary'],
      ),
      additionalNcmecInformation: obj({
        priority: { anyOf: [{ type: 'null' }, ref('text'), obj({ priorityId: ref('text'), value: ref('text') })] },
        internationalCountry: ref('text'),
        reportTags: listOf('groups', obj({ name: ref('text'), tags: texts('tags') })),
        escalationReason: ref('text'),
        associatedCybertipReports: reportNumbers('associatedCybertipReports'),
      }),
      automatedInformation: obj({
        autoGeneratedNotes: obj({
          geoLookups: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: listOf('geoLookups', ref('geoLookup')) }] },
          phoneGeoLookups: listOf('phoneGeoLookups', ref('geoLookup')),
          autoCloses: listOf('autoCloses', autoNote),
          autoRefers: listOf('autoRefers', autoNote),
        }),
        externalDeconfliction: listOf('externalDeconfliction', {
          anyOf: [ref('text'), obj({ agency: ref('text'), caseNumber: ref('text'), contact: ref('text'), dateTime: ref('text'), value: ref('text') })],
        }),
      }),
      lawEnforcementContactInformation: listOf(
        'lawEnforcementContacts',
        obj({
          agency: ref('text'),
          officer: ref('text'),
          dateTimeMadeAvailable: ref('text'),
          leaFeedback: ref('text'),
          referralType: ref('text'),
        }),
      ),
    },
    ['reportId', 'reportedInformation'],
  ),
  $defs: {
    text: { type: ['string', 'number', 'boolean', 'null'] },
    textItem: { anyOf: [{ type: ['string', 'number', 'boolean'] }, obj({ value: ref('text') })] },
    bool: { anyOf: [{ type: ['boolean', 'null'] }, { enum: ['true', 'false', '1', '0'] }] },
    int: { anyOf: [{ type: ['integer', 'null'] }, { type: 'string', pattern: '^\\s*[+-]?\\d+\\s*$' }] },
    num: { anyOf: [{ type: ['number', 'null'] }, { type: 'string', pattern: '^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$' }] },
    // xs:dateTime and xs:date as written (the reader also checks the calendar: no 30 February).
    dateTime: {
      anyOf: [{ type: 'null' }, { type: 'string', pattern: '^\\s*-?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?\\s*$' }],
    },
    date: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^\\s*-?\\d{4,}-\\d{2}-\\d{2}(Z|[+-]\\d{2}:\\d{2})?\\s*$' }] },
    phone: {
      anyOf: [
        { type: 'string' },
        obj({
          value: ref('text'),
          type: ref('text'),
          verified: ref('bool'),
          verificationDate: ref('dateTime'),
          countryCallingCode: ref('text'),
          extension: ref('text'),
        }),
      ],
    },
    email: { anyOf: [{ type: 'string' }, obj({ value: ref('text'), type: ref('text'), verified: ref('bool'), verificationDate: ref('dateTime') })] },
    address: obj({
      type: ref('text'),
      address: ref('text'),
      street: ref('text'),
      city: ref('text'),
      zipCode: ref('text'),
      state: ref('text'),
      nonUsaState: ref('text'),
      country: ref('text'),
    }),
    capture: obj({
      captureType: ref('text'),
      valueType: ref('text'),
      value: ref('text'),
      dateTime: ref('dateTime'),
      port: ref('int'),
      eventName: ref('text'),
      possibleProxy: ref('bool'),
    }),
    disabled: {
      anyOf: [
        ref('bool'),
        obj({
          disabled: ref('bool'),
          disabledDate: ref('dateTime'),
          userNotified: ref('bool'),
          userNotifiedDate: ref('dateTime'),
          reenabledDate: ref('dateTime'),
        }),
      ],
    },
    location: obj({ city: ref('text'), region: ref('text'), countryCode: ref('text'), verified: ref('bool'), timestamp: ref('dateTime') }),
    associatedAccount,
    person,
    webPage,
    chat,
    gaming,
    peer2peer,
    incidentDetail,
    uploadedFile,
    geoLookup,
  },
});

let compiled: ValidateFunction | undefined;

/** Checks a parsed document against the schema: null when it conforms, else readable messages (path: problem). */
export function validateLeJson(doc: unknown): string[] | null {
  const validate = (compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(LE_JSON_SCHEMA));
  if (validate(doc)) return null;
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
