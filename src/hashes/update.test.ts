import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '../../test/support/stores.ts';
import { generate } from '../synth/generate.ts';
import { ingestPaths } from '../ingest/run.ts';
import { updateHashes } from './update.ts';
import { occurrences, hashStoreCounts } from '../store/hashes.ts';
import { readReportSignals } from './evidence.ts';
import type { FileSignal } from './signals.ts';

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

interface Truth {
  reports: Record<string, { category: string }>;
}

// One generated corpus shared by both backends: generating is deterministic by seed.
const dir = mkdtempSync(join(tmpdir(), 'bantay-hashes-'));
const corpus = generate({ reports: 1500, seed: 11, out: dir, days: 20 });

for (const b of testBackends()) {
  test(`hash store and signals on a generated corpus (${b.name})`, { skip: b.skip, timeout: 300_000 }, async (t) => {
    await corpus;
    const store = await b.open();
    t.after(() => store.close());
    await ingestPaths(store, [dir]);
    const s1 = await updateHashes(store);
    assert.ok(s1.reportsExtracted >= 1400, `extracted ${s1.reportsExtracted}`);
    assert.ok(s1.fileHashes > s1.reportsExtracted);
    // Incremental: nothing changed, nothing re-extracted; --all redoes every report with the same result.
    const s2 = await updateHashes(store);
    assert.equal(s2.reportsExtracted, 0);
    const s3 = await updateHashes(store, { all: true });
    assert.equal(s3.reportsExtracted, s1.reportsExtracted);
    assert.equal((await hashStoreCounts(store.db)).fileHashes, s1.fileHashes);

    // The empty-file hash is never stored, so it occurs nowhere.
    assert.ok(s1.emptyIgnored > 0, 'the generator plants empty-file hashes');
    assert.deepEqual((await occurrences(store.db, EMPTY_MD5)).files, []);

    // Generated recirculation: viral / meme-batch reports come out viral; new material comes out new.
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    const signals = new Map((await readReportSignals(store.db)).map((r) => [r.reportId, r]));
    let viralCat = 0,
      viralHit = 0,
      newCat = 0,
      newHit = 0;
    for (const [id, r] of Object.entries(truth.reports)) {
      const sig = signals.get(id);
      if (!sig) continue;
      if (r.category === 'viral' || r.category === 'meme-batch') {
        viralCat++;
        if (sig.viral) viralHit++;
      }
      if (r.category === 'new-material') {
        newCat++;
        if (sig.novelty === 'new') newHit++;
      }
    }
    t.diagnostic(`viral/meme-batch reports flagged viral: ${viralHit}/${viralCat}; new-material reports new: ${newHit}/${newCat}`);
    assert.ok(viralCat > 100 && viralHit / viralCat > 0.95, `viral ${viralHit}/${viralCat}`);
    assert.ok(newCat > 0 && newHit / newCat > 0.9, `new ${newHit}/${newCat}`);
    // A viral report's evidence names its recirculation counts.
    const v = [...signals.values()].find((r) => r.viral && (r.evidence as FileSignal[]).some((f) => f.viral.window));
    assert.ok(v, 'some report is viral by recurrence, not only by flag');
    const f = (v.evidence as FileSignal[]).find((x) => x.viral.window)!;
    assert.ok(f.viral.window!.reports >= 5 && f.viral.window!.users >= 3);
    // Every viral report has a batch key and no other does; a key's reports are exactly those whose
    // viral content is that key (the batch the queue filters and closes).
    const all = [...signals.values()];
    assert.ok(
      all.every((r) => (r.viralKey !== null) === r.viral),
      'viral ⇔ a batch key',
    );
    assert.match(v.viralKey ?? '', /^(md5|sha1|sha256|pdq|photodna):/);
    const batch = all.filter((r) => r.viralKey === v.viralKey);
    assert.ok(batch.length >= 5, `the batch of ${v.viralKey} holds ${batch.length} reports`);
    for (const r of batch)
      assert.ok(
        (r.evidence as FileSignal[]).some((x) => x.hashes.includes(v.viralKey!) || x.viral.reports >= 5),
        `${r.reportId} carries the batch's content`,
      );
    const keys = new Set(all.map((r) => r.viralKey).filter((k) => k !== null));
    t.diagnostic(`${keys.size} viral batches over ${all.filter((r) => r.viral).length} viral reports`);
    assert.ok(keys.size < all.filter((r) => r.viral).length / 2, 'batches group many reports');
  });
}

test('clean up the generated corpus', async () => {
  await corpus;
  rmSync(dir, { recursive: true, force: true });
});
