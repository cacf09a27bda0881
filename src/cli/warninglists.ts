import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseWarninglist, WarninglistSet } from '../enrich/warninglists.ts';

/** Reads MISP warninglist files: a folder of *.json (MISP's `lists/` layout included) or one file. */
export function loadWarninglists(path: string): WarninglistSet {
  const files = statSync(path).isDirectory() ? listJson(path) : [path];
  return new WarninglistSet(files.map((f) => parseWarninglist(JSON.parse(readFileSync(f, 'utf8')), f)));
}

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return listJson(p);
    return f.endsWith('.json') && f !== 'schema.json' ? [p] : [];
  });
}
