import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openStore, type Store, type StoreLocation } from '../../src/store/database.ts';
import { repoRoot } from './shared.ts';

/** A database backend the repository tests run against. */
export interface TestBackend {
  name: 'embedded' | 'server';
  /** Why this backend is skipped here, or false. */
  skip: string | false;
  /** Opens a fresh, empty, migrated database; close() throws it away. */
  open(): Promise<Store>;
  /** Where a fresh database lives, for tests that drive the CLI (same cleanup rules as open()). */
  fresh(): Promise<{ location: StoreLocation; dispose(): Promise<void> }>;
}

// initdb inside PGlite takes seconds; a template folder made once per machine is copied instead.
async function pgliteTemplate(): Promise<string> {
  // Keyed by the PGlite version: a template made by another version would not open.
  const version = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  const dir = join(tmpdir(), `bantay-pglite-template-${version}`);
  if (existsSync(join(dir, 'ready'))) return dir;
  const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  mkdirSync(building, { recursive: true });
  const pglite = new PGlite({ dataDir: join(building, 'pg') });
  await pglite.waitReady;
  await pglite.close();
  writeFileSync(join(building, 'ready'), 'initialised PGlite data folder\n');
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process won the race
  }
  return dir;
}

async function freshEmbedded(): Promise<{ location: StoreLocation; dispose(): Promise<void> }> {
  const template = await pgliteTemplate();
  const dataDir = mkdtempSync(join(tmpdir(), 'bantay-test-'));
  cpSync(join(template, 'pg'), join(dataDir, 'pg'), { recursive: true });
  return { location: { backend: 'embedded', dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

async function freshServer(adminUrl: string): Promise<{ location: StoreLocation; dispose(): Promise<void> }> {
  const name = `bantay_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    location: { backend: 'server', url: url.toString() },
    async dispose() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

function backend(name: 'embedded' | 'server', skip: string | false, fresh: () => Promise<{ location: StoreLocation; dispose(): Promise<void> }>): TestBackend {
  return {
    name,
    skip,
    fresh,
    async open() {
      const f = await fresh();
      const store = await openStore(f.location);
      const close = store.close.bind(store);
      store.close = async () => {
        await close();
        await f.dispose();
      };
      return store;
    },
  };
}

/** Both backends: embedded PGlite always; the server when the test runner started one (TEST_DATABASE_URL). */
export function testBackends(): TestBackend[] {
  const url = process.env.TEST_DATABASE_URL;
  return [
    backend('embedded', false, freshEmbedded),
    backend(
      'server',
      url ? false : "no PostgreSQL server for this run (npm test starts one when Debian's postgresql package is installed; or set TEST_DATABASE_URL)",
      () => freshServer(url!),
    ),
  ];
}
