import type { Command } from 'commander';
import { RESCUE_STEPS, type RescueStep } from '../../children/steps.ts';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { badInput } from '../../model/error.ts';

function step(value: string): RescueStep {
  if (!(RESCUE_STEPS as readonly string[]).includes(value)) throw badInput('BAD_OPTION', `step must be one of ${RESCUE_STEPS.join(', ')}, got "${value}"`);
  return value as RescueStep;
}

/** `bantay children` and `bantay children step`. */
export function registerChildrenCommands(program: Command): void {
  const cmd = program
    .command('children')
    .description('bring the children up to date (incremental) and list them, the child in most danger now first')
    .option('--status <status>', `only children at this step (open, ${RESCUE_STEPS.join(', ')})`)
    .option('--limit <n>', 'how many to list (default 50)', positiveInt('--limit'))
    .option('--rebuild', 'regroup every mention (gives the same children)')
    .option('--json', 'print the children as JSON')
    .action(async (opts: { status?: string; limit?: number; rebuild?: boolean; json?: boolean }, c: Command) => {
      const { children, runChildren } = await import('../../children/run.ts');
      const { summary, page } = await withStore(c, async (store) => {
        const summary = await runChildren(store, opts.rebuild ? { rebuild: true } : {});
        return { summary, page: await children(store, { limit: opts.limit ?? 50, ...(opts.status ? { status: opts.status } : {}) }) };
      });
      if (opts.json) return printJson({ summary, total: page.total, children: page.items });
      process.stdout.write(
        `Children: ${summary.reportsRead} report(s) read, ${summary.childrenWritten} child(ren) updated in ${(summary.ms / 1000).toFixed(1)} s; ${page.total} listed\n`,
      );
      if (page.items.length === 0) return;
      process.stdout.write(
        `${table(
          ['child', 'name', 'age', 'band', 'last seen', 'reports', 'status', 'why'],
          page.items.map((k) => [
            k.id,
            k.name ?? k.handle ?? '-',
            k.ageNow,
            k.band,
            k.lastSeen?.slice(0, 10) ?? '-',
            k.reports.length,
            k.status,
            k.danger.join(', '),
          ]),
        )}\n`,
      );
    });
  cmd
    .command('step')
    .description("record a step of a child's rescue (identified, located, referred, rescued, aftercare), in the audit trail")
    .argument('<child>', 'the child id (C-...)')
    .argument('<step>', RESCUE_STEPS.join(' | '), step)
    .requiredOption('--by <user>', 'the account recording the step')
    .requiredOption('--note <text>', 'what was done, by whom, where')
    .option('--json', 'print the child as JSON')
    .action(async (id: string, s: RescueStep, opts: { by: string; note: string; json?: boolean }, c: Command) => {
      const { actorByName, recordRescueStep } = await import('../../cases/rescue.ts');
      const k = await withStore(c, async (store) => recordRescueStep(store, await actorByName(store, opts.by), id, s, opts.note));
      if (opts.json) return printJson(k);
      process.stdout.write(`${k.id} is now ${k.status} (${k.steps.length} step(s) recorded)\n`);
    });
}
