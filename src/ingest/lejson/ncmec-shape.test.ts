// The real NCMEC LE JSON shape (issue 18's facts), read from hand-built documents whose every
// list field is written wrapped, as a bare array, as null and as []. The canonical report must
// carry NCMEC's country (as an ISO code), priority with its meaning, estimated locations, device
// ids by value type, display and screen names, geo look-ups, tags, notes, contacts and links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport } from '../../model/report.ts';
import { ncmecPriorityMeaning } from '../../model/report.ts';
import { normalisePhone } from '../../enrich/phone.ts';
import { extractIdentifiers } from '../../link/identifiers.ts';
import { readLeJson, type LeReaderItem } from './read.ts';
import { validateLeJson } from './schema.ts';
import { toLeJson } from './write.ts';
import { DEVICE_VALUE_TYPES, DEVICE_VALUES, ncmecDocument, type ListForm } from '../../../test/fixtures/lejson/ncmec-shape.ts';

async function readOne(doc: unknown): Promise<CybertipReport> {
  const items: LeReaderItem[] = [];
  const text = JSON.stringify(doc);
  for await (const item of readLeJson(
    (async function* () {
      yield Buffer.from(text);
    })(),
    { path: 'doc.json', name: 'doc.json' },
  ))
    items.push(item);
  assert.equal(items.length, 1, JSON.stringify(items));
  const item = items[0]!;
  assert.equal(item.kind, 'report', item.kind === 'rejected' ? item.reason : '');
  return (item as Extract<LeReaderItem, { kind: 'report' }>).report;
}

const without = (r: CybertipReport): unknown => JSON.parse(JSON.stringify({ ...r, unknown: [], warnings: [] }));

