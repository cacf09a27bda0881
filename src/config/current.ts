// The process's configuration: read once (the command line reads it at start-up with its
// --config file; anything else reads the environment and ./bantay.config.json on first use), then
// the same object everywhere. Tests set their own with useConfig.
import { loadConfig } from './load.ts';
import type { Config } from './settings.ts';

let current: Config | undefined;

/** The process's configuration (read on first use when nothing set one). */
export function config(): Config {
  current ??= loadConfig();
  return current;
}

/** Makes this the process's configuration (the command line at start-up; a test to change a setting). */
export function useConfig(c: Config): void {
  current = c;
}

/** Forgets the configuration, so that the next config() reads it again. */
export function resetConfig(): void {
  current = undefined;
}
