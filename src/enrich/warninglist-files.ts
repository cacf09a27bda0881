import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseWarninglist, WarninglistSet, type WarninglistFile } from './warninglists.ts';
import { badInput } from '../model/error.ts';

/** Reads MISP warninglist files: a folder of *.json (MISP's `lists/` layout included) or one file. */
export function loadWarninglists(path: string): WarninglistSet {
  return new WarninglistSet(readWarninglistFiles(path).map((f) => f.file));
}

/** Reads and checks warninglist files under a path, each with the file it came from. */
export function readWarninglistFiles(path: string): { file: WarninglistFile; source: string }[] {
  const files = statSync(path).isDirectory() ? listJson(path) : [path];
  return files.map((f) => readWarninglistFile(f, f));
}

/** Reads and checks one warninglist file; `source` names it in the stored list and in errors (BAD_WARNINGLIST). */
export function readWarninglistFile(path: string, source: string): { file: WarninglistFile; source: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw badInput('BAD_WARNINGLIST', `${source} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { file: parseWarninglist(json, source), source };
}

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return listJson(p);
    return f.endsWith('.json') && f !== 'schema.json' ? [p] : [];
  });
}
