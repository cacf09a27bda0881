// The web app's Upload and Jobs pages (issue 20 item 1) in a real browser, on both backends (the
// in-process runner on the embedded database, pg-boss on a server: the jobs differ, the page must not):
// a supervisor uploads a small generated XML bundle, a transactions CSV and a file with bad reports
// through the file picker; each upload's ingest job and the processing job it queued finish with
// their progress bars full; the summary counts the reports and transactions, and "Why?" lists the
// quarantined items with their reasons; the reports appear in the queue; the Jobs page lists the
// completed jobs with who asked. Debian's Chromium through playwright-core, `bantay serve` on
// loopback, screenshots in test-artifacts/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../support/cli.ts';
import { repoRoot } from '../support/shared.ts';
import { testBackends } from '../support/stores.ts';
import { freePort } from '../support/net.ts';
import type { StoreLocation } from '../../src/store/database.ts';
import { addUser, CHROMIUM, ensureWebBuilt, missingPieces, SHOTS, startServe, USER, signIn, tearDown } from './flow.ts';

const missing = await missingPieces();
const skipAll = missing.length ? `the web app tests need ${missing.join(', ')}` : false;
const work = mkdtempSync(join(tmpdir(), 'bantay-web-upload-'));
const stream = join(work, 'stream');
after(() => rmSync(work, { recursive: true, force: true }));

// The generator's first day holds one bundle of plain XML.
function bundle(): string {
  const days = readdirSync(join(stream, 'reports')).sort();
  for (const day of days) {
    const xml = readdirSync(join(stream, 'reports', day)).find((n) => /^batch-\d+\.xml$/.test(n));
    if (xml) return join(stream, 'reports', day, xml);
  }
  throw new Error('the generated stream has no plain XML bundle');
}

before(async () => {
  if (skipAll) return;
  await ensureWebBuilt();
  const g = await runCli(['generate', '--reports', '40', '--seed', '13', '--days', '4', '--out', stream]);
  assert.equal(g.code, 0, g.stderr);
});

