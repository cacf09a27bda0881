import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_THRESHOLD } from '../../stats/suppress.ts';
import { positiveInt, withStore } from '../context.ts';
import { badInput } from '../../model/error.ts';

/** `bantay stats export` (yearly aggregate figures, opt-in) and `bantay ncmec feedback` (outcomes per report for NCMEC). */
export function registerStatsCommands(program: Command): void {
  // `bantay stats` itself prints what the database holds (commands/reports.ts); `export` joins it as a subcommand.
  const stats = program.commands.find((c) => c.name() === 'stats') ?? program.command('stats');
  stats
    .command('export')
    .description(
      "write a year's figures: reports by incident type, ESP, tier and outcome; time to first look and decision; referrals by partner; subjects and children; small counts suppressed (audited)",
    )
    .requiredOption('--year <year>', 'the calendar year (UTC)', positiveInt('--year'))
    .option('--format <format>', 'csv or json', 'csv')
    .option('--threshold <n>', `counts under this are shown as "<n" (default ${DEFAULT_THRESHOLD}, at least 3)`, positiveInt('--threshold'))
    .option('--out <file>', 'where to write it (default bantay-statistics-YEAR.FORMAT here)')
    .action(async (opts: { year: number; format: string; threshold?: number; out?: string }, cmd: Command) => {
      const { exportStatistics } = await import('../../stats/yearly.ts');
      if (opts.format !== 'csv' && opts.format !== 'json') throw badInput('BAD_OPTION', '--format is csv or json');
      const format = opts.format;
      const f = await withStore(cmd, (s) =>
        exportStatistics(s, { year: opts.year, format, ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}) }),
      );
      const out = opts.out ?? f.filename;
      writeFileSync(out, f.bytes);
      process.stdout.write(`Wrote ${out}: the figures of ${f.statistics.year}, counts under ${f.statistics.threshold} suppressed.\n`);
    });

  const ncmec = program.command('ncmec').description('what goes back to NCMEC (docs/ncmec.md)');
  ncmec
    .command('feedback')
    .description(
      'the outcome of each report decided in a period (acted_on, referred, no_nexus, insufficient_information, no_action, duplicate), with the report number and outcome only (audited)',
    )
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (UTC)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (UTC), included')
    .requiredOption('--out <file>', 'the CSV to write')
    .action(async (opts: { from: string; to: string; out: string }, cmd: Command) => {
      const { feedbackCsv } = await import('../../cases/feedback.ts');
      const f = await withStore(cmd, (s) => feedbackCsv(s, opts.from, opts.to));
      writeFileSync(opts.out, f.bytes);
      process.stdout.write(`Wrote ${opts.out}: ${f.lines.length} report(s) decided from ${opts.from} to ${opts.to}.\n`);
    });
}
