import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureRecord } from '../model/rule-engine.ts';
import { DEFAULT_RULESET } from './default-rules.ts';
import { assembleFeatures } from './features.ts';
import { compileTriageRuleset, EMPTY_DOC } from './score.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');
// A report that says nothing: every rule must stay silent on it.
const BASE: FeatureRecord = assembleFeatures(
  { reportId: 'r', doc: { ...EMPTY_DOC, receivedAt: '2026-01-30T00:00:00Z' }, hash: null, enrich: null, subject: null, deconflicted: false },
  NOW,
);

const linked = (signals: string[]): FeatureRecord[] => [{ id: 'L1', signals, esp: 'Facebook', ageDays: 3 }];

// For each default rule: a record on which it fires and a near miss on which it does not.
const CASES: Record<string, { fires: FeatureRecord; misses: FeatureRecord }> = {
  'escalation-reason': { fires: { escalation: true, escalationReason: true }, misses: { escalation: true, escalationReason: false } },
  'escalation-reason-floor': { fires: { escalationReason: true }, misses: { escalationReason: false } },
  'sextortion-minor': { fires: { annotations: ['sextortion'] }, misses: { text: 'pay me or else', victimMinAge: 15 } },
  'livestream-payment': {
    fires: { signals: ['payment-talk'], 'subject.signals': ['livestream'] },
    misses: { signals: ['payment-talk'], 'subject.signals': ['sextortion'] },
  },
  'sextortion-minor-floor': {
    fires: { text: "pay or i'll send them to your friends", statedMinorAge: 14 },
    misses: { text: "pay or i'll send them to your friends", statedMinorAge: null },
  },
  'sextortion-recent': { fires: { signals: ['sextortion'], 'time.ageDays': 1 }, misses: { signals: ['sextortion'], 'time.ageDays': 4 } },
  'livestream-negotiation': { fires: { text: 'payment first po, gcash 0917, show at 10pm' }, misses: { text: 'gcash 0917 for the rent' } },
  'livestream-annotation': {
    fires: { fileAnnotations: ['liveStreaming'], 'hash.novelty': 'new' },
    misses: { fileAnnotations: ['liveStreaming'], 'hash.novelty': 'known' },
  },
  'livestream-recording': {
    fires: { fileAnnotations: ['liveStreaming'], 'hash.recirculating': true },
    misses: { fileAnnotations: ['liveStreaming'], 'hash.recirculating': false },
  },
  'new-material-child': { fires: { 'hash.newMaterial': true, victimMinAge: 11 }, misses: { 'hash.newMaterial': true, victimMinAge: 12 } },
  'new-material-very-young': { fires: { 'hash.newMaterial': true, fileAnnotations: ['infant'] }, misses: { 'hash.newMaterial': true, victimMinAge: 6 } },
  'new-material': { fires: { 'hash.newMaterial': true }, misses: { 'hash.newMaterial': false } },
  'new-material-prepubescent': {
    fires: { industryClassifications: ['A2'], 'hash.newMaterial': true },
    misses: { industryClassifications: ['A1'], 'hash.newMaterial': false },
  },
  infant: { fires: { fileAnnotations: ['infant'] }, misses: { victimMinAge: 3 } },
  'young-victim': { fires: { victimMinAge: 12 }, misses: { victimMinAge: 13 } },
  sadistic: { fires: { fileAnnotations: ['violenceGore'] }, misses: { fileAnnotations: ['generativeAi'] } },
  'access-to-children': { fires: { victimSharesSurname: true }, misses: { victimSharesSurname: false } },
  'hands-on': { fires: { incidentCategory: 'molestation' }, misses: { incidentCategory: 'misleading' } },
  trafficking: { fires: { incidentCategory: 'trafficking' }, misses: { incidentCategory: 'csam' } },
  'enticement-minor': { fires: { incidentCategory: 'enticement', intendedMinorCount: 1 }, misses: { incidentCategory: 'enticement', intendedMinorCount: 0 } },
  'prior-reports-cited': { fires: { priorReportsCited: 2 }, misses: { priorReportsCited: 0 } },
  'baseline-csam': { fires: { fileCount: 2, 'hash.recirculating': false }, misses: { fileCount: 2, 'hash.recirculating': true, 'hash.newMaterial': false } },
  'linked-urgent': { fires: { linked: linked(['livestream']) }, misses: { linked: linked(['payment-talk', 'young-victim']) } },
  'linked-payments': { fires: { 'subject.paymentScore': 0.8 }, misses: { 'subject.paymentScore': 0.3 } },
  'linked-payment-talk': { fires: { 'subject.signals': ['payment-talk'] }, misses: { 'subject.signals': ['young-victim'] } },
  'repeat-across-esps': { fires: { 'subject.esps': 2 }, misses: { 'subject.esps': 1 } },
  'repeat-reports': { fires: { 'subject.priorReports': 2 }, misses: { 'subject.priorReports': 0 } },
  'linked-floor': { fires: { 'subject.reports': 2 }, misses: { 'subject.reports': 1 } },
  recirculating: { fires: { 'hash.recirculating': true, 'hash.newMaterial': false }, misses: { 'hash.recirculating': true, 'hash.newMaterial': true } },
  'recirculating-untraceable': {
    fires: { 'hash.recirculating': true, 'hash.newMaterial': false },
    misses: { 'hash.recirculating': true, 'hash.newMaterial': true },
  },
  'known-material': { fires: { 'hash.novelty': 'known' }, misses: { 'hash.novelty': 'new' } },
  drawn: { fires: { fileAnnotations: ['animeDrawingVirtualHentai'] }, misses: { fileAnnotations: ['physicalHarm'] } },
  informational: { fires: { informational: true }, misses: { informational: false } },
  'esp-meme-flag': { fires: { fileAnnotations: ['potentialMeme'] }, misses: { fileAnnotations: ['infant'] } },
  'meme-batch': { fires: { batched: true }, misses: { batched: false } },
  spam: { fires: { annotations: ['spam'] }, misses: { annotations: ['csamSolicitation'] } },
  'minor-to-minor': { fires: { annotations: ['minorToMinorInteraction'] }, misses: { annotations: ['sextortion'] } },
  'escalation-flag': { fires: { escalation: true, escalationReason: false }, misses: { escalation: true, escalationReason: true } },
  'ncmec-priority-1': { fires: { ncmecPriority: 1, ncmecPriorityCode: '1' }, misses: { ncmecPriority: null, ncmecPriorityCode: 'E' } },
  referral: { fires: { referral: true }, misses: { referral: false } },
  'ip-port-time': { fires: { ipPortTimeCount: 1 }, misses: { ipPortTimeCount: 0, ipEventCount: 1 } },
  'ip-only': { fires: { ipEventCount: 2, ipPortTimeCount: 0 }, misses: { ipEventCount: 2, ipPortTimeCount: 1 } },
  'cgnat-no-port': { fires: { cgnat: true, ipPortTimeCount: 0 }, misses: { cgnat: true, ipPortTimeCount: 1 } },
  anonymised: { fires: { anonymised: true }, misses: { anonymised: false } },
  phone: { fires: { phoneCount: 1 }, misses: { phoneCount: 0 } },
  location: { fires: { hasLocation: true }, misses: { hasLocation: false } },
  device: { fires: { deviceCount: 1 }, misses: { deviceCount: 0 } },
  email: { fires: { emailCount: 1 }, misses: { emailCount: 0 } },
  'viewed-by-esp': { fires: { viewedFileCount: 1 }, misses: { viewedFileCount: 0 } },
  philippine: { fires: { philippine: true }, misses: { philippine: false } },
  'third-party': { fires: { thirdParty: true }, misses: { thirdParty: false } },
  'preservation-near': { fires: { 'time.preservationDaysLeft': 12 }, misses: { 'time.preservationDaysLeft': 45 } },
  'preservation-passed': { fires: { 'time.preservationDaysLeft': -1 }, misses: { 'time.preservationDaysLeft': 0 } },
  deconflicted: { fires: { 'subject.inActiveCase': true }, misses: { deconflicted: false, 'subject.inActiveCase': false } },
  'rescued-child': { fires: { 'child.rescued': 'C-1-0' }, misses: { 'child.rescued': 'C-1-0', 'hash.newMaterial': true } },
  'external-case': { fires: { 'external.case': true, 'external.agencies': ['AU-ACCCE'] }, misses: { 'external.case': false } },
  'external-case-pause': { fires: { 'external.case': true }, misses: { 'external.case': false } },
  'ncmec-deconfliction': {
    fires: { 'ncmec.externalDeconfliction': true, 'ncmec.deconflictionAgencies': ['Example Task Force'] },
    misses: { 'ncmec.externalDeconfliction': false },
  },
};

