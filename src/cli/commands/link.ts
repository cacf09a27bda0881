import type { Command } from 'commander';

/** `bantay subjects`, `bantay link …`. */
export function registerLinkCommands(_program: Command): void {
  // placeholder: filled in with the linking stage
}
