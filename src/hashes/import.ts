import type { Store } from '../store/database.ts';
import { saveHashList, type ImportOutcome } from '../store/hashes.ts';
import { listContentHash, parseListFile, type ListFormat } from './lists.ts';

/** Options of a list import. */
export interface ImportOptions {
  name: string;
  format?: ListFormat;
  source?: string;
  category?: string;
  profile?: string;
  pdqThreshold?: number;
  pdqQualityFloor?: number;
}

/** What an import did. */
export interface ImportSummary {
  name: string;
  format: ListFormat;
  outcome: ImportOutcome;
  entries: number;
  dropped: { empty: number; invalid: number; duplicate: number };
}

/** Imports (or replaces) a named list from a file; the same file again is a no-op ('unchanged'). */
export async function importHashList(store: Store, path: string, opts: ImportOptions): Promise<ImportSummary> {
  const parsed = await parseListFile(path, opts.format, opts.profile !== undefined ? { profile: opts.profile } : {});
  // A list-wide --category fills entries that carry none.
  const entries = opts.category ? parsed.entries.map((e) => ({ ...e, category: e.category ?? opts.category! })) : parsed.entries;
  const meta = {
    name: opts.name,
    format: parsed.format,
    source: opts.source ?? null,
    category: opts.category ?? null,
    listDate: parsed.listDate,
    profile: parsed.profile,
    ...(opts.pdqThreshold !== undefined ? { pdqThreshold: opts.pdqThreshold } : {}),
    ...(opts.pdqQualityFloor !== undefined ? { pdqQualityFloor: opts.pdqQualityFloor } : {}),
  };
  const hash = listContentHash(
    entries,
    JSON.stringify([meta.source, meta.category, meta.listDate, meta.profile, opts.pdqThreshold ?? null, opts.pdqQualityFloor ?? null]),
  );
  const r = await saveHashList(store, meta, hash, entries);
  return { name: opts.name, format: parsed.format, outcome: r.outcome, entries: entries.length, dropped: parsed.dropped };
}
