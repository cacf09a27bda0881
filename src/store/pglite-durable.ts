// Commits that reach the disk on the embedded backend. PGlite (0.5) starts PostgreSQL with `-F`
// (fsync off), and its file system layer (Emscripten's NODEFS) turns fsync() and fdatasync() into
// no-ops, so a committed transaction may sit in the operating system's cache when the power goes.
// Here PostgreSQL starts without `-F` and is told to sync (`fsync = on`, the WAL flushed with
// fsync(), which NODEFS can route), and NODEFS's fsync is made a real one on the underlying file. `relaxedDurability` is a different
// knob (whether PGlite awaits its own sync step, a no-op for NODEFS) and stays off.
import { fsyncSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/** The durability of the embedded database: `full` syncs every commit; `relaxed` (benchmarks only) does not. */
export type Durability = 'full' | 'relaxed';

/** The postgresql.conf lines for a durability. */
export function durabilitySettings(d: Durability): string[] {
  return d === 'full'
    ? ['fsync = on', 'wal_sync_method = fsync', 'synchronous_commit = on', 'full_page_writes = on']
    : ['fsync = off', 'synchronous_commit = off'];
}

/** PGlite's start parameters without `-F` (which turns fsync off). */
export function durableStartParams(defaults: readonly string[]): string[] {
  return defaults.filter((p) => p !== '-F');
}

interface NodeFsModule {
  NODEFS: { stream_ops: { fsync?: (stream: { nfd?: number }) => number } };
}

type InitResult = Awaited<ReturnType<NodeFS['init']>>;

/** NODEFS whose fsync reaches the disk (PostgreSQL calls it for the WAL at each commit and for data files at checkpoints). */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]): Promise<InitResult> {
    const r = await super.init(pg, options);
    const preRun = [
      ...(r.emscriptenOpts.preRun ?? []),
      (mod: NodeFsModule) => {
        mod.NODEFS.stream_ops.fsync = (stream) => {
          if (typeof stream.nfd === 'number') fsyncSync(stream.nfd);
          return 0;
        };
      },
    ];
    return { emscriptenOpts: { ...r.emscriptenOpts, preRun } as InitResult['emscriptenOpts'] };
  }
}
