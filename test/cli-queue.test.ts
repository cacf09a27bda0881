// The CLI tells the truth (issue 20 item 7), reads the queue as the API does (issue 19 item 4), and
// its rules preview reports tier changes against the live scores (issue 20 item 9): a generated
// stream ingested with `bantay ingest`, then the CLI and the API asked the same questions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { testBackends } from './support/stores.ts';
import { appWithRoles, call } from './api-support.ts';
import { openStore, type StoreLocation } from '../src/store/database.ts';
import type { Ruleset } from '../src/model/rule-engine.ts';
import { chosenLocation } from '../src/cli/context.ts';
import type { Command } from 'commander';

const work = mkdtempSync(join(tmpdir(), 'bantay-cli-queue-'));
const stream = join(work, 'stream');
after(() => rmSync(work, { recursive: true, force: true }));

type Row = { reportId: string; tier: string; score: number; status: string };

describe('a --data folder that does not exist', () => {
  test('is refused by the commands that only read or change a database', async () => {
    const missing = join(work, 'typo');
    for (const args of [
      ['--data', missing, 'queue'],
      ['--data', missing, 'stats'],
      ['--data', missing, 'user', 'list'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 4, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /no database at .*typo: the folder does not exist/);
      assert.match(r.stderr, /--create/);
    }
    assert.equal(existsSync(missing), false, 'nothing was made');
  });

  test('is made by init, and accepted by any command given --create', async () => {
    const a = join(work, 'made-by-init');
    const init = await runCli(['--data', a, 'init']);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stderr, /Database ready: embedded database in/);
    assert.ok(existsSync(join(a, 'pg')));
    // --create is the same rule without a second database to make: the location is accepted.
    const b = join(work, 'made-by-create');
    const cmd = (create: boolean) => ({ optsWithGlobals: () => ({ data: b, ...(create ? { create: true } : {}) }) }) as unknown as Command;
    await assert.rejects(() => chosenLocation(cmd(false)), /the folder does not exist/);
    assert.deepEqual(await chosenLocation(cmd(true)), { backend: 'embedded', dataDir: b });
    assert.deepEqual(await chosenLocation(cmd(false), { creates: true }), { backend: 'embedded', dataDir: b });
  });

  test('a missing ingest path is an error, not a quarantine, and makes no database', async () => {
    const data = join(work, 'ingest-missing');
    const r = await runCli(['--data', data, 'ingest', join(work, 'no-such-folder')]);
    assert.equal(r.code, 4, 'not found');
    assert.match(r.stderr, /no such file or folder: .*no-such-folder \(nothing was ingested\)/);
    assert.equal(existsSync(data), false);
  });
});

