// The analyst's second pass in a real browser (issue 20 part A), shared by casework-embedded and
// casework-server: the subjects page ranked like `bantay suspects` and a subject with its tiers,
// work and exports; the payments page with alerts, search and a party's money-flow graph; an
// IMMEDIATE close that needs a chosen reason and a second confirmation, then its undo; a case with
// its legal status, communication log, handover notes, an attachment by hash and the referral
// package; the compact queue (20+ rows at 1366×768) and "my queue". Screenshots as flow.ts takes them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../support/cli.ts';
import { testBackends } from '../support/stores.ts';
import type { StoreLocation } from '../../src/store/database.ts';
import { addUser, CHROMIUM, ensureWebBuilt, missingPieces, SHOTS, startServe, USER, signIn, tearDown } from './flow.ts';
import { freePort } from '../support/net.ts';

interface Row {
  reportId: string;
  tier: string | null;
  status: string;
  assignee: string | null;
}

/** Registers the case-work browser suite against one backend. */
export async function caseWorkSuite(backendName: 'embedded' | 'server'): Promise<void> {
  const missing = await missingPieces();
  const skipAll = missing.length ? `the web app tests need ${missing.join(', ')}` : false;
  const backend = testBackends().find((b) => b.name === backendName)!;
  const work = mkdtempSync(join(tmpdir(), 'bantay-casework-web-'));
  const stream = join(work, 'stream');
  after(() => rmSync(work, { recursive: true, force: true }));

  describe(`case work in the web app on the ${backend.name} backend`, { skip: skipAll || backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    let serve: { child: ChildProcess; url: string; log: () => string } | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const shot = async (name: string): Promise<void> => {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${backend.name}-${name}.png`), fullPage: false });
    };
    const api = async <T>(path: string): Promise<T> => {
      const r = await page.request.get(`${serve!.url}/api${path}`);
      assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
      return (await r.json()) as T;
    };

    before(async () => {
      await ensureWebBuilt();
      const g = await runCli(['generate', '--reports', '300', '--seed', '9', '--days', '20', '--out', stream]);
      assert.equal(g.code, 0, g.stderr);
      ({ location, dispose } = await backend.fresh());
      for (const step of [
        ['ingest', join(stream, 'reports')],
        ['hashes', 'update'],
        ['link'],
        ['enrich'],
        ['payments', 'ingest', join(stream, 'transactions.csv')],
        ['score', '--as-of', '2026-01-21T00:00:00Z'],
      ]) {
        const r = await runCli(step, location);
        assert.equal(r.code, 0, `bantay ${step.join(' ')}: ${r.stderr}${r.stdout}`);
      }
      const u = await addUser(location, 'supervisor');
      assert.equal(u.code, 0, u.out);
      serve = await startServe(location, await freePort());
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-PH', acceptDownloads: true });
      page = await context.newPage();
      await page.goto(`${serve.url}/#/queue`);
      await signIn(page);
      await page.waitForSelector('table.queue-table tbody tr');
    });
    after(async () => {
      await tearDown(browser, serve, dispose);
    });

    test('the subjects page ranks subjects like `bantay suspects`; a subject shows its tiers, work and exports', async () => {
      await page.goto(`${serve!.url}/#/subjects`);
      await page.waitForSelector('table.suspects-table tbody tr');
      const top = await api<{ items: { subjectId: string; tier: string }[] }>('/suspects?limit=5');
      const rows = await page.locator('table.suspects-table tbody tr').evaluateAll((trs) => trs.slice(0, 5).map((tr) => tr.getAttribute('data-subject')));
      assert.deepEqual(
        rows,
        top.items.map((i) => i.subjectId),
        'the page shows the ranking in order',
      );
      await shot('19-subjects');
      await page.locator('table.suspects-table tbody tr a').first().click();
      await page.waitForSelector('section[aria-labelledby=timeline] table tbody tr');
      const tiers = await page.locator('section[aria-labelledby=timeline] table tbody tr .tier').evaluateAll((els) => els.map((e) => e.className));
      assert.ok(
        tiers.length > 0 && tiers.every((c) => /tier-(immediate|high|standard|low|noise|paused)/.test(c)),
        `every report shows its tier: ${tiers.join(', ')}`,
      );
      await page.waitForSelector('section[aria-labelledby=subject-work] [data-testid=referral-package]');
      assert.ok((await page.locator('section[aria-labelledby=subject-work] a[href$="/export/report.pdf"]').count()) === 1, 'the subject offers its exports');
      await page.locator('section[aria-labelledby=subject-work]').scrollIntoViewIfNeeded();
      await shot('20-subject-work');
    });

    test('the payments page lists flagged parties with reasons, finds a party by account and draws its money flow', async () => {
      await page.goto(`${serve!.url}/#/payments`);
      await page.waitForSelector('table.parties-table tbody tr, .empty');
      let parties = await page.locator('table.parties-table tbody tr').count();
      if (parties === 0) {
        // No alert in this small world: search for any party by a piece of a phone number.
        await page.getByLabel(/Account, wallet/).fill('63');
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.waitForSelector('table.parties-table tbody tr');
        parties = await page.locator('table.parties-table tbody tr').count();
      }
      assert.ok(parties > 0);
      await shot('21-payments');
      const first = page.locator('table.parties-table tbody tr').first();
      const partyId = (await first.getAttribute('data-party'))!;
      await first.getByRole('button').first().click();
      await page.waitForSelector(`section.party[data-party="${partyId}"]`);
      await page.waitForSelector('section.party :is([data-testid=money-graph] canvas, .empty)');
      if ((await page.locator('[data-testid=money-graph]').count()) > 0)
        assert.ok(Number(await page.locator('[data-testid=money-graph]').getAttribute('data-edges')) > 0);
      await page.locator('section.party').scrollIntoViewIfNeeded();
      await shot('22-payments-party');
      // Search by the party's own key (an account, wallet, phone or e-mail) finds it again.
      const key = partyId.split('#')[0]!.replace(/^[a-z]+:/, '');
      await page.getByLabel(/Account, wallet/).fill(key);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForSelector(`table.parties-table tbody tr[data-party="${partyId}"]`);
    });

    test('closing an IMMEDIATE report needs a chosen reason and a second confirmation, and can be undone', async () => {
      let tier = 'IMMEDIATE';
      let open = await api<{ items: Row[] }>(`/queue?tier=${tier}&status=open&limit=1`);
      if (open.items.length === 0) {
        tier = 'HIGH';
        open = await api<{ items: Row[] }>(`/queue?tier=${tier}&status=open&limit=1`);
      }
      assert.ok(open.items.length > 0, 'the world holds an IMMEDIATE or HIGH report');
      const id = open.items[0]!.reportId;
      const before = open.items[0]!.status;
      await page.goto(`${serve!.url}/#/queue?tier=${tier}&status=open`);
      await page.waitForSelector(`tr[data-report="${id}"]`);
      await page.locator('main h1').click();
      await page.keyboard.press('c');
      const dialog = page.locator('[role=dialog].careful');
      await dialog.waitFor();
      // No default reason: Enter (the old two-keystroke close) does nothing.
      assert.equal(await dialog.locator('select[name=reason]').inputValue(), '');
      assert.ok(await dialog.getByRole('button', { name: 'Next', exact: true }).isDisabled());
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      assert.equal(await dialog.locator('.confirm-step').count(), 0);
      await dialog.locator('select[name=reason]').selectOption('duplicate');
      await page.keyboard.press('Enter');
      await dialog.locator('.confirm-step').waitFor();
      // The second step rests on "Go back": one more Enter closes nothing.
      await shot('23-careful-close');
      await page.keyboard.press('Enter');
      await dialog.locator('select[name=reason]').waitFor();
      assert.equal((await api<{ work: { status: string } }>(`/reports/${id}`)).work.status, before);
      await dialog.getByRole('button', { name: 'Next', exact: true }).click();
      await dialog.getByRole('button', { name: 'Yes, close it' }).click();
      await page.waitForSelector('text=1 report closed.');
      assert.equal((await api<{ work: { status: string; closeReason: string } }>(`/reports/${id}`)).work.closeReason, 'duplicate');
      await page.getByRole('button', { name: 'Undo', exact: true }).click();
      await page.waitForSelector('text=Reopened 1 item.');
      assert.equal((await api<{ work: { status: string } }>(`/reports/${id}`)).work.status, before);
    });

    test('a case carries its legal status, communication log, handover notes, an attachment by hash and the referral package', async () => {
      const subject = (await api<{ items: { subjectId: string }[] }>('/suspects?limit=1')).items[0]!.subjectId;
      await page.goto(`${serve!.url}/#/cases`);
      await page.getByLabel('Title', { exact: true }).fill('Facilitator network');
      await page.getByLabel('Reports or subjects', { exact: true }).fill(subject);
      await page.getByRole('button', { name: 'Open case' }).click();
      await page.waitForURL(/\/cases\/C-/);
      await page.waitForSelector('table.case-reports tbody tr');
      assert.ok((await page.locator('table.case-reports tbody tr .tier:not(:text("—"))').count()) > 0, "the case's reports show their tiers");
      await page.locator('select[name=legalStatus]').selectOption('preservation_requested');
      await page.locator('input[name=legalNote]').fill('Letter to the ESP, ref. 2026-041');
      await page.getByRole('button', { name: 'Record step' }).click();
      await page.waitForSelector('.legal-steps li.current >> text=Preservation requested');
      await page.locator('input[name=channel]').fill('e-mail');
      await page.locator('input[name=counterpart]').fill('ESP law-enforcement desk');
      await page.locator('textarea[name=commText]').fill('Sent the preservation request.');
      await page.getByRole('button', { name: 'Add to log' }).click();
      await page.waitForSelector('ul.comms li >> text=Sent the preservation request.');
      await page.locator('textarea[name=handover]').fill('Night shift: expect the ESP reply; the subject has a flagged payer.');
      await page.getByRole('button', { name: 'Leave note' }).click();
      await page.waitForSelector('ul.handovers li >> text=/expect the ESP reply/');
      await page.locator('input[name=attName]').fill('preservation-letter.pdf');
      await page.locator('input[name=sha256]').fill('9f'.repeat(32));
      await page.getByRole('button', { name: 'Record', exact: true }).click();
      await page.waitForSelector(`table.attachments td >> text=${'9f'.repeat(32)}`);
      const pkg = page.locator('section[aria-labelledby=case-referrals] [data-testid=referral-package]');
      await pkg.locator('select[name=recipient]').selectOption('PNP-WCPC');
      const download = page.waitForEvent('download');
      await pkg.getByRole('button', { name: 'Referral package' }).click();
      assert.match((await download).suggestedFilename(), /^referral-case-C-.*PNP-WCPC.*\.zip$/);
      await page.waitForSelector('ul.case-referrals li >> text=PNP-WCPC');
      await page.locator('section[aria-labelledby=comms]').scrollIntoViewIfNeeded();
      await shot('24-case-work');
    });

    test('the compact queue shows 20+ rows at 1366×768, and "my queue" shows what is mine', async () => {
      await page.goto(`${serve!.url}/#/queue`);
      await page.waitForSelector('table.queue-table tbody tr');
      // Rows wholly inside the window, as the analyst sees them without scrolling.
      const visibleRows = (): Promise<number> =>
        page.evaluate<number>(`[...document.querySelectorAll('table.queue-table tbody tr')]
        .filter((tr) => { const r = tr.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }).length`);
      const normal = await visibleRows();
      await page.getByRole('button', { name: 'Compact' }).click();
      await page.waitForSelector('table.queue-table.compact');
      const compact = await visibleRows();
      assert.ok(compact >= 20, `only ${compact} rows fit in compact mode (${normal} without)`);
      await shot('25-queue-compact');
      await page.locator('main h1').click();
      const mine = (await page.locator('tr.cursor').getAttribute('data-report'))!;
      await page.keyboard.press('a');
      await page.waitForSelector(`text=${mine} is assigned to you.`);
      await page.getByRole('button', { name: 'My queue' }).click();
      await page.waitForURL(/assigned=me/);
      await page.waitForSelector(`tr[data-report="${mine}"]`);
      const me = await api<{ items: Row[] }>('/queue?assigned=me&status=open&limit=50');
      // The unfiltered rows stay on screen until the filtered page arrives: wait for it.
      const rowsShown = (): Promise<(string | null)[]> =>
        page.locator('table.queue-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-report')));
      let shown = await rowsShown();
      for (let i = 0; i < 100 && shown.length !== me.items.length; i++) {
        await page.waitForTimeout(100);
        shown = await rowsShown();
      }
      assert.deepEqual(
        shown,
        me.items.map((i) => i.reportId),
      );
      assert.ok(
        me.items.every((i) => i.assignee === USER),
        'my queue holds only my reports',
      );
      await page.getByRole('button', { name: 'Compact' }).click();
    });
  });
}
