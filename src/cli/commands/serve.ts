import type { Command } from 'commander';

/** Registers this stage's commands (placeholder: filled in by its stage). */
export function registerServerCommands(_program: Command): void {}
