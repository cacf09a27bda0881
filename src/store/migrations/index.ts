import type { Migration, MigrationProvider } from 'kysely';
import { reports } from './0001-reports.ts';
import { hashes } from './0002-hashes.ts';
import { link } from './0003-link.ts';

// Names sort in the order they run; Kysely records each applied name in kysely_migration.
const all: Record<string, Migration> = {
  '0001-reports': reports,
  '0002-hashes': hashes,
  '0003-link': link,
};

/** The migrations shipped with this build, in order. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return all;
  },
};
