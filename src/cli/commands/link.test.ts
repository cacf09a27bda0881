// End to end: generate a stream, ingest it, link it with the `bantay` command, print subjects,
// rebuild, explain a link, exclude a value and evaluate against the planted truth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '../../../test/support/stores.ts';
import { runCli } from '../../../test/support/cli.ts';
import type { StoreLocation } from '../../store/database.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-link-cli-'));
const stream = join(work, 'stream');
after(() => rmSync(work, { recursive: true, force: true }));

before(async () => {
  const g = await runCli(['generate', '--reports', '1500', '--seed', '21', '--out', stream]);
  assert.equal(g.code, 0, g.stderr);
});

interface SubjectJson {
  id: string;
  reportIds: string[];
  identifiers: { kind: string; value: string }[];
}

for (const backend of testBackends()) {
  describe(`bantay link on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ location, dispose } = await backend.fresh());
      const r = await runCli(['ingest', join(stream, 'reports')], location);
      assert.equal(r.code, 0, r.stderr + r.stdout);
    });
    after(async () => {
      await dispose?.();
    });

    test('link, subjects --json, rebuild, why, exclude, evaluate', async () => {
      const l = await runCli(['link', '--json'], location);
      assert.equal(l.code, 0, l.stderr);
      const subjects = await runCli(['subjects', '--json', '--min-reports', '2'], location);
      assert.equal(subjects.code, 0, subjects.stderr);
      const list = JSON.parse(subjects.stdout) as SubjectJson[];
      assert.ok(list.length > 0);
      for (const s of list) {
        assert.deepEqual(Object.keys(s).sort(), ['id', 'identifiers', 'reportIds']);
        assert.ok(s.reportIds.length >= 2);
        for (const i of s.identifiers) assert.deepEqual(Object.keys(i).sort(), ['kind', 'value']);
      }
      const rebuilt = await runCli(['link', '--rebuild'], location);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      assert.equal((await runCli(['subjects', '--json'], location)).stdout, subjects.stdout);

      const [a, b] = list[0]!.reportIds;
      const why = JSON.parse((await runCli(['link', 'why', a!, b!, '--json'], location)).stdout) as {
        linked: boolean;
        path: string[];
        steps: { shared: unknown[] }[];
      };
      assert.equal(why.linked, true);
      assert.equal(why.path[0], a);
      assert.ok(why.steps.every((s) => s.shared.length > 0));

      const e = await runCli(['evaluate', '--truth', join(stream, 'truth.json'), '--json'], location);
      assert.equal(e.code, 0, e.stderr);
      const ev = JSON.parse(e.stdout) as { subjects: { precision: number; recall: number }; falseLinksPerTrap: Record<string, number> };
      assert.ok(ev.subjects.precision >= 0.98, JSON.stringify(ev.subjects));
      assert.ok(ev.subjects.recall >= 0.9, JSON.stringify(ev.subjects));
      assert.ok(
        Object.values(ev.falseLinksPerTrap).every((n) => n === 0),
        JSON.stringify(ev.falseLinksPerTrap),
      );

      // A wildcard exclusion of everything leaves no subject (retroactively).
      const x = await runCli(['link', 'exclude', '%', '--comment', 'test: nothing links'], location);
      assert.equal(x.code, 0, x.stderr);
      assert.deepEqual(JSON.parse((await runCli(['subjects', '--json'], location)).stdout), []);
      const noComment = await runCli(['link', 'exclude', 'abc'], location);
      assert.notEqual(noComment.code, 0);
      const hubs = await runCli(['link', 'hubs'], location);
      assert.equal(hubs.code, 0, hubs.stderr);
    });
  });
}
