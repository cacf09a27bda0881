import assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { summarize, type CybertipReport } from '../../model/report.ts';
import { repoRoot } from '../../../test/support/shared.ts';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from './limits.ts';
import { readCybertip } from './read.ts';
import { idFromContent, idFromFileName } from './report-id.ts';
import { DTD_REASON } from './scanner.ts';
import type { ReaderItem } from './types.ts';

const fixtures = resolve(repoRoot, 'test', 'fixtures', 'cybertip');
const fixture = (name: string): string => resolve(fixtures, name);

async function collect(chunks: AsyncIterable<Buffer | string>, name: string, limits?: Partial<ReaderLimits>): Promise<ReaderItem[]> {
  const out: ReaderItem[] = [];
  for await (const item of readCybertip(chunks, { path: name, name }, limits)) out.push(item);
  return out;
}

function readFixture(name: string, limits?: Partial<ReaderLimits>): Promise<ReaderItem[]> {
  return collect(createReadStream(fixture(name)), name, limits);
}

async function* pieces(data: Buffer | string, size: number): AsyncGenerator<Buffer | string> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

function readText(xml: string | Buffer, name = 'test.xml', limits?: Partial<ReaderLimits>, chunk = 64 * 1024): Promise<ReaderItem[]> {
  return collect(pieces(typeof xml === 'string' ? Buffer.from(xml) : xml, chunk), name, limits);
}

function reports(items: ReaderItem[]): CybertipReport[] {
  return items.flatMap((i) => (i.kind === 'report' ? [i.report] : []));
}

function rejections(items: ReaderItem[]): Extract<ReaderItem, { kind: 'rejected' }>[] {
  return items.flatMap((i) => (i.kind === 'rejected' ? [i] : []));
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `fixture holds ${needle}`);
  return text.slice(0, at).split('\n').length;
}

// A small, valid envelope report; `body` goes inside <report> after the incident summary.
function envelopeReport(id: string | number, body = '', summary = ''): string {
  return (
    `<cybertipReport reportId="${id}" receivedAt="2026-01-01T00:00:00Z"><report>` +
    `<incidentSummary><incidentType>Child Sex Trafficking</incidentType>${summary}<incidentDateTime>2026-01-01T00:00:00Z</incidentDateTime></incidentSummary>` +
    `<reporter><reportingPerson><firstName>R</firstName></reportingPerson></reporter>${body}</report></cybertipReport>`
  );
}

