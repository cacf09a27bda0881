// Letters from agency templates (issue 20 item 4): a preservation request to the ESP and a
// subscriber request to a carrier, written from the shipped template until an administrator stores
// the agency's own, each recorded in the audit trail; and the alert feed of new top-tier reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { repoRoot } from './support/shared.ts';
import { apiSuite, call } from './api-support.ts';
import { ingestPaths } from '../src/ingest/run.ts';
import { processNew } from '../src/pipeline/process.ts';
import { docxText } from '../src/export/verify.ts';

for (const backend of testBackends()) {
  describe(`letters and templates through the API on the ${backend.name} backend`, { skip: backend.skip }, () => {
    const suite = apiSuite(backend);

    test("a preservation request from the shipped template, then from the agency's own; both audited", async () => {
      const { app, as, store } = suite;
      await ingestPaths(store, [join(repoRoot, 'test', 'fixtures', 'cybertip', 'kitchen-sink.xml')]);
      await processNew(store, {});
      const id = (await call(app, as.analyst, 'GET', '/api/queue?limit=1&status=all')).json().items[0].reportId as string;

      const shipped = await call(app, as.analyst, 'GET', `/api/reports/${id}/letters/preservation-request.docx`);
      assert.equal(shipped.statusCode, 200, shipped.body);
      const text = await docxText(shipped.rawPayload);
      assert.match(text, /Request to preserve records/);
      assert.match(text, new RegExp(`CyberTipline report ${id}`));
      assert.match(text, /18 U\.S\.C\. § 2703\(f\)/);

      // Only an administrator changes the wording, and a template that does not compile is refused.
      const body = '# Our agency\n\nPlease preserve the accounts of {{join letter.reportIds ", "}} for {{letter.esp}}.\n';
      assert.equal((await call(app, as.supervisor, 'PUT', '/api/templates/preservation-request', { body })).statusCode, 403);
      assert.equal((await call(app, as.admin, 'PUT', '/api/templates/preservation-request', { body: '{{#if}}' })).statusCode, 422);
      const saved = await call(app, as.admin, 'PUT', '/api/templates/preservation-request', { body });
      assert.equal(saved.statusCode, 200, saved.body);
      const list = (await call(app, as.supervisor, 'GET', '/api/templates')).json() as Array<{ name: string; source: string }>;
      assert.deepEqual(
        list.filter((t) => t.name === 'preservation-request').map((t) => t.source),
        ['stored'],
      );
      assert.ok(list.some((t) => t.name === 'subscriber-request' && t.source === 'builtin'));
      const own = await call(app, as.analyst, 'GET', `/api/reports/${id}/letters/preservation-request.docx`);
      assert.match(await docxText(own.rawPayload), new RegExp(`Please preserve the accounts of ${id} for`));

      // A carrier the report has no session with is an error naming the carriers it has.
      const none = await call(app, as.analyst, 'GET', `/api/reports/${id}/letters/subscriber-request.pdf?carrier=No%20Such%20Telecom`);
      assert.equal(none.statusCode, 400);
      assert.equal(none.json().error.code, 'NO_SUCH_CARRIER');

      const audit = await sql<{
        action: string;
        target_id: string;
        detail: string;
      }>`select action, target_id, detail::text as detail from audit_log where action in ('letter', 'template.save') order by seq`.execute(store.db);
      assert.deepEqual(
        audit.rows.map((r) => r.action),
        ['letter', 'template.save', 'letter'],
      );
      const first = JSON.parse(audit.rows[0]!.detail) as { letter: string; template: { source: string }; reportIds: string[] };
      assert.equal(first.letter, 'preservation-request');
      assert.equal(first.template.source, 'builtin');
      assert.deepEqual(first.reportIds, [id]);
      assert.equal((JSON.parse(audit.rows[2]!.detail) as { template: { source: string } }).template.source, 'stored');
    });

    test('the urgent feed lists open top-tier reports that arrived today', async () => {
      const { app, as, store } = suite;
      const feed = (await call(app, as.analyst, 'GET', '/api/alerts/urgent')).json() as { tier: string; reports: Array<{ reportId: string }> };
      assert.equal(feed.tier, 'IMMEDIATE');
      const immediate = await sql<{ report_id: string }>`select report_id from triage_scores where tier = 'IMMEDIATE' and not paused`.execute(store.db);
      assert.deepEqual(feed.reports.map((r) => r.reportId).sort(), immediate.rows.map((r) => r.report_id).sort());
    });
  });
}
