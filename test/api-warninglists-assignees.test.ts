// Warninglist management through the API (list, upload, enable/disable, audited) and the list of
// accounts a supervisor may assign to, on both backends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends } from './support/stores.ts';
import { createUser, setDisabled } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { apiSuite, call, multipart, type Caller } from './api-support.ts';

const VPN = JSON.stringify({ name: 'Test VPN ranges', type: 'cidr', description: 'synthetic', version: 3, list: ['198.51.100.0/24', '2001:db8::/32'] });

for (const backend of testBackends()) {
  describe(`API warninglists and assignees on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const suite = apiSuite(backend);
    const post = (who: Caller, files: { name: string; content: string }[]) => {
      const m = multipart(files.map((f) => ({ ...f, type: 'application/json' })));
      return suite.app.inject({
        method: 'POST',
        url: '/api/warninglists',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': m.type },
        payload: m.body,
      });
    };
    const audits = async (action: string): Promise<number> =>
      (await suite.store.db.selectFrom('audit_log').select('seq').where('action', '=', action).execute()).length;

    test('an admin imports a MISP warninglist; the same file again changes nothing; analysts read the list', async () => {
      const { app, as } = suite;
      assert.deepEqual((await call(app, as.analyst, 'GET', '/api/warninglists')).json(), []);
      const r = await post(as.admin, [{ name: 'vpn.json', content: VPN }]);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json(), [{ name: 'Test VPN ranges', entries: 2, outcome: 'added' }]);
      assert.equal((await post(as.admin, [{ name: 'vpn.json', content: VPN }])).json()[0].outcome, 'unchanged');
      const list = (await call(app, as.analyst, 'GET', '/api/warninglists')).json();
      assert.equal(list.length, 1);
      assert.equal(list[0].source, 'upload:vpn.json');
      assert.deepEqual([list[0].name, list[0].type, list[0].entries, list[0].enabled, list[0].version], ['Test VPN ranges', 'cidr', 2, true, 3]);
      assert.equal(await audits('warninglist.import'), 2);
      // Only admins import.
      assert.equal((await post(as.supervisor, [{ name: 'vpn.json', content: VPN }])).statusCode, 403);
    });

    test('bad uploads are refused with a stable code and store nothing', async () => {
      const { app, as } = suite;
      for (const content of ['{not json', JSON.stringify({ name: 'x', type: 'cidr' }), JSON.stringify({ name: 'x', type: 'cidr', list: [1, 2] }), '[]']) {
        const r = await post(as.admin, [{ name: 'bad.json', content }]);
        assert.equal(r.statusCode, 400, content);
        assert.equal(r.json().error.code, 'BAD_WARNINGLIST', content);
      }
      const none = await app.inject({
        method: 'POST',
        url: '/api/warninglists',
        headers: { cookie: as.admin.cookie, 'x-csrf-token': as.admin.csrf, 'content-type': 'application/json' },
        payload: '{}',
      });
      assert.equal(none.statusCode >= 400 && none.statusCode < 500, true);
      assert.equal((await call(app, as.analyst, 'GET', '/api/warninglists')).json().length, 1);
    });

    test('an admin disables and enables a list (audited); unknown names are 404', async () => {
      const { app, as } = suite;
      const name = encodeURIComponent('Test VPN ranges');
      const off = await call(app, as.admin, 'POST', `/api/warninglists/${name}/enable`, { enabled: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal((await call(app, as.analyst, 'GET', '/api/warninglists')).json()[0].enabled, false);
      assert.equal((await call(app, as.admin, 'POST', `/api/warninglists/${name}/enable`, { enabled: true })).statusCode, 200);
      assert.equal((await call(app, as.analyst, 'GET', '/api/warninglists')).json()[0].enabled, true);
      assert.equal(await audits('warninglist.disable'), 1);
      assert.equal(await audits('warninglist.enable'), 1);
      const missing = await call(app, as.admin, 'POST', '/api/warninglists/nope/enable', { enabled: false });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'NOT_FOUND');
      assert.equal((await call(app, as.supervisor, 'POST', `/api/warninglists/${name}/enable`, { enabled: false })).statusCode, 403);
    });

    test("assignees: every active worker when the queue is open; only the supervisor's team when it is closed", async () => {
      const { app, as, store } = suite;
      await createUser(store, { username: 'analyst3', password: randomPassword(), role: 'analyst', team: 'team-a' });
      await createUser(store, { username: 'gone', password: randomPassword(), role: 'analyst', team: 'team-a' });
      await setDisabled(store, 'gone', true, { userId: as.admin.id, username: 'admin1', ip: '127.0.0.1' });
      const open = (await call(app, as.supervisor, 'GET', '/api/assignees')).json() as { username: string; role: string }[];
      assert.deepEqual(
        open.map((u) => u.username),
        ['admin1', 'analyst1', 'analyst2', 'analyst3', 'super1'],
        'no auditor, no disabled account',
      );
      assert.equal((await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: false })).statusCode, 200);
      const closed = (await call(app, as.supervisor, 'GET', '/api/assignees')).json() as { username: string; team: string }[];
      assert.deepEqual(
        closed.map((u) => u.username),
        ['analyst1', 'analyst3', 'super1'],
      );
      assert.ok(closed.every((u) => u.team === 'team-a'));
      assert.equal((await call(app, as.admin, 'GET', '/api/assignees')).json().length, 5, 'an admin assigns to anyone');
      assert.equal((await call(app, as.analyst, 'GET', '/api/assignees')).statusCode, 403);
      await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: true });
    });
  });
}