function batch(...parts: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<cybertipReports>\n${parts.join('\n')}\n</cybertipReports>\n`;
}

// ---------------------------------------------------------------------------------------------
// The kitchen sink: every element and attribute of the schema.

test('kitchen sink: three reports, nothing unknown, no warnings, raw sliced from the source', async () => {
  const text = readFileSync(fixture('kitchen-sink.xml'), 'utf8');
  const items = await readFixture('kitchen-sink.xml');
  assert.equal(items.length, 3);
  const ids = ['200000001', '200000002', '200000003'];
  items.forEach((item, i) => {
    assert.equal(item.kind, 'report');
    if (item.kind !== 'report') return;
    assert.equal(item.report.reportId, ids[i]);
    assert.equal(item.report.idSource, 'envelope');
    assert.deepEqual(item.report.unknown, [], 'the mapper knows every element of the schema');
    assert.deepEqual(item.report.warnings, []);
    const start = text.indexOf(`<cybertipReport reportId="${ids[i]}"`);
    const end = text.indexOf('</cybertipReport>', start) + '</cybertipReport>'.length;
    assert.equal(item.raw, text.slice(start, end), 'raw is the exact source text');
    assert.deepEqual(item.position, { line: lineOf(text, `<cybertipReport reportId="${ids[i]}"`), column: 3, index: i });
  });
});

// Every text and attribute value written in the kitchen sink must reach the model: a generic
// check that no identifier is dropped on the way.
test('kitchen sink: every value written in the XML is in the canonical model', async () => {
  const text = readFileSync(fixture('kitchen-sink.xml'), 'utf8');
  const found = reports(await readFixture('kitchen-sink.xml'));
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.add(v);
    else if (typeof v === 'number') numbers.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  found.forEach(walk);
  const decode = (s: string): string =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  const body = text.slice(text.indexOf('<cybertipReports>'));
  const values = [
    ...[...body.matchAll(/>([^<>]+)</g)].map((m) => decode(m[1] ?? '')).filter((v) => v.trim() !== ''),
    ...[...body.matchAll(/\s[A-Za-z]+="([^"]*)"/g)].map((m) => decode(m[1] ?? '')),
  ];
  assert.ok(values.length > 300, `the fixture is rich (${values.length} values)`);
  const missing = values.filter((v) => !(strings.has(v) || (v.trim() !== '' && numbers.has(Number(v))) || v === 'true' || v === 'false'));
  assert.deepEqual(missing, []);
});

test('kitchen sink: envelope, incident and internet details', async () => {
  const [r] = reports(await readFixture('kitchen-sink.xml'));
  assert.ok(r);
  assert.deepEqual(r.envelope, {
    receivedAt: '2026-03-01T10:00:00Z',
    referral: true,
    priority: '1',
    country: 'PH',
    ipLookups: [
      { ipAddress: '203.0.113.45', country: 'PH', region: 'Central Visayas', city: 'Cebu City', isp: 'Example Telecom', asn: 'AS64500' },
      { ipAddress: '2001:db8::45', country: 'PH', region: 'Metro Manila', city: 'Quezon City', isp: 'Example Mobile', asn: 'AS64501' },
    ],
  });
  assert.deepEqual(r.incident, {
    incidentType: 'Online Enticement of Children for Sexual Acts',
    platform: 'ChatterBox Messenger',
    escalateToHighPriority: 'Child says she is being taken to meet the user tonight.',
    reportAnnotations: ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation'],
    incidentDateTime: '2026-02-27T22:15:30+08:00',
    incidentDateTimeDescription: 'Time the conversation was flagged by the classifier.',
    batchedReason: 'VIRAL_POTENTIAL_MEME',
  });
  assert.deepEqual(
    r.internetDetails.map((d) => d.kind),
    ['webPage', 'email', 'newsgroup', 'chatIm', 'onlineGaming', 'cellPhone', 'nonInternet', 'peer2peer'],
  );
  const [web, mail, news, chat, game, cell, nonNet, p2p] = r.internetDetails;
  assert.deepEqual(web, {
    kind: 'webPage',
    urls: ['https://files.example.net/u/aa11bb22', 'http://mirror.example.org/p/77.html'],
    thirdPartyHostedContent: true,
    additionalInfo: 'Link shared in the chat.',
  });
  assert.deepEqual(mail, {
    kind: 'email',
    emails: [
      { address: 'sender.one@example.com', type: 'Work', verified: true, verificationDate: '2025-11-02T08:00:00Z' },
      { address: 'recipient.two@example.org', type: 'Home' },
    ],
    content: 'Subject: pics & more <3',
    additionalInfo: 'Email thread attached by the ESP.',
  });
  assert.deepEqual(news, {
    kind: 'newsgroup',
    name: 'alt.example.binaries',
    emails: [{ address: 'poster@news.example.com', type: 'Business', verified: false }],
    content: 'Posting header X-Example: 1',
    additionalInfo: 'Usenet post.',
  });
  assert.deepEqual(chat, {
    kind: 'chatIm',
    chatClient: 'ChatterBox 5.2',
    chatRoomName: 'kids-hangout-42',
    content: 'user: send <pic> now',
    additionalInfo: 'Group chat.',
  });
  assert.deepEqual(game, { kind: 'onlineGaming', gameName: 'Block Quest', console: 'PC', content: 'In-game whisper.', additionalInfo: 'Gaming session.' });
  assert.deepEqual(cell, {
    kind: 'cellPhone',
    phone: { number: '9170000001', type: 'Mobile', verified: true, verificationDate: '2025-12-01T00:00:00Z', countryCallingCode: '+63', extension: '12' },
    latitude: 10.3157,
    longitude: 123.8854,
    additionalInfo: 'SMS follow-up.',
  });
  assert.deepEqual(nonNet, {
    kind: 'nonInternet',
    locationName: 'Internet cafe near the market',
    addresses: [{ type: 'Business', address: '12 Example Street', city: 'Cebu City', zipCode: '6000', nonUsaState: 'Cebu', country: 'PH' }],
    additionalInfo: 'Meeting place named in chat.',
  });
  assert.deepEqual(p2p, {
    kind: 'peer2peer',
    client: 'ShareMule 0.9',
    ipCaptureEvents: [{ ipAddress: '198.51.100.77', eventName: 'Other', dateTime: '2026-02-20T03:04:05Z', possibleProxy: false, port: 6881 }],
    fileNames: 'set1.zip; set2.zip',
    additionalInfo: 'P2P sighting.',
  });
  assert.equal(r.additionalInfo, 'Report generated by the ChatterBox safety pipeline.');
});

test('kitchen sink: law enforcement and reporter', async () => {
  const [r] = reports(await readFixture('kitchen-sink.xml'));
  assert.ok(r);
  assert.deepEqual(r.lawEnforcement, {
    agencyName: 'Example Regional Police',
    caseNumber: 'CASE-2026-0042',
    officerContact: {
      firstName: 'Maria',
      lastName: 'Santos',
      phones: [{ number: '+63 2 8000 0000', type: 'Work' }],
      emails: [{ address: 'm.santos@police.example', type: 'Work' }],
      addresses: [{ type: 'Business', address: '1 Camp Example', city: 'Quezon City', country: 'PH' }],
    },
    reportedToLe: true,
    servedLegalProcessDomestic: false,
    servedLegalProcessInternational: true,
    fleaCountry: 'PH',
  });
  assert.deepEqual(r.reporter?.reportingPerson, {
    firstName: 'Trust',
    lastName: 'Safety',
    phones: [{ number: '+1 555 0100', type: 'Business' }],
    emails: [{ address: 'reports@chatterbox.example', type: 'Work' }],
    addresses: [{ type: 'Technical', address: '500 Example Way', city: 'Springfield', zipCode: '12345', state: 'CA', country: 'US' }],
    age: 40,
    dateOfBirth: '1986-01-15',
  });
  assert.equal(r.reporter?.contactPerson?.emails[0]?.address, 'le-liaison@chatterbox.example');
  assert.equal(r.reporter?.companyTemplate, 'ChatterBox reports include chat excerpts.');
  assert.equal(r.reporter?.termsOfService, 'https://chatterbox.example/terms');
  assert.equal(r.reporter?.legalURL, 'https://chatterbox.example/legal');
});

test('kitchen sink: the reported person with every identifier', async () => {
  const [r] = reports(await readFixture('kitchen-sink.xml'));
  assert.ok(r);
  assert.equal(r.reportedPersons.length, 2);
  const p = r.reportedPersons[0];
  assert.ok(p);
  assert.equal(p.role, 'reported');
  assert.deepEqual(p.person?.phones, [
    { number: '9171234567', type: 'Mobile', verified: true, verificationDate: '2025-10-10T10:10:10Z', countryCallingCode: '+63', extension: '7' },
    { number: '0322000000', type: 'Home' },
  ]);
  assert.deepEqual(p.person?.emails, [
    { address: 'juan.dc@example.ph', type: 'Home', verified: true, verificationDate: '2025-10-11T11:11:11Z' },
    { address: 'jdc.recovery@example.com', type: 'Recovery' },
  ]);
  assert.deepEqual(p.person?.addresses, [
    { type: 'Home', address: '34 Sample Road', city: 'Mandaue', zipCode: '6014', nonUsaState: 'Cebu', country: 'PH' },
    { type: 'Billing', city: 'Lapu-Lapu', country: 'PH' },
  ]);
  assert.equal(p.person?.firstName, 'Juan');
  assert.equal(p.person?.lastName, 'Dela Cruz');
  assert.equal(p.person?.age, 34);
  assert.equal(p.person?.dateOfBirth, '1991-07-04');
  assert.equal(p.vehicleDescription, 'White van, plate ABC 1234');
  assert.equal(p.espIdentifier, 'cb-user-884412');
  assert.equal(p.espService, 'ChatterBox Messenger');
  assert.equal(p.compromisedAccount, false);
  assert.equal(p.screenName, 'kuya_juan88');
  assert.deepEqual(p.displayNames, ['Juan DC', 'Kuya J']);
  assert.deepEqual(p.profileUrls, ['https://chatterbox.example/u/kuya_juan88', 'https://chatterbox.example/id/884412']);
  assert.equal(p.profileBio, 'Photographer. DM for shoots.');
  assert.deepEqual(p.ipCaptureEvents, [
    { ipAddress: '203.0.113.45', eventName: 'Login', dateTime: '2026-02-27T21:00:00Z', possibleProxy: false, port: 50123 },
    { ipAddress: '2001:db8::45', eventName: 'Registration', dateTime: '2024-05-01T08:30:00+08:00', possibleProxy: true },
    { ipAddress: '192.0.2.10', eventName: 'Purchase', dateTime: '2026-01-15T12:00:00.250Z', port: 443 },
  ]);
  assert.deepEqual(p.deviceIds, [
    { idType: 'IMEI', idValue: '490154203237518', eventName: 'Login', dateTime: '2026-02-27T21:00:00Z' },
    { idType: 'ICCID', idValue: '8963012345678901234' },
  ]);
  assert.equal(p.thirdPartyUserReported, false);
  assert.deepEqual(p.priorCTReports, ['150000001', '150000002']);
  assert.equal(p.groupIdentifier, 'grp-kids-hangout-42');
  assert.deepEqual(p.accountTemporarilyDisabled, {
    disabled: true,
    disabledDate: '2026-02-28T00:00:00Z',
    userNotified: false,
    userNotifiedDate: '2026-02-28T01:00:00Z',
    reenabledDate: '2026-03-05T00:00:00Z',
  });
  assert.deepEqual(p.accountPermanentlyDisabled, {
    disabled: true,
    disabledDate: '2026-03-06T00:00:00Z',
    userNotified: true,
    userNotifiedDate: '2026-03-06T02:00:00Z',
  });
  assert.deepEqual(p.estimatedLocation, {
    verified: false,
    timestamp: '2026-02-27T21:05:00Z',
    city: 'Cebu City',
    region: 'Central Visayas',
    countryCode: 'PH',
  });
  assert.equal(p.allEmailsReported, true);
  assert.deepEqual(p.additionalInfo, ['Account created a week before contact.']);
  assert.deepEqual(
    p.associatedAccounts.map((a) => a.type),
    ['Billing', 'Linked', 'Business', 'Creator', 'Parent/Guardian', 'Other'],
  );
  assert.deepEqual(p.associatedAccounts[0], {
    type: 'Billing',
    platform: 'PayExample',
    thirdPartyUser: true,
    firstName: 'Juan',
    middleName: 'Reyes',
    lastName: 'Dela Cruz',
    approximateAge: 35,
    dateOfBirth: '1991-07-04',
    phones: [{ number: '9179999999', type: 'Mobile', countryCallingCode: '+63' }],
    emails: [{ address: 'juan.pay@example.ph', type: 'Home' }],
    allEmailsReported: false,
    addresses: [{ type: 'Shipping', city: 'Mandaue', country: 'PH' }],
    espService: 'PayExample Wallet',
    espIdentifier: 'pay-77120',
    profileUrls: ['https://pay.example/u/77120'],
    screenName: 'juanpay',
    displayNames: ['J. Dela Cruz'],
    profileBio: 'Wallet account.',
    groupIdentifier: 'pay-group-9',
    compromisedAccount: false,
    accountTemporarilyDisabled: { disabled: false, disabledDate: '2026-02-28T00:00:00Z' },
    accountPermanentlyDisabled: { disabled: false, userNotified: false },
    ipCaptureEvents: [{ ipAddress: '203.0.113.46', eventName: 'Purchase', dateTime: '2026-02-26T09:00:00Z', port: 40000 }],
    deviceIds: [{ idType: 'SSID', idValue: 'HomeNet-5G', eventName: 'Purchase' }],
    priorCTReports: ['150000003'],
    additionalInfo: 'Billing account paid for premium features.',
  });
  assert.equal(p.associatedAccounts[1]?.screenName, 'juan.shoots');
  assert.equal(p.associatedAccounts[2]?.espIdentifier, 'biz-5521');
  assert.deepEqual(p.associatedAccounts[3]?.profileUrls, ['https://creators.example/juan']);
  assert.deepEqual(p.associatedAccounts[4]?.emails, [{ address: 'parent@example.ph' }]);
  assert.deepEqual(p.associatedAccounts[5]?.displayNames, ['Other Juan']);
  assert.equal(r.reportedPersons[1]?.espIdentifier, 'cb-user-900001');
  assert.equal(r.reportedPersons[1]?.screenName, 'second_user');
});

test('kitchen sink: intended recipient and victim', async () => {
  const [r] = reports(await readFixture('kitchen-sink.xml'));
  assert.ok(r);
  const rec = r.intendedRecipients[0];
  assert.ok(rec);
  assert.equal(r.intendedRecipients.length, 1);
  assert.equal(rec.role, 'recipient');
  assert.deepEqual(rec.person, {
    firstName: 'Ana',
    phones: [{ number: '9180000002', type: 'Mobile', countryCallingCode: '+63' }],
    emails: [{ address: 'ana.recipient@example.ph', type: 'Home' }],
    addresses: [],
    age: 13,
  });
  assert.equal(rec.espIdentifier, 'cb-user-123001');
  assert.equal(rec.screenName, 'ana_13');
  assert.deepEqual(rec.ipCaptureEvents, [{ ipAddress: '198.51.100.20', eventName: 'Login', dateTime: '2026-02-27T20:00:00Z' }]);
  assert.deepEqual(rec.deviceIds, [{ idType: 'IMEI', idValue: '356938035643809' }]);
  assert.deepEqual(rec.priorCTReports, ['150000010']);
  assert.equal(rec.groupIdentifier, 'grp-kids-hangout-42');
  assert.deepEqual(rec.accountTemporarilyDisabled, { disabled: false });
  assert.deepEqual(rec.estimatedLocation, { verified: true, city: 'Cebu City', countryCode: 'PH' });
  assert.deepEqual(rec.additionalInfo, ['Recipient of the messages.', 'Second note on the recipient.']);

  const v = r.victims[0];
  assert.ok(v);
  assert.equal(r.victims.length, 1);
  assert.equal(v.role, 'victim');
  assert.equal(v.person?.firstName, 'Bea');
  assert.equal(v.person?.age, 12);
  assert.equal(v.person?.dateOfBirth, '2013-09-09');
  assert.equal(v.schoolName, 'Example Elementary School');
  assert.equal(v.compromisedAccount, true);
  assert.equal(v.espIdentifier, 'cb-user-777001');
  assert.deepEqual(v.ipCaptureEvents, [
    { ipAddress: '198.51.100.30', eventName: 'Upload', dateTime: '2026-02-27T19:00:00Z', possibleProxy: false, port: 51000 },
  ]);
  assert.deepEqual(v.deviceIds, [{ idType: 'IMEI', idValue: '353918057362045', eventName: 'Upload', dateTime: '2026-02-27T19:00:00Z' }]);
  assert.deepEqual(v.priorCTReports, ['150000020']);
  assert.deepEqual(v.accountTemporarilyDisabled, { disabled: true, userNotified: true });
  assert.deepEqual(v.associatedAccounts, [
    {
      type: 'Parent/Guardian',
      firstName: 'Carla',
      phones: [],
      emails: [{ address: 'carla.parent@example.ph', type: 'Home' }],
      addresses: [],
      profileUrls: [],
      displayNames: [],
      ipCaptureEvents: [],
      deviceIds: [],
      priorCTReports: [],
    },
  ]);
});

test('kitchen sink: file details with annotations, hashes, EXIF and HASH details', async () => {
  const [r, r2] = reports(await readFixture('kitchen-sink.xml'));
  assert.ok(r && r2);
  assert.equal(r.files.length, 2);
  assert.deepEqual(r.files[0], {
    reportId: '200000001',
    fileId: 'file-aa01',
    fileName: 'IMG_0001.jpg',
    originalFileName: 'beach.jpg',
    uploadedToEspTimestamp: '2026-02-27T21:30:00Z',
    locationOfFile: 'https://cdn.chatterbox.example/m/aa01',
    fileViewedByEsp: true,
    exifViewedByEsp: false,
    publiclyAvailable: false,
    fileRelevance: 'Reported',
    fileAnnotations: [
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
    ],
    industryClassification: 'A1',
    originalFileHashes: [
      { hashType: 'MD5', value: '0123456789abcdef0123456789abcdef' },
      { hashType: 'SHA1', value: '0123456789abcdef0123456789abcdef01234567' },
    ],
    ipCaptureEvent: { ipAddress: '203.0.113.45', eventName: 'Upload', dateTime: '2026-02-27T21:30:00Z', possibleProxy: false, port: 50124 },
    deviceIds: [{ idType: 'IMEI', idValue: '490154203237518', eventName: 'Upload', dateTime: '2026-02-27T21:30:00Z' }],
    details: [
      { type: 'HASH', pairs: [{ name: 'PhotoDNA', value: 'AAECAwQFBgcICQoLDA0ODw==' }] },
      {
        type: 'EXIF',
        pairs: [
          { name: 'Make', value: 'ExampleCam' },
          { name: 'GPSLatitude', value: '10.3157' },
        ],
      },
    ],
    additionalInfo: ['Sent in the chat.', 'Second file note.'],
  });
  assert.deepEqual(r.files[1], {
    reportId: '200000001',
    fileId: 'file-aa02',
    fileRelevance: 'Supplemental Reported',
    potentialMeme: true,
    fileAnnotations: [],
    industryClassification: 'B2',
    originalFileHashes: [{ hashType: 'SHA256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }],
    deviceIds: [],
    details: [],
    additionalInfo: [],
  });
  assert.deepEqual(
    r2.files.map((f) => [f.fileId, f.industryClassification]),
    [
      ['file-bb01', 'A2'],
      ['file-bb02', 'B1'],
    ],
  );
  assert.deepEqual(
    r2.reportedPersons[0]?.person?.phones.map((p) => p.type),
    ['Business', 'Work', 'Fax', 'Internet', 'Recovery'],
  );
  assert.deepEqual(
    r2.reportedPersons[0]?.person?.addresses.map((a) => a.type),
    ['Shipping', 'Technical', 'Business'],
  );
  assert.equal(r2.reportedPersons[0]?.ipCaptureEvents[0]?.eventName, 'Unknown');
});

test('kitchen sink: summaries, with the ESP derived from platform, espService or reporter email', async () => {
  const [r1, r2, r3] = reports(await readFixture('kitchen-sink.xml'));
  assert.ok(r1 && r2 && r3);
  assert.deepEqual(summarize(r1), {
    reportId: '200000001',
    receivedAt: '2026-03-01T10:00:00.000Z',
    incidentType: 'Online Enticement of Children for Sexual Acts',
    incidentTime: '2026-02-27T14:15:30.000Z',
    referral: true,
    priority: '1',
    country: 'PH',
    esp: 'ChatterBox Messenger',
    annotations: ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation'],
    escalation: 'Child says she is being taken to meet the user tonight.',
    batched: true,
    fileCount: 2,
    reportedCount: 2,
    victimCount: 1,
  });
  const s2 = summarize(r2);
  assert.equal(s2.esp, 'PhotoShare');
  assert.equal(s2.referral, false);
  assert.equal(s2.receivedAt, '2026-03-01T20:30:00.000Z');
  assert.equal(s2.incidentTime, '2026-03-01T23:59:59.000Z');
  const s3 = summarize(r3);
  assert.equal(s3.esp, 'mail.example.com');
  assert.equal(s3.referral, null);
  assert.equal(s3.priority, null);
  assert.equal(s3.incidentTime, '2026-03-02T17:00:00.000Z');
});

// ---------------------------------------------------------------------------------------------
// Shapes and ids.

test('single-report file: root <cybertipReport>', async () => {
  const text = readFileSync(fixture('single-report.xml'), 'utf8');
  const items = await readFixture('single-report.xml');
  assert.equal(items.length, 1);
  const item = items[0];
  assert.ok(item?.kind === 'report');
  assert.equal(item.report.reportId, '200000100');
  assert.equal(item.report.idSource, 'envelope');
  assert.equal(item.report.envelope.ipLookups[0]?.city, 'Davao City');
  assert.equal(item.report.files[0]?.originalFileHashes[0]?.value, 'fedcba9876543210fedcba9876543210');
  assert.equal(item.raw, text.slice(text.indexOf('<cybertipReport '), text.indexOf('</cybertipReport>') + 17));
  assert.deepEqual(item.position, { line: 3, column: 1, index: 0 });
});

test('bare <report> named with digits takes its id from the file name', async () => {
  const text = readFileSync(fixture('123456789.xml'), 'utf8');
  const items = await readFixture('123456789.xml');
  assert.equal(items.length, 1);
  const item = items[0];
  assert.ok(item?.kind === 'report');
  assert.equal(item.report.reportId, '123456789');
  assert.equal(item.report.idSource, 'filename');
  assert.deepEqual(item.report.envelope, { ipLookups: [] });
  assert.equal(item.report.reportedPersons[0]?.person?.emails[0]?.address, 'sender@mailer.example');
  assert.equal(item.raw, text.slice(text.indexOf('\n<report>') + 1, text.indexOf('</report>') + 9));
  assert.equal(idFromFileName('123456789_x.xml.gz'), '123456789');
  assert.equal(idFromFileName('000123.xml'), '123');
  assert.equal(idFromFileName('report-123.xml'), null);
});

test('bare <report> without digits gets a stable id derived from its content', async () => {
  const first = await readFixture('bare-report.xml');
  const second = await readFixture('bare-report.xml');
  const a = first[0];
  const b = second[0];
  assert.ok(a?.kind === 'report' && b?.kind === 'report');
  assert.match(a.report.reportId, /^h[0-9a-f]{16}$/);
  assert.equal(a.report.idSource, 'content');
  assert.equal(a.report.reportId, b.report.reportId, 'the same file twice gives the same id');
  assert.equal(a.report.reportId, idFromContent(a.raw));
  const changed = await readText(readFileSync(fixture('bare-report.xml'), 'utf8').replace('DomainWatch', 'DomainWatch2'), 'bare.xml');
  assert.ok(changed[0]?.kind === 'report');
  assert.notEqual(changed[0].report.reportId, a.report.reportId);
});

test('a file whose root is not a CyberTip element is set aside whole', async () => {
  const items = await readText('<?xml version="1.0"?><reportResponse><responseCode>0</responseCode></reportResponse>');
  assert.deepEqual(items, [{ kind: 'rejected', position: null, reason: 'not a CyberTip file: root element <reportResponse>' }]);
  const notXml = await readText('reportId,incidentType\n1,x\n', 'x.xml');
  assert.equal(notXml.length, 1);
  assert.match((notXml[0] as { reason: string }).reason, /^not XML/);
  const empty = await readText('  \n', 'empty.xml');
  assert.deepEqual(empty, [{ kind: 'rejected', position: null, reason: 'the file is empty: it holds no XML' }]);
});

test('an element inside the batch that is not a report is set aside and the batch goes on', async () => {
  const items = await readText(batch(envelopeReport(1), '<note lang="en">hello</note>', envelopeReport(2)));
  assert.deepEqual(
    items.map((i) => i.kind),
    ['report', 'rejected', 'report'],
  );
  const r = items[1];
  assert.ok(r?.kind === 'rejected');
  assert.equal(r.reason, '<note> inside <cybertipReports> is not a report; set aside');
  assert.equal(r.raw, '<note lang="en">hello</note>');
  assert.equal(r.position?.index, 1);
});

// ---------------------------------------------------------------------------------------------
// Unknown parts are kept.

test('unknown elements, attributes and enumeration values are kept verbatim', async () => {
  const items = await readFixture('unknown-parts.xml');
  assert.equal(items.length, 1);
  const item = items[0];
  assert.ok(item?.kind === 'report');
  const r = item.report;
  assert.equal(r.incident.incidentType, 'Sextortion of a Minor');
  assert.deepEqual(r.incident.reportAnnotations, ['sextortion', 'informational']);
  assert.equal(r.reportedPersons[0]?.person?.phones[0]?.type, 'Satellite');
  assert.equal(r.reportedPersons[0]?.ipCaptureEvents[0]?.eventName, 'Logout');
  assert.deepEqual(r.files[0]?.fileAnnotations, ['viral', 'aiUpscaled']);
  assert.equal(r.files[0]?.industryClassification, 'C9');
  assert.equal(r.reporter?.reportingPerson?.emails[0]?.address, 't&s@newapp.example');
  assert.equal(r.internetDetails.length, 0);
  assert.deepEqual(r.unknown, [
    { path: 'cybertipReport/@source', xml: 'source="leaws-feed"' },
    { path: 'report/internetDetails[0]/vrIncident', xml: '<vrIncident><world>Plaza 9</world></vrIncident>' },
    { path: 'report/personOrUserReported[0]/personOrUserReportedPerson/phone[0]/@carrier', xml: 'carrier="Example Mobile"' },
    {
      path: 'report/personOrUserReported[0]/potentialAggravatingFactors',
      xml: '<potentialAggravatingFactors severity="high"><factor code="W">weapons &amp; threats &lt;see chat&gt;</factor></potentialAggravatingFactors>',
    },
    { path: 'cybertipReport/ncmecNotes', xml: '<ncmecNotes>Routed to PH.</ncmecNotes>' },
  ]);
  assert.deepEqual(r.warnings, [
    'internetDetails[0] holds no known incident kind; kept as unknown',
    'personOrUserReported[0]/compromisedAccount "yes" is not a boolean (true, false, 1 or 0); left unset',
  ]);
  assert.equal(r.reportedPersons[0]?.compromisedAccount, undefined);
});

test('a repeated single element is kept as unknown; stray text and children of simple elements too', async () => {
  const items = await readText(
    batch(
      envelopeReport(
        7,
        '<personOrUserReported><screenName>a<b>bold</b>c</screenName><screenName>second</screenName>odd text</personOrUserReported>',
        '<platform>P1</platform>',
      ),
    ),
  );
  const item = items[0];
  assert.ok(item?.kind === 'report');
  const p = item.report.reportedPersons[0];
  assert.equal(p?.screenName, 'ac');
  assert.deepEqual(item.report.unknown, [
    { path: 'report/personOrUserReported[0]/screenName/b', xml: '<b>bold</b>' },
    { path: 'report/personOrUserReported[0]/screenName', xml: '<screenName>second</screenName>' },
    { path: 'report/personOrUserReported[0]/text()', xml: 'odd text' },
  ]);
  assert.deepEqual(item.report.warnings, ['personOrUserReported[0]/screenName appears more than once; the first is used and the others are kept as unknown']);
});

// ---------------------------------------------------------------------------------------------
// Quarantine: hard rules, one report at a time.

test('hard-rule violations set a report aside with a readable reason; the next reports still load', async () => {
  const text = readFileSync(fixture('quarantine.xml'), 'utf8');
  const items = await readFixture('quarantine.xml');
  assert.equal(items.length, 11);
  assert.deepEqual(
    items.map((i) => (i.kind === 'report' ? `ok ${i.report.reportId}` : i.reason)),
    [
      'ok 200000300',
      'report 200000301: incidentSummary/incidentType is missing',
      'report 200000302: incidentSummary/incidentDateTime is missing',
      'report 200000303: incidentSummary/incidentDateTime "2026-13-45" is not a date-time',
      `report at line ${lineOf(text, 'reportId="12a"')}: envelope reportId "12a" is not a report number`,
      'report 200000305: envelope receivedAt "yesterday" is not a date-time',
      'report 200000306: personOrUserReported[0]/ipCaptureEvent[0]/dateTime "2026-02-30T10:00:00Z" is not a date-time',
      'report 200000307: victim[0]/victimPerson/dateOfBirth "not-a-date" is not a date',
      'report 200000308: fileDetails[0]/uploadedToEspTimestamp "2026-06-31T00:00:00Z" is not a date-time',
      'report 200000309: reporter/reportingPerson/email[0]/@verificationDate "last week" is not a date-time',
      'ok 200000310',
    ],
  );
  const rejected = rejections(items);
  assert.equal(rejected[0]?.reportId, '200000301');
  assert.equal(rejected[3]?.reportId, undefined, 'no id when the envelope id is bad');
  for (const r of rejected) {
    assert.ok(r.raw?.startsWith('<cybertipReport ') && r.raw.endsWith('</cybertipReport>'), 'the rejected report keeps its source text');
    assert.ok(r.position && r.position.line > 1);
  }
  assert.equal(
    rejected[1]?.raw,
    text.slice(text.indexOf('<cybertipReport reportId="200000302"'), text.indexOf('</cybertipReport>', text.indexOf('reportId="200000302"')) + 17),
  );
});

test('dates in every typed place are checked; empty optional dates only warn', async () => {
  const cases: [string, string][] = [
    [
      '<personOrUserReported><deviceId><idType>IMEI</idType><idValue>1</idValue><dateTime>2026-01-01</dateTime></deviceId></personOrUserReported>',
      'personOrUserReported[0]/deviceId[0]/dateTime "2026-01-01" is not a date-time',
    ],
    [
      '<personOrUserReported><accountTemporarilyDisabled disabledDate="soon">true</accountTemporarilyDisabled></personOrUserReported>',
      'personOrUserReported[0]/accountTemporarilyDisabled/@disabledDate "soon" is not a date-time',
    ],
    [
      '<victim><victimPerson/><accountPermanentlyDisabled userNotifiedDate="x">true</accountPermanentlyDisabled></victim>',
      'victim[0]/accountPermanentlyDisabled/@userNotifiedDate "x" is not a date-time',
    ],
    [
      '<personOrUserReported><accountTemporarilyDisabled reenabledDate="2026-02-30T00:00:00Z"/></personOrUserReported>',
      'personOrUserReported[0]/accountTemporarilyDisabled/@reenabledDate "2026-02-30T00:00:00Z" is not a date-time',
    ],
    [
      '<intendedRecipient><estimatedLocation timestamp="13:00"/></intendedRecipient>',
      'intendedRecipient[0]/estimatedLocation/@timestamp "13:00" is not a date-time',
    ],
    [
      '<personOrUserReported><associatedAccount type="Billing"><dateOfBirth>1990-02-30</dateOfBirth></associatedAccount></personOrUserReported>',
      'personOrUserReported[0]/associatedAccount[0]/dateOfBirth "1990-02-30" is not a date',
    ],
    [
      '<personOrUserReported><personOrUserReportedPerson><phone verificationDate="bad">1</phone></personOrUserReportedPerson></personOrUserReported>',
      'personOrUserReported[0]/personOrUserReportedPerson/phone[0]/@verificationDate "bad" is not a date-time',
    ],
  ];
  for (const [body, reason] of cases) {
    const items = await readText(batch(envelopeReport(9, body)));
    assert.equal(items.length, 1);
    assert.equal((items[0] as { reason?: string }).reason, `report 9: ${reason}`);
  }
  const lenient = await readText(batch(envelopeReport(10, '<victim><victimPerson><dateOfBirth></dateOfBirth></victimPerson></victim>')));
  assert.ok(lenient[0]?.kind === 'report');
  assert.deepEqual(lenient[0].report.warnings, ['victim[0]/victimPerson/dateOfBirth is empty; treated as absent']);
});

test('malformed XML mid-batch: earlier reports are yielded, then one rejection with line and column', async () => {
  const items = await readFixture('malformed-mid-batch.xml');
  assert.deepEqual(
    items.map((i) => i.kind),
    ['report', 'report', 'rejected'],
  );
  const r = items[2];
  assert.ok(r?.kind === 'rejected');
  assert.equal(
    r.reason,
    'the XML is not well-formed at line 22, column 23: an end tag does not match the open element <incidentSummary>; reading of this file stopped there',
  );
  assert.deepEqual(r.position, { line: 22, column: 23, index: 2 });
  assert.equal(r.reportId, '200000503');
  assert.ok(r.raw?.startsWith('<cybertipReport reportId="200000503"'));
});

test('a truncated file yields the reports completed before the cut, then says it is cut short', async () => {
  const text = readFileSync(fixture('small-batch.xml'), 'utf8');
  const cut = text.slice(0, text.indexOf('<incidentType>Child Sex Tourism'));
  const items = await readText(cut);
  assert.deepEqual(
    items.map((i) => i.kind),
    ['report', 'rejected'],
  );
  assert.match(
    (items[1] as { reason: string }).reason,
    /^the XML is not well-formed at line \d+, column \d+: the input ends inside <incidentSummary>: the file is truncated or cut short/,
  );
});

// ---------------------------------------------------------------------------------------------
// Hostile input.

test('XXE probe: the DOCTYPE is refused and the named file is never read', async () => {
  const items = await readFixture('xxe.xml');
  assert.deepEqual(items, [{ kind: 'rejected', position: null, reason: DTD_REASON }]);
  if (existsSync('/etc/passwd')) {
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? '';
    assert.ok(firstLine.length > 0);
    assert.ok(!JSON.stringify(items).includes(firstLine));
    assert.ok(!JSON.stringify(items).includes('root:'));
  }
});

test('billion laughs: refused at the DOCTYPE, nothing expanded', async () => {
  const before = process.memoryUsage().heapUsed;
  const items = await readFixture('billion-laughs.xml');
  assert.deepEqual(items, [{ kind: 'rejected', position: null, reason: DTD_REASON }]);
  assert.ok(process.memoryUsage().heapUsed - before < 50e6);
});

test('a DOCTYPE split across chunks, or placed after the root, is refused too', async () => {
  const xxe = readFileSync(fixture('xxe.xml'));
  const items = await collect(pieces(xxe, 1), 'xxe.xml');
  assert.deepEqual(items, [{ kind: 'rejected', position: null, reason: DTD_REASON }]);
  // Refused as soon as it is seen: an internal subset that never ends is not read to its end.
  const endless = `<?xml version="1.0"?>\n<!DOCTYPE x [\n<!ENTITY a "${'A'.repeat(5000)}`;
  assert.deepEqual(await readText(endless, 'endless.xml', undefined, 1), [{ kind: 'rejected', position: null, reason: DTD_REASON }]);
  const late = await readText(batch(envelopeReport(1), '<!DOCTYPE x [<!ENTITY a "b">]>', envelopeReport(2)));
  assert.deepEqual(
    late.map((i) => i.kind),
    ['report', 'rejected'],
  );
  assert.equal((late[1] as { reason: string }).reason, DTD_REASON);
});