for (const backend of testBackends()) {
  describe(`the queue from the CLI and the API on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    // Every report, paused and closed included, as the CLI lists it (filled by the parity test).
    let everything: Row[] = [];
    const cli = async (args: string[]): Promise<string> => {
      const r = await runCli(args, location);
      assert.equal(r.code, 0, `bantay ${args.join(' ')}\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };

    before(async () => {
      if (!existsSync(join(stream, 'reports'))) {
        const g = await runCli(['generate', '--reports', '80', '--seed', '11', '--days', '10', '--out', stream]);
        assert.equal(g.code, 0, g.stderr);
      }
      ({ location, dispose } = await backend.fresh());
      await cli(['ingest', join(stream, 'reports')]);
    });
    after(async () => {
      await dispose?.();
    });

    // Argument checks do not depend on the backend: they run once, on the embedded one.
    test(
      'an unknown tier, province or ESP is an error listing the valid values',
      { skip: backend.name !== 'embedded' && 'checked on the embedded backend' },
      async () => {
        const tier = await runCli(['queue', '--tier', 'URGENT'], location);
        assert.equal(tier.code, 2, 'bad input');
        assert.match(tier.stderr, /unknown tier "URGENT"; valid: IMMEDIATE, HIGH, STANDARD, LOW, NOISE, PAUSED/);
        const province = await runCli(['queue', '--province', 'Atlantis'], location);
        assert.equal(province.code, 2);
        assert.match(province.stderr, /unknown province "Atlantis"; valid: .*Cebu/);
        const esp = await runCli(['queue', '--esp', 'NoSuchProvider'], location);
        assert.equal(esp.code, 2);
        assert.match(esp.stderr, /unknown esp "NoSuchProvider"; valid: \S/);
        // A tier in any case and a province by name are understood.
        await cli(['queue', '--tier', 'noise', '--province', 'Cebu']);
      },
    );

    test('the CLI and the API give the same order under the same filters', async () => {
      const views: string[][] = [[], ['--tier', 'NOISE'], ['--status', 'all', '--sort', 'received_asc'], ['--include-paused', '--status', 'all']];
      const cliRows = new Map<string, Row[]>();
      for (const v of views) cliRows.set(v.join(' '), JSON.parse(await cli(['queue', '--json', '--limit', '200', ...v])) as Row[]);
      everything = cliRows.get('--include-paused --status all')!;
      // The embedded database admits one process at a time: the API opens it once the CLI is done.
      const store = await openStore(location);
      const { app, as } = await appWithRoles(store);
      try {
        const query = (v: string[]): string => {
          const q = new URLSearchParams({ limit: '200' });
          for (let i = 0; i < v.length; i++) {
            const k = v[i]!.replace(/^--/, '').replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
            if (k === 'includePaused') q.set(k, 'true');
            else q.set(k, v[++i]!);
          }
          return q.toString();
        };
        for (const v of views) {
          const res = await call(app, as.supervisor, 'GET', `/api/queue?${query(v)}`);
          assert.equal(res.statusCode, 200, res.body);
          const api = (res.json() as { items: Row[] }).items;
          const mine = cliRows.get(v.join(' '))!;
          assert.ok(mine.length > 0, `the view ${v.join(' ') || '(default)'} lists reports`);
          assert.deepEqual(
            api.map((i) => [i.reportId, i.tier]),
            mine.map((i) => [i.reportId, i.tier]),
            `view ${v.join(' ') || '(default)'}`,
          );
        }
        // The API refuses the same unknown tier with the same list.
        const bad = await call(app, as.supervisor, 'GET', '/api/queue?tier=URGENT');
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.json().error.code, 'UNKNOWN_FILTER_VALUE');
        assert.ok((bad.json().error.valid as string[]).includes('IMMEDIATE'));
      } finally {
        await app.close();
        await store.close();
      }
    });

    test('the rules preview counts tier changes against the live scores, and moves beyond a threshold', async () => {
      const live = JSON.parse(await cli(['rules', 'export'])) as Ruleset;
      // One weight changed, as an analyst would: every report of a Philippine nexus gains 40 harm.
      const candidate: Ruleset = { ...live, rules: live.rules.map((r) => (r.id === 'philippine' ? { ...r, effect: { add: 'harm', value: 40 } } : r)) };
      const file = join(work, `candidate-${backend.name}.json`);
      writeFileSync(file, JSON.stringify(candidate));
      type Change = {
        before: string;
        reports: number;
        threshold: number;
        movedUp: number;
        movedDown: number;
        movedSlightly: number;
        unchanged: number;
        tiersBefore: Record<string, number>;
        tierChanges: Record<string, number>;
      };
      const c = JSON.parse(await cli(['rules', 'test', file, '--json'])) as Change;
      assert.equal(c.before, 'stored', '"before" is the live queue as stored');
      // "Before" is the live queue: its tier counts are those of the stored scores.
      assert.equal(everything.length, c.reports, 'the parity test listed every report');
      const tally: Record<string, number> = {};
      for (const r of everything) tally[r.tier] = (tally[r.tier] ?? 0) + 1;
      assert.deepEqual(c.tiersBefore, tally);
      const changes = Object.entries(c.tierChanges);
      assert.ok(changes.length > 0, 'some reports change tier');
      assert.ok(changes.every(([k, n]) => /^[A-Z]+→[A-Z]+$/.test(k) && n > 0));
      assert.equal(c.threshold, Math.floor(c.reports / 100));
      assert.equal(c.movedUp + c.movedDown + c.movedSlightly + c.unchanged, c.reports);
      // A threshold as long as the queue: nothing counts as moved, the tier changes stay (printed).
      const text = await cli(['rules', 'test', file, '--threshold', String(c.reports)]);
      assert.match(text, /Compared with the live queue \(ruleset v\d+, its stored scores\)/);
      assert.match(text, new RegExp(`: 0 move up and 0 move down by more than ${c.reports} place`));
      for (const [k, n] of changes) assert.match(text, new RegExp(`${k}\\s+${n}\\b`));
    });
  });
}