test('every fact of the real shape lands in the canonical model (lists wrapped)', async () => {
  const doc = ncmecDocument('wrapped');
  assert.equal(validateLeJson(doc), null);
  const r = await readOne(doc);
  assert.deepEqual(r.warnings, []);
  const env = r.envelope;
  assert.equal(r.reportId, '900000001');
  assert.equal(env.receivedAt, '2026-03-02T04:05:06Z');
  // informational: false is a referral.
  assert.equal(env.referral, true);
  assert.equal(env.potentialMemeReport, true);
  // NCMEC's priority as written, with the meaning written beside it; "E" is not "elevated".
  assert.equal(env.priority, 'E');
  assert.equal(env.priorityMeaning, 'Report submitted by a registered Electronic Service Provider');
  assert.equal(ncmecPriorityMeaning({ priority: 'E' }), 'Report submitted by a registered Electronic Service Provider');
  // The routed country's name becomes its ISO code; the name is kept.
  assert.equal(env.country, 'PH');
  assert.equal(env.countryName, 'Philippines');
  assert.deepEqual(env.reportTags, [{ name: 'Offense', tags: ['Enticement', 'Sextortion'] }]);
  assert.equal(env.escalationReason, 'child in imminent danger');
  assert.deepEqual(env.associatedCybertipReports, ['900000002', '900000003']);
  assert.deepEqual(env.autoRefers, [{ text: 'Auto-referred: reported person geolocates to the Philippines', dateTime: '2026-03-02T04:06:00Z' }]);
  assert.equal(env.autoCloses, undefined);
  assert.deepEqual(env.externalDeconfliction, [
    { agency: 'Example Task Force', caseNumber: 'ETF-2026-17', contact: 'Det. Cruz', text: 'subject matched on esp user id' },
  ]);
  assert.deepEqual(env.lawEnforcementContacts, [
    { agency: 'PNP Women and Children Protection Center', officer: 'PLt. Santos', madeAvailableAt: '2026-03-03T00:00:00Z', referralType: 'NCMEC_ANALYST' },
  ]);
  assert.deepEqual(
    env.ncmecLinks?.map((l) => l.rel),
    ['associations', 'location-predictions'],
  );
  // Geo look-ups of IPs are NCMEC's IP look-ups (the XML envelope's ipLookup), with their list; a phone's is a geo look-up.
  assert.deepEqual(
    env.ipLookups.map((l) => [l.ipAddress, l.about, l.country, l.city, l.isp, l.organization, l.latitude, l.postalCode]),
    [
      ['112.198.10.4', 'reportedPerson', 'PH', 'Cebu City', 'Globe Telecom', 'Globe Telecom Inc.', 10.3157, '6000'],
      ['203.177.1.9', 'internet', 'PH', 'Mandaue City', 'Globe Telecom', 'Globe Telecom Inc.', 10.3157, '6000'],
    ],
  );
  assert.deepEqual(env.geoLookups, [
    { about: 'phone', phoneNumber: '+639175550101', country: 'PH', countryName: 'Philippines', region: 'Central Visayas', carrier: 'Globe' },
  ]);

  assert.equal(r.reporter?.ncmecLinks?.length, 2);
  assert.equal(r.incident.platform, 'ChatterBox');
  assert.equal(r.incident.escalateToHighPriority, 'user says he will meet the child on Saturday');
  // Chat incidents: the client, the transcript and NCMEC's misspelt additonalInformations.
  const chat = r.internetDetails.find((d) => d.kind === 'chatIm');
  assert.deepEqual(chat, {
    kind: 'chatIm',
    chatClient: 'ChatterBox Messenger',
    content: '[2026-03-01 09:05:00 UTC] Reported User (Profile 888658825): send to gcash 0917 555 0199',
    additionalInfo: 'transcript provided by the ESP',
  });
  assert.deepEqual(
    r.internetDetails.find((d) => d.kind === 'webPage'),
    { kind: 'webPage', urls: ['https://chatterbox.example/u/888658825'] },
  );

  const [p] = r.reportedPersons;
  assert.ok(p);
  assert.equal(p.espIdentifier, '888658825');
  assert.equal(p.espService, 'ChatterBox Messenger');
  assert.equal(p.screenName, 'night_owl_77');
  assert.deepEqual(p.moreScreenNames, ['nightowl.alt']);
  assert.deepEqual(p.displayNames, ['Owl', 'Kuya Owl']);
  assert.equal(p.groupIdentifier, 'grp-42');
  assert.equal(p.thirdPartyUserReported, false);
  assert.equal(p.allEmailsReported, true);
  assert.deepEqual(p.priorCTReports, ['123456', '234567']);
  assert.deepEqual(p.estimatedLocation, {
    city: 'Cebu City',
    region: 'Central Visayas',
    countryCode: 'PH',
    verified: false,
    timestamp: '2026-03-01T09:20:00Z',
  });
  assert.deepEqual(
    p.moreEstimatedLocations?.map((l) => l.city),
    ['Lapu-Lapu'],
  );
  assert.deepEqual(p.accountPermanentlyDisabled, { disabled: true, disabledDate: '2026-03-02T00:00:00Z', userNotified: false });
  assert.equal(p.accountTemporarilyDisabled, undefined);
  assert.deepEqual(p.ipCaptureEvents, [{ ipAddress: '112.198.10.4', eventName: 'LOGIN', dateTime: '2026-03-01T09:20:00Z', possibleProxy: false, port: 44120 }]);
  // A device id of each value type, in the same shape the XML's deviceId fills, typed by valueType.
  assert.deepEqual(
    p.deviceIds.map((d) => [d.idType, d.idValue]),
    DEVICE_VALUE_TYPES.map((t) => [t, DEVICE_VALUES[t]]),
  );
  assert.deepEqual(p.additionalInfo, ['pays by e-wallet 0917 555 0199']);
  assert.equal(p.person?.phones[0]?.number, '0917 555 0101');
  assert.equal(p.associatedAccounts[0]?.espIdentifier, 'ps-991');
  assert.equal(p.ncmecLinks?.[1]?.href, '/api/v1/persons/p1/location-predictions');
  assert.equal(r.victims[0]?.person?.age, 12);
  assert.deepEqual(r.victims[0]?.displayNames, ['Bunny']);
  assert.equal(r.intendedRecipients[0]?.screenName, 'recipient.one');
  assert.equal(r.files[0]?.fileId, 'f1');
  assert.equal(r.additionalInfo, 'ESP note');

  // What the canonical model has no place for is kept verbatim.
  const kept = new Set(r.unknown.map((u) => u.path));
  for (const path of [
    'dateMadeAvailable',
    'federalAgencies',
    'additionalNcmecInformation/uploadedFileViewability',
    'additionalNcmecInformation/sentToLawEnforcement',
    'additionalNcmecInformation/executiveSummary',
    'additionalNcmecInformation/notes',
    'additionalNcmecInformation/supplementFiles',
    'reportedInformation/reportedPeople/reportedPersons[0]/ageAssertionDiscrepancy',
    'reportedInformation/reportedPeople/reportedPersons[0]/associationsEntityType',
    'reportedInformation/reportedPeople/reportedPersons[0]/id',
    'reportedInformation/incidentDetails/otherInternetIncident',
  ])
    assert.ok(kept.has(path), `${path} kept: ${[...kept].join(', ')}`);
  // A null is absent: nothing of it is kept.
  assert.ok(
    !r.unknown.some((u) => u.xml.endsWith(':null}')),
    r.unknown
      .filter((u) => u.xml.endsWith(':null}'))
      .map((u) => u.path)
      .join(', '),
  );

  // Device ids link: each one is an identifier (an SSID is context only).
  const ids = extractIdentifiers(r).filter((i) => i.kind === 'device-id');
  assert.equal(ids.length, DEVICE_VALUE_TYPES.length);
  assert.deepEqual(
    ids.filter((i) => i.strength !== 'strong').map((i) => i.raw),
    ['HomeNet-5G'],
  );
});

