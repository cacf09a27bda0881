// Upload and ingest through the API (same quarantine rules as the CLI), then export a report and a
// case package; every export is audited.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackends } from './support/stores.ts';
import { repoRoot } from './support/shared.ts';
import { apiSuite, call, finishJob, multipart } from './api-support.ts';

for (const backend of testBackends()) {
  describe(`API upload and exports on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const suite = apiSuite(backend);

    test('ingest upload loads good reports and quarantines bad ones; exports are served and audited', async () => {
      const { app, as } = suite;
      const dir = join(repoRoot, 'test', 'fixtures', 'cybertip');
      const m = multipart([
        { name: 'small-batch.xml', content: readFileSync(join(dir, 'small-batch.xml')), type: 'application/xml' },
        { name: '../../evil name.xml', content: readFileSync(join(dir, 'malformed-mid-batch.xml')), type: 'application/xml' },
      ]);
      const up = await app.inject({
        method: 'POST',
        url: '/api/ingest',
        headers: { cookie: as.supervisor.cookie, 'x-csrf-token': as.supervisor.csrf, 'content-type': m.type },
        payload: m.body,
      });
      assert.equal(up.statusCode, 202, up.body);
      const job = await finishJob(suite.store, (up.json() as { jobId: string }).jobId);
      assert.equal(job.state, 'completed', job.error ?? '');
      const s = job.result as { loaded: number; quarantined: number; status: string; processJob: string };
      assert.ok(s.loaded > 0);
      assert.ok(s.quarantined > 0);
      assert.equal((await finishJob(suite.store, s.processJob)).state, 'completed');
      const analystUp = await app.inject({
        method: 'POST',
        url: '/api/ingest',
        headers: { cookie: as.analyst.cookie, 'x-csrf-token': as.analyst.csrf, 'content-type': m.type },
        payload: m.body,
      });
      assert.equal(analystUp.statusCode, 403);

      const id = (await call(app, as.analyst, 'GET', '/api/queue?limit=1')).json().items[0].reportId as string;
      const csv = await call(app, as.analyst, 'GET', `/api/reports/${id}/export/iptable.csv`);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /attachment/);
      const docx = await call(app, as.analyst, 'GET', `/api/reports/${id}/export/report.docx`);
      assert.equal(docx.statusCode, 200, docx.body);
      assert.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK');
      assert.equal((await call(app, as.analyst, 'GET', `/api/reports/${id}/export/nothing.exe`)).statusCode, 400);
      assert.equal((await call(app, as.analyst, 'GET', '/api/reports/999999999/export/media.csv')).statusCode, 404);

      const c = (
        await call(app, as.supervisor, 'POST', '/api/cases', { title: 'Package', leadId: as.supervisor.id, items: [{ kind: 'report', itemId: id }] })
      ).json();
      const pkg = await call(app, as.analyst, 'POST', `/api/cases/${c.id}/package`, { recipient: 'PNP-WCPC' });
      assert.equal(pkg.statusCode, 200, pkg.body);
      assert.equal(pkg.rawPayload.subarray(0, 2).toString(), 'PK');
      const trail = (await call(app, as.auditor, 'GET', '/api/audit?limit=100')).json() as { action: string; targetKind: string | null }[];
      assert.equal(trail.filter((e) => e.action === 'export').length, 3);
      assert.ok(trail.some((e) => e.action === 'ingest'));
      assert.equal((await call(app, as.auditor, 'GET', '/api/audit/verify')).json().ok, true);
    });
  });
}
