// Labels against evidence: hand-made canonical reports scored by the real default ruleset. An
// upstream label (NCMEC informational or priority, an ESP escalation flag, a meme or viral flag,
// a meme batch, spam) adds a bounded weight and is outweighed, visibly, by strong evidence.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport, FileDetails, Party } from '../model/report.ts';
import type { Outcome } from '../model/rule-engine.ts';
import { DEFAULT_RULESET, LABEL_BOUND } from './default-rules.ts';
import { assembleFeatures, docFeatures, type HashFacts } from './features.ts';
import { compileTriageRuleset } from './score.ts';
import { makeReport } from '../../test/fixtures/link/reports.ts';

const NOW = Date.parse('2026-01-06T00:00:00Z');
const compiled = compileTriageRuleset(DEFAULT_RULESET);

interface Shape {
  informational?: boolean;
  priority?: string;
  escalate?: string;
  annotations?: string[];
  batched?: boolean;
  victimAge?: number;
  files?: Partial<FileDetails>[];
  text?: string;
  type?: string;
  /** What the hash stage would say (src/hashes/signals.ts), by hand. */
  hash?: HashFacts;
  phone?: boolean;
}

const NEW: HashFacts = { novelty: 'new', known: false, viral: false, newFiles: 1, knownCategories: [], unlistedFirstSeen: 1, recirculating: false };
const KNOWN: HashFacts = { novelty: 'known', known: true, viral: false, newFiles: 0, knownCategories: ['1'], unlistedFirstSeen: 0, recirculating: false };

function file(f: Partial<FileDetails>): FileDetails {
  return {
    fileId: 'f1',
    fileAnnotations: [],
    originalFileHashes: [{ hashType: 'MD5', value: '0123456789abcdef0123456789abcdef' }],
    deviceIds: [],
    details: [],
    additionalInfo: [],
    ...f,
  };
}

function victim(age: number): Party {
  return {
    role: 'victim',
    person: { phones: [], emails: [], addresses: [], age },
    displayNames: [],
    profileUrls: [],
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
    associatedAccounts: [],
    additionalInfo: [],
  };
}

/** A canonical report of the given shape, scored by the default ruleset as of NOW. */
function score(shape: Shape): Outcome {
  const r: CybertipReport = makeReport('9001', shape.phone ? { person: { phones: [{ number: '+639171234567' }], emails: [], addresses: [] } } : {}, {
    envelope: {
      ipLookups: [],
      receivedAt: '2026-01-05T00:00:00Z',
      referral: shape.informational === undefined ? true : !shape.informational,
      ...(shape.priority ? { priority: shape.priority } : {}),
    },
  });
  r.incident.incidentType = shape.type ?? 'Child Pornography (possession, manufacture, and distribution)';
  r.incident.reportAnnotations = shape.annotations ?? [];
  if (shape.escalate !== undefined) r.incident.escalateToHighPriority = shape.escalate;
  if (shape.batched) r.incident.batchedReason = 'VIRAL_POTENTIAL_MEME';
  if (shape.victimAge !== undefined) r.victims = [victim(shape.victimAge)];
  r.files = (shape.files ?? []).map((f, i) => file({ fileId: `f${i + 1}`, ...f }));
  if (shape.text) r.additionalInfo = shape.text;
  const features = assembleFeatures(
    { reportId: r.reportId, doc: docFeatures(r), hash: shape.hash ?? null, enrich: null, subject: null, deconflicted: false },
    NOW,
  );
  return compiled.evaluate(features);
}

const rank = (tier: string): number => compiled.tierNames.indexOf(tier);
const fired = (o: Outcome, id: string) => o.fired.find((f) => f.rule === id);

