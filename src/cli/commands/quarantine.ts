import type { Command } from 'commander';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { notFound } from '../../model/error.ts';

/** `bantay quarantine list|show`. */
export function registerQuarantineCommands(program: Command): void {
  const q = program.command('quarantine').description('what ingest set aside, and why');
  q.command('list')
    .description('list quarantined items, newest first')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 100)
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: number; json?: boolean }, cmd: Command) => {
      const { listQuarantine } = await import('../../store/quarantine.ts');
      const rows = await withStore(cmd, (s) => listQuarantine(s.db, { limit: opts.limit }), { quick: true });
      if (opts.json) return printJson(rows);
      if (rows.length === 0) {
        process.stdout.write('Nothing is quarantined.\n');
        return;
      }
      process.stdout.write(
        `${table(
          ['id', 'where', 'report', 'items', 'reason'],
          rows.map((r) => [
            r.id,
            `${r.source}${r.entry ? `!${r.entry}` : ''}${r.line ? `:${r.line}${r.column ? `:${r.column}` : ''}` : ''}`,
            r.reportId ?? '',
            r.count,
            r.reason,
          ]),
        )}\n`,
      );
    });
  q.command('show')
    .description('print the raw text kept with a quarantined item, byte for byte as it was in the file')
    .argument('<id>', 'the id from `bantay quarantine list`', positiveInt('id'))
    .action(async (id: number, _opts: unknown, cmd: Command) => {
      const { quarantinedRawBytes } = await import('../../store/quarantine.ts');
      const raw = await withStore(cmd, (s) => quarantinedRawBytes(s.db, id), { quick: true });
      if (raw === undefined) throw notFound('NOT_FOUND', `quarantine item ${id} has no raw text kept (or does not exist)`);
      // Bytes, not text: bytes the file's encoding could not decode come out as they went in.
      process.stdout.write(raw);
      if (raw[raw.length - 1] !== 0x0a) process.stdout.write('\n');
    });
}