test('DOCTYPE text inside a CDATA section is content, not a declaration', async () => {
  const body = '<internetDetails><emailIncident><content><![CDATA[<!DOCTYPE html><html>hi</html>]]></content></emailIncident></internetDetails>';
  const items = await readText(batch(envelopeReport(3, body)));
  assert.ok(items[0]?.kind === 'report');
  const d = items[0].report.internetDetails[0];
  assert.ok(d?.kind === 'email');
  assert.equal(d.content, '<!DOCTYPE html><html>hi</html>');
});

test('only the five built-in entities and character references are expanded', async () => {
  const ok = await readText(batch(envelopeReport(4, '<additionalInfo>&lt;&gt;&amp;&quot;&apos; &#65;&#x42; &#x1F600;</additionalInfo>')));
  assert.ok(ok[0]?.kind === 'report');
  assert.equal(ok[0].report.additionalInfo, `<>&"' AB \u{1F600}`);
  const bad = await readText(batch(envelopeReport(5), envelopeReport(6, '<additionalInfo>&xxe;</additionalInfo>')));
  assert.deepEqual(
    bad.map((i) => i.kind),
    ['report', 'rejected'],
  );
  assert.match((bad[1] as { reason: string }).reason, /an entity reference other than the five XML built-ins/);
});

