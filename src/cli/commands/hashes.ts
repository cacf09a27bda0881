import type { Command } from 'commander';

/** `bantay hashlist …`, `bantay hash HASH`, `bantay hashes update`. */
export function registerHashCommands(_program: Command): void {
  // placeholder: filled in with the hash-intelligence stage
}
