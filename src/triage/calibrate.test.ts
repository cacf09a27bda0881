import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport } from '../model/report.ts';
import { insertCase, insertCaseItems, insertReferral, upsertWork } from '../store/cases.ts';
import { runLink } from '../link/run.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, person, putReports } from '../../test/fixtures/link/reports.ts';
import type { Ruleset } from '../model/rule-engine.ts';
import { calibrate, parseOutcomes, recordedOutcomes, type OutcomeLabel } from './calibrate.ts';
import { reportScore } from './queue.ts';
import { readQueue } from '../cases/queue.ts';
import { exportRuleset, rulesetVersions, setStatus, shadowDiff } from './rulesets.ts';
import { scoreReports } from './rescore.ts';

const NOW = new Date('2026-01-20T00:00:00Z');

function report(id: string, opts: { phone?: string; type?: string } = {}): CybertipReport {
  const r = makeReport(id, opts.phone ? { person: person([opts.phone]) } : {}, {
    envelope: { ipLookups: [], receivedAt: '2026-01-05T00:00:00Z', referral: true },
  });
  r.incident.incidentType = opts.type ?? 'Child Pornography (possession, manufacture, and distribution)';
  return r;
}

describe('outcomes files', () => {
  test('reads reportId,outcome with an optional header; bad rows are set aside with a reason', () => {
    const f = parseOutcomes('reportId,outcome\n1,urgent\n2, No-Action \n3,noise,extra\n,urgent\n4,maybe\n1,noise\n5,actionable\n');
    assert.deepEqual(
      [...f.outcomes],
      [
        ['1', 'urgent'],
        ['2', 'no-action'],
        ['5', 'actionable'],
      ],
    );
    assert.deepEqual(
      f.rejected.map((r) => [r.line, r.reason]),
      [
        [4, '3 columns; expected reportId,outcome'],
        [5, 'no report id'],
        [6, 'unknown outcome "maybe" (one of noise, no-action, actionable, urgent)'],
        [7, 'report 1 already has an outcome (line 2); the first is kept'],
      ],
    );
    // A broken quote loses its own row only.
    const broken = parseOutcomes('1,urgent\n"2,noise\n3,noise\n');
    assert.equal(broken.outcomes.get('1'), 'urgent');
    assert.ok(broken.rejected.length >= 1, JSON.stringify(broken));
    assert.equal(parseOutcomes('').outcomes.size, 0);
  });
});

