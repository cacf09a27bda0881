import type { Command } from 'commander';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { badInput } from '../../model/error.ts';

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw badInput('BAD_OPTION', `--as-of must be a date such as 2026-01-31, got "${value}"`);
  return value;
}

/** `bantay trends`. */
export function registerTrendCommands(program: Command): void {
  program
    .command('trends')
    .description('bring the trend series up to date (incremental) and list the series that departed from their own baseline')
    .option('--as-of <date>', 'the last Manila day judged (default: the newest day with reports)', day)
    .option('--days <n>', 'days back from --as-of whose alerts are judged and listed (default 14)', positiveInt('--days'))
    .option('--rebuild', "recompute every report's series (gives the same counts)")
    .option('--json', 'print the alerts as JSON')
    .action(async (opts: { asOf?: string; days?: number; rebuild?: boolean; json?: boolean }, cmd: Command) => {
      const { runTrends, trendAlerts } = await import('../../trends/run.ts');
      const days = opts.days ?? 14;
      const { summary, alerts } = await withStore(cmd, async (store) => {
        const summary = await runTrends(store, { days, ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.rebuild ? { rebuild: true } : {}) });
        const since = summary.asOf ? new Date(Date.parse(`${summary.asOf}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10) : undefined;
        return { summary, alerts: await trendAlerts(store, { limit: 500, ...(since ? { since } : {}) }) };
      });
      if (opts.json) return printJson({ summary, alerts });
      process.stdout.write(
        `Trends: ${summary.reportsUpdated} report(s) and ${summary.paymentsCounted} payment(s) counted; ${summary.seriesJudged} series judged up to ${summary.asOf ?? '(no data)'} in ${(summary.ms / 1000).toFixed(1)} s\n`,
      );
      if (alerts.length === 0) return void process.stdout.write('No series departed from its baseline.\n');
      process.stdout.write(
        `${table(
          ['dimension', 'key', 'period', 'from', 'to', 'observed', 'expected', 'ratio', 'score', 'reports'],
          alerts.map((a) => [
            a.dimension,
            a.key.length > 40 ? `${a.key.slice(0, 37)}...` : a.key,
            a.period,
            a.start,
            a.end,
            a.observed,
            a.expected,
            a.ratio,
            a.score,
            a.reports.total,
          ]),
        )}\n`,
      );
    });
}