test('a list field reads the same wrapped or as a bare array; null and [] are empty lists, without a warning', async () => {
  const wrapped = await readOne(ncmecDocument('wrapped'));
  const array = await readOne(ncmecDocument('array'));
  assert.equal(validateLeJson(ncmecDocument('array')), null);
  assert.deepEqual(without(array), without(wrapped));
  assert.deepEqual(array.warnings, []);
  for (const form of ['null', 'empty'] as ListForm[]) {
    const doc = ncmecDocument(form);
    assert.equal(validateLeJson(doc), null, form);
    const r = await readOne(doc);
    assert.deepEqual(r.warnings, [], form);
    assert.equal(r.reportedPersons.length, 0, form);
    assert.equal(r.victims.length + r.intendedRecipients.length + r.files.length + r.internetDetails.length, 0, form);
    assert.deepEqual(
      [r.envelope.ipLookups, r.envelope.geoLookups, r.envelope.autoRefers, r.envelope.reportTags, r.envelope.lawEnforcementContacts, r.envelope.ncmecLinks],
      [[], undefined, undefined, undefined, undefined, undefined],
      form,
    );
    // The envelope's facts outside lists still come through.
    assert.deepEqual([r.envelope.country, r.envelope.priority, r.envelope.referral], ['PH', 'E', true], form);
    // A null or empty list is not kept as an unknown part.
    assert.ok(!r.unknown.some((u) => /GeoLookups|links|reportedPersons|sourceCaptures/.test(u.path)), `${form}: ${r.unknown.map((u) => u.path).join(', ')}`);
  }
});

test('written back by toLeJson in the same shape, a document reads as the same report', async () => {
  const r = await readOne(ncmecDocument('wrapped'));
  const written = toLeJson(r);
  assert.equal(validateLeJson(written), null);
  const back = await readOne(written);
  assert.deepEqual(without(back), without(r));
  // The shape written is NCMEC's: informational, the priority object, the country by name, devices by valueType.
  assert.equal(written['informational'], false);
  assert.deepEqual((written['additionalNcmecInformation'] as Record<string, unknown>)['priority'], {
    priorityId: 'E',
    value: 'Report submitted by a registered Electronic Service Provider',
  });
  assert.equal((written['additionalNcmecInformation'] as Record<string, unknown>)['internationalCountry'], 'Philippines');
  assert.match(JSON.stringify(written), /"captureType":"Device ID","valueType":"IDFA"/);
});

test('the routed country from internationalCountry: names, aliases and codes to ISO alpha-2; a foreign national-form phone normalises in it', async () => {
  const read = async (country: string): Promise<CybertipReport['envelope']> => {
    const doc = ncmecDocument('null');
    (doc['additionalNcmecInformation'] as Record<string, unknown>)['internationalCountry'] = country;
    return (await readOne(doc)).envelope;
  };
  assert.deepEqual(await read('Nigeria'), { ...(await read('Nigeria')), country: 'NG', countryName: 'Nigeria' });
  for (const [name, code] of [
    ['United States', 'US'],
    ['USA', 'US'],
    ['United Kingdom', 'GB'],
    ['Viet Nam', 'VN'],
    ['South Korea', 'KR'],
    ['philippines', 'PH'],
    ['PH', 'PH'],
    ['PHL', 'PH'],
  ] as const) {
    assert.equal((await read(name)).country, code, name);
  }
  const unknown = await readOne({ ...ncmecDocument('null'), additionalNcmecInformation: { internationalCountry: 'Atlantis' } });
  assert.equal(unknown.envelope.country, undefined);
  assert.equal(unknown.envelope.countryName, 'Atlantis');
  assert.match(unknown.warnings.join(' '), /"Atlantis" names no country Bantay knows/);
  // The contract with phone normalisation: a Nigerian mobile in national form is invalid as
  // Philippine, and valid in the report's routed country.
  const ng = (await read('Nigeria')).country!;
  assert.equal(normalisePhone('0803 123 4567').ok, false);
  const r = normalisePhone('0803 123 4567', { defaultCountry: ng as 'NG' });
  assert.ok(r.ok && r.e164 === '+2348031234567');
});

test('priority: {priorityId, value}, a bare code, or a database id with the code in value', async () => {
  const withPriority = async (p: unknown): Promise<CybertipReport['envelope']> =>
    (await readOne({ ...ncmecDocument('null'), additionalNcmecInformation: { priority: p } })).envelope;
  assert.deepEqual(
    [(await withPriority({ priorityId: '2', value: null })).priority, (await withPriority({ priorityId: '2', value: null })).priorityMeaning],
    ['2', undefined],
  );
  assert.equal((await withPriority('3')).priority, '3');
  const swapped = await withPriority({ priorityId: 4711, value: 'E' });
  assert.deepEqual(
    [swapped.priority, swapped.priorityMeaning, ncmecPriorityMeaning(swapped)],
    ['E', undefined, 'Report submitted by a registered Electronic Service Provider'],
  );
  assert.equal(ncmecPriorityMeaning({ priority: '2' }), undefined);
});
