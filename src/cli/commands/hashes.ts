import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_VIRAL, type FileSignal } from '../../hashes/signals.ts';
import type { ListFormat } from '../../hashes/lists.ts';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { notFound } from '../../model/error.ts';

function format(value: string): ListFormat {
  if (value === 'vics' || value === 'ncmec' || value === 'csv') return value;
  throw new InvalidArgumentError('expected vics, ncmec or csv');
}

/** `bantay hashlist …`, `bantay hash HASH`, `bantay hashes update`. */
export function registerHashCommands(program: Command): void {
  const hl = program.command('hashlist').description('known-hash lists (VICS JSON, NCMEC hash-sharing XML, CSV)');
  hl.command('import')
    .description('import or replace a named list (the same file again changes nothing)')
    .argument('<file>', 'the list file')
    .requiredOption('--name <name>', 'the list name')
    .option('--format <format>', 'vics | ncmec | csv (default: from the file)', format)
    .option('--source <source>', 'where the list came from')
    .option('--category <category>', 'a category for entries that carry none')
    .option('--profile <profile>', 'the VICS category profile (US, CA, UK)')
    .option('--pdq-threshold <n>', 'PDQ match distance for this list', positiveInt('--pdq-threshold'))
    .option('--pdq-quality <n>', 'PDQ quality floor for this list', positiveInt('--pdq-quality'))
    .option('--json', 'print as JSON')
    .action(
      async (
        file: string,
        opts: {
          name: string;
          format?: ListFormat;
          source?: string;
          category?: string;
          profile?: string;
          pdqThreshold?: number;
          pdqQuality?: number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const { importHashList } = await import('../../hashes/import.ts');
        const s = await withStore(cmd, (store) =>
          importHashList(store, file, {
            name: opts.name,
            ...(opts.format ? { format: opts.format } : {}),
            ...(opts.source ? { source: opts.source } : {}),
            ...(opts.category ? { category: opts.category } : {}),
            ...(opts.profile ? { profile: opts.profile } : {}),
            ...(opts.pdqThreshold !== undefined ? { pdqThreshold: opts.pdqThreshold } : {}),
            ...(opts.pdqQuality !== undefined ? { pdqQualityFloor: opts.pdqQuality } : {}),
          }),
        );
        if (opts.json) return printJson(s);
        process.stdout.write(
          `${s.name} (${s.format}): ${s.outcome}, ${s.entries} entries; dropped ${s.dropped.empty} empty-file, ${s.dropped.invalid} invalid, ${s.dropped.duplicate} duplicate\n`,
        );
        if (s.outcome !== 'unchanged') process.stdout.write('Run `bantay hashes update` to refresh the signals.\n');
      },
    );
  hl.command('list')
    .description('the imported lists')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listHashLists } = await import('../../store/hashes.ts');
      const rows = await withStore(cmd, (s) => listHashLists(s.db), { quick: true });
      if (opts.json) return printJson(rows);
      if (rows.length === 0) return void process.stdout.write('No hash lists imported.\n');
      process.stdout.write(
        `${table(
          ['name', 'format', 'enabled', 'entries', 'source', 'category', 'pdq', 'imported'],
          rows.map((r) => [
            r.name,
            r.format,
            r.enabled ? 'yes' : 'no',
            r.entryCount,
            r.source,
            r.category,
            `≤${r.pdqThreshold} q≥${r.pdqQualityFloor}`,
            r.importedAt,
          ]),
        )}\n`,
      );
    });
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    hl.command(verb)
      .description(`${verb} a list for matching`)
      .argument('<name>', 'the list name')
      .action(async (name: string, _opts: unknown, cmd: Command) => {
        const { setHashListEnabled } = await import('../../store/hashes.ts');
        const ok = await withStore(cmd, (s) => setHashListEnabled(s.db, name, enabled));
        if (!ok) throw notFound('NOT_FOUND', `no hash list named "${name}"`);
        process.stdout.write(`${name}: ${enabled ? 'enabled' : 'disabled'}. Run \`bantay hashes update\` to refresh the signals.\n`);
      });
  }
  program
    .command('hash')
    .description('every report and list where a hash occurs (PDQ: near copies too)')
    .argument('<hash>', 'MD5, SHA1, SHA256, PDQ … as hex')
    .option('--json', 'print as JSON')
    .action(async (hash: string, opts: { json?: boolean }, cmd: Command) => {
      const { lookupHash } = await import('../../hashes/lookup.ts');
      const r = await withStore(cmd, (s) => lookupHash(s, hash), { quick: true });
      if (opts.json) return printJson(r);
      if (r.emptyFile) return void process.stdout.write(`${r.value} is an empty-file hash: never evidence, not matched.\n`);
      process.stdout.write(
        `${r.value}: ${r.reports.length} file(s) in reports, ${r.lists.length} list entr${r.lists.length === 1 ? 'y' : 'ies'}, ${r.near.reports.length + r.near.lists.length} PDQ near match(es)\n`,
      );
      if (r.reports.length)
        process.stdout.write(
          `${table(
            ['report', 'file', 'type', 'report novelty'],
            r.reports.map((x) => [x.reportId, x.fileId, x.type, x.novelty]),
          )}\n`,
        );
      if (r.lists.length)
        process.stdout.write(
          `${table(
            ['list', 'enabled', 'type', 'category', 'series'],
            r.lists.map((x) => [x.list, x.enabled ? 'yes' : 'no', x.type, x.category, x.series]),
          )}\n`,
        );
    });
  const hs = program.command('hashes').description('the hash store and its signals');
  hs.command('signals')
    .description("a report's hash signals (novelty, known, viral) with every file's evidence")
    .argument('<report>', 'the report number')
    .option('--json', 'print as JSON')
    .action(async (reportId: string, opts: { json?: boolean }, cmd: Command) => {
      const { readReportSignals } = await import('../../hashes/evidence.ts');
      const [r] = await withStore(cmd, (s) => readReportSignals(s.db, [reportId]), { quick: true });
      if (!r) throw notFound('NOT_FOUND', `no hash signals for report ${reportId} (not ingested, or run \`bantay hashes update\`)`);
      if (opts.json) return printJson(r);
      const files = r.evidence;
      process.stdout.write(
        `${r.reportId}: ${r.novelty}${r.known ? ', known' : ''}${r.viral ? `, viral${r.viralKey ? ` (batch ${r.viralKey})` : ''}` : ''}; ${r.newFiles} new file(s)\n`,
      );
      process.stdout.write(
        `${table(
          ['file', 'novelty', 'known', 'reports', 'users', 'first seen'],
          files.map((f) => [
            f.fileId,
            f.novelty,
            f.known.map((k) => `${k.list}:${k.category ?? ''}${k.match === 'pdq' ? `~${k.distance}` : ''}`).join(' '),
            f.viral.reports,
            f.viral.users,
            f.firstSeenReport,
          ]),
        )}\n`,
      );
    });
  hs.command('update')
    .description("extract new or changed reports' file hashes and recompute known/viral/new signals")
    .option('--all', 're-extract every report')
    .option('--viral-reports <n>', 'viral: at least this many reports', positiveInt('--viral-reports'), DEFAULT_VIRAL.minReports)
    .option('--viral-users <n>', 'viral: from at least this many users', positiveInt('--viral-users'), DEFAULT_VIRAL.minUsers)
    .option('--viral-days <n>', 'viral: within this many days', positiveInt('--viral-days'), DEFAULT_VIRAL.windowDays)
    .option('--json', 'print as JSON')
    .action(async (opts: { all?: boolean; viralReports: number; viralUsers: number; viralDays: number; json?: boolean }, cmd: Command) => {
      const { updateHashes } = await import('../../hashes/update.ts');
      const viral = { ...DEFAULT_VIRAL, minReports: opts.viralReports, minUsers: opts.viralUsers, windowDays: opts.viralDays };
      const s = await withStore(cmd, (store) => updateHashes(store, { ...(opts.all ? { all: true } : {}), viral }));
      if (opts.json) return printJson(s);
      process.stdout.write(
        `Extracted ${s.reportsExtracted} report(s), ${s.fileHashes} file hash(es) (${s.emptyIgnored} empty-file hashes ignored, ${s.invalidIgnored} invalid). Signals for ${s.reportsSignalled} report(s): ${
          Object.entries(s.novelty)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }. ${s.seconds.toFixed(1)} s.\n`,
      );
    });
}
