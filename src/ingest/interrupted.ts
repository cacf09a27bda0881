// Ingest runs whose process died (killed, a power cut) stay "running" in the runs table, and an
// upload's temporary folder stays on disk. At the start of the next run they are found, marked
// interrupted and their folders removed. A run is dead when its process is gone: on the embedded
// backend only one process can hold the data folder, so any other run still "running" is dead;
// on a server, a run of this host whose process id is gone, or any run silent for longer than
// STALE_SECONDS (it writes at every batch), is dead.

import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { isAlive, type Store } from '../store/database.ts';
import { markInterrupted, runningRuns, type RunningRun } from '../store/runs.ts';

/** A run silent this long is taken as dead (it writes at least once per batch of reports). */
export const STALE_SECONDS = 15 * 60;

/** What recovery found and did. */
export interface RecoveredRuns {
  /** Runs marked interrupted, with why. */
  runs: { id: number; why: string }[];
  /** Temporary folders removed. */
  removed: string[];
}

/** Why a running run is dead, or null when it may be alive (pure apart from `isAlive`). */
export function whyDead(run: RunningRun, ctx: { embedded: boolean; host: string; isAlive: (pid: number) => boolean }): string | null {
  if (ctx.embedded && run.pid !== process.pid) return 'its process no longer holds the embedded database';
  if (run.host === ctx.host && run.pid !== null && run.pid !== process.pid && !ctx.isAlive(run.pid)) return `its process ${run.pid} on this host is gone`;
  if (run.idleSeconds > STALE_SECONDS) return `it has written nothing for ${Math.round(run.idleSeconds / 60)} minutes`;
  return null;
}

/** Marks dead runs interrupted and removes their temporary folders. */
export async function recoverInterruptedRuns(store: Pick<Store, 'db' | 'location'>): Promise<RecoveredRuns> {
  const ctx = { embedded: store.location.backend === 'embedded', host: hostname(), isAlive };
  const out: RecoveredRuns = { runs: [], removed: [] };
  for (const run of await runningRuns(store.db)) {
    const why = whyDead(run, ctx);
    if (why === null) continue;
    out.runs.push({ id: run.id, why });
    await markInterrupted(store.db, [run.id], why);
    // Only a folder the run itself recorded as its temporary copy (an upload) is removed.
    if (run.tempDir && isAbsolute(run.tempDir)) {
      rmSync(run.tempDir, { recursive: true, force: true });
      out.removed.push(run.tempDir);
    }
  }
  return out;
}
