import assert from 'node:assert/strict';
import { test } from 'node:test';
import { falseLinksPerTrap, measureSubjects } from './evaluate.ts';
import { outcomeOf, splitOutcomes } from './outcomes.ts';
import { formatWorlds, qualityRows, type WorldQuality } from './quality.ts';
import { orderQuality, type TriageQuality } from './triage-quality.ts';
import type { TruthFile, TruthReport } from './truth-file.ts';

function report(category: string, extra: Partial<TruthReport> = {}): TruthReport {
  const urgent = ['imminent', 'sextortion', 'livestream', 'new-material'].includes(category);
  const noise = ['viral', 'meme-batch', 'informational'].includes(category);
  return { category, subject: null, urgent, noise, versions: 1, duplicates: 0, ...extra };
}

function truthOf(reports: Record<string, TruthReport>, traps: TruthFile['traps'] = []): TruthFile {
  const subjects = new Map<string, string[]>();
  for (const [id, r] of Object.entries(reports)) if (r.subject) (subjects.get(r.subject) ?? subjects.set(r.subject, []).get(r.subject)!).push(id);
  return {
    version: 1,
    seed: 1,
    reports,
    subjects: [...subjects].map(([id, rs]) => ({ id, kind: 'offender', reports: rs, identifiers: [] })),
    urgent: Object.keys(reports).filter((id) => reports[id]!.urgent),
    noise: Object.keys(reports).filter((id) => reports[id]!.noise),
    traps,
  };
}

test('a false link is counted once, under the rarest trap value both reports carry', () => {
  const truth = truthOf(
    {
      a: report('trap'),
      b: report('trap'),
      c: report('trap'),
      d: report('offender', { subject: 'S1' }),
      e: report('offender', { subject: 'S1' }),
    },
    [
      // The ESP's contact address is on every report; the placeholder only on a and b.
      { type: 'esp-contact', value: 'records@fb.com', reports: ['a', 'b', 'c', 'd', 'e'] },
      { type: 'placeholder-esp-user-id', value: '0', reports: ['a', 'b'] },
    ],
  );
  // Bantay put a, b, d and e together: a–b is false (placeholder), a–d, a–e, b–d, b–e are false (contact), d–e is true.
  const membership = new Map([
    ['a', 'X'],
    ['b', 'X'],
    ['d', 'X'],
    ['e', 'X'],
    ['c', 'Y'],
  ]);
  assert.deepEqual(falseLinksPerTrap(membership, truth), { 'placeholder-esp-user-id': 1, 'esp-contact': 4 });
  assert.deepEqual(
    falseLinksPerTrap(
      new Map([
        ['d', 'X'],
        ['e', 'X'],
      ]),
      truth,
    ),
    { 'placeholder-esp-user-id': 0, 'esp-contact': 0 },
  );
  const s = measureSubjects(membership, truth);
  assert.equal(s.recall, 1);
  assert.equal(s.precision, 1 / 6);
});

test('orderQuality: urgent in the top 2×U, noise in the top 10%, and the issue 17 groups; a held-out subset keeps its order', () => {
  const reports: Record<string, TruthReport> = {
    u1: report('livestream'),
    u2: report('new-material'),
    u3: report('sextortion'),
    d1: report('viral', { scenario: 'decoy-empty-escalation' }),
    d2: report('informational', { scenario: 'decoy-empty-escalation' }),
  };
  for (let i = 0; i < 45; i++) reports[`o${i}`] = report(i < 5 ? 'viral' : 'ordinary');
  const truth = truthOf(reports);
  const rest = Object.keys(reports).filter((id) => /^o/.test(id));
  // Top 6 (2×U): u1, d1, u2, o0 (noise), d2, o5; u3 far down.
  const order = ['u1', 'd1', 'u2', 'o0', 'd2', ...rest.filter((x) => x !== 'o0'), 'u3'];
  const q = orderQuality(order, truth);
  assert.equal(q.urgent, 3);
  assert.equal(q.urgentInTopTwiceUrgent, 2 / 3);
  assert.equal(q.noiseInTop10Percent, 3 / 5);
  assert.deepEqual(q.groups.livestream, { total: 1, inTop: 1 });
  assert.deepEqual(q.groups.sextortion, { total: 1, inTop: 0 });
  assert.deepEqual(q.groups.plantedClusters, { total: 2, inTop: 1 });
  assert.deepEqual(q.groups.emptyEscalationDecoys, { total: 2, inTop: 2 });
  const held = orderQuality(order, truth, new Set(['u3', 'o7', 'o8']));
  assert.equal(held.urgent, 1);
  assert.equal(held.urgentInTopTwiceUrgent, 0);
});