test('an over-long text node sets its report aside; the reports around it load', async () => {
  const long = 'x'.repeat(DEFAULT_READER_LIMITS.maxTextBytes + 512 * 1024);
  const items = await readText(batch(envelopeReport(11), envelopeReport(12, `<additionalInfo>${long}</additionalInfo>`), envelopeReport(13)));
  assert.deepEqual(
    items.map((i) => (i.kind === 'report' ? i.report.reportId : 'rejected')),
    ['11', 'rejected', '13'],
  );
  const r = items[1];
  assert.ok(r?.kind === 'rejected');
  assert.equal(
    r.reason,
    `report 12: a text value in cybertipReport/report/additionalInfo is longer than the limit of ${DEFAULT_READER_LIMITS.maxTextBytes} characters`,
  );
  assert.equal(r.reportId, '12');
  assert.ok(r.raw && r.raw.length <= DEFAULT_READER_LIMITS.maxReportBytes);
  // Also as one huge attribute value, and with a small custom limit.
  const attr = await readText(
    batch(envelopeReport(14, `<victim><victimPerson><phone type="${'y'.repeat(5000)}">1</phone></victimPerson></victim>`), envelopeReport(15)),
    't.xml',
    { maxTextBytes: 1000 },
  );
  assert.deepEqual(
    attr.map((i) => i.kind),
    ['rejected', 'report'],
  );
  assert.match((attr[0] as { reason: string }).reason, /^report 14: .*longer than the limit of 1000 characters$/);
});

