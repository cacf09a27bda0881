// Where the database lives, chosen without loading the database stack (the CLI decides this
// before it knows whether the command needs a database at all).
import { resolve } from 'node:path';

/** Where the database lives: an embedded data folder or a PostgreSQL server URL. */
export type StoreLocation = { backend: 'embedded'; dataDir: string } | { backend: 'server'; url: string; ownerUrl?: string };

/** The default embedded data folder. */
export const DEFAULT_DATA_DIR = './bantay-data';

/** Chooses the database: an explicit --data folder, else DATABASE_URL (with BANTAY_OWNER_DATABASE_URL), else BANTAY_DATA, else ./bantay-data. */
export function resolveLocation(flags: { data?: string | undefined }, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (flags.data) return { backend: 'embedded', dataDir: resolve(flags.data) };
  // The owner runs migrations and grants the application role (docs/storage.md "Roles").
  if (env.DATABASE_URL) return { backend: 'server', url: env.DATABASE_URL, ...(env.BANTAY_OWNER_DATABASE_URL ? { ownerUrl: env.BANTAY_OWNER_DATABASE_URL } : {}) };
  return { backend: 'embedded', dataDir: resolve(env.BANTAY_DATA || DEFAULT_DATA_DIR) };
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

