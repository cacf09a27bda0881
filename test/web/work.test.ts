// The analyst's web app, second pass (issue 20 items 2, 4, 8): a generated stream of more than a
// thousand reports ingested with the CLI, `bantay serve`, Debian's Chromium through playwright-core.
// Exports carry the offline enrichment; the CSV export streams every row; dashboards use the real
// tiers; a case's reports show under Paused; the preserve-by countdown turns red once overdue;
// rule reasons read in Filipino. Embedded backend (the API tests cover the server backend).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { runCli } from '../support/cli.ts';
import { repoRoot } from '../support/shared.ts';
import { testBackends } from '../support/stores.ts';
import type { StoreLocation } from '../../src/store/database.ts';
import { addUser, CHROMIUM, ensureWebBuilt, SHOTS, startServe, USER, signIn, tearDown } from './flow.ts';
import { freePort } from '../support/net.ts';

const REPORTS = 1100;
const backend = testBackends().find((b) => b.name === 'embedded')!;
const skip = !existsSync(CHROMIUM) ? `the web app tests need Chromium at ${CHROMIUM}` : backend.skip;
const filRules = (JSON.parse(readFileSync(join(repoRoot, 'web', 'src', 'locales', 'rules.fil.json'), 'utf8')) as { rule: Record<string, string> }).rule;

