// The web app's upload (issue 20 item 1) through the API: report files and a transactions CSV in one
// upload become an ingest job whose progress counts bytes, whose result names files as uploaded and
// counts the transactions, and whose quarantined items are read back by run with their reasons; the
// jobs list says who asked and which files; a hash list import queues the processing of what it
// touched; the limits the page checks before sending.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackends } from './support/stores.ts';
import { repoRoot } from './support/shared.ts';
import { facilitatorsCsv } from './support/payments.ts';
import { apiSuite, call, finishJob, multipart } from './api-support.ts';
import { lastAuditRow } from '../src/store/audit.ts';

const fixtures = join(repoRoot, 'test', 'fixtures');

for (const backend of testBackends()) {
  describe(`the upload page's API on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const suite = apiSuite(backend);
    const send = async (
      who: 'supervisor' | 'analyst',
      url: string,
      files: { name: string; content: Buffer | string }[],
    ): Promise<{ statusCode: number; body: string; json(): unknown }> => {
      const m = multipart(files);
      const c = suite.as[who];
      return suite.app.inject({ method: 'POST', url, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.type }, payload: m.body });
    };

    test('reports and a transactions CSV in one upload: bytes of progress, the summary by uploaded names, quarantine reasons by run', async () => {
      const { app, as, store } = suite;
      const limits = await call(app, as.supervisor, 'GET', '/api/ingest');
      assert.equal(limits.statusCode, 200, limits.body);
      assert.ok(limits.json().maxFileBytes > 0 && limits.json().extensions.includes('.csv'));
      assert.equal((await call(app, as.analyst, 'GET', '/api/ingest')).statusCode, 403);

      const files = [
        { name: 'small-batch.xml', content: readFileSync(join(fixtures, 'cybertip', 'small-batch.xml')) },
        { name: 'bad batch.xml', content: readFileSync(join(fixtures, 'cybertip', 'quarantine.xml')) },
        { name: 'transactions.csv', content: facilitatorsCsv() },
        { name: 'notes.csv', content: 'a,b\n1,2\n' },
      ];
      const up = await send('supervisor', '/api/ingest', files);
      assert.equal(up.statusCode, 202, up.body);
      const jobId = (up.json() as { jobId: string }).jobId;
      const job = await finishJob(store, jobId);
      assert.equal(job.state, 'completed', job.error ?? '');
      assert.equal(job.progress?.stage, 'ingest');
      const total = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
      assert.equal(job.progress?.total, total, 'progress counts the bytes of every uploaded file');
      type Summary = {
        runId: number;
        loaded: number;
        quarantined: number;
        processJob: string;
        transactions: { loaded: number; files: { path: string }[] } | null;
      };
      const s = job.result as Summary;
      assert.ok(s.loaded >= 2, `loaded ${s.loaded}`);
      assert.ok(s.quarantined > 0);
      assert.equal(s.transactions?.loaded, 24, 'the transactions CSV was recognised by its header and loaded');
      assert.deepEqual(
        s.transactions?.files.map((f) => f.path),
        ['transactions.csv'],
      );
      assert.equal((await finishJob(store, s.processJob)).state, 'completed');

      // The run's quarantine, with reasons, files named as uploaded (a CSV that is not transactions among them).
      const q = await call(app, as.supervisor, 'GET', `/api/quarantine?runId=${s.runId}`);
      assert.equal(q.statusCode, 200, q.body);
      const items = q.json() as { file: string; reason: string }[];
      assert.ok(
        items.some((i) => i.file === 'bad_batch.xml' && i.reason.length > 0),
        JSON.stringify(items.slice(0, 3)),
      );
      assert.ok(items.some((i) => i.file === 'notes.csv' && /transactions columns/.test(i.reason)));
      assert.ok(
        items.every((i) => !i.file.includes('/') && !i.file.includes('upload-')),
        'no server path',
      );
      assert.equal((await call(app, as.analyst, 'GET', `/api/quarantine?runId=${s.runId}`)).statusCode, 403);

      // The jobs list says who asked and which files.
      const jobs = (await call(app, as.supervisor, 'GET', '/api/jobs')).json() as {
        id: string;
        kind: string;
        requestedByName: string | null;
        files?: string[];
      }[];
      const mine = jobs.find((j) => j.id === jobId)!;
      assert.equal(mine.requestedByName, 'super1');
      assert.deepEqual(mine.files, ['small-batch.xml', 'bad_batch.xml', 'transactions.csv', 'notes.csv']);
      assert.ok(jobs.some((j) => j.id === s.processJob && j.kind === 'process' && j.requestedByName === 'super1'));
      assert.equal((await call(app, as.analyst, 'GET', '/api/jobs')).json().length, 0, 'an analyst sees only their own jobs');
    });

    test('a hash list import queues the processing of the reports it touches', async () => {
      const { store } = suite;
      const r = await send('supervisor', '/api/hashlists', [{ name: 'list.csv', content: readFileSync(join(fixtures, 'hashes', 'list.csv')) }]);
      assert.equal(r.statusCode, 400, 'a list needs a name');
      const m = multipart([{ name: 'list.csv', content: readFileSync(join(fixtures, 'hashes', 'list.csv')) }]);
      const body = Buffer.concat([
        Buffer.from(`--${m.type.split('boundary=')[1]}\r\nContent-Disposition: form-data; name="name"\r\n\r\nknown-test\r\n`),
        m.body,
      ]);
      const c = suite.as.supervisor;
      const ok = await suite.app.inject({
        method: 'POST',
        url: '/api/hashlists',
        headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.type },
        payload: body,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const out = ok.json() as { outcome: string; entries: number; processJob: string | null };
      assert.equal(out.outcome, 'created');
      assert.ok(out.entries > 0);
      // Its PDQ entries mark their near copies for the signal stage: there is work to process.
      assert.equal(typeof out.processJob, 'string');
      assert.equal((await finishJob(store, out.processJob!)).state, 'completed');
    });

    test('turning a hash list off and on queues the processing of the reports it touches', async () => {
      const { store } = suite;
      const c = suite.as.supervisor;
      const toggle = (name: string, enabled: boolean) =>
        suite.app.inject({
          method: 'POST',
          url: `/api/hashlists/${name}/enable`,
          headers: { cookie: c.cookie, 'x-csrf-token': c.csrf },
          payload: { enabled },
        });
      assert.equal((await toggle('no-such-list', false)).statusCode, 404);
      const off = await toggle('known-test', false);
      assert.equal(off.statusCode, 200, off.body);
      const job = (off.json() as { processJob: string | null }).processJob;
      assert.equal(typeof job, 'string', 'its entries mark what they touch');
      assert.equal((await finishJob(store, job!)).state, 'completed');
      // Already off: nothing changes, nothing to process.
      const again = await toggle('known-test', false);
      assert.deepEqual(again.json(), { ok: true, processJob: null });
      const on = await toggle('known-test', true);
      const onJob = (on.json() as { processJob: string | null }).processJob;
      assert.equal(typeof onJob, 'string');
      const audited = await lastAuditRow(store.db);
      assert.equal(audited?.action, 'hashlist.enable');
      assert.deepEqual(JSON.parse(audited?.detail ?? '{}'), { processJob: onJob });
      assert.equal((await finishJob(store, onJob!)).state, 'completed');
    });
  });
}