describe('default ruleset', () => {
  const compiled = compileTriageRuleset(DEFAULT_RULESET);

  test('is valid, and every rule names its source', () => {
    for (const r of DEFAULT_RULESET.rules) assert.ok(r.source.length > 10, `${r.id} needs a source`);
  });

  test('nothing fires on an empty report', () => {
    assert.deepEqual(
      compiled.evaluate(BASE).fired.map((f) => f.rule),
      [],
    );
  });

  test('every rule has a case and a near miss', () => {
    assert.deepEqual(
      DEFAULT_RULESET.rules.map((r) => r.id).filter((id) => !(id in CASES)),
      [],
    );
  });

  // Rules shipped disabled (an agency's choice to enable) are checked as if enabled.
  const allEnabled = compileTriageRuleset({ ...DEFAULT_RULESET, rules: DEFAULT_RULESET.rules.map((r) => ({ ...r, enabled: true })) });
  for (const [id, c] of Object.entries(CASES)) {
    test(`${id}: fires on its case with evidence, not on its near miss`, () => {
      const hit = allEnabled.evaluate({ ...BASE, ...c.fires }).fired.find((f) => f.rule === id);
      assert.ok(hit, `${id} should fire`);
      // The evidence names a feature the case set.
      assert.ok(
        Object.keys(c.fires).some((k) => hit.evidence.includes(k)),
        `${id} evidence "${hit.evidence}" names none of ${Object.keys(c.fires).join(', ')}`,
      );
      assert.equal(
        allEnabled.evaluate({ ...BASE, ...c.misses }).fired.some((f) => f.rule === id),
        false,
        `${id} should not fire on its near miss`,
      );
    });
  }

  test("sextortion of a child known only from the child's own words in the chat is urgent; the same threat to an adult is not sextortion of a minor", () => {
    const chat = (words: string): FeatureRecord =>
      assembleFeatures(
        {
          reportId: 'c',
          doc: { ...EMPTY_DOC, receivedAt: '2026-01-31T00:00:00Z', text: words.toLowerCase() },
          hash: null,
          enrich: null,
          subject: null,
          deconflicted: false,
        },
        NOW,
      );
    const child = compiled.evaluate(chat("I have your nudes. Pay $300 in gift cards or I'll send them to all your followers\nplease dont i am 15"));
    assert.ok(
      child.fired.some((f) => f.rule === 'sextortion-minor'),
      child.fired.map((f) => f.rule).join(', '),
    );
    // No file, no other sign: the threat to a child alone puts the report among those to act on today.
    assert.equal(child.tier, 'IMMEDIATE');
    // The same condition put as a bargain over deleting the images, and the child's age in her words:
    // IMMEDIATE, and ahead of the tier (a child at immediate risk).
    const bargain = compiled.evaluate(chat('send me 3000 pesos and i will delete them\nim only 14 please'));
    assert.deepEqual([bargain.tier, bargain.first], ['IMMEDIATE', true]);
    assert.equal(bargain.fired.find((f) => f.rule === 'sextortion-minor-floor')?.effect, 'floor IMMEDIATE, first');
    assert.equal(child.first, true);
    const adult = compiled.evaluate(chat("Pay $300 or I'll send them to all your followers\ni'm 24, leave me alone"));
    assert.equal(
      adult.fired.some((f) => f.rule === 'sextortion-minor'),
      false,
    );
  });

  test("another agency's case flags a report with bounded weight and does not pause it unless the agency enables the pause", () => {
    const ordinary = { ...BASE, fileCount: 2, phoneCount: 1 };
    const flagged = compiled.evaluate({ ...ordinary, 'external.case': true, 'external.agencies': ['AU-ACCCE'] });
    assert.equal(flagged.paused, false);
    assert.ok(flagged.fired.some((f) => f.rule === 'external-case'));
    assert.ok(flagged.score > compiled.evaluate(ordinary).score);
    assert.equal(allEnabled.evaluate({ ...ordinary, 'external.case': true }).paused, true);
  });

  test("a sparse report paying through an e-wallet is a payment to a facilitator when its subject's other reports livestream", () => {
    const pays = (memberSignals: string[], text = 'sent 1500 na po sa gcash 0917 852 3146'): ReturnType<typeof compiled.evaluate> =>
      compiled.evaluate(
        assembleFeatures(
          {
            reportId: 'p',
            doc: { ...EMPTY_DOC, receivedAt: '2026-01-30T00:00:00Z', text },
            hash: null,
            enrich: null,
            subject: {
              id: 'S-1',
              members: [
                { id: 'p', signals: [], esp: 'Instagram', receivedAt: '2026-01-30T00:00:00Z' },
                { id: 'f', signals: memberSignals, esp: 'Facebook', receivedAt: '2026-01-20T00:00:00Z' },
              ],
              paymentScore: null,
              paymentAlerts: null,
              paymentReason: null,
              inActiveCase: false,
            },
            deconflicted: false,
          },
          NOW,
        ),
      );
    const facilitator = pays(['livestream', 'payment-talk']);
    assert.ok(facilitator.fired.some((f) => f.rule === 'livestream-payment'));
    assert.equal(facilitator.tier, 'IMMEDIATE');
    // A customer's own words name no channel, only the sum and where it went.
    assert.equal(pays(['livestream'], 'done sending $50 to 0917 852 3146, pls confirm').tier, 'IMMEDIATE');
    assert.equal(pays(['livestream'], 'sent 3 pics to 0917 852 3146').tier === 'IMMEDIATE', false);
    // The same payment to someone whose other report is ordinary: no livestream sign.
    const ordinary = pays(['young-victim']);
    assert.equal(
      ordinary.fired.some((f) => f.rule === 'livestream-payment'),
      false,
    );
    assert.notEqual(ordinary.tier, 'IMMEDIATE');
  });

  test('a report that alone looks ordinary rises when its subject links to livestreaming', () => {
    const ordinary = { ...BASE, fileCount: 2, 'hash.viral': false, phoneCount: 1 };
    const alone = compiled.evaluate(ordinary);
    const linkedToLive = compiled.evaluate({
      ...ordinary,
      'subject.reports': 2,
      'subject.esps': 2,
      linked: linked(['livestream', 'payment-talk']),
      'subject.signals': ['livestream', 'payment-talk'],
    });
    assert.ok(linkedToLive.score > alone.score + 30, `${linkedToLive.score} vs ${alone.score}`);
    assert.ok(compiled.tierNames.indexOf(linkedToLive.tier) < compiled.tierNames.indexOf(alone.tier));
  });

  test('a reasoned escalation stays IMMEDIATE even in a viral batch; a complete report on recirculating material stays low', () => {
    assert.equal(compiled.evaluate({ ...BASE, escalation: true, escalationReason: true, batched: true, fileAnnotations: ['potentialMeme'] }).tier, 'IMMEDIATE');
    const viral = compiled.evaluate({
      ...BASE,
      'hash.recirculating': true,
      fileCount: 1,
      ipPortTimeCount: 2,
      phoneCount: 1,
      hasLocation: true,
      emailCount: 1,
      viewedFileCount: 1,
      philippine: true,
    });
    assert.ok(['LOW', 'NOISE'].includes(viral.tier), viral.tier);
  });
});
