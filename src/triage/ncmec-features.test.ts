// NCMEC's own notes on a report (LE JSON in NCMEC's real shape) as features a rule can test, and the
// default rule that flags NCMEC's external deconfliction: from the hand-built real-shape document
// through the LE JSON reader, in every list form NCMEC writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport } from '../model/report.ts';
import { readLeJson, type LeReaderItem } from '../ingest/lejson/read.ts';
import { ncmecDocument, type ListForm } from '../../test/fixtures/lejson/ncmec-shape.ts';
import { assembleFeatures, docFeatures } from './features.ts';
import { DEFAULT_RULESET } from './default-rules.ts';
import { compileTriageRuleset, EMPTY_DOC } from './score.ts';

async function readOne(doc: unknown): Promise<CybertipReport> {
  const items: LeReaderItem[] = [];
  for await (const item of readLeJson(
    (async function* () {
      yield Buffer.from(JSON.stringify(doc));
    })(),
    { path: 'doc.json', name: 'doc.json' },
  ))
    items.push(item);
  const item = items[0]!;
  assert.equal(item.kind, 'report', item.kind === 'rejected' ? item.reason : '');
  return (item as Extract<LeReaderItem, { kind: 'report' }>).report;
}

const NOW = Date.parse('2026-03-10T00:00:00Z');
const features = (doc: ReturnType<typeof docFeatures>) =>
  assembleFeatures({ reportId: 'r', doc, hash: null, enrich: null, subject: null, deconflicted: false }, NOW);

test("NCMEC's auto-refer note, external deconfliction, associated reports and contacts become features", async () => {
  const f = features(docFeatures(await readOne(ncmecDocument('wrapped'))));
  assert.equal(f['ncmec.autoReferred'], true);
  assert.equal(f['ncmec.autoClosed'], false);
  assert.equal(f['ncmec.autoNotes'], 'auto-referred: reported person geolocates to the philippines');
  assert.equal(f['ncmec.externalDeconfliction'], true);
  assert.deepEqual(f['ncmec.deconflictionAgencies'], ['Example Task Force']);
  assert.equal(f['ncmec.associatedReports'], 2);
  assert.deepEqual(f['ncmec.lawEnforcementAgencies'], ['PNP Women and Children Protection Center']);
  // leaFeedback is null in the document: no agency has recorded feedback yet.
  assert.equal(f['ncmec.leFeedback'], false);
  const fired = compileTriageRuleset(DEFAULT_RULESET)
    .evaluate(f)
    .fired.find((x) => x.rule === 'ncmec-deconfliction');
  assert.ok(fired, 'the NCMEC deconfliction rule fires');
  assert.match(fired.evidence, /ncmec\.externalDeconfliction/);
});

test('empty, null and bare-array lists say "none"; features stored before NCMEC\'s notes were read say "unknown"', async () => {
  for (const form of ['null', 'empty'] as ListForm[]) {
    const f = features(docFeatures(await readOne(ncmecDocument(form))));
    assert.equal(f['ncmec.autoReferred'], false, form);
    assert.equal(f['ncmec.externalDeconfliction'], false, form);
    assert.equal(f['ncmec.associatedReports'], 0, form);
    assert.deepEqual(f['ncmec.lawEnforcementAgencies'], [], form);
  }
  const bare = features(docFeatures(await readOne(ncmecDocument('array'))));
  assert.equal(bare['ncmec.externalDeconfliction'], true);
  // A feedback recorded with NCMEC is seen.
  const withFeedback = ncmecDocument('array');
  (withFeedback.lawEnforcementContactInformation as { leaFeedback: string }[])[0]!.leaFeedback = 'Investigation opened';
  assert.equal(features(docFeatures(await readOne(withFeedback)))['ncmec.leFeedback'], true);
  const old = features({ ...EMPTY_DOC });
  assert.equal(old['ncmec.autoReferred'], null);
  assert.equal(old['ncmec.externalDeconfliction'], null);
  assert.equal(
    compileTriageRuleset(DEFAULT_RULESET)
      .evaluate(old)
      .fired.some((x) => x.rule === 'ncmec-deconfliction'),
    false,
  );
});
