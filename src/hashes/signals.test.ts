import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeFileSignals, computeSignals, DEFAULT_VIRAL, expandSignal, groupContent, storedSignal, type SignalFileHash } from './signals.ts';
import { extractFileHashes } from './extract.ts';
import type { CybertipReport } from '../model/report.ts';

const PDQ = 'd8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22';
// The same photograph blurred a lot (upstream near-duplicate family): distance 4 from PDQ.
const PDQ_NEAR = 'd8f8f0cce0f4e84f0637022a028f67f0b36e2ed596623e1d33e6b39c4e9c9b22';
const day = (d: number): Date => new Date(Date.UTC(2024, 0, 1 + d));
const fh = (reportId: string, value: string, opts: Partial<SignalFileHash> = {}): SignalFileHash => ({
  reportId,
  fileId: 'f1',
  type: value.length === 32 ? 'md5' : 'pdq',
  value,
  quality: null,
  userKey: `u-${reportId}`,
  espViral: false,
  seenAt: day(0),
  ...opts,
});

test('new, repeat and viral: first sighting is new, a later one repeat, N reports from M users in the window viral', () => {
  const a = 'a'.repeat(32);
  const files = [fh('r1', a, { seenAt: day(0) }), fh('r2', a, { seenAt: day(1) })];
  let s = computeSignals({ reportIds: ['r1', 'r2', 'r0'], files, exact: [], pdqEntries: [] });
  assert.deepEqual(
    s.map((r) => [r.reportId, r.novelty, r.viral]),
    [
      ['r1', 'new', false],
      ['r2', 'repeat', false],
      ['r0', 'unhashed', false],
    ],
  );
  // Five reports from three users within 30 days: viral, with the window as evidence.
  const many = [0, 1, 2, 3, 4].map((i) => fh(`v${i}`, a, { seenAt: day(i), userKey: `u${i % 3}` }));
  s = computeSignals({ reportIds: many.map((f) => f.reportId), files: many, exact: [], pdqEntries: [] });
  assert.ok(s.every((r) => r.viral && r.novelty === 'viral'));
  assert.deepEqual(s[0]!.files[0]!.viral.window, { from: day(0).toISOString(), to: day(4).toISOString(), reports: 5, users: 3 });
  // Only two users: not viral. Spread over 200 days: not viral.
  const twoUsers = many.map((f, i) => ({ ...f, userKey: `u${i % 2}` }));
  assert.ok(computeSignals({ reportIds: twoUsers.map((f) => f.reportId), files: twoUsers, exact: [], pdqEntries: [] }).every((r) => !r.viral));
  const spread = many.map((f, i) => ({ ...f, seenAt: day(i * 50) }));
  assert.ok(computeSignals({ reportIds: spread.map((f) => f.reportId), files: spread, exact: [], pdqEntries: [] }).every((r) => !r.viral));
  // The window and counts are configurable.
  assert.ok(
    computeSignals({ reportIds: spread.map((f) => f.reportId), files: spread, exact: [], pdqEntries: [], viral: { ...DEFAULT_VIRAL, windowDays: 365 } }).every(
      (r) => r.viral,
    ),
  );
});

test('PDQ near copies are the same content for recirculation, and the ESP flag alone makes a file viral', () => {
  const files = [fh('r1', PDQ), fh('r2', PDQ_NEAR, { seenAt: day(2) }), fh('r3', 'b'.repeat(32), { espViral: true })];
  const s = computeSignals({ reportIds: ['r1', 'r2', 'r3'], files, exact: [], pdqEntries: [] });
  assert.deepEqual(
    s.map((r) => r.novelty),
    ['new', 'repeat', 'viral'],
  );
  assert.equal(s[1]!.files[0]!.firstSeenReport, 'r1');
  assert.equal(s[2]!.files[0]!.viral.espFlag, true);
});

test('known: exact and PDQ list matches with per-list threshold and quality floor; a report is as new as its newest file', () => {
  const files = [fh('r1', PDQ_NEAR, { fileId: 'f1' }), fh('r1', 'c'.repeat(32), { fileId: 'f2' }), fh('r2', 'd'.repeat(32))];
  const entry = { value: PDQ, list: 'L', category: '1', series: 'S', quality: 100, threshold: 31, floor: 50 };
  const exact = [{ reportId: 'r2', fileId: 'f1', type: 'md5', value: 'd'.repeat(32), list: 'M', category: '2', series: null, victimIdentified: true }];
  let s = computeSignals({ reportIds: ['r1', 'r2'], files, exact, pdqEntries: [entry] });
  assert.equal(s[0]!.novelty, 'new'); // f2 is new, so r1 is new although f1 is known
  assert.equal(s[0]!.known, true);
  const k = s[0]!.files.find((f) => f.fileId === 'f1')!.known[0]!;
  assert.equal(k.match, 'pdq');
  assert.ok(k.distance > 0 && k.distance <= 31);
  assert.equal(s[1]!.novelty, 'known');
  assert.equal(s[1]!.files[0]!.known[0]!.victimIdentified, true);
  // A stricter list threshold, or a list entry below the quality floor, does not match.
  s = computeSignals({ reportIds: ['r1'], files: files.slice(0, 1), exact: [], pdqEntries: [{ ...entry, threshold: 3 }] });
  assert.equal(s[0]!.known, false);
  s = computeSignals({ reportIds: ['r1'], files: files.slice(0, 1), exact: [], pdqEntries: [{ ...entry, quality: 36 }] });
  assert.equal(s[0]!.known, false);
});

