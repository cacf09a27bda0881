import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { CybertipReport } from '../model/report.ts';
import type { Store } from '../store/database.ts';
import { markPending } from '../store/pending.ts';
import { manualDecision, runLink } from '../link/run.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, person, putReports } from '../../test/fixtures/link/reports.ts';
import type { Ruleset } from '../model/rule-engine.ts';
import { reportScore } from './queue.ts';
import { readQueue } from '../cases/queue.ts';
import { exportRuleset, importRuleset, rollback, rulesetVersions, setStatus, shadowDiff, testRuleset } from './rulesets.ts';
import { scoreReports } from './rescore.ts';
import { rankSuspects } from './suspects.ts';

const NOW = new Date('2026-01-20T00:00:00Z');

function report(id: string, opts: { escalate?: string; phone?: string; received?: string; type?: string } = {}): CybertipReport {
  const r = makeReport(id, opts.phone ? { person: person([opts.phone]) } : {}, {
    envelope: { ipLookups: [], receivedAt: opts.received ?? '2026-01-05T00:00:00Z', referral: true },
  });
  r.incident.incidentType = opts.type ?? 'Child Pornography (possession, manufacture, and distribution)';
  if (opts.escalate) r.incident.escalateToHighPriority = opts.escalate;
  return r;
}

const ids = async (store: Store): Promise<string[]> => (await readQueue(store, { includePaused: true })).items.map((i) => i.reportId);

