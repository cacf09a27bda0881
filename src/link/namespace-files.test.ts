// An agency extends the account-namespace table with a file: checked with readable errors,
// stored, used by every run (both backends).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, putReports } from '../../test/fixtures/link/reports.ts';
import { listNamespaceFiles, removeNamespaceFile } from '../store/account-namespaces.ts';
import { describeNamespaces, importNamespaceFile, loadNamespaces, parseNamespaceFile } from './namespace-files.ts';
import { listSubjects } from './query.ts';
import { runLink } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'bantay-namespaces-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CHATTERBOX = {
  name: 'pnp-acg-2026',
  products: [
    {
      names: ['Chatterbox', 'Chatterbox Messenger', 'CBX'],
      ids: 'chatterbox',
      company: 'chatterbox',
      profiles: [{ hosts: ['chatterbox.example'], path: '^/u/(?<handle>[a-z0-9_]{3,30})(?:[/?#]|$)' }],
      note: 'Chatterbox told the unit in writing that its products share one account system.',
    },
  ],
  companies: [{ id: 'chatterbox', names: ['Chatterbox Ltd'], domains: ['chatterbox.example'] }],
};

test('a namespace file is checked: every problem is named with where it is', () => {
  assert.equal(parseNamespaceFile(CHATTERBOX, 'x.json').name, 'pnp-acg-2026');
  const bad = {
    products: [
      { names: ['A'], ids: 'Has Spaces', company: 'nobody' },
      { names: [], company: 'meta' },
      { names: ['B'], ids: 'b', company: 'meta', profiles: [{ hosts: ['b.example'], path: '^/(?<id>\\d+)/(?<handle>\\w+)' }] },
      { names: ['C'], ids: 'c', company: 'meta', profiles: [{ hosts: ['c.example'], path: '^/(' }] },
    ],
    extra: true,
  };
  assert.throws(
    () => parseNamespaceFile(bad, 'agency.json'),
    (err: Error) => {
      for (const expected of [
        'agency.json is not an account-namespace file',
        '/products/0/ids',
        "/products/1: must have required property 'ids'",
        '/products/1/names',
        '/: must NOT have additional properties',
      ]) {
        assert.ok(err.message.includes(expected), `${expected} in ${err.message}`);
      }
      return true;
    },
  );
  // Past the schema: patterns and companies.
  assert.throws(
    () =>
      parseNamespaceFile(
        {
          products: [
            {
              names: ['B'],
              ids: 'b',
              company: 'nobody',
              profiles: [
                { hosts: ['b.example'], path: '^/(?<id>\\d+)/(?<handle>\\w+)' },
                { hosts: ['c.example'], path: '^/(' },
              ],
            },
          ],
        },
        'f.json',
      ),
    /company: "nobody" is neither.*\n.*profiles\/0\/path: needs exactly one named group.*\n.*profiles\/1\/path: not a regular expression/,
  );
  assert.throws(() => parseNamespaceFile({}, 'empty.json'), /no products and no companies/);
});

for (const backend of testBackends()) {
  describe(`agency namespace files on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('an imported file joins names the built-in table does not know, and its profile URL form', async () => {
      const store = await backend.open();
      try {
        const cbx = (id: string, party: Parameters<typeof makeReport>[1]): ReturnType<typeof makeReport> =>
          makeReport(id, party, {
            incident: {
              incidentType: 'Online Enticement of Children for Sexual Acts',
              platform: id === '801' ? 'CBX' : 'Chatterbox Messenger',
              reportAnnotations: [],
              incidentDateTime: '2026-01-04T00:00:00Z',
            },
          });
        await putReports(store, [
          cbx('800', { espIdentifier: 'cb-user-884412' }),
          cbx('801', { espIdentifier: 'cb-user-884412' }),
          cbx('810', { screenName: 'kuya_juan88', groupIdentifier: 'grp-9' }),
          cbx('811', { profileUrls: ['https://chatterbox.example/u/kuya_juan88'], groupIdentifier: 'grp-9' }),
        ]);
        await runLink(store);
        assert.deepEqual(
          (await listSubjects(store)).map((s) => s.reportIds),
          [],
          'unknown names are kept apart',
        );

        const file = join(dir, 'chatterbox.json');
        writeFileSync(file, JSON.stringify(CHATTERBOX));
        assert.deepEqual(await importNamespaceFile(store, file), { name: 'pnp-acg-2026', products: 1, companies: 1, outcome: 'added' });
        assert.equal((await importNamespaceFile(store, file)).outcome, 'unchanged');
        assert.deepEqual(
          (await listNamespaceFiles(store.db)).map((f) => f.name),
          ['pnp-acg-2026'],
        );
        assert.ok((await describeNamespaces(store)).some((r) => r.source === 'pnp-acg-2026' && r.ids === 'chatterbox'));
        assert.equal((await loadNamespaces(store)).resolve('CBX', {}).ids, 'chatterbox');

        await runLink(store, { rebuild: true });
        assert.deepEqual((await listSubjects(store)).map((s) => s.reportIds).sort(), [
          ['800', '801'],
          ['810', '811'],
        ]);

        assert.equal(await removeNamespaceFile(store.db, 'pnp-acg-2026'), true);
        await runLink(store, { rebuild: true });
        assert.deepEqual(
          (await listSubjects(store)).map((s) => s.reportIds),
          [],
        );
        const broken = join(dir, 'broken.json');
        writeFileSync(broken, '{ "products": [ ');
        await assert.rejects(importNamespaceFile(store, broken), /broken\.json is not JSON/);
      } finally {
        await store.close();
      }
    });
  });
}
