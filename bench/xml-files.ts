import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every XML file (plain or .gz) under a folder, in name order, sub-folders in place. */
export function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p));
    else if (/\.xml(\.gz)?$/.test(name)) out.push(p);
  }
  return out;
}
