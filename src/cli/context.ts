import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openStore, resolveLocation, type Store, type StoreLocation } from '../store/database.ts';

/** Global options every command accepts. */
export interface GlobalOptions {
  data?: string;
  /** Make a new embedded database where none is (commands that store reports do so anyway). */
  create?: boolean;
}

/**
 * The database chosen by --data / DATABASE_URL / BANTAY_DATA. An embedded folder that does not
 * exist is refused (a typo must not start an empty database) unless the command creates databases
 * (`creates`) or --create is given.
 */
export function chosenLocation(cmd: Command, opts: { creates?: boolean } = {}): StoreLocation {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const location = resolveLocation(globals);
  if (location.backend === 'embedded' && !existsSync(location.dataDir) && !opts.creates && !globals.create) {
    throw new Error(`no database at ${location.dataDir}: the folder does not exist. Check --data (or BANTAY_DATA); to make a new database there run \`bantay init\`, \`bantay ingest\`, or add --create.`);
  }
  return location;
}

/** Opens the chosen database (see chosenLocation), runs fn, and always closes it. */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>, opts: { creates?: boolean } = {}): Promise<T> {
  const store = await openStore(chosenLocation(cmd, opts));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses a positive whole number option, with a readable error. */
export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
    return n;
  };
}

/** Formats rows as aligned text columns for the terminal. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}
