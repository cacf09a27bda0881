import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../store/database.ts';
import { listHashLists } from '../store/hashes.ts';
import { readTruth } from './truth-file.ts';
import { formatWorlds } from './quality.ts';
import { buildWorld, heldOutRecall, measureWorld } from './worlds.ts';

const dir = mkdtempSync(join(tmpdir(), 'bantay-worlds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a world is generated, its hash list imported, ingested, processed and measured; a matching build is reused', async () => {
  const o = { world: 'adversarial', reports: 300, seed: 3, dir: join(dir, 'adversarial') };
  const b = await buildWorld(o);
  assert.equal(b.reused, false);
  assert.ok(b.seconds.generate! > 0 && b.seconds.process! > 0);
  const store = await openStore({ backend: 'embedded', dataDir: b.dataDir });
  try {
    assert.deepEqual(
      (await listHashLists(store.db)).map((r) => r.name),
      ['identified-series'],
    );
    const scored = await sql<{ n: string }>`select count(*) as n from triage_scores`.execute(store.db);
    assert.ok(Number(scored.rows[0]!.n) >= 300, 'every report is scored');
  } finally {
    await store.close();
  }
  const q = await measureWorld(b);
  assert.equal(q.world, 'adversarial');
  assert.equal(q.evaluation.coverage.missing, 0);
  assert.ok(q.triage.urgent > 0 && q.evaluation.falseLinksPerTrap !== null && 'esp-contact' in q.evaluation.falseLinksPerTrap);
  assert.match(formatWorlds([q]), /adversarial \(300; U = \d+\)/);
  // Held out = every report: the same figure as the live queue's.
  assert.equal(await heldOutRecall(b, new Set(Object.keys(readTruth(b.truthPath).reports))), q.triage.urgentInTopTwiceUrgent);
  assert.equal((await buildWorld(o)).reused, true);
});
