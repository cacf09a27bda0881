// Trend alerts, the children and the towns map in a real browser (Debian's Chromium through
// playwright-core) on the embedded backend: a generated stream with a planted spike worked up with
// the CLI (ingest, hashes, link, enrich, score, trends, children), a boundary file of its towns
// imported with `bantay geo import`, and a PMTiles archive the test builds itself served with
// `bantay serve --tiles`. The spike's alert opens a queue of the same size; a child's page records a
// rescue step; a town clicked on the map opens a queue whose total is the town's count; the PMTiles
// base layer is read by HTTP Range and drawn, an MBTiles one is offered and drawn tile by tile; the
// reports at their own places are drawn when their layer is ticked; nothing leaves the machine. The database and API
// sides of each are tested on both backends in test/api-*.test.ts and src/trends/trends.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../support/cli.ts';
import { repoRoot } from '../support/shared.ts';
import { testBackends } from '../support/stores.ts';
import { pmtilesArchive } from '../support/pmtiles.ts';
import { mbtilesFile } from '../support/mbtiles.ts';
import { openStore, type StoreLocation } from '../../src/store/database.ts';
import { addUser, CHROMIUM, ensureWebBuilt, SHOTS, startServe, USER, signIn, tearDown } from './flow.ts';
import { freePort } from '../support/net.ts';

// 20 reports a day for 45 days; Google (about 4% of reports) at ten times its rate for three days.
const SPIKE = { dimension: 'esp', value: 'Google', start: '2026-02-05', days: 3, factor: 10 };
const AS_OF = '2026-02-14';
const ATTRIBUTION = '© Test orthophoto, used under its licence';

const backend = testBackends().find((b) => b.name === 'embedded')!;
const skip = !existsSync(CHROMIUM) ? `these tests need Chromium at ${CHROMIUM} (apt-get install chromium)` : backend.skip;
const work = mkdtempSync(join(tmpdir(), 'bantay-web21-'));
after(() => rmSync(work, { recursive: true, force: true }));

const square = (x: number, y: number): number[][][] => [
  [
    [x, y],
    [x + 0.15, y],
    [x + 0.15, y + 0.15],
    [x, y + 0.15],
    [x, y],
  ],
];

