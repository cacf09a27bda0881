// Maps at the level people act on, on both backends: a boundary file (GeoJSON, and TopoJSON) keyed by
// PSGC code is imported with its bad features set aside; the layer is served; the totals per city or
// municipality equal the totals of the queues they open; PMTiles base layers are listed with their
// attribution and served with HTTP Range, and nothing outside the tile folder can be read; MBTiles
// files (built here with sql.js) are served tile by tile with the TMS row flip, and a damaged or
// non-MBTiles file is refused at start-up while the others are served; the reports' own points
// come under the queue's filters and visibility.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { makeReport, putReports } from './fixtures/link/reports.ts';
import type { Store } from '../src/store/database.ts';
import type { Role } from '../src/cases/roles.ts';
import { processNew } from '../src/pipeline/process.ts';
import { importBoundaries } from '../src/geo/run.ts';
import { parseBoundaries, psgcCode } from '../src/geo/boundaries.ts';
import { openTiles, tileServerOrigin } from '../src/geo/tiles.ts';
import { buildApp } from '../src/api/app.ts';
import { appWithRoles, call, signIn, type Caller } from './api-support.ts';
import { mbtilesFile } from './support/mbtiles.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-geo-'));
after(() => rmSync(work, { recursive: true, force: true }));

const square = (x: number, y: number): number[][][] => [
  [
    [x, y],
    [x + 0.1, y],
    [x + 0.1, y + 0.1],
    [x, y + 0.1],
    [x, y],
  ],
];
const TOWNS = [
  ['Angeles', 'Pampanga'],
  ['Baguio', 'Benguet'],
  ['Tagbilaran', 'Bohol'],
] as const;

// Reports whose reported person lives in a town (the ESP's estimated location), several per town.
const REPORTS = TOWNS.flatMap(([city, region], t) =>
  Array.from({ length: t + 2 }, (_, i) => makeReport(`77${t}${i}00`, { estimatedLocation: { city, region, countryCode: 'PH' } })),
);

test('PSGC codes are read in the ways files write them', () => {
  assert.equal(psgcCode('PH0301900000'), '0301900000');
  assert.equal(psgcCode('PH030190000'), '0300190000');
  assert.equal(psgcCode(1380600000), '1380600000');
  assert.equal(psgcCode('Angeles'), null);
  assert.throws(() => parseBoundaries('{"type":"Topology"'), /not JSON/);
  assert.throws(
    () => parseBoundaries('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"x"},"geometry":null}]}'),
    /no property holds PSGC codes/,
  );
});