test('an over-large report is set aside without buffering it and the next report loads', async () => {
  const max = DEFAULT_READER_LIMITS.maxReportBytes;
  const names = '<displayName>a display name, repeated</displayName>'.repeat(Math.ceil((max + 1_000_000) / 50));
  const xml = batch(envelopeReport(21), envelopeReport(22, `<personOrUserReported>${names}</personOrUserReported>`), envelopeReport(23));
  assert.ok(xml.length > max);
  const items = await readText(xml);
  assert.deepEqual(
    items.map((i) => (i.kind === 'report' ? i.report.reportId : 'rejected')),
    ['21', 'rejected', '23'],
  );
  const r = items[1];
  assert.ok(r?.kind === 'rejected');
  assert.equal(r.reason, `report 22: larger than the limit of ${max} bytes`);
  assert.ok(r.raw !== undefined && Buffer.byteLength(r.raw) <= max, 'the raw is kept only up to the bound');
  assert.ok(r.raw.startsWith('<cybertipReport reportId="22"'));
});

test('too deep nesting and too many attributes set the report aside', async () => {
  const deep = `${'<x>'.repeat(80)}${'</x>'.repeat(80)}`;
  const items = await readText(batch(envelopeReport(31, deep), envelopeReport(32)));
  assert.deepEqual(
    items.map((i) => i.kind),
    ['rejected', 'report'],
  );
  assert.match((items[0] as { reason: string }).reason, /^report 31: elements nested deeper than 64 levels in cybertipReport\/report\/x\/x/);
  const attrs = Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ');
  const many = await readText(batch(envelopeReport(33, `<additionalInfo ${attrs}>x</additionalInfo>`), envelopeReport(34)));
  assert.deepEqual(
    many.map((i) => i.kind),
    ['rejected', 'report'],
  );
  assert.match((many[0] as { reason: string }).reason, /^report 33: <additionalInfo> in cybertipReport\/report has more than 256 attributes$/);
});