describe('trends, children and towns in the browser (embedded backend)', { skip }, () => {
  let location: StoreLocation;
  let dispose: () => Promise<void>;
  let serve: { child: ChildProcess; url: string; log: () => string } | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const offMachine: string[] = [];
  const tileResponses: number[] = [];
  const shot = async (name: string): Promise<void> => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `embedded-${name}.png`), fullPage: false });
  };

  before(async () => {
    await ensureWebBuilt();
    const stream = join(work, 'stream');
    writeFileSync(join(work, 'params.json'), JSON.stringify({ spikes: [SPIKE] }));
    const g = await runCli([
      'generate',
      '--reports',
      '900',
      '--seed',
      '21',
      '--days',
      '45',
      '--start',
      '2026-01-01',
      '--params',
      join(work, 'params.json'),
      '--out',
      stream,
    ]);
    assert.equal(g.code, 0, g.stderr);
    ({ location, dispose } = await backend.fresh());
    for (const step of [
      ['ingest', join(stream, 'reports')],
      ['hashes', 'update'],
      ['link'],
      ['enrich'],
      ['score', '--as-of', `${AS_OF}T23:00:00Z`],
      ['trends', '--as-of', AS_OF, '--days', '30'],
      ['children'],
    ]) {
      const r = await runCli(step, location);
      assert.equal(r.code, 0, `bantay ${step.join(' ')}: ${r.stderr}${r.stdout}`);
    }
    // The towns the reports name, each drawn as a square of its own (the shapes do not matter here).
    const store = await openStore(location);
    const codes = (
      await sql<{
        c: string;
      }>`select municipality_code as c from report_enrichment where municipality_code is not null group by 1 order by count(*) desc, 1 limit 12`.execute(
        store.db,
      )
    ).rows.map((r) => r.c);
    await store.close();
    assert.ok(codes.length >= 2, `the generated reports resolve to ${codes.length} towns`);
    const towns = {
      type: 'FeatureCollection',
      features: codes.map((code, i) => ({
        type: 'Feature',
        properties: { ADM3_PCODE: `PH${code}`, ADM3_EN: `Town ${code}` },
        geometry: { type: 'Polygon', coordinates: square(120.2 + (i % 4) * 0.2, 14 + Math.floor(i / 4) * 0.2) },
      })),
    };
    writeFileSync(join(work, 'towns.json'), JSON.stringify(towns));
    const imported = await runCli(['geo', 'import', join(work, 'towns.json')], location);
    assert.equal(imported.code, 0, imported.stderr);
    // The agency's imagery: a PMTiles archive of one PNG over zooms 0..12, with its attribution.
    const tiles = join(work, 'tiles');
    mkdirSync(tiles);
    const png = readFileSync(join(repoRoot, 'node_modules', 'leaflet', 'dist', 'images', 'layers.png'));
    writeFileSync(join(tiles, 'ortho.pmtiles'), pmtilesArchive(png, { maxZoom: 12, bounds: [116.5, 4.5, 127, 21.2], centre: [121, 14.5, 8] }));
    writeFileSync(join(tiles, 'ortho.json'), JSON.stringify({ name: 'Test orthophoto', attribution: ATTRIBUTION }));
    // And an MBTiles file of one tile at zoom 0 (Leaflet enlarges it at deeper zooms).
    writeFileSync(
      join(tiles, 'street.mbtiles'),
      await mbtilesFile([{ z: 0, x: 0, y: 0, bytes: png }], { name: 'Test streets', format: 'png', maxzoom: '0', attribution: '© Test streets' }),
    );
    const u = await addUser(location, 'supervisor');
    assert.equal(u.code, 0, u.out);
    serve = await startServe(location, await freePort(), ['--tiles', tiles]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-PH' });
    page = await context.newPage();
    page.on('request', (req) => {
      const u = req.url();
      if (!u.startsWith(serve!.url) && !u.startsWith('data:') && !u.startsWith('blob:')) offMachine.push(u);
    });
    page.on('response', (res) => {
      if (res.url().includes('/api/tiles/ortho.pmtiles')) tileResponses.push(res.status());
    });
    await page.goto(`${serve.url}/#/trends`);
    await signIn(page);
  });
  after(async () => {
    await tearDown(browser, serve, dispose);
  });

  test('the planted spike is listed and opens the queue of exactly its reports', async () => {
    await page.waitForURL(/#\/trends/);
    const row = page
      .locator('table.trend-alerts tbody tr')
      .filter({ hasText: `ESP: ${SPIKE.value}` })
      .first();
    await row.waitFor();
    const total = Number(await row.getAttribute('data-total'));
    assert.ok(total >= 5, `the alert counts ${total} reports`);
    await page.waitForSelector('figure.chart canvas');
    await shot('21-trends');
    await row.getByRole('link', { name: /in the queue/ }).click();
    await page.waitForURL(/\/queue\?trend=esp%3AGoogle/);
    const note = page.locator('[data-testid=place-trend-filter]');
    await page.waitForSelector(`[data-testid=place-trend-filter][data-total="${total}"]`);
    assert.match((await note.textContent()) ?? '', /esp:Google/);
    await shot('22-queue-by-trend');
  });

  test("a child's page lists its reports with tiers and records a rescue step, forward only", async () => {
    await page.goto(`${serve!.url}/#/children`);
    const first = page.locator('table.children-table tbody tr').first();
    await first.waitFor();
    await shot('23-children');
    const id = (await first.getAttribute('data-child'))!;
    await first.getByRole('link').first().click();
    await page.waitForSelector(`.child-page[data-child="${id}"]`);
    assert.ok((await page.locator('table.child-reports tbody tr .tier').count()) > 0, 'the reports show their tiers');
    await page.getByLabel('Next step').selectOption('located');
    await page.getByLabel('Note (required)').fill('Barangay hall confirms the address');
    await page.getByRole('button', { name: 'Record the step' }).click();
    await page.waitForSelector('[data-testid=child-status]:text("Located")');
    assert.equal(await page.locator('ol.rescue-steps li[data-step=located]').count(), 1);
    // Forward only: the steps before are no longer offered.
    const offered = await page.evaluate<string[]>(`[...document.querySelectorAll('select[name=step] option')].map((o) => o.value)`);
    assert.deepEqual(offered, ['referred', 'rescued', 'aftercare']);
    await shot('24-child');
    const api = (await (await page.request.get(`${serve!.url}/api/children/${encodeURIComponent(id)}`)).json()) as {
      status: string;
      steps: { username: string; note: string }[];
    };
    assert.equal(api.status, 'located');
    assert.deepEqual(
      api.steps.map((s) => [s.username, s.note]),
      [[USER, 'Barangay hall confirms the address']],
    );
  });

  test("the agency's PMTiles imagery is read by range and drawn under the towns, with its attribution", async () => {
    await page.goto(`${serve!.url}/#/map`);
    await page.getByRole('radio', { name: 'Towns and imagery' }).click();
    await page.waitForSelector('[data-testid=towns-map] path.area');
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-testid=towns-map] .leaflet-tile-pane img')].some((i) => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0)`,
    );
    assert.ok(tileResponses.length > 0 && tileResponses.every((s) => s === 206), `tile responses: ${tileResponses.join(', ')}`);
    assert.match((await page.locator('.leaflet-control-attribution').textContent()) ?? '', new RegExp(ATTRIBUTION));
    await shot('25-towns-imagery');
  });

  test('a town clicked on the map opens its queue, with the count the map shows', async () => {
    const row = page.locator('table.towns-table tbody tr').first();
    const code = (await row.getAttribute('data-code'))!;
    const count = Number(await row.getAttribute('data-count'));
    assert.ok(count > 0);
    // Near a corner of the square: its centre holds the point marker (which opens the same queue).
    await page.locator(`[data-testid=towns-map] path.area.code-${code}`).click({ position: { x: 4, y: 4 } });
    await page.waitForURL(new RegExp(`/queue\\?municipality=${code}`));
    await page.waitForSelector(`[data-testid=place-trend-filter][data-total="${count}"]`);
    await shot('26-queue-by-town');
  });

  test('the reports at their own places are drawn when ticked; the MBTiles layer is offered and drawn', async () => {
    await page.goto(`${serve!.url}/#/map`);
    await page.getByRole('radio', { name: 'Towns and imagery' }).click();
    await page.waitForSelector('[data-testid=towns-map] path.area');
    await page.getByLabel('Reports at their own places').check();
    await page.waitForSelector('[data-testid=report-points][data-total]');
    await page.waitForSelector('[data-testid=towns-map] .report-cluster, [data-testid=towns-map] path.report-point');
    const api = (await (await page.request.get(`${serve!.url}/api/geo/points?layer=municipality`)).json()) as { total: number; points: unknown[] };
    assert.ok(api.total > 0, 'the generated reports have points');
    assert.equal(Number(await page.locator('[data-testid=report-points]').getAttribute('data-total')), api.total);
    assert.equal(Number(await page.locator('[data-testid=report-points]').getAttribute('data-shown')), api.points.length);
    await shot('27-report-points');
    const street = page.waitForResponse((r) => r.url().includes('/api/tiles/street/0/0/0'));
    await page.getByLabel('Test streets').check();
    const res = await street;
    assert.deepEqual([res.status(), res.headers()['content-type']], [200, 'image/png']);
    assert.match((await page.locator('.leaflet-control-attribution').textContent()) ?? '', /© Test streets/);
  });

  test('no request left the machine', () => {
    assert.deepEqual(offMachine, []);
  });
});