for (const backend of testBackends()) {
  describe(`maps on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let store: Store;
    let app: FastifyInstance;
    let as: Record<Role | 'analyst2', Caller>;
    let codes: string[];
    const tiles = join(work, `tiles-${backend.name}`);
    before(async () => {
      store = await backend.open();
      await putReports(store, REPORTS);
      await processNew(store);
      codes = (
        await sql<{ c: string }>`select distinct municipality_code as c from report_enrichment where municipality_code is not null order by 1`.execute(store.db)
      ).rows.map((r) => r.c);
      // A small PMTiles-named file of known bytes and its attribution.
      const { mkdirSync } = await import('node:fs');
      mkdirSync(tiles, { recursive: true });
      writeFileSync(join(tiles, 'ortho.pmtiles'), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251)));
      writeFileSync(join(tiles, 'ortho.json'), JSON.stringify({ name: 'Orthophoto 2025', attribution: '© NAMRIA, used under licence' }));
      writeFileSync(join(work, 'secret.pmtiles'), 'not for you');
      ({ app, as } = await appWithRoles(store, {
        tiles: { dir: tiles, url: { template: 'http://tiles.agency.local/{z}/{x}/{y}.png', attribution: 'Agency imagery' } },
      }));
    });
    after(async () => {
      await app?.close();
      await store?.close();
    });

    test('a GeoJSON boundary file is imported, bad features set aside, and served', async () => {
      assert.equal(codes.length, 3, `the three towns resolve to municipalities: ${codes.join(', ')}`);
      const features = codes.map((c, i) => ({
        type: 'Feature',
        properties: { ADM2_PCODE: 'PH0300000000', ADM3_PCODE: `PH${c}`, ADM3_EN: TOWNS[i]![0] as string },
        geometry: { type: 'Polygon', coordinates: square(120 + i, 15) },
      }));
      features.push({
        type: 'Feature',
        properties: { ADM2_PCODE: 'PH0300000000', ADM3_PCODE: 'n/a', ADM3_EN: 'Nowhere' },
        geometry: { type: 'Polygon', coordinates: square(121, 16) },
      });
      features.push({
        type: 'Feature',
        properties: { ADM2_PCODE: 'PH0300000000', ADM3_PCODE: 'PH0301999000', ADM3_EN: 'Projected' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [500000, 1600000],
              [500100, 1600000],
              [500100, 1600100],
              [500000, 1600000],
            ],
          ],
        },
      });
      const file = join(work, `adm3-${backend.name}.geojson`);
      writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
      const s = await importBoundaries(store, file);
      assert.equal(s.keyProperty, 'ADM3_PCODE');
      assert.equal(s.nameProperty, 'ADM3_EN');
      assert.equal(s.level, 'municipality');
      assert.equal(s.features, 3);
      assert.deepEqual(
        s.rejected.map((r) => r.index),
        [3, 4],
      );
      assert.match(s.rejected[1]!.reason, /WGS 84/);
      assert.equal((await importBoundaries(store, file)).unchanged, true);

      const layers = (await call(app, as.analyst, 'GET', '/api/geo/layers')).json() as { name: string; features: number }[];
      assert.deepEqual(
        layers.map((l) => [l.name, l.features]),
        [['municipality', 3]],
      );
      const fc = (await call(app, as.analyst, 'GET', '/api/geo/layers/municipality')).json() as {
        features: { id: string; properties: { name: string; centre: number[] } }[];
      };
      assert.deepEqual(
        fc.features.map((f) => f.id),
        codes,
      );
      assert.deepEqual(fc.features[0]!.properties.centre, [120.05, 15.05]);
      assert.equal((await call(app, as.analyst, 'GET', '/api/geo/layers/nope')).statusCode, 404);
      assert.equal((await call(app, as.auditor, 'GET', '/api/geo/layers')).statusCode, 403);
    });

    test('a TopoJSON boundary file is read too', async () => {
      const topo = {
        type: 'Topology',
        arcs: [
          [
            [122, 10],
            [122.2, 10],
            [122.2, 10.2],
            [122, 10.2],
            [122, 10],
          ],
        ],
        objects: { towns: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', arcs: [[0]], properties: { psgc: codes[0], name: 'One' } }] } },
      };
      const file = join(work, `topo-${backend.name}.json`);
      writeFileSync(file, JSON.stringify(topo));
      const s = await importBoundaries(store, file, { name: 'topo-test' });
      assert.equal(s.features, 1);
      assert.equal(s.keyProperty, 'psgc');
      assert.equal(s.nameProperty, 'name');
    });

    test("each town's total is the total of the queue it opens", async () => {
      const totals = (await call(app, as.analyst, 'GET', '/api/geo/totals?by=municipality&status=all')).json() as { code: string; count: number }[];
      assert.deepEqual(totals.map((t) => t.code).sort(), codes);
      for (const t of totals) {
        const q = (await call(app, as.analyst, 'GET', `/api/queue?municipality=${t.code}&status=all&limit=1`)).json() as { total: number };
        assert.equal(q.total, t.count, t.code);
        assert.ok(t.count >= 2);
      }
      const tiers = (await call(app, as.analyst, 'GET', '/api/geo/totals?by=municipality&status=all&tier=IMMEDIATE')).json() as { count: number }[];
      assert.ok(tiers.reduce((s, t) => s + t.count, 0) <= totals.reduce((s, t) => s + t.count, 0));
    });

    test("the reports' own points: under the queue's filters and visibility, with source and precision, capped in queue order", async () => {
      // One report with the ESP's coordinates, one whose only place is an IP look-up in a town the
      // layer has no shape for, one with an IP look-up abroad (its coordinates are all there is).
      await putReports(store, [
        makeReport('7790000', {}, { internetDetails: [{ kind: 'cellPhone', latitude: 14.5995123, longitude: 120.9842177 }] }),
        makeReport(
          '7791000',
          {},
          {
            envelope: {
              receivedAt: '2026-01-05T00:00:00Z',
              ipLookups: [{ ipAddress: '203.0.113.9', country: 'PH', region: 'Ilocos Norte', city: 'Laoag', latitude: 18.19812, longitude: 120.59366 }],
            },
          },
        ),
        makeReport(
          '7792000',
          {},
          {
            envelope: {
              receivedAt: '2026-01-05T00:00:00Z',
              ipLookups: [{ ipAddress: '198.51.100.7', country: 'US', city: 'Washington', latitude: 38.8977, longitude: -77.0365 }],
            },
          },
        ),
      ]);
      await processNew(store);
      type Points = {
        layer: string | null;
        total: number;
        unplaced: number;
        cap: number;
        points: { reportId: string; lat: number; lon: number; source: string; precision: string; role: string | null; code: string | null }[];
      };
      const points = async (who: Caller, query: string): Promise<Points> => {
        const res = await call(app, who, 'GET', `/api/geo/points?status=all${query}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as Points;
      };
      const all = await points(as.analyst, '');
      assert.equal(all.layer, 'municipality');
      assert.equal(all.total, REPORTS.length + 2, "the towns' reports, the ESP's coordinates and the IP abroad");
      assert.equal(all.unplaced, 1, 'Laoag has no shape in the layer');
      assert.equal(all.cap, 5000);
      const byId = new Map(all.points.map((p) => [p.reportId, p]));
      assert.deepEqual(byId.get('7790000'), {
        reportId: '7790000',
        lat: 14.59951,
        lon: 120.98422,
        source: 'esp-coordinates',
        precision: 'exact',
        role: 'incident',
        code: null,
      });
      assert.deepEqual(
        byId.get('7792000'),
        { reportId: '7792000', lat: 38.9, lon: -77, source: 'ncmec-ip-lookup', precision: 'ip-city', role: null, code: null },
        'an IP city is never sharper than 0.1°',
      );
      assert.equal(byId.has('7791000'), false);
      // A town's reports sit at the centre of its shape, as the ESP's estimate of the reported person's place.
      codes.forEach((code, i) => {
        const here = all.points.filter((p) => p.code === code);
        assert.ok(here.length >= 2, code);
        for (const p of here) assert.deepEqual([p.lon, p.lat, p.source, p.precision, p.role], [120.05 + i, 15.05, 'estimated-location', 'town', 'reported']);
      });
      // The same filters as the queue: a town's points are the reports of the queue it opens.
      const town = await points(as.analyst, `&municipality=${codes[1]}`);
      const queue = (await call(app, as.analyst, 'GET', `/api/queue?municipality=${codes[1]}&status=all&limit=100`)).json() as {
        total: number;
        items: { reportId: string }[];
      };
      assert.equal(town.total, queue.total);
      assert.deepEqual(town.points.map((p) => p.reportId).sort(), queue.items.map((x) => x.reportId).sort());
      // Capped: the first in queue order, the total still stated.
      const order = ((await call(app, as.analyst, 'GET', '/api/queue?status=all&limit=100')).json() as { items: { reportId: string }[] }).items
        .map((x) => x.reportId)
        .filter((id) => byId.has(id));
      const three = await points(as.analyst, '&limit=3');
      assert.deepEqual([three.total, three.cap, three.points.map((p) => p.reportId)], [all.total, 3, order.slice(0, 3)]);
      assert.equal((await call(app, as.analyst, 'GET', '/api/geo/points?limit=5001')).statusCode, 400);
      assert.equal((await call(app, as.auditor, 'GET', '/api/geo/points')).statusCode, 403);
      // A closed queue: an analyst of another team gets no point of a report they cannot see.
      assert.equal((await call(app, as.supervisor, 'POST', '/api/reports/7790000/assign', { userId: null, team: 'team-a' })).statusCode, 200);
      assert.equal((await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: false })).statusCode, 200);
      try {
        const mine = await points(as.analyst, '');
        assert.deepEqual([mine.total, mine.points.map((p) => p.reportId)], [1, ['7790000']]);
        const theirs = await points(as.analyst2, '');
        assert.deepEqual([theirs.total, theirs.unplaced, theirs.points], [0, 0, []]);
        assert.equal((await points(as.supervisor, '')).total, all.total);
      } finally {
        await call(app, as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: true });
      }
    });

    test('base layers are listed with their attribution and served with HTTP Range; nothing else is', async () => {
      const layers = (await call(app, as.analyst, 'GET', '/api/tiles')).json() as { id: string; kind: string; url: string; attribution: string }[];
      assert.deepEqual(
        layers.map((l) => [l.id, l.kind, l.url, l.attribution]),
        [
          ['ortho', 'pmtiles', '/api/tiles/ortho.pmtiles', '© NAMRIA, used under licence'],
          ['agency-tiles', 'xyz', 'http://tiles.agency.local/{z}/{x}/{y}.png', 'Agency imagery'],
        ],
      );
      const get = (url: string, range?: string) => app.inject({ method: 'GET', url, headers: { cookie: as.analyst.cookie, ...(range ? { range } : {}) } });
      const part = await get('/api/tiles/ortho.pmtiles', 'bytes=0-126');
      assert.equal(part.statusCode, 206);
      assert.equal(part.headers['content-range'], 'bytes 0-126/4096');
      assert.equal(part.headers['accept-ranges'], 'bytes');
      assert.deepEqual(
        [...part.rawPayload],
        Array.from({ length: 127 }, (_, i) => i % 251),
      );
      const mid = await get('/api/tiles/ortho.pmtiles', 'bytes=1000-1009');
      assert.deepEqual(
        [...mid.rawPayload],
        Array.from({ length: 10 }, (_, i) => (1000 + i) % 251),
      );
      const tail = await get('/api/tiles/ortho.pmtiles', 'bytes=-6');
      assert.equal(tail.headers['content-range'], 'bytes 4090-4095/4096');
      assert.equal((await get('/api/tiles/ortho.pmtiles')).rawPayload.length, 4096);
      assert.equal((await get('/api/tiles/ortho.pmtiles', 'bytes=5000-6000')).statusCode, 416);
      for (const bad of ['..%2Fsecret.pmtiles', 'ortho.json', '%2Fetc%2Fpasswd', 'nope.pmtiles'])
        assert.equal((await get(`/api/tiles/${bad}`)).statusCode, 404, bad);
      assert.equal((await app.inject({ method: 'GET', url: '/api/tiles/ortho.pmtiles' })).statusCode, 401);
    });

    test('MBTiles base layers are served tile by tile with the TMS row flip; a damaged, non-MBTiles or vector file is refused and the rest served', async () => {
      const dir = join(work, `mbtiles-${backend.name}`);
      mkdirSync(dir, { recursive: true });
      const north = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
      const south = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 8, 7]);
      const good = await mbtilesFile(
        [
          { z: 1, x: 0, y: 0, bytes: north },
          { z: 1, x: 0, y: 1, bytes: south },
        ],
        { name: 'Ortho <b>2024</b>', format: 'png', maxzoom: '1', attribution: '© <a href="https://example.org/">NAMRIA</a> &amp; partners' },
      );
      writeFileSync(join(dir, 'ortho.mbtiles'), good);
      const damaged = Buffer.from(good);
      damaged.fill(0xab, 4096, 8192);
      writeFileSync(join(dir, 'damaged.mbtiles'), damaged);
      writeFileSync(join(dir, 'notsqlite.mbtiles'), 'just text');
      writeFileSync(join(dir, 'other.mbtiles'), await mbtilesFile([], {}, { tables: ['create table things (a)'] }));
      writeFileSync(join(dir, 'vector.mbtiles'), await mbtilesFile([{ z: 0, x: 0, y: 0, bytes: new Uint8Array([0x1f, 0x8b]) }], { format: 'pbf' }));
      const notices: string[] = [];
      const mb = await buildApp(store, { webDir: '/nonexistent', validateResponses: true, tiles: { dir, notice: (m) => notices.push(m) } });
      try {
        assert.deepEqual(
          notices.map((n) => /^base layer (\S+) is not served: /.exec(n)?.[1]),
          ['damaged.mbtiles', 'notsqlite.mbtiles', 'other.mbtiles', 'vector.mbtiles'],
        );
        assert.match(notices[0]!, /damaged SQLite file \(database disk image is malformed\)/);
        assert.match(notices[1]!, /not an SQLite file/);
        assert.match(notices[2]!, /no "metadata" table: not an MBTiles file/);
        assert.match(notices[3]!, /"pbf" format: the map draws raster imagery/);
        const { cookie } = await signIn(mb, 'analyst1', as.analyst.password);
        const get = (url: string) => mb.inject({ method: 'GET', url, headers: { cookie } });
        assert.deepEqual((await get('/api/tiles')).json(), [
          { id: 'ortho', kind: 'mbtiles', url: '/api/tiles/ortho/{z}/{x}/{y}', name: 'Ortho 2024', attribution: '© NAMRIA & partners', maxZoom: 1 },
        ]);
        // y counts from the north: the northern tile is stored at TMS row 1.
        const n = await get('/api/tiles/ortho/1/0/0');
        assert.equal(n.statusCode, 200);
        assert.equal(n.headers['content-type'], 'image/png');
        assert.deepEqual([...n.rawPayload], [...north]);
        assert.deepEqual([...(await get('/api/tiles/ortho/1/0/1')).rawPayload], [...south]);
        for (const missing of [
          '/api/tiles/ortho/1/1/0',
          '/api/tiles/ortho/1/2/0',
          '/api/tiles/ortho/0/0/0',
          '/api/tiles/damaged/1/0/0',
          '/api/tiles/nope/0/0/0',
        ])
          assert.equal((await get(missing)).statusCode, 404, missing);
        assert.equal((await get('/api/tiles/ortho/1/0/x')).statusCode, 400);
        assert.equal((await mb.inject({ method: 'GET', url: '/api/tiles/ortho/1/0/0' })).statusCode, 401);
      } finally {
        await mb.close();
      }
      // Above the size cap the file is refused with the way out: PMTiles, read by range.
      const capped = await openTiles({ dir, mbtilesMaxBytes: 1024 });
      assert.match(
        capped.refused.find((r) => r.file === 'ortho.mbtiles')?.reason ?? '',
        /\d+ bytes is above the 1024 bytes .*--mbtiles-max-mb.*pmtiles convert in.mbtiles out.pmtiles/,
      );
      assert.equal(capped.mbtiles.size, 0);
    });

    test('the page may draw what the base layers need and nothing more; without them, no blob: and no other origin', async () => {
      const csp = (res: { headers: Record<string, unknown> }): string => String(res.headers['content-security-policy']);
      const imgSrc = (policy: string): string => /img-src ([^;]*)/.exec(policy)![1]!;
      assert.equal(imgSrc(csp(await app.inject({ method: 'GET', url: '/' }))), "'self' data: blob: http://tiles.agency.local");
      const plain = await buildApp(store, { webDir: '/nonexistent' });
      try {
        const policy = csp(await plain.inject({ method: 'GET', url: '/' }));
        assert.equal(imgSrc(policy), "'self' data:");
        assert.match(policy, /default-src 'self';/);
      } finally {
        await plain.close();
      }
      assert.throws(() => tileServerOrigin('file:///srv/tiles/{z}/{x}/{y}.png'), /http or https/);
      assert.throws(() => tileServerOrigin('tiles/{z}/{x}/{y}.png'), /not a URL/);
    });
  });
}