describe('the web app: exports, dashboards, paused, deadlines, Filipino', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'bantay-web-work-'));
  let location: StoreLocation;
  let dispose: () => Promise<void>;
  let serve: { child: ChildProcess; url: string } | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const api = async <T>(path: string): Promise<T> => {
    const r = await page.request.get(`${serve!.url}${path}`);
    assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
    return (await r.json()) as T;
  };
  const shot = async (name: string): Promise<void> => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `work-${name}.png`) });
  };

  before(async () => {
    await ensureWebBuilt();
    const stream = join(work, 'stream');
    const g = await runCli(['generate', '--reports', String(REPORTS), '--seed', '21', '--days', '20', '--out', stream]);
    assert.equal(g.code, 0, g.stderr);
    ({ location, dispose } = await backend.fresh());
    const i = await runCli(['ingest', join(stream, 'reports')], location);
    assert.equal(i.code, 0, i.stderr + i.stdout);
    const u = await addUser(location, 'supervisor');
    assert.equal(u.code, 0, u.out);
    serve = await startServe(location, await freePort());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-PH' })).newPage();
    await page.goto(`${serve.url}/#/queue`);
    await signIn(page);
    await page.waitForSelector('table.queue-table tbody tr');
  });
  after(async () => {
    await tearDown(browser, serve, dispose);
    rmSync(work, { recursive: true, force: true });
  });

  test('the preserve-by countdown is on every row, red once overdue', async () => {
    // The generated reports are months old: the Philippine traffic-data deadline (6 months) has passed for some.
    for (const view of ['', '?sort=received_asc']) {
      await page.goto(`${serve!.url}/#/queue${view}`);
      await page.waitForSelector('table.queue-table tbody tr');
      if ((await page.locator('[data-deadline=overdue]').count()) > 0) break;
    }
    const overdue = page.locator('table.queue-table [data-deadline=overdue]').first();
    await overdue.waitFor();
    assert.match((await overdue.textContent()) ?? '', /\d+ days? overdue/);
    assert.equal(
      await overdue.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color),
      'rgb(185, 28, 28)',
    );
    await shot('01-queue-deadlines');
    const id = await overdue.locator('xpath=ancestor::tr').getAttribute('data-report');
    await page.goto(`${serve!.url}/#/reports/${encodeURIComponent(id!)}`);
    const onReport = page.locator('[data-testid=preserve-by] [data-deadline=overdue]');
    await onReport.waitFor();
    assert.equal(
      await onReport.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color),
      'rgb(185, 28, 28)',
    );
    await shot('02-report-deadline');
  });

  test('the IP table exported from the web carries carrier, location and the DB-IP credit', async () => {
    const queue = await api<{ items: Array<{ reportId: string }> }>('/api/queue?limit=200&status=all');
    let id: string | undefined;
    for (const item of queue.items) {
      const r = await api<{ enrichment: { carriers?: string[] } | null }>(`/api/reports/${encodeURIComponent(item.reportId)}`);
      if ((r.enrichment?.carriers ?? []).length > 0) {
        id = item.reportId;
        break;
      }
    }
    assert.ok(id, 'some report has a public IP with a known carrier');
    await page.goto(`${serve!.url}/#/reports/${encodeURIComponent(id)}`);
    const link = page.locator('section[aria-labelledby=exports] a', { hasText: 'iptable.csv' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const rows = parse(text, { relax_column_count: true }) as string[][];
    const head = rows[0]!;
    const col = (name: string): number => head.indexOf(name);
    const withCarrier = rows.slice(1).filter((r) => r.length === head.length && r[col('Carrier / organisation')] && r[col('Country')]);
    assert.ok(withCarrier.length > 0, `a row with carrier and country:\n${text.slice(0, 600)}`);
    assert.match(withCarrier[0]![col('ASN')]!, /^AS\d+$/);
    assert.match(text, /IP geolocation by DB-IP \(https:\/\/db-ip\.com\), CC BY 4\.0/);
    // The preservation request for the same report is written from the shipped template and audited.
    const letter = await page.request.get(`${serve!.url}/api/reports/${encodeURIComponent(id)}/letters/subscriber-request.pdf`);
    assert.equal(letter.status(), 200, await letter.text());
    assert.equal(letter.headers()['content-type'], 'application/pdf');
  });

  test('the queue CSV streams every row, with province names and reasons', async () => {
    const total = (await api<{ total: number }>('/api/queue?status=all&limit=1')).total;
    assert.ok(total > 1000, `more than 1,000 reports in the view (${total})`);
    const res = await page.request.get(`${serve!.url}/api/exports/queue.csv?status=all`);
    assert.equal(res.status(), 200);
    const rows = parse((await res.text()).replace(/^\uFEFF/, '')) as string[][];
    const head = rows[0]!;
    assert.equal(rows.length - 1, total, 'one line per report, none cut');
    const province = head.indexOf('Province');
    const code = head.indexOf('PSGC code');
    const placed = rows.slice(1).filter((r) => r[code]);
    assert.ok(placed.length > 0 && placed.every((r) => r[province] && !/^\d+$/.test(r[province]!)), 'provinces by name');
    assert.ok(
      rows.slice(1).some((r) => r[head.indexOf('Reasons')]),
      'reasons in words',
    );
  });

  test('dashboards split reports by their real tiers', async () => {
    const tiers = await api<Array<{ tier: string; count: number }>>('/api/stats/tiers');
    const all = tiers.reduce((n, t) => n + t.count, 0);
    const noise = tiers.find((t) => t.tier === 'NOISE')?.count ?? 0;
    assert.ok(noise > 0, 'the generated stream holds noise');
    assert.ok(!tiers.some((t) => t.tier === 'UNSCORED'), 'every report is scored');
    await page.goto(`${serve!.url}/#/dashboards`);
    const share = page.locator('[data-testid=noise-share]');
    await share.waitFor();
    const expected = `${(Math.round((1000 * noise) / all) / 10).toFixed(1).replace(/\.0$/, '')}% noise`;
    assert.ok(((await share.textContent()) ?? '').startsWith(expected), `${await share.textContent()} starts with ${expected}`);
    for (const t of tiers) assert.equal(await page.locator(`[data-testid=tier-split] tr[data-tier="${t.tier}"]`).count(), 1, t.tier);
    await shot('03-dashboards');
  });

  test("a case's reports appear under Paused and count there", async () => {
    const me = await api<{ user: { id: number }; csrfToken: string }>('/api/auth/me');
    const top = (await api<{ items: Array<{ reportId: string }> }>('/api/queue?limit=1')).items[0]!.reportId;
    const made = await page.request.post(`${serve!.url}/api/cases`, {
      data: { title: 'Paused probe', leadId: me.user.id, items: [{ kind: 'report', itemId: top }] },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    assert.equal(made.status(), 201, await made.text());
    const paused = (await api<Array<{ tier: string; count: number }>>('/api/stats/tiers')).find((t) => t.tier === 'PAUSED');
    assert.ok(paused && paused.count >= 1, "the paused tier counts the case's report");
    await page.goto(`${serve!.url}/#/queue?tier=PAUSED`);
    await page.waitForSelector(`table.queue-table tbody tr[data-report="${top}"]`);
    assert.equal(await page.locator('table.queue-table tbody tr').first().locator('.tier').textContent(), 'Paused');
    // The default view no longer lists it.
    const open = await api<{ items: Array<{ reportId: string }> }>('/api/queue?limit=5');
    assert.ok(!open.items.some((i) => i.reportId === top));
    await shot('04-queue-paused');
  });

  test('rule reasons read in Filipino', async () => {
    await page.goto(`${serve!.url}/#/queue`);
    await page.getByLabel('Language').first().selectOption('fil');
    await page.waitForSelector('nav >> text=Pila');
    await page.waitForSelector('table.queue-table tbody tr .reason');
    const texts = await page.locator('table.queue-table tbody tr .reason').allTextContents();
    const filipino = new Set(Object.values(filRules));
    assert.ok(texts.length > 0 && texts.every((x) => filipino.has(x)), `reasons in Filipino: ${texts.slice(0, 3).join(' | ')}`);
    await shot('05-queue-filipino-reasons');
    await page.getByLabel('Wika').first().selectOption('en');
    await page.waitForSelector('nav >> text=Queue');
  });
});