// ---------------------------------------------------------------------------------------------
// Decoding.

test('multi-byte UTF-8 split across chunk boundaries decodes whole; raw is the exact source', async () => {
  const name = 'Señor Niño 日本語 \u{1F600} ñ';
  const xml = batch(envelopeReport(41, `<personOrUserReported><screenName>${name}</screenName></personOrUserReported>`));
  for (const size of [1, 2, 3, 7]) {
    const items = await readText(xml, 't.xml', undefined, size);
    assert.ok(items[0]?.kind === 'report', `chunks of ${size}`);
    assert.equal(items[0].report.reportedPersons[0]?.screenName, name);
    assert.equal(items[0].raw, envelopeReport(41, `<personOrUserReported><screenName>${name}</screenName></personOrUserReported>`));
    assert.deepEqual(items[0].report.warnings, []);
  }
});

test('text chunks, CRLF line ends, a BOM and a declared Latin-1 encoding are all read correctly', async () => {
  const crlf = batch(envelopeReport(51), envelopeReport(52)).replace(/\n/g, '\r\n').replace('<report>', '<report>\r\n');
  for (const size of [1, 5, 4096]) {
    const items = await collect(pieces(crlf, size), 'crlf.xml');
    assert.deepEqual(
      items.map((i) => i.kind === 'report' && i.position),
      [
        { line: 3, column: 1, index: 0 },
        { line: 5, column: 1, index: 1 },
      ],
    );
  }
  const items = await collect(pieces(crlf, 5), 'crlf.xml');
  assert.ok(items[0]?.kind === 'report' && items[0].raw.includes('\r\n'), 'raw keeps CR LF as written');

  const bom = await readText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(batch(envelopeReport(53)))]));
  assert.ok(bom[0]?.kind === 'report');

  const latin = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<cybertipReports>'),
    Buffer.from(envelopeReport(54, '<personOrUserReported><screenName>Pe\u00f1a</screenName></personOrUserReported>'), 'latin1'),
    Buffer.from('</cybertipReports>'),
  ]);
  const l = await readText(latin, 'latin.xml', undefined, 3);
  assert.ok(l[0]?.kind === 'report');
  assert.equal(l[0].report.reportedPersons[0]?.screenName, 'Peña');

  const unsupported = await readText('<?xml version="1.0" encoding="x-no-such-charset"?><cybertipReports/>');
  assert.deepEqual(unsupported, [
    { kind: 'rejected', position: null, reason: 'unsupported character encoding "x-no-such-charset" declared in the XML declaration' },
  ]);
});

