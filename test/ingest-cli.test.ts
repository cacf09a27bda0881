// End to end: the `bantay` command generates a stream, ingests it on both backends, reads it
// back, re-ingests it without change, quarantines bad input, and evaluates against the truth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import { repoRoot } from './support/shared.ts';
import { openStore, type StoreLocation } from '../src/store/database.ts';
import { sql } from 'kysely';

const work = mkdtempSync(join(tmpdir(), 'bantay-e2e-'));
const stream = join(work, 'stream');
after(() => rmSync(work, { recursive: true, force: true }));

interface Truth {
  reports: Record<string, { versions: number; duplicates: number; category: string }>;
  urgent: string[];
}

before(async () => {
  const g = await runCli(['generate', '--reports', '1200', '--seed', '11', '--out', stream, '--json']);
  assert.equal(g.code, 0, g.stderr);
});

for (const backend of testBackends()) {
  describe(`bantay ingest on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ location, dispose } = await backend.fresh());
    });
    after(async () => {
      await dispose?.();
    });

    test('loads every generated report, with its versions, and exits 0', async () => {
      const truth = JSON.parse(readFileSync(join(stream, 'truth.json'), 'utf8')) as Truth;
      const r = await runCli(['ingest', join(stream, 'reports'), '--json'], location);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const s = JSON.parse(r.stdout) as { newReports: number; newVersions: number; unchanged: number; quarantined: number; reportsRead: number };
      const ids = Object.keys(truth.reports);
      const versions = Object.values(truth.reports).reduce((n, t) => n + t.versions, 0);
      const duplicates = Object.values(truth.reports).reduce((n, t) => n + t.duplicates, 0);
      assert.equal(s.quarantined, 0);
      assert.equal(s.newReports, ids.length);
      assert.equal(s.newVersions, versions - ids.length);
      assert.equal(s.unchanged, duplicates);

      const multi = Object.entries(truth.reports).find(([, t]) => t.versions > 1);
      assert.ok(multi, 'the generator re-sends some reports with changed content');
      const one = await runCli(['report', multi[0], '--json'], location);
      assert.equal(one.code, 0, one.stderr);
      const report = JSON.parse(one.stdout) as { reportId: string; versionCount: number; versions: { version: number; report: { reportId: string } }[] };
      assert.equal(report.versionCount, multi[1].versions);
      assert.deepEqual(
        report.versions.map((v) => v.version),
        [1, 2].slice(0, multi[1].versions),
      );
      assert.equal(report.versions[0]?.report.reportId, multi[0]);
    });

    test('re-ingesting the same folder changes nothing', async () => {
      const r = await runCli(['ingest', join(stream, 'reports'), '--json'], location);
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as { newReports: number; newVersions: number; unchanged: number; reportsRead: number };
      assert.equal(s.newReports, 0);
      assert.equal(s.newVersions, 0);
      assert.equal(s.unchanged, s.reportsRead);
    });

    test('bad input is quarantined with a reason, good reports beside it load, exit code 3', async () => {
      const bad = join(work, `bad-${backend.name}`);
      cpSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'malformed-mid-batch.xml'), join(bad, 'malformed-mid-batch.xml'));
      writeFileSync(join(bad, 'truncated.xml.gz'), readFileSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'small-batch.xml.gz')).subarray(0, 60));
      const r = await runCli(['ingest', bad, '--json'], location);
      assert.equal(r.code, 3, r.stderr + r.stdout);
      const s = JSON.parse(r.stdout) as { loaded: number; quarantined: number };
      assert.ok(s.loaded >= 1, 'the good reports before the break load');
      assert.ok(s.quarantined >= 2);
      const q = await runCli(['quarantine', 'list', '--json'], location);
      const rows = JSON.parse(q.stdout) as { source: string; reason: string; line: number | null }[];
      assert.ok(rows.some((x) => x.source.endsWith('malformed-mid-batch.xml') && x.line !== null));
      assert.ok(rows.some((x) => x.source.endsWith('truncated.xml.gz') && /gzip/i.test(x.reason)));
      const text = await runCli(['quarantine', 'list'], location);
      assert.match(text.stdout, /malformed-mid-batch\.xml/);
    });

    // One backend: the marks and the command are the same on both, and the file's time budget is shared.
    if (backend.name === 'embedded')
      test('an ingest stopped before its processing leaves its keys marked: the next ingest, with nothing new, processes them', async () => {
        // What a kill between storing and processing leaves (--no-process stops there on purpose).
        const folder = join(work, `stopped-${backend.name}`);
        cpSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'small-batch.xml'), join(folder, 'small-batch.xml'));
        const first = await runCli(['ingest', folder, '--no-process', '--json'], location);
        assert.equal(first.code, 0, first.stderr + first.stdout);
        assert.ok((JSON.parse(first.stdout) as { newReports: number }).newReports >= 1);
        const again = await runCli(['ingest', folder, '--json'], location);
        assert.equal(again.code, 0, again.stderr + again.stdout);
        const s = JSON.parse(again.stdout) as { newReports: number; processed?: { scored: number } };
        assert.equal(s.newReports, 0, 'nothing new');
        assert.ok((s.processed?.scored ?? 0) >= 1, 'yet what was left marked is processed');
        assert.deepEqual((JSON.parse((await runCli(['jobs', '--json'], location)).stdout) as { pending: Record<string, number> }).pending, {});
      });

    if (backend.name === 'embedded')
      test('a processing that fails makes the ingest exit 1 and its --json say why', async () => {
        const own = await backend.fresh();
        try {
          const folder = join(work, `failing-${backend.name}`);
          cpSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'small-batch.xml'), join(folder, 'small-batch.xml'));
          assert.equal((await runCli(['ingest', folder, '--no-process', '--json'], own.location)).code, 0);
          // A live ruleset that cannot compile (as a hand-edited database could hold): scoring cannot run.
          const store = await openStore(own.location);
          try {
            await sql`insert into triage_rulesets (name, status, doc, content_hash, comment) values ('broken', 'live', '{"rules": [{}]}', 'broken', 'test')`.execute(
              store.db,
            );
          } finally {
            await store.close();
          }
          const r = await runCli(['ingest', folder, '--json'], own.location);
          assert.equal(r.code, 1, r.stderr + r.stdout);
          const s = JSON.parse(r.stdout) as { processState: string; processError: string | null; processJob: string };
          assert.equal(s.processState, 'failed');
          assert.match(s.processError ?? '', /ruleset/);
        } finally {
          await own.dispose();
        }
      });

    test('stats, reports and evaluate read it back', async () => {
      const truth = JSON.parse(readFileSync(join(stream, 'truth.json'), 'utf8')) as Truth;
      const stats = JSON.parse((await runCli(['stats', '--json'], location)).stdout) as { reports: number; quarantined: number };
      assert.ok(stats.reports >= Object.keys(truth.reports).length);
      const list = JSON.parse((await runCli(['reports', '--json', '--limit', '5'], location)).stdout) as unknown[];
      assert.equal(list.length, 5);
      const ev = await runCli(['evaluate', '--truth', join(stream, 'truth.json'), '--json'], location);
      assert.equal(ev.code, 0, ev.stderr);
      const e = JSON.parse(ev.stdout) as { coverage: { found: number; truthReports: number; versionsDisagree: number }; queue: { urgentInQueue: number } };
      assert.equal(e.coverage.found, e.coverage.truthReports);
      assert.equal(e.coverage.versionsDisagree, 0);
      assert.equal(e.queue.urgentInQueue, truth.urgent.length);
    });

    test('an unknown report number is a readable error', async () => {
      const r = await runCli(['report', '999999999999'], location);
      assert.equal(r.code, 4, 'not found');
      assert.match(r.stderr, /no report 999999999999/);
    });
  });
}

describe('bantay demo', () => {
  test('builds a fresh embedded demo and refuses to overwrite a folder it did not make', async () => {
    const dir = join(work, 'demo');
    const r = await runCli(['--data', dir, 'demo', '--reports', '600', '--no-serve']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Bantay demo: 6\d\d synthetic reports/);
    assert.match(r.stdout, /Top of the queue/);
    assert.ok(existsSync(join(dir, '.bantay-demo')));
    const again = await runCli(['--data', dir, 'demo', '--reports', '300', '--no-serve']);
    assert.equal(again.code, 0, again.stderr);
    const stats = JSON.parse((await runCli(['--data', dir, 'stats', '--json'])).stdout) as { reports: number };
    assert.ok(stats.reports < 600, 'the second demo replaced the first');

    const precious = join(work, 'precious');
    writeFileSync(join(work, 'x'), '');
    cpSync(join(work, 'x'), join(precious, 'notes.txt'));
    const refused = await runCli(['--data', precious, 'demo', '--reports', '100', '--no-serve']);
    assert.equal(refused.code, 5, 'a conflict: nothing overwritten');
    assert.match(refused.stderr, /was not made by bantay demo/);
    assert.ok(existsSync(join(precious, 'notes.txt')));
  });
});

describe('the installed command', () => {
  const bin = join(repoRoot, 'bin', 'bantay.js');
  test(
    'bin/bantay.js runs the built CLI',
    { skip: existsSync(join(repoRoot, 'dist', 'cli', 'main.js')) ? false : 'dist/ is not built (npm ci builds it)' },
    async () => {
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /ingest/);
      assert.match(r.stdout, /demo/);
    },
  );
});
