// The stage runtime on hand-made changes: each change recomputes only the keys it touches, and the
// state it leaves equals a full rebuild through the same stages. Both database backends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { CybertipReport, FileDetails } from '../src/model/report.ts';
import type { Store } from '../src/store/database.ts';
import { markPending, pendingCounts } from '../src/store/pending.ts';
import { markJoinForParties } from '../src/store/payments.ts';
import { allFileHashes, enabledPdqEntries, exactListMatches, hashedReportIds } from '../src/store/hashes.ts';
import { readReportSignals, type ShownReportSignal } from '../src/hashes/evidence.ts';
import { computeSignals } from '../src/hashes/signals.ts';
import { markEverything, processNew, type ProcessSummary } from '../src/pipeline/process.ts';
import { hashFilesStage, hashSignalsStage } from '../src/hashes/stages.ts';
import { runStage } from '../src/runtime/stage.ts';
import { subjectsStage } from '../src/link/stages.ts';
import { excludeValue } from '../src/link/run.ts';
import { listSubjects } from '../src/link/query.ts';
import { testBackends } from './support/stores.ts';
import { makeReport, person, putReports } from './fixtures/link/reports.ts';

const NOW = new Date('2026-02-01T00:00:00Z');

function file(fileId: string, md5: string): FileDetails {
  return { fileId, fileAnnotations: [], originalFileHashes: [{ hashType: 'MD5', value: md5 }], deviceIds: [], details: [], additionalInfo: [] };
}

// A report with a phone, files and an incident time (for first sightings). Its Facebook account is
// its own unless given (null: none named); one number on three accounts of one service that share
// nothing else is a shared line (docs/linking.md §2), so one person's reports name one account.
function report(id: string, opts: { phones?: string[]; md5s?: string[]; at?: string; account?: string | null } = {}): CybertipReport {
  const account = opts.account === undefined ? `user-${id}` : opts.account;
  return makeReport(
    id,
    { person: person(opts.phones ?? []), ...(account === null ? {} : { espIdentifier: account }) },
    {
      files: (opts.md5s ?? []).map((h, i) => file(`${id}-f${i}`, h)),
      incident: {
        incidentType: 'Child Pornography (possession, manufacture, and distribution)',
        platform: 'Facebook',
        reportAnnotations: [],
        incidentDateTime: opts.at ?? '2026-01-04T00:00:00Z',
      },
    },
  );
}

const md5 = (n: number): string => n.toString(16).padStart(32, '0');

// Everything the derived stages wrote, in a form two runs can be compared by.
async function snapshot(store: Store): Promise<unknown> {
  const q = async (text: ReturnType<typeof sql>): Promise<unknown[]> => (await text.execute(store.db)).rows;
  return {
    signals: await q(sql`select report_id, novelty, known, viral, viral_key, new_files, evidence from report_hash_signals order by report_id`),
    groups: await q(sql`select * from content_groups order by id`),
    groupValues: await q(sql`select hash_type, value, group_id from content_group_values order by 1, 2`),
    files: await q(sql`select report_id, file_id, hash_type, value from file_hashes order by 1, 2, 3, 4`),
    identifiers: await q(sql`select report_id, key, strength from link_identifiers order by 1, 2, 3`),
    evidence: await q(sql`select report_a, report_b, key, strength, detail from link_evidence order by 1, 2, 3`),
    subjects: await q(sql`select report_id, subject_id from link_subjects order by 1`),
    deconflicted: await q(sql`select report_id, case_id from deconflicted_reports order by 1`),
    flags: await q(sql`select subject_id, score, alerts, parties from payment_subject_flags order by 1`),
    scores: await q(sql`select report_id, score, tier, paused, reasons from triage_scores order by 1`),
  };
}

const run = (store: Store): Promise<ProcessSummary> => processNew(store, { now: NOW });
const scored = (p: ProcessSummary): number => p.scores.scored;

// The stored roll-ups, each file with its group's totals, equal a computation over every stored hash.
async function equalsFullComputation(store: Store): Promise<ShownReportSignal[]> {
  const [reportIds, files, exact, pdqEntries] = await Promise.all([
    hashedReportIds(store.db),
    allFileHashes(store.db),
    exactListMatches(store.db),
    enabledPdqEntries(store.db),
  ]);
  const everything = computeSignals({ reportIds, files, exact, pdqEntries });
  const stored = await readReportSignals(store.db);
  const shape = (r: { reportId: string; novelty: string; viral: boolean; viralKey: string | null; newFiles: number }, evidence: unknown): unknown =>
    JSON.parse(JSON.stringify({ reportId: r.reportId, novelty: r.novelty, viral: r.viral, viralKey: r.viralKey, newFiles: r.newFiles, evidence }));
  assert.deepEqual(
    stored.map((r) => shape(r, r.evidence)),
    everything.map((r) => shape(r, r.files)),
  );
  return stored;
}