test('bytes that are not UTF-8 set their report aside with the byte offset and the raw bytes; the other reports load', async () => {
  const full = Buffer.from(
    `<cybertipReports>${envelopeReport(61, '<personOrUserReported><screenName>A#B</screenName></personOrUserReported>')}${envelopeReport(62)}</cybertipReports>`,
  );
  const at = full.indexOf('A#B') + 1;
  full[at] = 0xff;
  for (const chunk of [1 << 20, 7]) {
    const items = await readText(full, 'bad.xml', undefined, chunk);
    assert.deepEqual(
      items.map((i) => i.kind),
      ['rejected', 'report'],
      `chunk ${chunk}`,
    );
    const r = items[0]!;
    assert.ok(r.kind === 'rejected');
    assert.equal(r.reportId, '61');
    assert.equal(r.reason, `report 61: bytes that are not valid UTF-8 at byte offset ${at} (0xFF); set aside with its raw bytes, as XML requires`);
    // The raw kept is the report's bytes exactly as they were, the bad byte included.
    const start = full.indexOf('<cybertipReport reportId="61"');
    assert.deepEqual(Buffer.from(r.rawBytes!), full.subarray(start, full.indexOf('</cybertipReport>', start) + 17));
  }
  // A valid U+FFFD written in the source is text, not an error.
  const fine = await readText(Buffer.from(batch(envelopeReport(63, '<personOrUserReported><screenName>A\uFFFDB</screenName></personOrUserReported>'))));
  assert.ok(fine[0]?.kind === 'report' && fine[0].report.warnings.length === 0);
  // Outside any report (between two), the bytes are one entry and both reports load.
  const between = Buffer.from(`<cybertipReports>${envelopeReport(64)}\n#\n${envelopeReport(65)}</cybertipReports>`);
  between[between.indexOf('#')] = 0xc3;
  const out = await readText(between);
  assert.deepEqual(
    out.map((i) => (i.kind === 'report' ? i.report.reportId : i.kind)),
    ['64', 'rejected', '65'],
  );
  assert.match((out[1] as { reason: string }).reason, /^bytes that are not valid UTF-8 at byte offset \d+ \(0xC3\), outside any report/);
});