for (const backend of testBackends()) {
  describe(`calibration on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('a calibrated draft goes live only through draft → shadow → live; the queue follows the outcomes', async () => {
      const store = await backend.open();
      try {
        // Reports with a phone were the ones worth working; trafficking-typed ones without were noise.
        const phones = Array.from({ length: 24 }, (_, i) => report(`81${String(i).padStart(2, '0')}`, { phone: `+63917${String(1000000 + i)}` }));
        const typed = Array.from({ length: 24 }, (_, i) => report(`82${String(i).padStart(2, '0')}`, { type: 'Child Sex Trafficking' }));
        const plain = Array.from({ length: 24 }, (_, i) => report(`83${String(i).padStart(2, '0')}`));
        await putReports(store, [...phones, ...typed, ...plain]);
        await scoreReports(store, { now: NOW });
        assert.equal((await readQueue(store, { limit: 1 })).items[0]!.reportId.slice(0, 2), '82'); // the live rules put trafficking first
        const outcomes = new Map<string, OutcomeLabel>([
          ...phones.map((r, i): [string, OutcomeLabel] => [r.reportId, i % 3 === 0 ? 'urgent' : 'actionable']),
          ...typed.map((r): [string, OutcomeLabel] => [r.reportId, 'noise']),
          ...plain.map((r): [string, OutcomeLabel] => [r.reportId, 'no-action']),
          ['nope', 'urgent'],
        ]);
        const c = await calibrate(store, outcomes, { now: NOW, minSupport: 10, folds: 4 });
        assert.equal(c.fromVersion, 1);
        assert.equal(c.draftVersion, 2, `${c.notes.join('; ')} scale ${c.scale}`);
        assert.deepEqual(c.outcomes, { noise: 24, 'no-action': 24, actionable: 16, urgent: 8 });
        assert.deepEqual(c.unknownReports, ['nope']);
        const w = new Map(c.weights.map((x) => [x.id, x]));
        assert.ok(w.get('phone')!.fitted && w.get('phone')!.to > w.get('phone')!.from, JSON.stringify(w.get('phone')));
        assert.equal(w.get('phone')!.support, 24);
        assert.deepEqual(w.get('phone')!.byOutcome, { noise: 0, 'no-action': 0, actionable: 16, urgent: 8 });
        // A protective rule may lose weight, never more than half of it.
        const trafficking = w.get('trafficking')!;
        assert.ok(trafficking.fitted && trafficking.to < trafficking.from && trafficking.to >= trafficking.from / 2, JSON.stringify(trafficking));
        assert.ok(!w.get('sextortion-minor')!.fitted && w.get('sextortion-minor')!.to === w.get('sextortion-minor')!.from, 'no support: kept');
        assert.ok(c.crossValidated.after.urgentInTopTwiceUrgent >= c.crossValidated.before.urgentInTopTwiceUrgent);
        assert.ok(c.crossValidated.after.noiseInTop10Percent < c.crossValidated.before.noiseInTop10Percent, JSON.stringify(c.crossValidated));

        // A draft changes nothing an analyst sees; its JSON carries the calibration.
        assert.deepEqual(
          (await rulesetVersions(store)).map((r) => [r.version, r.status]),
          [
            [2, 'draft'],
            [1, 'live'],
          ],
        );
        const draft = JSON.parse(await exportRuleset(store, 2)) as Ruleset;
        assert.equal(draft.calibration!.fromVersion, 1);
        assert.equal(draft.calibration!.weights.find((x) => x.id === 'phone')!.to, w.get('phone')!.to);
        assert.equal((draft.rules.find((r) => r.id === 'phone')!.effect as { value: number }).value, w.get('phone')!.to);
        assert.equal((await reportScore(store, '8100'))!.rulesetVersion, 1);

        await setStatus(store, 2, 'shadow', { now: NOW });
        assert.equal((await readQueue(store, { limit: 1 })).items[0]!.reportId.slice(0, 2), '82');
        const diff = (await shadowDiff(store))!;
        assert.equal(diff.shadowVersion, 2);
        assert.ok(diff.movedUp > 0);
        await setStatus(store, 2, 'live', { now: NOW });
        const top = (await readQueue(store, { limit: 1 })).items[0]!;
        assert.equal(top.reportId.slice(0, 2), '81');
        // The explanation stays rule by rule, with the fitted weight.
        assert.ok(
          top.reasons.some((r) => r.rule === 'phone' && r.effect === `actionability +${w.get('phone')!.to}`),
          JSON.stringify(top.reasons),
        );
      } finally {
        await store.close();
      }
    });

    test('without a file, the outcomes are the decisions recorded in case work, the strongest first', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('9101', { phone: '+639170000001' }),
          report('9102', { phone: '+639170000001' }),
          report('9103'),
          report('9104'),
          report('9105'),
          report('9106'),
          report('9107'),
          report('9108'),
        ]);
        await runLink(store); // 9101 and 9102 share a phone: one subject
        const at = new Date('2026-01-10T00:00:00Z');
        await upsertWork(store.db, 'report', ['9103'], { status: 'escalated' }, at);
        await upsertWork(store.db, 'report', ['9104'], { status: 'closed', closeReason: 'no_action' }, at);
        await upsertWork(store.db, 'report', ['9105'], { status: 'closed', closeReason: 'duplicate' }, at);
        await upsertWork(store.db, 'report', ['9106'], { status: 'in_review' }, at);
        await insertReferral(store.db, { kind: 'report', itemId: '9107', agency: 'PNP-WCPC', type: 'endorsement', sentBy: 1, sent: {}, comment: null });
        // Closed as no action, then put in a case: the stronger decision counts.
        await upsertWork(store.db, 'report', ['9108'], { status: 'closed', closeReason: 'insufficient_information' }, at);
        await insertCase(store.db, { id: 'C-1', title: 't', leadId: 1, createdBy: 1 });
        await insertCaseItems(store.db, 'C-1', [{ kind: 'report', itemId: '9108' }], 1);
        // A decision on a subject is one on each of its reports.
        const subjectId = (await store.db.selectFrom('link_subjects').select('subject_id').where('report_id', '=', '9101').executeTakeFirstOrThrow())
          .subject_id;
        await upsertWork(store.db, 'subject', [subjectId], { status: 'closed', closeReason: 'referred_to_other_agency' }, at);
        assert.deepEqual([...(await recordedOutcomes(store))].sort(), [
          ['9101', 'actionable'],
          ['9102', 'actionable'],
          ['9103', 'urgent'],
          ['9104', 'no-action'],
          ['9105', 'noise'],
          ['9107', 'actionable'],
          ['9108', 'actionable'],
        ]);
        const c = await calibrate(store, undefined, { now: NOW });
        assert.deepEqual(c.outcomes, { noise: 1, 'no-action': 1, actionable: 4, urgent: 1 });
        assert.equal(c.draftVersion, null); // seven outcomes support no rule twenty times: nothing to fit, no draft
        assert.ok(
          c.notes.some((n) => /every weight is kept/.test(n)),
          c.notes.join('; '),
        );
      } finally {
        await store.close();
      }
    });
  });
}
