import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/error.ts';
import { EXIT_BAD_INPUT, EXIT_CODES } from './exit.ts';
import type { GlobalOptions } from './context.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerQuarantineCommands } from './commands/quarantine.ts';
import { registerReportCommands } from './commands/reports.ts';
import { registerSynthCommands } from './commands/synth.ts';
import { registerHashCommands } from './commands/hashes.ts';
import { registerLinkCommands } from './commands/link.ts';
import { registerEnrichCommands } from './commands/enrich.ts';
import { registerTriageCommands } from './commands/triage.ts';
import { registerPaymentCommands } from './commands/payments.ts';
import { registerServerCommands } from './commands/serve.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerTrendCommands } from './commands/trends.ts';
import { registerChildrenCommands } from './commands/children.ts';
import { registerGeoCommands } from './commands/geo.ts';
import { registerJobCommands } from './commands/jobs.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDeconflictCommands } from './commands/deconflict.ts';
import { registerStatsCommands } from './commands/stats.ts';
import { BantayError } from '../model/error.ts';

/** Builds the `bantay` command with all its subcommands. */
export function buildProgram(): Command {
  const program = new Command('bantay')
    .description('Bantay: triage of CyberTipline reports on online sexual exploitation of children (metadata and hashes only)')
    .option(
      '--data <dir>',
      'embedded database folder (default: database.data, $BANTAY_DATA or ./bantay-data; database.url or DATABASE_URL selects a PostgreSQL server instead)',
    )
    .option('--create', 'make a new embedded database if the --data folder does not exist (ingest, demo and init always may)')
    .option('--config <file>', 'the configuration file (default: $BANTAY_CONFIG, else ./bantay.config.json when it exists; docs/configuration.md)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // The configuration is read and checked once, before any command runs (never for --help): a bad
  // setting stops every command with its name, where it was set and its value.
  program.hook('preAction', async (_program, action) => {
    const { loadConfig } = await import('../config/load.ts');
    const { useConfig } = await import('../config/current.ts');
    const file = action.optsWithGlobals<GlobalOptions>().config;
    useConfig(loadConfig(file ? { file } : {}));
  });
  registerIngestCommand(program);
  registerReportCommands(program);
  registerQuarantineCommands(program);
  registerSynthCommands(program);
  registerHashCommands(program);
  registerEnrichCommands(program);
  registerLinkCommands(program);
  registerTriageCommands(program);
  registerPaymentCommands(program);
  registerServerCommands(program);
  registerExportCommands(program);
  registerTrendCommands(program);
  registerChildrenCommands(program);
  registerGeoCommands(program);
  registerJobCommands(program);
  registerDbCommands(program);
  registerDeconflictCommands(program);
  registerStatsCommands(program);
  return program;
}

/** Runs the CLI with process-style argv and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    process.stderr.write(`bantay: ${err instanceof Error ? err.message : String(err)}\n`);
    // A bad setting is bad input, like a bad option.
    if (err instanceof ConfigError) return EXIT_BAD_INPUT;
    return err instanceof BantayError ? EXIT_CODES[err.kind] : EXIT_CODES.internal;
  }
}
