// `npm run bench:api [-- --reports 1000000 --clients 8 --seconds 10 --backend server|embedded --only TEXT]`:
// builds a database of N synthetic reports with SQL (generate_series: reports, versions, identifiers,
// subjects, triage scores), serves the API on loopback and drives the queue and report endpoints
// with concurrent clients (on a worker thread, as browsers elsewhere would be). Prints requests/s
// and p50/p95/p99 per endpoint, and each p95 as a multiple of the p95 of /api/health measured in
// the same run (the floor: HTTP + session + JSON without the database work).
// Figures only: nothing here asserts a time. Target (issue 8): p95 < 100 ms for a queue page and a report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, type Store } from '../src/store/database.ts';
import { buildApp } from '../src/api/app.ts';
import { createUser } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { verifyAuditChain } from '../src/cases/audit.ts';
import { findPgBin, startPgServer, type PgServer } from '../test/support/pg-server.ts';
import { seedReports, seededId } from './api-seed.ts';
import { startWorker } from '../src/runtime/worker.ts';
import type { LoadRequest, LoadResult } from './api-load.ts';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'server' },
    only: { type: 'string' },
  },
});
const reports = Number(values.reports);
const clients = Number(values.clients);
const seconds = Number(values.seconds);

let server: PgServer | undefined;
let dataDir: string | undefined;
let store: Store;
if (values.backend === 'embedded') {
  dataDir = mkdtempSync(join(tmpdir(), 'bantay-bench-api-'));
  store = await openStore({ backend: 'embedded', dataDir });
} else {
  const bin = findPgBin();
  if (!bin) throw new Error('no PostgreSQL server binaries (apt-get install postgresql), or use --backend embedded');
  server = await startPgServer(bin);
  store = await openStore({ backend: 'server', url: server.url });
}

try {
  let t0 = performance.now();
  await seedReports(store.db, 1, reports, { scores: true, onChunk: (n) => process.stderr.write(`\rseeded ${n} reports`) });
  process.stderr.write('\n');
  console.log(
    `seeded ${reports} reports (with versions, 2 identifiers each, subjects of 4, triage scores) in ${((performance.now() - t0) / 1000).toFixed(1)} s on the ${values.backend} backend`,
  );

  const password = randomPassword();
  await createUser(store, { username: 'bench-analyst', password, role: 'analyst' });
  const app = await buildApp(store, { webDir: '/nonexistent' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-analyst', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  const rand = (n: number): number => Math.floor(Math.random() * n);
  const endpoints: { name: string; url: () => string }[] = [
    { name: 'GET /api/health (floor)', url: () => '/api/health' },
    { name: 'GET /api/auth/me', url: () => '/api/auth/me' },
    { name: 'GET /api/queue (first pages)', url: () => `/api/queue?limit=50&offset=${50 * rand(20)}` },
    { name: 'GET /api/queue?esp=… (filtered)', url: () => `/api/queue?limit=50&esp=${['Facebook', 'TikTok', 'Google'][rand(3)]}` },
    { name: 'GET /api/reports/:id (audited)', url: () => `/api/reports/${seededId(1 + rand(reports))}` },
    { name: 'GET /api/search?q=phone', url: () => `/api/search?q=0917${String(rand(reports / 4)).padStart(7, '0')}` },
  ];
  const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
  let floor = NaN;
  console.log(`${clients} concurrent clients on a worker thread, ${seconds} s per endpoint, loopback ${base}`);
  console.log('endpoint                              req/s     p50 ms   p95 ms   p99 ms   p95/floor  errors');
  for (const e of endpoints.filter((x) => !values.only || x.name === endpoints[0]!.name || x.name.includes(values.only))) {
    const urls = Array.from({ length: 5000 }, () => e.url());
    const worker = startWorker('api-load', import.meta.url, { base, cookie, urls, clients, seconds } satisfies LoadRequest);
    const result = await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    const lat = result.latencies.sort((a, b) => a - b);
    const p95 = pct(lat, 95);
    if (Number.isNaN(floor)) floor = p95;
    console.log(
      `${e.name.padEnd(36)} ${(lat.length / result.seconds).toFixed(0).padStart(7)} ${pct(lat, 50).toFixed(1).padStart(9)} ${p95.toFixed(1).padStart(8)} ${pct(lat, 99).toFixed(1).padStart(8)} ${(p95 / floor).toFixed(1).padStart(10)}x ${String(result.errors).padStart(7)}`,
    );
  }
  await app.close();
  // Every audited view above appended to one chain from concurrent requests: it must still verify.
  const started = performance.now();
  const chain = await verifyAuditChain(store);
  console.log(
    `audit trail: ${chain.entries} entries, chain ${chain.ok ? 'verifies' : `BROKEN at ${chain.firstBad?.seq}: ${chain.firstBad?.problem}`} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (!chain.ok) process.exitCode = 1;
} finally {
  await store.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