for (const backend of testBackends()) {
  describe(`upload and jobs in the web app on the ${backend.name} backend`, { skip: skipAll || backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    let serve: { child: ChildProcess; url: string; log: () => string } | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const shot = async (name: string): Promise<void> => {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${backend.name}-${name}.png`), fullPage: true });
    };
    const api = async <T>(path: string): Promise<T> => {
      const r = await page.request.get(`${serve!.url}/api${path}`);
      assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
      return (await r.json()) as T;
    };

    before(async () => {
      ({ location, dispose } = await backend.fresh());
      const init = await runCli(['init'], location);
      assert.equal(init.code, 0, init.stderr + init.stdout);
      const u = await addUser(location, 'supervisor');
      assert.equal(u.code, 0, u.out);
      serve = await startServe(location, await freePort());
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
      page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-PH', acceptDownloads: true })).newPage();
      await page.goto(`${serve.url}/#/upload`);
      await signIn(page);
      await page.getByRole('heading', { name: 'Upload reports and transactions' }).waitFor();
    });
    after(async () => {
      await tearDown(browser, serve, dispose);
    });

    test('upload reports and transactions: each job finishes with its bar full, the summary in words, the reports in the queue', async () => {
      assert.equal((await api<{ items: unknown[] }>('/queue?status=all&limit=1')).items.length, 0, 'an empty database');
      const files = [bundle(), join(stream, 'transactions.csv'), join(repoRoot, 'test', 'fixtures', 'cybertip', 'quarantine.xml')];
      await page.locator('input[name=reportFiles]').setInputFiles(files);
      const items = page.locator('li.upload-item');
      await items.nth(2).waitFor();
      // Every upload ends with its processing job done (the uploads go one after another).
      for (const name of ['batch-0001.xml', 'transactions.csv', 'quarantine.xml']) {
        const done = page.locator(`li.upload-item[data-file="${name}"] .upload-jobs[data-done=yes]`);
        await done.waitFor({ timeout: 180_000 });
        const bars = done.locator('.job-bar[data-state=completed] progress');
        assert.equal(await bars.count(), 2, `${name}: the ingest and the processing bars`);
        for (const v of await bars.evaluateAll((els) => els.map((e) => (e as unknown as { value: number }).value))) assert.equal(v, 1, `${name}: a full bar`);
      }
      await page.locator('li.upload-item').first().scrollIntoViewIfNeeded();
      await shot('30-upload');

      const outcome = (name: string) => page.locator(`li.upload-item[data-file="${name}"] [data-testid=ingest-outcome]`);
      const loadedFromBundle = Number(await outcome('batch-0001.xml').getAttribute('data-loaded'));
      const loadedFromBad = Number(await outcome('quarantine.xml').getAttribute('data-loaded'));
      assert.ok(loadedFromBundle > 0, 'the bundle loaded reports');
      assert.ok(Number(await outcome('transactions.csv').getAttribute('data-transactions')) > 0, 'the CSV loaded transactions');
      assert.match((await outcome('transactions.csv').locator('[data-testid=transactions]').textContent()) ?? '', /transactions? loaded of/);

      // The reports are in the queue, ranked.
      const queue = await api<{ total: number; items: Array<{ reportId: string; tier: string | null }> }>('/queue?status=all&limit=500');
      // Counted from the rows: the queue's total is a cached count that may lag new reports by seconds.
      assert.equal(queue.items.length, loadedFromBundle + loadedFromBad);
      assert.ok(
        queue.items.every((i) => i.tier !== null),
        'every uploaded report is scored',
      );
      await page.locator(`li.upload-item[data-file="batch-0001.xml"]`).getByRole('link', { name: 'Open the queue' }).click();
      await page.waitForSelector('table.queue-table tbody tr');
      const shown = await page.locator('table.queue-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-report')));
      assert.ok(shown.length > 0 && shown.every((id) => queue.items.some((i) => i.reportId === id)), 'the queue shows the uploaded reports');

      // Back on the page, the uploads are still listed; "Why?" lists what was set aside, by file and reason.
      await page.goto(`${serve!.url}/#/upload`);
      const why = page.locator('li.upload-item[data-file="quarantine.xml"] [data-testid=quarantined]').getByRole('link', { name: 'Why?' });
      await why.click();
      const rows = page.locator('table.quarantine-table tbody tr');
      await rows.first().waitFor();
      assert.ok((await rows.count()) > 0);
      assert.ok(
        (await rows.allTextContents()).every((r) => r.includes('quarantine.xml')),
        'files named as uploaded',
      );
      await page.locator('section.quarantine').scrollIntoViewIfNeeded();
      await shot('31-upload-quarantine');
    });

    test('the Jobs page lists the completed jobs with who asked, and nothing is left running', async () => {
      await page.goto(`${serve!.url}/#/jobs`);
      await page.waitForSelector('table.jobs-table tbody tr');
      const jobs = await api<Array<{ id: string; kind: string; state: string }>>('/jobs');
      const ingests = jobs.filter((j) => j.kind === 'ingest');
      assert.equal(ingests.length, 3);
      for (const j of jobs.filter((x) => x.kind === 'ingest' || x.kind === 'process')) {
        const row = page.locator(`tr[data-job="${j.id}"]`);
        await row.waitFor();
        assert.equal(await row.getAttribute('data-state'), 'completed');
      }
      const ingestRow = page.locator(`tr[data-job="${ingests[0]!.id}"]`);
      assert.match((await ingestRow.textContent()) ?? '', new RegExp(`Upload.*${USER}`));
      assert.ok((await page.locator('tr[data-kind=process][data-state=completed]').count()) >= 1, 'the processing jobs are listed');
      // Filter by state: only completed jobs.
      await page.locator('select[name=state]').selectOption('completed');
      await page.waitForURL(/state=completed/);
      // Polled from the test: the app's CSP forbids the string evaluation waitForFunction needs.
      for (let i = 0; i < 100 && (await page.locator('table.jobs-table tbody tr:not([data-state=completed])').count()) > 0; i++) await page.waitForTimeout(100);
      assert.equal(await page.locator('table.jobs-table tbody tr:not([data-state=completed])').count(), 0);
      assert.ok((await page.locator('table.jobs-table tbody tr').count()) >= 4);
      await shot('32-jobs');
    });

    test('a hash list imported and switched off on the Admin page: each change shows the processing it queued until it completes', async () => {
      await page.goto(`${serve!.url}/#/admin`);
      await page.getByRole('heading', { name: 'Hash lists' }).waitFor();
      await page.locator('input[name=listName]').fill('known-web');
      await page.locator('input[name=listFile]').setInputFiles(join(repoRoot, 'test', 'fixtures', 'hashes', 'list.csv'));
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByTestId('hashlist-result').waitFor();
      const row = page.locator('table.grid tr', { hasText: 'known-web' });
      await row.getByRole('button', { name: 'Disable' }).click();
      // The switch answers with the processing job its entries queued; its bar runs to completed.
      await page.locator('[data-testid=hashlist-switch-job] .job-bar[data-state=completed]').waitFor({ timeout: 60_000 });
      await row.getByRole('button', { name: 'Enable' }).waitFor();
      const lists = await api<Array<{ name: string; enabled: boolean }>>('/hashlists');
      assert.equal(lists.find((l) => l.name === 'known-web')?.enabled, false);
      await shot('33-hashlist-switch');
    });
  });
}
