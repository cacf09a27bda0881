import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseWarninglist, WarninglistSet, type WarninglistFile } from '../enrich/warninglists.ts';
import { badInput } from '../model/error.ts';

/** Reads MISP warninglist files: a folder of *.json (MISP's `lists/` layout included) or one file. */
export function loadWarninglists(path: string): WarninglistSet {
  return new WarninglistSet(readWarninglistFiles(path).map((f) => f.file));
}

/** Reads and checks warninglist files under a path, each with the file it came from. */
export function readWarninglistFiles(path: string): { file: WarninglistFile; source: string }[] {
  const files = statSync(path).isDirectory() ? listJson(path) : [path];
  return files.map((f) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(f, 'utf8'));
    } catch (err) {
      throw badInput('BAD_FILE', `${f} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { file: parseWarninglist(json, f), source: f };
  });
}

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return listJson(p);
    return f.endsWith('.json') && f !== 'schema.json' ? [p] : [];
  });
}