// ---------------------------------------------------------------------------------------------
// Speed (a figure, not an assertion on time).

test('a large batch streams through with flat memory (speed printed as a diagnostic)', async (t) => {
  const template = readFileSync(fixture('single-report.xml'), 'utf8');
  const one = template.slice(template.indexOf('<cybertipReport '), template.indexOf('</cybertipReport>') + 17);
  const parts: string[] = ['<cybertipReports>\n'];
  let n = 0;
  let size = 0;
  while (size < 40e6) {
    const id = String(300000000 + n);
    const r = one
      .replaceAll('200000100', id)
      .replace('uploader42', `uploader${n}`)
      .replace('203.0.113.99', `203.0.${(n >> 8) & 255}.${n & 255}`);
    parts.push(r, '\n');
    size += r.length + 1;
    n++;
  }
  parts.push('</cybertipReports>\n');
  const data = Buffer.from(parts.join(''));
  let count = 0;
  let maxHeap = 0;
  const started = performance.now();
  for await (const item of readCybertip(pieces(data, 256 * 1024) as AsyncIterable<Buffer>, { path: 'big.xml', name: 'big.xml' })) {
    assert.equal(item.kind, 'report');
    count++;
    if ((count & 4095) === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - started) / 1000;
  assert.equal(count, n);
  t.diagnostic(
    `${(data.length / 1e6).toFixed(1)} MB, ${n} reports of ${one.length} bytes: ${(data.length / 1e6 / seconds).toFixed(1)} MB/s, ${Math.round(n / seconds)} reports/s; heap peak ${(maxHeap / 1e6).toFixed(0)} MB`,
  );
});
