import { spawnSync } from 'node:child_process';
import { bundleXsd } from './shared.ts';

/** Whether xmllint (Debian's libxml2-utils) is on the PATH. */
export function hasXmllint(): boolean {
  return spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Validates XML files against the bundle XSD with `xmllint --schema`; returns the failures (empty when all are valid). */
export function validateWithXsd(files: string[]): string[] {
  const xsd = bundleXsd();
  if (!xsd) throw new Error('../shared is absent: no bundle XSD to validate against');
  const failures: string[] = [];
  // xmllint reads .gz transparently; batch the call so thousands of files cost one process each 200.
  for (let i = 0; i < files.length; i += 200) {
    const chunk = files.slice(i, i + 200);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, ...chunk], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) {
      for (const line of r.stderr.split('\n')) {
        if (line.trim() && !line.endsWith(' validates')) failures.push(line);
      }
    }
  }
  return failures;
}
