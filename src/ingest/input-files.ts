// Which files a list of paths stands for: folders walked recursively in name order, each file
// classified by its name. Nothing is opened here except folders. The file-system calls are
// synchronous on purpose: each takes microseconds, while an awaited call costs a thread-pool
// round trip, which for a folder of a hundred thousand one-report files is most of the time.

import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * How a file is opened: plain text (.xml, .json, .jsonl, .ndjson), gzip-compressed, a zip
 * archive, CSV (a transactions file when its header says so), or sniffed first (an explicitly
 * named file of another extension). Whether plain text is read as XML, as LE JSON or as
 * transactions is decided by its content, never by its name.
 */
export type InputFormat = 'plain' | 'gz' | 'zip' | 'csv' | 'sniff';

/** One thing found under the paths. */
export type FoundInput =
  | { kind: 'file'; path: string; name: string; size: number; format: InputFormat; named?: boolean }
  | { kind: 'skipped'; path: string; name: string; reason: string }
  | { kind: 'rejected'; path: string; name: string; reason: string };

/** The file name endings ingest reads (a file named on its own is read whatever its name, by its content). */
export const INPUT_EXTENSIONS = ['.xml', '.json', '.jsonl', '.ndjson', '.csv', '.gz', '.zip'] as const;

/** The format a file name implies, or null for names that are not CyberTip input. */
export function formatOf(name: string): Exclude<InputFormat, 'sniff'> | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xml') || lower.endsWith('.json') || lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'plain';
  if (lower.endsWith('.gz')) return 'gz';
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** The named paths that do not exist (a typo is the user's to fix, not a file to quarantine). */
export function missingPaths(paths: string[]): string[] {
  return paths.filter((p) => !existsSync(p));
}

/** Code-unit order, the same on every machine whatever its locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or folder';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  return `cannot be read: ${e.message ?? String(err)}`;
}

const NOT_INPUT = 'not CyberTip input: only .xml, .json, .jsonl, .ndjson, .csv (transactions), .gz and .zip files are read from folders';

async function* walkFolder(dir: string): AsyncGenerator<FoundInput> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    yield { kind: 'rejected', path: dir, name: basename(dir), reason: errorReason(err) };
    return;
  }
  entries.sort((a, b) => byName(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walkFolder(path);
    } else if (entry.isSymbolicLink()) {
      yield { kind: 'skipped', path, name: entry.name, reason: 'a symbolic link: links inside folders are not followed' };
    } else if (!entry.isFile()) {
      yield { kind: 'skipped', path, name: entry.name, reason: 'not a regular file' };
    } else {
      const format = formatOf(entry.name);
      if (format === null) {
        yield { kind: 'skipped', path, name: entry.name, reason: NOT_INPUT };
        continue;
      }
      try {
        const info = lstatSync(path);
        yield { kind: 'file', path, name: entry.name, size: info.size, format };
      } catch (err) {
        yield { kind: 'rejected', path, name: entry.name, reason: errorReason(err) };
      }
    }
  }
}

/** The inputs the paths stand for, in reading order: each path in the order given, folders walked recursively with entries sorted by name. */
export async function* findInputs(paths: string[]): AsyncGenerator<FoundInput> {
  for (const path of paths) {
    const name = basename(path);
    let info;
    try {
      info = statSync(path);
    } catch (err) {
      yield { kind: 'rejected', path, name, reason: errorReason(err) };
      continue;
    }
    if (info.isDirectory()) {
      yield* walkFolder(path);
    } else if (info.isFile()) {
      yield { kind: 'file', path, name, size: info.size, format: formatOf(name) ?? 'sniff', named: true };
    } else {
      yield { kind: 'rejected', path, name, reason: 'not a regular file or folder' };
    }
  }
}
