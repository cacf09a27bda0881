// Where the database lives, chosen without loading the database stack (the CLI decides this
// before it knows whether the command needs a database at all).
import { resolve } from 'node:path';
import type { DatabaseSettings } from '../config/settings.ts';

/** Where the database lives: an embedded data folder or a PostgreSQL server URL. */
export type StoreLocation = { backend: 'embedded'; dataDir: string } | { backend: 'server'; url: string; ownerUrl?: string };

/** Chooses the database: an explicit --data folder, else the configured server (database.url, DATABASE_URL), else the configured folder (database.data, BANTAY_DATA, default ./bantay-data). */
export function resolveLocation(flags: { data?: string | undefined }, db: Pick<DatabaseSettings, 'data' | 'url' | 'ownerUrl'>): StoreLocation {
  if (flags.data) return { backend: 'embedded', dataDir: resolve(flags.data) };
  // The owner runs migrations and grants the application role (docs/storage.md "Roles").
  if (db.url) return { backend: 'server', url: db.url, ...(db.ownerUrl ? { ownerUrl: db.ownerUrl } : {}) };
  return { backend: 'embedded', dataDir: resolve(db.data) };
}

/** A URL with its password masked, safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