test('extraction normalises, merges originalFileHash with details HASH, and leaves empty-file hashes out', () => {
  const report = {
    reportId: 'x',
    incident: { incidentType: 't', reportAnnotations: [], incidentDateTime: '2024-01-01T00:00:00Z', batchedReason: 'VIRAL_POTENTIAL_MEME' },
    reportedPersons: [{ espIdentifier: 'User1', displayNames: [] }],
    files: [
      {
        fileId: 'f',
        fileAnnotations: [],
        deviceIds: [],
        additionalInfo: [],
        originalFileHashes: [
          { hashType: 'MD5', value: 'ABCDEFABCDEFABCDEFABCDEFABCDEFAB' },
          { hashType: 'SHA256', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
        ],
        details: [
          {
            type: 'HASH',
            pairs: [
              { name: 'md5', value: 'abcdefabcdefabcdefabcdefabcdefab' },
              { name: 'PDQ', value: PDQ.toUpperCase() },
              { name: 'PDQ quality', value: '90' },
              { name: 'SHA1', value: 'zz' },
            ],
          },
        ],
      },
    ],
  } as unknown as CybertipReport;
  const r = extractFileHashes(report);
  assert.equal(r.empty, 1);
  assert.equal(r.invalid, 1);
  assert.deepEqual(
    r.rows.map((x) => [x.type, x.value, x.quality, x.espViral]),
    [
      ['md5', 'abcdefabcdefabcdefabcdefabcdefab', null, true],
      ['pdq', PDQ, 90, true],
    ],
  );
  assert.equal(r.rows[0]!.userKey, '|user1');
});

test('viral batch key: one key per viral content (its most reported hash, md5 first), shared by PDQ near copies; null when not viral', () => {
  const a = 'a'.repeat(32);
  const b = 'b'.repeat(32);
  // Five reports of one photograph from three users; three carry it as md5 + PDQ, two only as a PDQ near copy.
  const files = [
    ...[0, 1, 2].flatMap((i) => [fh(`v${i}`, a, { seenAt: day(i), userKey: `u${i}` }), fh(`v${i}`, PDQ, { seenAt: day(i), userKey: `u${i}` })]),
    ...[3, 4].map((i) => fh(`v${i}`, PDQ_NEAR, { seenAt: day(i), userKey: `u${i}` })),
    // An ESP-flagged file seen once: its own batch of one. A lone file: not viral.
    fh('e1', b, { espViral: true }),
    fh('n1', 'c'.repeat(32)),
  ];
  const s = new Map(
    computeSignals({ reportIds: ['v0', 'v1', 'v2', 'v3', 'v4', 'e1', 'n1', 'u1'], files, exact: [], pdqEntries: [] }).map((r) => [r.reportId, r]),
  );
  for (const id of ['v0', 'v1', 'v2', 'v3', 'v4']) assert.equal(s.get(id)!.viralKey, `md5:${a}`, `${id} is in the batch of the photograph`);
  assert.equal(s.get('e1')!.viralKey, `md5:${b}`);
  assert.equal(s.get('n1')!.viralKey, null);
  assert.equal(s.get('u1')!.viralKey, null);
  // A report with two viral contents takes the one more reports carry.
  const two = [...files, fh('v0', b, { fileId: 'f2', espViral: true })];
  assert.equal(computeSignals({ reportIds: ['v0'], files: two, exact: [], pdqEntries: [] })[0]!.viralKey, `md5:${a}`);
  // Without the md5, the batch is named by the PDQ most reports carry.
  const pdqOnly = files.filter((f) => f.type === 'pdq');
  const keys = new Set(computeSignals({ reportIds: ['v0', 'v1', 'v2', 'v3', 'v4'], files: pdqOnly, exact: [], pdqEntries: [] }).map((r) => r.viralKey));
  assert.deepEqual([...keys], [`pdq:${PDQ}`]);
});

test('content groups: one row per content with its totals and id; a stored file signal and its group give back the full signal', () => {
  const a = 'a'.repeat(32);
  // Five reports from three users within the window (viral), one of them carrying a near copy by PDQ only, and a lone file.
  const files = [
    ...[0, 1, 2].flatMap((i) => [fh(`v${i}`, a, { seenAt: day(i), userKey: `u${i % 3}` }), fh(`v${i}`, PDQ, { seenAt: day(i), userKey: `u${i % 3}` })]),
    ...[3, 4].map((i) => fh(`v${i}`, PDQ_NEAR, { seenAt: day(i), userKey: `u${i % 3}` })),
    fh('n1', 'c'.repeat(32)),
  ];
  const g = groupContent(files);
  assert.deepEqual(g.groups.map((x) => [x.id, x.reports, x.users, x.first, x.key, x.window?.reports ?? null]).sort(), [
    [`md5:${a}`, 5, 3, 'v0', `md5:${a}`, 5],
    [`md5:${'c'.repeat(32)}`, 1, 1, 'n1', null, null],
  ]);
  assert.equal(g.groupOfValue.get(`pdq:${PDQ_NEAR}`)!.id, `md5:${a}`, 'a PDQ near copy is in the group of the photograph');
  for (const { reportId, signal } of computeFileSignals({ files, exact: [], pdqEntries: [] })) {
    const stored = storedSignal(reportId, signal);
    assert.equal(stored.firstSeen, signal.firstSeenReport === reportId);
    assert.equal('reports' in stored.viral, false, 'a stored signal holds no count');
    assert.deepEqual(expandSignal(reportId, stored, g.groupOfFile.get(`${reportId}\u0000${signal.fileId}`)), signal);
  }
});
