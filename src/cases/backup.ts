// An online backup of the embedded database, taken by the process that holds it (`bantay serve`):
// PGlite is one process, so a second `bantay backup` cannot open the folder while the server runs,
// and an agency must not have to stop the queue to back it up (docs/storage.md).
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Store } from '../store/database.ts';
import { backupEmbedded } from '../store/backup.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './accounts.ts';
import { conflict } from '../model/error.ts';

/** A backup written by the server: its file (inside the data folder's backups/) and size. */
export interface OnlineBackup {
  file: string;
  name: string;
  bytes: number;
}

/** The folder the server writes online backups into. */
export function backupFolder(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** Writes a consistent backup of the embedded database the server holds, and records who took it in the audit trail. */
export async function backupOnline(store: Pick<Store, 'db' | 'location' | 'dumpDataDir' | 'describe'>, actor: Actor, now = new Date()): Promise<OnlineBackup> {
  if (store.location.backend !== 'embedded') throw conflict('NOT_EMBEDDED', 'this server uses a PostgreSQL server: back it up with pg_dump (docs/storage.md)');
  const dir = backupFolder(store.location.dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Seconds in the name; a second backup in the same second gets a counter rather than overwriting.
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '');
  let file = join(dir, `bantay-${stamp}.tar.gz`);
  for (let i = 2; ; i++) {
    try {
      const bytes = await backupEmbedded(store, file);
      await appendAudit(store, {
        action: 'backup.create',
        userId: actor.userId ?? null,
        username: actor.username,
        ip: actor.ip ?? null,
        targetKind: 'database',
        targetId: basename(file),
        detail: { bytes },
      });
      return { file, name: basename(file), bytes };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i > 100) throw err;
      file = join(dir, `bantay-${stamp}-${i}.tar.gz`);
    }
  }
}
