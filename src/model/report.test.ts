import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveEsp, isXsDate, isXsDateTime, summarize, toUtcIso, type CybertipReport } from './report.ts';
import { isBantayError } from './error.ts';

function minimal(overrides: Partial<CybertipReport> = {}): CybertipReport {
  return {
    reportId: '1',
    idSource: 'envelope',
    envelope: { ipLookups: [] },
    incident: { incidentType: 'Child Sex Trafficking', reportAnnotations: [], incidentDateTime: '2026-01-01T00:00:00Z' },
    internetDetails: [],
    reportedPersons: [],
    intendedRecipients: [],
    victims: [],
    files: [],
    unknown: [],
    warnings: [],
    ...overrides,
  };
}

test('toUtcIso converts zoned, zone-less and fractional date-times to UTC', () => {
  assert.equal(toUtcIso('2026-03-01T10:00:00Z'), '2026-03-01T10:00:00.000Z');
  assert.equal(toUtcIso('2026-02-27T22:15:30+08:00'), '2026-02-27T14:15:30.000Z');
  assert.equal(toUtcIso('2026-03-02T12:00:00-05:00'), '2026-03-02T17:00:00.000Z');
  assert.equal(toUtcIso('2026-03-01T23:59:59'), '2026-03-01T23:59:59.000Z', 'no zone is taken as UTC');
  assert.equal(toUtcIso('2026-01-15T12:00:00.2509Z'), '2026-01-15T12:00:00.250Z');
  assert.equal(toUtcIso(' 2026-01-15T12:00:00Z\n'), '2026-01-15T12:00:00.000Z', 'XSD collapses whitespace');
  assert.equal(toUtcIso('2024-02-29T24:00:00Z'), '2024-03-01T00:00:00.000Z', '24:00:00 is the end of the day');
  assert.equal(toUtcIso('2026-01-01T00:30:00+01:00'), '2025-12-31T23:30:00.000Z', 'crosses the year');
  assert.throws(
    () => toUtcIso('2026-13-45'),
    (err: unknown) => isBantayError(err, 'BAD_VALUE'),
  );
  assert.throws(
    () => toUtcIso('yesterday'),
    (err: unknown) => isBantayError(err, 'BAD_VALUE'),
  );
});

test('isXsDateTime follows the XSD lexical space and calendar', () => {
  for (const ok of ['2026-03-01T10:00:00Z', '2024-02-29T00:00:00Z', '2026-03-01T10:00:00.5+14:00', '12026-01-01T00:00:00Z', '-0044-03-15T12:00:00']) {
    assert.equal(isXsDateTime(ok), true, ok);
  }
  for (const bad of [
    '2026-13-45',
    '2026-02-29T00:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-06-31T00:00:00Z',
    '2026-03-01',
    '2026-03-01T10:00Z',
    '2026-03-01T10:00:60Z',
    '2026-03-01T24:00:01Z',
    '2026-03-01T10:00:00+14:01',
    '2026-03-01 10:00:00Z',
    '0000-01-01T00:00:00Z',
    '02026-01-01T00:00:00Z',
    'yesterday',
    '',
  ]) {
    assert.equal(isXsDateTime(bad), false, bad);
  }
});

test('isXsDate accepts dates with an optional zone and nothing else', () => {
  assert.equal(isXsDate('1991-07-04'), true);
  assert.equal(isXsDate('2013-09-09Z'), true);
  assert.equal(isXsDate('2013-09-09+08:00'), true);
  assert.equal(isXsDate('1991-7-4'), false);
  assert.equal(isXsDate('1991-07-04T00:00:00Z'), false);
  assert.equal(isXsDate('2023-02-29'), false);
  assert.equal(isXsDate('not-a-date'), false);
});

test('deriveEsp prefers the platform, then the reported espService, then the reporting email domain', () => {
  assert.equal(deriveEsp(minimal({ incident: { ...minimal().incident, platform: ' ChatterBox ' } })), 'ChatterBox');
  const reported = {
    role: 'reported' as const,
    displayNames: [],
    profileUrls: [],
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
    associatedAccounts: [],
    additionalInfo: [],
  };
  assert.equal(deriveEsp(minimal({ reportedPersons: [{ ...reported, espService: 'PhotoShare' }] })), 'PhotoShare');
  const reporter = { reportingPerson: { phones: [], emails: [{ address: 'Safety@Mail.Example.COM' }], addresses: [] } };
  assert.equal(deriveEsp(minimal({ reporter, incident: { ...minimal().incident, platform: '  ' } })), 'mail.example.com');
  assert.equal(deriveEsp(minimal()), null);
});

test('summarize gives UTC times and nulls for what the report lacks', () => {
  const s = summarize(
    minimal({
      envelope: { receivedAt: '2026-03-02T04:30:00+08:00', referral: false, priority: '3', country: 'PH', ipLookups: [] },
      incident: {
        incidentType: 'Child Sex Tourism',
        reportAnnotations: ['spam'],
        incidentDateTime: '2026-03-01T23:59:59',
        batchedReason: 'VIRAL_POTENTIAL_MEME',
        escalateToHighPriority: '',
      },
    }),
  );
  assert.deepEqual(s, {
    reportId: '1',
    receivedAt: '2026-03-01T20:30:00.000Z',
    incidentType: 'Child Sex Tourism',
    incidentTime: '2026-03-01T23:59:59.000Z',
    referral: false,
    priority: '3',
    country: 'PH',
    esp: null,
    annotations: ['spam'],
    escalation: null,
    batched: true,
    fileCount: 0,
    reportedCount: 0,
    victimCount: 0,
  });
  const bare = summarize(minimal({ idSource: 'filename' }));
  assert.equal(bare.receivedAt, null);
  assert.equal(bare.referral, null);
  assert.equal(bare.priority, null);
  assert.equal(bare.batched, false);
});

test('a reporter e-mail domain names its ESP, subdomains included; an unknown domain stays as written', async () => {
  const { espFromDomain } = await import('./esp-names.ts');
  assert.equal(espFromDomain('fb.com'), 'Facebook');
  assert.equal(espFromDomain('Support.Instagram.com'), 'Instagram');
  assert.equal(espFromDomain('twitter.com'), 'X');
  assert.equal(espFromDomain('example.ph'), 'example.ph');
});