test('outcomes: urgent, noise, no-action and actionable from truth; a stable 30% split', () => {
  assert.equal(outcomeOf(report('livestream')), 'urgent');
  assert.equal(outcomeOf(report('meme-batch')), 'noise');
  assert.equal(outcomeOf(report('informational')), 'no-action');
  assert.equal(outcomeOf(report('offender')), 'actionable');
  const reports: Record<string, TruthReport> = {};
  for (let i = 0; i < 5000; i++) reports[String(100000 + i)] = report('ordinary');
  const truth = truthOf(reports);
  const a = splitOutcomes(truth, 0.3, 1);
  assert.deepEqual(splitOutcomes(truth, 0.3, 1), a);
  assert.equal(a.train.length + a.test.length, 5000);
  assert.ok(Math.abs(a.train.length / 5000 - 0.3) < 0.03, String(a.train.length));
  assert.notDeepEqual(splitOutcomes(truth, 0.3, 2).train, a.train);
});

test('qualityRows and formatWorlds put each figure beside its target with PASS or FAIL', () => {
  const groups = (inTop: number, total: number) => ({ total, inTop });
  const q = (world: string, recall: number, decoys: number): WorldQuality => ({
    world,
    reports: 20000,
    evaluation: {
      coverage: { truthReports: 20000, found: 20000, missing: 0, notInTruth: 0, versionsAgree: 20000, versionsDisagree: 0 },
      queue: {
        order: 'baseline',
        queueLength: 20000,
        urgentInQueue: 50,
        urgentRecallAtUrgentCount: 0.3,
        urgentRecallTop1Percent: 0.5,
        urgentRecallTop10Percent: 0.9,
        noiseShareTop10Percent: 0.2,
        noiseShareOverall: 0.5,
      },
      subjects: { precision: 0.99, recall: 0.9, f1: 0.94 },
      falseLinksPerTrap: { 'placeholder-phone': decoys },
      notes: [],
    },
    triage: {
      urgent: 50,
      urgentInTopTwiceUrgent: recall,
      noiseInTop10Percent: 0.005,
      clusterAboveMedian: 1,
      clusterReports: 40,
      metrics: {
        order: 'x',
        queueLength: 20000,
        urgentInQueue: 50,
        urgentRecallAtUrgentCount: 0.9,
        urgentRecallTop1Percent: 1,
        urgentRecallTop10Percent: 1,
        noiseShareTop10Percent: 0,
        noiseShareOverall: 0.5,
      },
      groups: {
        livestream: groups(10, 10),
        youngNewMaterial: groups(9, 10),
        sextortion: groups(5, 5),
        plantedClusters: groups(15, 15),
        emptyEscalationDecoys: groups(decoys, world === 'standard' ? 0 : 40),
        knownSevereDecoys: groups(0, 0),
        liveViralDecoys: groups(0, 0),
      },
    } as unknown as TriageQuality,
  });
  const rows = qualityRows(q('adversarial', 0.7, 31));
  const row = (m: string) => rows.find((r) => r.measure.startsWith(m))!;
  assert.equal(row('urgent in the top 2×U').pass, false);
  assert.equal(row('decoys with an empty escalation').value, '31 of 40');
  assert.equal(row('decoys with an empty escalation').pass, false);
  assert.equal(row('new material').pass, false);
  assert.equal(row('pairwise link precision').pass, true);
  assert.equal(row('false links: placeholder-phone').pass, false);
  const text = formatWorlds([q('standard', 1, 0), q('adversarial', 0.7, 31)]);
  assert.match(text, /urgent in the top 2×U\s+100\.0% PASS\s+70\.0% FAIL\s+≥ 95%/);
  assert.match(text, /decoys with an empty escalation in the top 2×U\s+–\s+31 of 40 FAIL\s+≤ 2/);
  // A share that one decimal would round onto its target shows a second decimal; others keep one.
  const edge = q('adversarial', 0.9496, 0);
  edge.evaluation.subjects = { precision: 0.97974, recall: 0.95004, f1: 0.96 };
  const edgeRows = qualityRows(edge);
  const edgeRow = (m: string) => edgeRows.find((r) => r.measure.startsWith(m))!;
  assert.equal(edgeRow('pairwise link precision').value, '97.97%');
  assert.equal(edgeRow('pairwise link precision').pass, false);
  assert.equal(edgeRow('pairwise link recall').value, '95.00%');
  assert.equal(edgeRow('pairwise link recall').pass, true);
  assert.equal(edgeRow('urgent in the top 2×U').value, '94.96%');
  assert.equal(edgeRow('noise in the top 10%').value, '0.5%');
});
