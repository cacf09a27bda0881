import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import type { Store, StoreLocation } from '../store/database.ts';
import { resolveLocation } from '../store/location.ts';
import { badInput, notFound } from '../model/error.ts';

/** Global options every command accepts. */
export interface GlobalOptions {
  /** The configuration file (else $BANTAY_CONFIG, else ./bantay.config.json when it exists). */
  config?: string;
  data?: string;
  /** Make a new embedded database where none is (commands that store reports do so anyway). */
  create?: boolean;
}

/**
 * The database chosen by --data, else the configuration (database.url / DATABASE_URL, database.data /
 * BANTAY_DATA). An embedded folder that does not exist is refused (a typo must not start an empty
 * database) unless the command creates databases (`creates`) or --create is given.
 */
export async function chosenLocation(cmd: Command, opts: { creates?: boolean } = {}): Promise<StoreLocation> {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const { config } = await import('../config/current.ts');
  const location = resolveLocation(globals, config().database);
  if (location.backend === 'embedded' && !existsSync(location.dataDir) && !opts.creates && !globals.create) {
    throw notFound(
      'NOT_FOUND',
      `no database at ${location.dataDir}: the folder does not exist. Check --data (or BANTAY_DATA); to make a new database there run \`bantay init\`, \`bantay ingest\`, or add --create.`,
    );
  }
  return location;
}

/** How a command uses the database. */
export interface StoreUse {
  /** The command may make a new embedded database (see chosenLocation). */
  creates?: boolean;
  /** The command answers from a few queries (a count, a page, one report) and ends. */
  quick?: boolean;
}

/** Opens the chosen database (see chosenLocation), runs fn, and always closes it. */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>, opts: StoreUse = {}): Promise<T> {
  const location = await chosenLocation(cmd, opts);
  // The embedded database is PostgreSQL compiled to WebAssembly. V8 compiles it with its baseline
  // compiler, then recompiles the hot functions with its optimising one on background threads:
  // worth it for an ingest or a server, but for a command that runs a few queries and ends that
  // recompiling costs more than it saves (bantay stats on a 2-core machine: 1.5 s of queries
  // against 0.1 s). Set before the database is loaded, so that it applies to its module.
  if (opts.quick && location.backend === 'embedded') setFlagsFromString('--liftoff-only');
  // Loaded here, not at the top: the database stack is what `bantay --help` must not wait for.
  const { openStore } = await import('../store/database.ts');
  const store = await openStore(location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** How to run bantay again the way it was run now: through `npm run bantay --` in a clone, else the command itself. */
export function commandName(): string {
  return process.env.npm_lifecycle_event === 'bantay' ? 'npm run bantay --' : 'bantay';
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses a positive whole number option, with a readable error. */
export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw badInput('BAD_OPTION', `${name} must be a whole number, got "${value}"`);
    return n;
  };
}

/** Formats rows as aligned text columns for the terminal. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  // A reduce, not Math.max(...): `--limit all` can print more rows than a call takes arguments.
  const widths = headers.map((_, i) => cells.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