async function rebuildEquals(store: Store): Promise<void> {
  const before = await snapshot(store);
  await markEverything(store);
  await run(store);
  assert.deepEqual(await snapshot(store), before, 'a full rebuild gives what the incremental runs gave');
  assert.deepEqual(await pendingCounts(store.db), {}, 'nothing is left marked');
}

for (const backend of testBackends()) {
  describe(`stages on hand-made changes (${backend.name})`, { skip: backend.skip }, () => {
    test('a new file in an existing hash group touches that group and nothing else', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('101', { md5s: [md5(1)], at: '2026-01-01T00:00:00Z' }),
          report('102', { md5s: [md5(1)], at: '2026-01-02T00:00:00Z' }),
          report('103', { md5s: [md5(1), md5(2)], at: '2026-01-03T00:00:00Z' }),
          report('200', { md5s: [md5(9)] }),
          report('201', { md5s: [md5(2)], at: '2026-01-05T00:00:00Z' }),
        ]);
        const first = await run(store);
        assert.equal(scored(first), 5);
        const computed = async (id: string): Promise<string> =>
          String((await sql<{ t: string }>`select computed_at::text as t from report_hash_signals where report_id = ${id}`.execute(store.db)).rows[0]!.t);
        const unrelatedAt = await computed('200');

        await putReports(store, [report('104', { md5s: [md5(1)], at: '2026-01-06T00:00:00Z' })]);
        // The plan (once 104's hashes are stored): its content group (101-104); 103's other file keeps its
        // stored signal, and 200 and 201 are not read.
        await runStage(store, hashFilesStage());
        const plan = await hashSignalsStage().plan(store, ['r:104']);
        // The group's sightings are read as narrow rows (101-104); only 104's roll-up is redone: the
        // others' hold nothing that moved (the counts live in the group's row).
        assert.deepEqual([...new Set([...plan.grouping.byFile.values()].map((hs) => hs[0]!.reportId))].sort(), ['101', '102', '103', '104']);
        assert.deepEqual(plan.reports, ['104']);
        const second = await run(store);
        // Only the new report is re-scored: the others' novelty did not change (101 stays new, 102-103 repeat).
        assert.equal(scored(second), 1);
        assert.equal(await computed('200'), unrelatedAt, 'an unrelated report keeps its timestamp');
        const novelty = new Map(
          (await sql<{ report_id: string; novelty: string }>`select report_id, novelty from report_hash_signals`.execute(store.db)).rows.map((r) => [
            r.report_id,
            r.novelty,
          ]),
        );
        assert.equal(novelty.get('104'), 'repeat');
        assert.equal(novelty.get('101'), 'new');

        // An earlier sighting arriving late takes "new" from 101: 101 changes, and so is re-scored (months
        // earlier, so the content does not become viral: five reports, but never five within 30 days).
        await putReports(store, [report('099', { md5s: [md5(1)], at: '2025-10-01T00:00:00Z' })]);
        const third = await run(store);
        assert.equal(scored(third), 2);
        await rebuildEquals(store);
      } finally {
        await store.close();
      }
    });

    test('PDQ near copies arriving one by one give the signals a computation over every stored hash gives', async () => {
      const store = await backend.open();
      try {
        // A picture and re-encodings of it (a few bits apart), each in its own report, plus a list entry near it.
        const base = 'a5'.repeat(32);
        const flip = (hex: string, bits: number[]): string => {
          const b = Buffer.from(hex, 'hex');
          for (const i of bits) b[i >> 3]! ^= 1 << (i & 7);
          return b.toString('hex');
        };
        const copies = [
          base,
          flip(base, [1, 40, 99]),
          flip(
            base,
            [
              1, 40, 99, 130, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225,
              226,
            ],
          ),
        ];
        const pdqReport = (id: string, pdq: string, at: string): CybertipReport =>
          makeReport(
            id,
            { person: person([]), espIdentifier: `u-${id}` },
            {
              files: [
                {
                  fileId: `${id}-f`,
                  fileAnnotations: [],
                  originalFileHashes: [{ hashType: 'MD5', value: md5(Number(id)) }],
                  deviceIds: [],
                  details: [{ type: 'HASH', pairs: [{ name: 'PDQ', value: pdq }] }],
                  additionalInfo: [],
                },
              ],
              incident: {
                incidentType: 'Child Pornography (possession, manufacture, and distribution)',
                platform: 'Facebook',
                reportAnnotations: [],
                incidentDateTime: at,
              },
            },
          );
        // Four sightings: under the viral rule's five.
        const arrivals = [
          ...copies.map((c, i) => pdqReport(String(900 + i), c, `2026-01-0${i + 1}T00:00:00Z`)),
          pdqReport('950', flip(copies[2]!, [3]), '2026-01-05T00:00:00Z'),
        ];
        for (const r of arrivals) {
          await putReports(store, [r]);
          await run(store);
        }
        const stored = await equalsFullComputation(store);
        // The copies are one content: only the first sighting is new.
        assert.deepEqual(
          stored.filter((r) => r.novelty === 'new').map((r) => r.reportId),
          ['900'],
        );
        await rebuildEquals(store);
      } finally {
        await store.close();
      }
    });

    test('content groups: a sighting of a viral content rewrites its own roll-up; crossing the rule, a bridge and a removal rewrite the members', async () => {
      const store = await backend.open();
      try {
        const sha = (n: number): string => n.toString(16).padStart(40, '0');
        // A report with one file holding these hashes, from its own user.
        const holding = (id: string, at: string, hashes: { hashType: string; value: string }[]): CybertipReport =>
          makeReport(
            id,
            { person: person([]), espIdentifier: `user-${id}` },
            {
              files: [{ fileId: `${id}-f`, fileAnnotations: [], originalFileHashes: hashes, deviceIds: [], details: [], additionalInfo: [] }],
              incident: {
                incidentType: 'Child Pornography (possession, manufacture, and distribution)',
                platform: 'Facebook',
                reportAnnotations: [],
                incidentDateTime: at,
              },
            },
          );
        const a = { hashType: 'MD5', value: md5(70) };
        const b = { hashType: 'SHA1', value: sha(80) };
        const groups = async (): Promise<{ id: string; reports: number; viral_key: string | null }[]> =>
          (
            await sql<{ id: string; reports: number; viral_key: string | null }>`select id, reports, viral_key from content_groups order by id`.execute(
              store.db,
            )
          ).rows;
        // Four sightings of A in four days, two of B: under the viral rule's five.
        await putReports(
          store,
          [701, 702, 703, 704].map((n, i) => holding(String(n), `2026-01-0${i + 1}T00:00:00Z`, [a])),
        );
        await putReports(store, [holding('801', '2026-01-10T00:00:00Z', [b]), holding('802', '2026-01-11T00:00:00Z', [b])]);
        await run(store);
        assert.deepEqual(await groups(), [
          { id: `md5:${md5(70)}`, reports: 4, viral_key: null },
          { id: `sha1:${sha(80)}`, reports: 2, viral_key: null },
        ]);
        await equalsFullComputation(store);

        // A fifth sighting within the window: A crosses the rule, and every member's roll-up changes.
        await putReports(store, [holding('705', '2026-01-05T00:00:00Z', [a])]);
        let p = await run(store);
        assert.equal(p.hashes.reportsSignalled, 5);
        assert.equal(scored(p), 5);
        await equalsFullComputation(store);

        // A sixth: the group's row counts it; only the new report's roll-up is written, and nothing else is re-scored.
        await putReports(store, [holding('706', '2026-01-06T00:00:00Z', [a])]);
        p = await run(store);
        assert.equal(p.hashes.reportsSignalled, 1);
        assert.equal(scored(p), 1);
        assert.equal((await groups())[0]!.reports, 6);
        const [shown] = await readReportSignals(store.db, ['701']);
        assert.equal(shown!.evidence[0]!.viral.reports, 6, "the counts shown are the group's current ones");
        await equalsFullComputation(store);

        // A file holding both A's MD5 and B's SHA-1 bridges them: one group, B's members become viral.
        await putReports(store, [holding('803', '2026-01-07T00:00:00Z', [a, b])]);
        p = await run(store);
        assert.deepEqual(await groups(), [{ id: `md5:${md5(70)}`, reports: 9, viral_key: `md5:${md5(70)}` }]);
        assert.equal(p.hashes.reportsSignalled, 3, '803, and 801-802 whose content became viral');
        await equalsFullComputation(store);
        await rebuildEquals(store);

        // 803 is replaced by a version without the bridge: the group splits again.
        await putReports(store, [holding('803', '2026-01-07T00:00:00Z', [{ hashType: 'MD5', value: md5(99) }])]);
        p = await run(store);
        assert.deepEqual(await groups(), [
          { id: `md5:${md5(70)}`, reports: 6, viral_key: `md5:${md5(70)}` },
          { id: `md5:${md5(99)}`, reports: 1, viral_key: null },
          { id: `sha1:${sha(80)}`, reports: 2, viral_key: null },
        ]);
        await equalsFullComputation(store);
        await rebuildEquals(store);
      } finally {
        await store.close();
      }
    });

    test('a new identifier joining two subjects reclusters those two and re-scores their reports only', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('301', { phones: ['+639171110001'], account: 'user-a' }),
          report('302', { phones: ['+639171110001'], account: 'user-a' }),
          report('303', { phones: ['+639171110002'], account: 'user-b' }),
          report('304', { phones: ['+639171110002'], account: 'user-b' }),
          report('401', { phones: ['+639171119999'] }),
          report('402', { phones: ['+639171119999'] }),
        ]);
        await run(store);
        assert.deepEqual((await listSubjects(store)).map((s) => s.reportIds.length).sort(), [2, 2, 2]);

        await putReports(store, [report('305', { phones: ['+639171110001', '+639171110002'] })]);
        // Run the stages up to subjects, then look at the subjects stage's plan.
        const marks = (await pendingCounts(store.db)).identifiers;
        assert.equal(marks, 1);
        const summary = await run(store);
        const subjects = await listSubjects(store);
        const joined = subjects.find((s) => s.reportIds.includes('305'))!;
        assert.deepEqual([...joined.reportIds].sort(), ['301', '302', '303', '304', '305']);
        assert.equal(joined.id, 'S-301', 'the merged subject keeps the name of the earlier part');
        // 301-305 are re-scored; 401-402 are not.
        assert.equal(scored(summary), 5);
        const plan = await subjectsStage().plan(store, ['305']);
        assert.deepEqual([...plan.nodes].sort(), ['301', '302', '303', '304', '305']);
        await rebuildEquals(store);
      } finally {
        await store.close();
      }
    });

    test('an exclusion splits one subject: its reports are unlinked and re-scored, the others untouched', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('501', { phones: ['+639171112222'], account: null }),
          report('502', { phones: ['+639171112222'], account: null }),
          report('503', { phones: ['+639171112222'], account: null }),
          report('601', { phones: ['+639171113333'] }),
          report('602', { phones: ['+639171113333'] }),
        ]);
        await run(store);
        await excludeValue(store, '+639171112222', 'a shop number');
        const summary = await run(store);
        assert.deepEqual(
          (await listSubjects(store)).map((s) => s.reportIds),
          [['601', '602']],
        );
        assert.equal(scored(summary), 3);
        await rebuildEquals(store);
      } finally {
        await store.close();
      }
    });

    test('a flagged payment party touches the one subject holding its key', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('701', { phones: ['+639171114444'] }),
          report('702', { phones: ['+639171114444'] }),
          report('801', { phones: ['+639171115555'] }),
          report('802', { phones: ['+639171115555'] }),
        ]);
        await run(store);
        // A party scored by the payments stage (hand-made here: the scoring reads every transaction).
        await sql`insert into payment_parties (party_id, label, country, keys, customers, sent, received)
          values ('phone:+639171114444', 'Juan', 'PH', ${['phone:+639171114444']}::text[], '{}'::text[], 3, 0)`.execute(store.db);
        await sql`insert into payment_scores (party_id, role, score, alerted, reasons, features)
          values ('phone:+639171114444', 'sender', 9, true, ${JSON.stringify([{ rule: 'r', points: 9, why: 'many small payments', evidence: '' }])}::jsonb, '{}'::jsonb)`.execute(
          store.db,
        );
        await markJoinForParties(store.db, ['phone:+639171114444']);
        const summary = await run(store);
        const flags = (await sql<{ subject_id: string }>`select subject_id from payment_subject_flags`.execute(store.db)).rows.map((r) => r.subject_id);
        assert.deepEqual(flags, ['S-701']);
        assert.equal(scored(summary), 2, 'the two reports of the flagged subject, no others');
        // The same marks again change nothing.
        await markPending(store.db, 'payments-join', ['701', '702']);
        assert.equal(scored(await run(store)), 0);
      } finally {
        await store.close();
      }
    });
  });
}