describe('labels are evidence, not verdicts', () => {
  test('an informational report of new material of an infant stays at the top, and says which label was outweighed', () => {
    const o = score({ informational: true, victimAge: 1, files: [{ fileAnnotations: ['infant'] }], hash: NEW });
    assert.equal(o.tier, 'IMMEDIATE');
    const info = fired(o, 'informational')!;
    assert.equal(info.contribution, null);
    assert.equal(info.effect, 'outweighed (harm -15)');
    assert.deepEqual(info.outweighedBy, ['new-material-child']);
    assert.match(info.evidence, /^informational; outweighed by new-material-child \(hash\.newMaterial; victimMinAge = 1; fileAnnotations has infant\)$/);
    assert.match(info.description, /NCMEC marked this informational/);
  });

  test('the same report of a five-year-old is HIGH or above although NCMEC marked it informational', () => {
    const o = score({ informational: true, victimAge: 5, files: [{}], hash: NEW });
    assert.ok(rank(o.tier) <= rank('HIGH'), o.tier);
    assert.match(fired(o, 'informational')!.evidence, /outweighed by new-material-child \(hash\.newMaterial; victimMinAge = 5\)/);
  });

  test('informational alone is a bounded demotion, not a cap', () => {
    const plain = score({ files: [{}], hash: NEW, phone: true });
    const info = score({ informational: true, files: [{}], hash: NEW, phone: true });
    const drop = plain.score - info.score;
    assert.ok(drop > 0 && drop <= LABEL_BOUND + 0.3 * 10 + 1e-9, `${plain.score} → ${info.score}`); // the label, and the referral it is not
    assert.ok(!info.fired.some((f) => f.effect.startsWith('cap')));
  });

  test('an escalation with an empty or boilerplate text does not reach IMMEDIATE on its own; a reason does', () => {
    for (const text of [
      '',
      ' ',
      'N/A',
      'n/a',
      '-',
      'true',
      'Yes',
      'escalated',
      'Escalated to high priority.',
      'URGENT - please review',
      'see report',
      'Wala po',
      'Ongoing.',
    ]) {
      const o = score({ escalate: text, files: [{}], hash: NEW, phone: true });
      assert.ok(rank(o.tier) > rank('IMMEDIATE'), `"${text}" → ${o.tier} ${o.score}`);
      assert.ok(fired(o, 'escalation-flag'), `"${text}" is a bare flag`);
      assert.equal(fired(o, 'escalation-reason'), undefined);
    }
    for (const text of ['false', 'no']) assert.equal(fired(score({ escalate: text }), 'escalation-flag'), undefined, `"${text}" is not an escalation`);
    const reason = score({ escalate: 'The user says he abuses his daughter tonight.', files: [{}], hash: NEW });
    assert.equal(reason.tier, 'IMMEDIATE');
    assert.equal(fired(reason, 'escalation-reason')!.contribution, 60);
  });

  test('a reasoned escalation on listed material keeps its weight but not its IMMEDIATE floor, and says why', () => {
    const o = score({ escalate: 'Child appears to be in danger.', files: [{}], hash: KNOWN });
    assert.ok(rank(o.tier) > rank('IMMEDIATE'), o.tier);
    assert.equal(fired(o, 'escalation-reason')!.contribution, 60);
    assert.match(fired(o, 'escalation-reason-floor')!.evidence, /outweighed by known-material \(hash\.novelty = "known"\)/);
  });

  test('severe but listed material is not new: no new-material weight, far below the same material first seen', () => {
    const severe = { victimAge: 2, files: [{ fileAnnotations: ['infant', 'violenceGore'], industryClassification: 'A1' }] };
    const known = score({ ...severe, hash: KNOWN });
    const fresh = score({ ...severe, hash: NEW });
    assert.deepEqual(
      known.fired.filter((f) => f.rule.startsWith('new-material')).map((f) => f.rule),
      [],
    );
    assert.ok(fired(known, 'known-material'));
    assert.ok(rank(known.tier) > rank('IMMEDIATE'), known.tier);
    assert.equal(fresh.tier, 'IMMEDIATE');
    assert.ok(fresh.score - known.score >= 40, `${fresh.score} vs ${known.score}`);
  });

  test('a live-streaming label on listed material is a recording, not a live child', () => {
    const known = score({ files: [{ fileAnnotations: ['liveStreaming'] }], hash: KNOWN });
    assert.ok(fired(known, 'livestream-recording'));
    assert.equal(fired(known, 'livestream-annotation'), undefined);
    assert.ok(fired(score({ files: [{ fileAnnotations: ['liveStreaming'] }], hash: NEW }), 'livestream-annotation'));
  });

  test('a sextortion of a minor marked informational stays HIGH or above', () => {
    const o = score({ informational: true, annotations: ['sextortion'], victimAge: 15, type: 'Online Enticement of Children for Sexual Acts' });
    assert.ok(rank(o.tier) <= rank('HIGH'), `${o.tier} ${o.score}`);
    assert.match(fired(o, 'informational')!.evidence, /outweighed by sextortion-minor/);
  });

  test('a chat-only sextortion of a child, informational and without files, is IMMEDIATE', () => {
    // Hand-made: no file, no victim record; the child's age is in the child's own words.
    const chat = score({
      informational: true,
      type: 'Online Enticement of Children for Sexual Acts',
      text: 'you sent me those pics. $200 by tonight or i will post them to your classmates\nplease stop im only 13',
    });
    assert.equal(chat.tier, 'IMMEDIATE', `${chat.score}`);
    assert.match(fired(chat, 'sextortion-minor-floor')!.effect, /floor IMMEDIATE/);
    assert.match(fired(chat, 'informational')!.evidence, /outweighed by sextortion-minor/);
    // The same words from an adult are no sextortion of a minor, and no floor.
    const adult = score({ type: 'Online Enticement of Children for Sexual Acts', text: '$200 by tonight or i will post them to your classmates. i am 34' });
    assert.equal(fired(adult, 'sextortion-minor-floor'), undefined);
    assert.notEqual(adult.tier, 'IMMEDIATE');
    // The ESP's sextortion annotation on a report whose only victim is recorded as an adult: the label
    // is outweighed by the recorded age, so no floor (its bounded weight still counts).
    const labelledAdult = score({ annotations: ['sextortion'], victimAge: 24, type: 'Online Enticement of Children for Sexual Acts' });
    assert.equal(fired(labelledAdult, 'sextortion-minor-floor'), undefined);
    // The same annotation with no recorded age is the child the CyberTipline reports: floored.
    const labelled = score({ annotations: ['sextortion'], type: 'Online Enticement of Children for Sexual Acts' });
    assert.match(fired(labelled, 'sextortion-minor-floor')!.effect, /floor IMMEDIATE/);
  });

  test("the report's words are read from every free-text field: a threat in an online game's chat, the age in the ESP's note on the victim", () => {
    const r = makeReport('9003', {}, { envelope: { ipLookups: [], receivedAt: '2026-01-05T00:00:00Z', referral: true } });
    r.incident.incidentType = 'Online Enticement of Children for Sexual Acts';
    // A game chat longer than the text limit: the note on the victim must survive it.
    const chatter = 'gg wp lets go again '.repeat(150);
    r.internetDetails = [
      { kind: 'onlineGaming', gameName: 'Example Blocks', content: `send 50 dollars in gift cards or i will post them to your followers\n${chatter}` },
    ];
    r.victims = [
      { ...victim(0), person: { phones: [], emails: [], addresses: [] }, additionalInfo: ['The user told the reported person she is 13 years old.'] },
    ];
    const doc = docFeatures(r);
    assert.match(doc.text, /13 years old/);
    const o = compiled.evaluate(assembleFeatures({ reportId: r.reportId, doc, hash: null, enrich: null, subject: null, deconflicted: false }, NOW));
    assert.ok(fired(o, 'sextortion-minor'), o.fired.map((f) => f.rule).join(', '));
    assert.equal(o.tier, 'IMMEDIATE');
  });

  test('a rescued child outweighs the sextortion floor', () => {
    const f = assembleFeatures(
      {
        reportId: '9002',
        doc: { ...docFeatures(makeReport('9002', {})), text: "pay or i'll send them to your friends. i'm 14" },
        hash: null,
        enrich: null,
        subject: null,
        deconflicted: false,
        rescuedChild: 'C-1-0',
      },
      NOW,
    );
    const o = compiled.evaluate(f);
    assert.equal(o.tier, 'LOW');
    assert.match(fired(o, 'sextortion-minor-floor')!.effect, /^outweighed/);
  });

  test('a meme-flagged, batched report with strong evidence is not buried; without it the flags demote, boundedly', () => {
    // The ESP flagged the file a potential meme, so the hash stage calls it viral; it was first seen here, on no list.
    const flagged: HashFacts = { novelty: 'viral', known: false, viral: true, newFiles: 0, knownCategories: [], unlistedFirstSeen: 1, recirculating: false };
    const strong = score({ batched: true, victimAge: 4, files: [{ potentialMeme: true }], hash: flagged });
    assert.ok(rank(strong.tier) <= rank('HIGH'), `${strong.tier} ${strong.score}`);
    for (const id of ['esp-meme-flag', 'meme-batch']) assert.match(fired(strong, id)!.effect, /^outweighed/);
    const weak = score({ batched: true, files: [{ potentialMeme: true }], hash: flagged });
    assert.ok(fired(weak, 'esp-meme-flag')!.contribution === -15 && fired(weak, 'meme-batch')!.contribution === -15);
    assert.ok(rank(weak.tier) >= rank('LOW'), weak.tier);
  });

  test('NCMEC priority is kept raw: "E" carries no weight, 1 a bounded one', () => {
    const e = score({ priority: 'E', files: [{}], hash: NEW });
    const none = score({ files: [{}], hash: NEW });
    assert.equal(e.score, none.score);
    const one = score({ priority: '1', files: [{}], hash: NEW });
    assert.equal(fired(one, 'ncmec-priority-1')!.contribution, 10);
  });

  test('no label moves an otherwise neutral report by more than the label bound, and none caps or floors', () => {
    const labels: Shape[] = [
      { informational: true },
      { priority: '1' },
      { escalate: 'N/A' },
      { files: [{ potentialMeme: true }] },
      { batched: true },
      { annotations: ['spam'] },
      { annotations: ['minorToMinorInteraction'] },
    ];
    const base = score({ files: [{}], hash: NEW, informational: false });
    for (const l of labels) {
      const o = score({ files: [{}], hash: NEW, ...l, ...(l.files ? { files: l.files } : {}) });
      assert.ok(Math.abs(o.scores.harm! - base.scores.harm!) <= LABEL_BOUND, `${JSON.stringify(l)}: harm ${base.scores.harm} → ${o.scores.harm}`);
    }
    const labelRules = DEFAULT_RULESET.rules.filter((r) => r.bound !== undefined);
    assert.ok(labelRules.length >= 8);
    for (const r of labelRules) assert.ok('add' in r.effect && Math.abs(r.effect.value) <= LABEL_BOUND, r.id);
    // The one cap is the agency's own record that the child is safe (docs/children.md), not an upstream label.
    assert.deepEqual(
      DEFAULT_RULESET.rules.filter((r) => 'cap' in r.effect).map((r) => r.id),
      ['rescued-child'],
    );
    assert.deepEqual(
      DEFAULT_RULESET.rules.filter((r) => 'floor' in r.effect).map((r) => r.id),
      ['escalation-reason-floor', 'sextortion-minor-floor', 'linked-floor'],
    );
  });
});
