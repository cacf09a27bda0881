import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/shared.ts';
import { testBackends } from '../../test/support/stores.ts';
import { runCli } from '../../test/support/cli.ts';
import { parseListFile, LIST_DTD_REASON } from './lists.ts';
import { importHashList } from './import.ts';
import { listHashLists, setHashListEnabled, type HashListEntryInput } from '../store/hashes.ts';
import type { HashLookup } from './lookup.ts';

const fx = (f: string): string => join(repoRoot, 'test', 'fixtures', 'hashes', f);
const entry = (l: { entries: HashListEntryInput[] }, value: string): HashListEntryInput | undefined => l.entries.find((e) => e.value === value);

test('CSV: header columns, normalised, duplicates, empty-file and invalid values dropped', async () => {
  const l = await parseListFile(fx('list.csv'));
  assert.equal(l.format, 'csv');
  assert.deepEqual(l.dropped, { empty: 1, invalid: 1, duplicate: 1 });
  assert.equal(l.entries.length, 4);
  assert.deepEqual(entry(l, '0123456789abcdef0123456789abcdef'), {
    type: 'md5',
    value: '0123456789abcdef0123456789abcdef',
    category: '1',
    series: 'series-alpha',
    victimIdentified: false,
    quality: null,
  });
  assert.equal(entry(l, 'd8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22')?.type, 'pdq');
});

test('VICS 2.x: media records, SubMedia inheriting the category, US profile by default', async () => {
  const l = await parseListFile(fx('vics-2.json'));
  assert.equal(l.format, 'vics');
  assert.equal(l.profile, 'US');
  assert.deepEqual(entry(l, '11111111111111111111111111111111'), {
    type: 'md5',
    value: '11111111111111111111111111111111',
    category: '1',
    series: 'Series A',
    victimIdentified: true,
    quality: null,
  });
  assert.equal(entry(l, '33333333333333333333333333333333')?.category, '2');
  assert.equal(entry(l, '44444444444444444444444444444444')?.category, '3');
  assert.equal(l.entries.length, 5); // 1 md5 + 1 sha1 + 3 md5; empty SHA1 skipped, empty-file MD5 dropped
  assert.equal(l.dropped.empty, 1);
});

test('VICS 1.x: cases holding media', async () => {
  const l = await parseListFile(fx('vics-1.json'), 'vics', { profile: 'CA' });
  assert.equal(l.profile, 'CA');
  assert.equal(l.entries.length, 3);
  assert.equal(entry(l, '55555555555555555555555555555555')?.series, 'Series B');
});

test('NCMEC hash-sharing XML: images and videos, deleted entries skipped, DOCTYPE refused', async () => {
  const l = await parseListFile(fx('ncmec.xml'));
  assert.equal(l.format, 'ncmec');
  assert.equal(l.listDate, '2019-01-10T16:00:00Z');
  assert.deepEqual(l.entries.map((e) => `${e.type}:${e.value.slice(0, 4)}:${e.category}`).sort(), [
    'md5:7777:A1',
    'md5:8888:B2',
    'md5:9999:null',
    'pdq:d8f8:A1',
    'photodna:AAEC:B2',
    'sha1:7777:A1',
  ]);
  await assert.rejects(parseListFile(fx('ncmec-dtd.xml')), { message: LIST_DTD_REASON });
});

for (const b of testBackends()) {
  test(`list import is idempotent, replaceable and can be disabled (${b.name})`, { skip: b.skip }, async (t) => {
    const store = await b.open();
    t.after(() => store.close());
    const a = await importHashList(store, fx('list.csv'), { name: 'local', source: 'unit test' });
    assert.equal(a.outcome, 'created');
    assert.equal((await importHashList(store, fx('list.csv'), { name: 'local', source: 'unit test' })).outcome, 'unchanged');
    assert.equal((await importHashList(store, fx('vics-2.json'), { name: 'local', source: 'unit test' })).outcome, 'replaced');
    await importHashList(store, fx('ncmec.xml'), { name: 'ncmec' });
    let lists = await listHashLists(store.db);
    assert.deepEqual(
      lists.map((l) => [l.name, l.format, l.entryCount, l.enabled]),
      [
        ['local', 'vics', 5, true],
        ['ncmec', 'ncmec', 6, true],
      ],
    );
    const rows = await store.db
      .selectFrom('hash_list_entries')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(rows.n), 11);
    assert.equal(await setHashListEnabled(store.db, 'ncmec', false), true);
    assert.equal(await setHashListEnabled(store.db, 'nope', false), false);
    lists = await listHashLists(store.db);
    assert.equal(lists.find((l) => l.name === 'ncmec')!.enabled, false);
  });

  test(`CLI: ingest, import, hashes update, hash lookup, disable (${b.name})`, { skip: b.skip, timeout: 300_000 }, async (t) => {
    const f = await b.fresh();
    t.after(() => f.dispose());
    const md5 = '0123456789abcdef0123456789abcdef';
    assert.equal((await runCli(['ingest', '--no-process', join(repoRoot, 'test', 'fixtures', 'cybertip', 'kitchen-sink.xml')], f.location)).code, 0);
    const imp = await runCli(['hashlist', 'import', fx('list.csv'), '--name', 'local', '--format', 'csv', '--source', 'test'], f.location);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout, /created, 4 entries/);
    assert.match(
      (await runCli(['hashlist', 'import', fx('list.csv'), '--name', 'local', '--format', 'csv', '--source', 'test'], f.location)).stdout,
      /unchanged/,
    );
    const up = await runCli(['hashes', 'update', '--json'], f.location);
    assert.equal(up.code, 0, up.stderr);
    const summary = JSON.parse(up.stdout) as { emptyIgnored: number; novelty: Record<string, number> };
    assert.ok(summary.emptyIgnored >= 1, 'the kitchen sink carries the empty SHA256');
    assert.equal(summary.novelty.known, 1);
    const h = await runCli(['hash', md5.toUpperCase(), '--json'], f.location);
    const r = JSON.parse(h.stdout) as HashLookup;
    assert.equal(r.value, md5);
    assert.equal(r.reports.length, 1);
    assert.equal(r.reports[0]!.novelty, 'known');
    assert.deepEqual(
      r.lists.map((l) => [l.list, l.category, l.series]),
      [['local', '1', 'series-alpha']],
    );
    const empty = JSON.parse(
      (await runCli(['hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '--json'], f.location)).stdout,
    ) as HashLookup;
    assert.equal(empty.emptyFile, true);
    assert.deepEqual(empty.reports, []);
    const sig = await runCli(['hashes', 'signals', r.reports[0]!.reportId, '--json'], f.location);
    const sr = JSON.parse(sig.stdout) as { novelty: string; known: boolean; evidence: { known: { list: string }[] }[] };
    assert.equal(sr.known, true);
    assert.ok(sr.evidence.some((file) => file.known.some((k) => k.list === 'local')));
    assert.equal((await runCli(['hashlist', 'disable', 'local'], f.location)).code, 0);
    const up2 = JSON.parse((await runCli(['hashes', 'update', '--json'], f.location)).stdout) as { novelty: Record<string, number> };
    assert.equal(up2.novelty.known, undefined);
    const ls = JSON.parse((await runCli(['hashlist', 'list', '--json'], f.location)).stdout) as { name: string; enabled: boolean }[];
    assert.deepEqual(
      ls.map((l) => [l.name, l.enabled]),
      [['local', false]],
    );
  });
}
