import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `../shared` folder beside the checkout, or undefined where a user's clone has none. */
export function sharedDir(): string | undefined {
  const dir = process.env.BANTAY_SHARED ?? resolve(repoRoot, '..', 'shared');
  return existsSync(resolve(dir, 'spec', 'cybertip-bundle.xsd')) ? dir : undefined;
}

/** Why a test that needs `../shared` was skipped, or false when it can run. */
export function skipWithoutShared(what: string): string | false {
  return sharedDir() ? false : `${what}: ../shared is absent (a user's clone has none); set BANTAY_SHARED to run it`;
}

/** The bundle XSD path, when ../shared is present. */
export function bundleXsd(): string | undefined {
  const dir = sharedDir();
  return dir ? resolve(dir, 'spec', 'cybertip-bundle.xsd') : undefined;
}
