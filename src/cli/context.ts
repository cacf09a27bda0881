import type { Command } from 'commander';
import { openStore, resolveLocation, type Store } from '../store/database.ts';

/** Global options every command accepts. */
export interface GlobalOptions {
  data?: string;
}

/** Opens the database chosen by --data / DATABASE_URL / BANTAY_DATA, runs fn, and always closes it. */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(resolveLocation(cmd.optsWithGlobals<GlobalOptions>()));
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