for (const backend of testBackends()) {
  describe(`triage on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('scores every report with the live ruleset; reasons name rule, source and evidence', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('1001'),
          report('1002', { escalate: 'Abuse of a child in the household is ongoing.' }),
          report('1003', { phone: '+639171234567' }),
        ]);
        const s = await scoreReports(store, { now: NOW });
        assert.equal(s.scored, 3);
        assert.equal(s.featuresComputed, 3);
        assert.equal(s.rulesetVersion, 1);
        const page = await readQueue(store, { limit: 10 }, undefined, NOW);
        assert.equal(page.total, 3);
        assert.deepEqual(
          page.items.map((i) => i.reportId),
          ['1002', '1003', '1001'],
        );
        const top = page.items[0]!;
        assert.equal(top.tier, 'IMMEDIATE');
        const esc = top.reasons.find((r) => r.rule === 'escalation-reason')!;
        assert.equal(esc.effect, 'harm +60');
        assert.match(esc.evidence, /escalation/);
        assert.match(esc.description, /escalated/);
        assert.equal(top.ageDays, 15);
        assert.equal(top.preservationDeadline, '2027-01-05T00:00:00.000Z'); // US: one year from receipt
        const full = (await reportScore(store, '1003'))!;
        assert.equal(full.position, 2);
        assert.equal(full.rulesetVersion, 1);
        assert.ok(full.reasons.some((r) => r.rule === 'phone' && r.evidence === 'phoneCount = 1' && r.source.includes('ACCCE')));
        assert.equal(await reportScore(store, 'nope'), undefined);
        // Nothing changed: an incremental run scores nothing.
        assert.equal((await scoreReports(store, { now: NOW })).scored, 0);
        assert.deepEqual(
          (await readQueue(store, { tier: 'IMMEDIATE' })).items.map((i) => i.reportId),
          ['1002'],
        );
      } finally {
        await store.close();
      }
    });

    test('a link change re-scores the linked reports: an ordinary report rises beside an escalation', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('2001', { escalate: 'Live broadcast involving a young child.' }),
          report('2002', { phone: '+639171112222' }),
          report('2003'),
        ]);
        await runLink(store);
        await scoreReports(store, { now: NOW });
        const before = (await reportScore(store, '2002'))!;
        assert.ok(!before.reasons.some((r) => r.rule === 'linked-urgent'));
        await manualDecision(store, { action: 'merge', a: '2001', b: '2002' });
        const s = await scoreReports(store, { now: NOW });
        assert.equal(s.scored, 2); // the two members of the changed subject, not 2003
        const after = (await reportScore(store, '2002'))!;
        const reason = after.reasons.find((r) => r.rule === 'linked-urgent');
        assert.ok(reason, 'linked-urgent fires');
        assert.match(reason.evidence, /2001/);
        assert.ok(after.score > before.score + 30, `${after.score} > ${before.score}`);
        const suspects = await rankSuspects(store);
        assert.equal(suspects.length, 1);
        assert.deepEqual(suspects[0]!.reports, ['2001', '2002']);
        assert.ok(suspects[0]!.reasons.some((r) => r.rule === 'escalations'));
      } finally {
        await store.close();
      }
    });

    test('equal scores keep a stable order: oldest first, then report id', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('3003', { received: '2026-01-06T00:00:00Z' }),
          report('3002'),
          report('3001'),
          report('3000', { received: '2026-01-07T00:00:00Z' }),
        ]);
        await scoreReports(store, { now: NOW });
        const scores = new Set((await readQueue(store, { includePaused: true })).items.map((i) => i.score));
        assert.equal(scores.size, 1);
        assert.deepEqual(await ids(store), ['3001', '3002', '3003', '3000']);
        await scoreReports(store, { all: true, now: NOW });
        assert.deepEqual(await ids(store), ['3001', '3002', '3003', '3000']);
        assert.deepEqual(
          (await readQueue(store, { limit: 2, offset: 1 })).items.map((i) => i.reportId),
          ['3002', '3003'],
        );
      } finally {
        await store.close();
      }
    });

    test('a child at immediate risk goes ahead of the rest of IMMEDIATE, in the stored queue, its index and in memory', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('4501', { phone: '+639170004501' }),
          report('4502', { escalate: 'The child is being abused at home tonight.', received: '2026-01-09T00:00:00Z' }),
          report('4503'),
        ]);
        await scoreReports(store, { now: NOW });
        const live = JSON.parse(await exportRuleset(store)) as Ruleset;
        // A phone weighs so much that its report outscores the escalation floored at IMMEDIATE.
        const heavy: Ruleset = { ...live, rules: live.rules.map((r) => (r.id === 'phone' ? { ...r, effect: { add: 'harm', value: 100 } } : r)) };
        const v = (await importRuleset(store, JSON.stringify(heavy))).version;
        await setStatus(store, v, 'live', { now: NOW });
        const items = (await readQueue(store, { includePaused: true }, undefined, NOW)).items;
        assert.deepEqual(
          items.map((i) => [i.reportId, i.tier]),
          [
            ['4502', 'IMMEDIATE'],
            ['4501', 'IMMEDIATE'],
            ['4503', items[2]!.tier],
          ],
        );
        const [riskScore, pointsScore] = [Number(items[0]!.score), Number(items[1]!.score)];
        assert.ok(pointsScore > riskScore, `${pointsScore} > ${riskScore}: ahead by the floor, not the points`);
        assert.equal(items[0]!.reasons.find((r) => r.rule === 'escalation-reason-floor')?.effect, 'floor IMMEDIATE, first');
        assert.deepEqual(
          items.map((i) => i.firstInTier),
          [true, false, false],
        );
        assert.deepEqual(
          (await readQueue(store, { tier: 'IMMEDIATE' }, undefined, NOW)).items.map((i) => i.reportId),
          ['4502', '4501'],
        );
        assert.deepEqual([(await reportScore(store, '4502'))!.position, (await reportScore(store, '4501'))!.position], [1, 2]);
        // The same order from a candidate scored in memory, and after a full re-score rebuilt the table and its index.
        const change = await testRuleset(store, JSON.stringify(heavy), { now: NOW });
        assert.equal(change.movedUp + change.movedDown, 0);
        await scoreReports(store, { all: true, now: NOW });
        assert.deepEqual((await ids(store)).slice(0, 2), ['4502', '4501']);
      } finally {
        await store.close();
      }
    });

    test('rulesets are versioned: draft, test, shadow, live, rollback; each score records its version', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [report('4001'), report('4002', { phone: '+639170001111' }), report('4003', { type: 'Child Sex Trafficking' })]);
        await scoreReports(store, { now: NOW });
        const live = JSON.parse(await exportRuleset(store)) as Ruleset;
        assert.equal(live.version, 1);
        // A candidate for which a phone number weighs far more (4003, trafficking, leads the live queue).
        assert.equal((await readQueue(store, { includePaused: true })).items[0]!.reportId, '4003');
        const candidate: Ruleset = { ...live, rules: live.rules.map((r) => (r.id === 'phone' ? { ...r, effect: { add: 'harm', value: 80 } } : r)) };
        const text = JSON.stringify(candidate);
        const change = await testRuleset(store, text, { now: NOW });
        assert.equal(change.liveVersion, 1);
        assert.ok(change.movedUp >= 1);
        assert.ok(Object.keys(change.tierChanges).length >= 1);
        assert.equal(change.biggestMoves[0]!.reportId, '4002');
        const imported = await importRuleset(store, text, { comment: 'more weight on trafficking' });
        assert.deepEqual([imported.version, imported.status, imported.existing], [2, 'draft', false]);
        assert.equal((await importRuleset(store, text)).existing, true);
        await setStatus(store, 2, 'shadow', { now: NOW });
        assert.equal((await reportScore(store, '4002'))!.rulesetVersion, 1); // analysts see no change
        assert.equal((await readQueue(store, { includePaused: true })).items[0]!.reportId, '4003');
        const diff = (await shadowDiff(store))!;
        assert.equal(diff.shadowVersion, 2);
        assert.ok(diff.movedUp >= 1);
        await setStatus(store, 2, 'live', { now: NOW });
        assert.equal((await reportScore(store, '4002'))!.rulesetVersion, 2);
        assert.equal((await readQueue(store, { includePaused: true })).items[0]!.reportId, '4002');
        assert.deepEqual(
          (await rulesetVersions(store)).map((r) => [r.version, r.status]),
          [
            [2, 'live'],
            [1, 'retired'],
          ],
        );
        const back = await rollback(store, { now: NOW });
        assert.deepEqual([back.from, back.to], [2, 1]);
        assert.equal((await reportScore(store, '4002'))!.rulesetVersion, 1);
        assert.equal((await readQueue(store, { includePaused: true })).items[0]!.reportId, '4003');
        await assert.rejects(
          importRuleset(store, JSON.stringify({ ...live, rules: [{ ...live.rules[0], when: { feature: 'nonsense', op: 'true' } }] })),
          /unknown feature "nonsense"/,
        );
      } finally {
        await store.close();
      }
    });

    test('a full re-score rebuilds the score table beside the old one: same scores, queue index and key kept, nothing left over', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [report('6001', { escalate: 'Ongoing.' }), report('6002'), report('6003', { phone: '+639171234567' })]);
        await scoreReports(store, { now: NOW });
        const before = await readQueue(store, { limit: 10 }, undefined, NOW);
        // A run that died before its swap left a partial table behind: the next run replaces it.
        await sql`create table triage_scores_next (like triage_scores including defaults)`.execute(store.db);
        const s = await scoreReports(store, { all: true, now: NOW });
        assert.equal(s.scored, 3);
        const after = await readQueue(store, { limit: 10 }, undefined, NOW);
        assert.deepEqual(
          after.items.map((i) => [i.reportId, i.score, i.tier]),
          before.items.map((i) => [i.reportId, i.score, i.tier]),
        );
        // The same run with the rules on a worker thread (what a big database gets), in small chunks.
        const threaded = await scoreReports(store, { all: true, now: NOW, thread: true, chunk: 2 });
        assert.equal(threaded.scored, 3);
        assert.deepEqual(threaded.tiers, s.tiers);
        const again = await readQueue(store, { limit: 10 }, undefined, NOW);
        assert.deepEqual(
          again.items.map((i) => [i.reportId, i.score, i.tier, i.reasons]),
          after.items.map((i) => [i.reportId, i.score, i.tier, i.reasons]),
        );
        const idx = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'triage_scores' order by indexname`.execute(store.db);
        assert.deepEqual(
          idx.rows.map((r) => r.indexname),
          ['triage_scores_pkey', 'triage_scores_queue'],
        );
        const left = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename like '%\_next'`.execute(store.db);
        assert.equal(left.rows[0]!.n, 0);
        await assert.rejects(
          sql`insert into triage_scores (report_id, ruleset_version, harm, actionability, score, tier, tier_rank, paused, reasons, inputs)
          values ('6001', 1, 0, 0, 0, 'LOW', 5, false, '[]', '')`.execute(store.db),
          /duplicate key|unique/,
        );
        // New hash signals change a report's stored context: the next incremental run re-scores it alone
        // (the hash stage marks the reports whose signals it changed; done by hand here).
        await sql`insert into report_hash_signals (report_id, novelty, known, viral, new_files, evidence) values ('6002', 'known', true, false, 0, '[]')`.execute(
          store.db,
        );
        await markPending(store.db, 'scores', ['6002']);
        const inc = await scoreReports(store, { now: NOW });
        assert.equal(inc.scored, 1);
        assert.ok(
          (await reportScore(store, '6002'))!.reasons.some((r) => r.rule === 'known-material'),
          'the known-material rule fired',
        );
      } finally {
        await store.close();
      }
    });

    test('a report held by an active case is paused and goes last', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [report('5001', { escalate: 'Ongoing.' }), report('5002')]);
        await scoreReports(store, { now: NOW });
        // The deconfliction stage marks what it pauses; done by hand here.
        await sql`insert into deconflicted_reports (report_id, case_id) values ('5001', 'CASE-1')`.execute(store.db);
        await markPending(store.db, 'scores', ['5001']);
        const s = await scoreReports(store, { now: NOW });
        assert.equal(s.scored, 1);
        const page = await readQueue(store, { includePaused: true });
        assert.deepEqual(
          page.items.map((i) => i.reportId),
          ['5002', '5001'],
        );
        assert.equal(page.items[1]!.tier, 'PAUSED');
        assert.ok(page.items[1]!.reasons.some((r) => r.rule === 'deconflicted'));
      } finally {
        await store.close();
      }
    });
  });
}
