import type { Command } from 'commander';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { notFound } from '../../model/error.ts';

// `link` itself has --json, so commander hands a subcommand's --json to the parent: read both.
function json(opts: { json?: boolean }, cmd: Command): boolean {
  return opts.json === true || cmd.parent?.opts<{ json?: boolean }>().json === true;
}

/** `bantay subjects`, `bantay link …`. */
export function registerLinkCommands(program: Command): void {
  const link = program
    .command('link')
    .description('link reports through shared identifiers into subjects (incremental: new or changed reports only)')
    .option('--rebuild', 're-extract and relink everything (gives the same subjects)')
    .option('--hub-cap <n>', 'a value on more reports than this links nothing (default 20)', positiveInt('--hub-cap'))
    .option('--warninglists <path>', 'use these MISP warninglist files instead of the imported ones (bantay warninglist import)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { rebuild?: boolean; hubCap?: number; warninglists?: string; json?: boolean }, cmd: Command) => {
      const { loadWarninglists } = await import('../../enrich/warninglist-files.ts');
      const { runLink } = await import('../../link/run.ts');
      const s = await withStore(cmd, (store) =>
        runLink(store, {
          rebuild: opts.rebuild === true,
          ...(opts.hubCap !== undefined ? { params: { hubCap: opts.hubCap } } : {}),
          ...(opts.warninglists ? { warninglists: loadWarninglists(opts.warninglists) } : {}),
        }),
      );
      if (opts.json) return printJson(s);
      process.stdout.write(
        `${opts.rebuild ? 'Rebuilt' : 'Linked'}: ${s.reportsExtracted} report(s) extracted (${s.identifiers} identifiers), ${s.keysRelinked} key(s) relinked, ${s.evidence} shared identifier(s), ${s.hubs} hub value(s); ${s.subjects} subject(s) over ${s.reportsInSubjects} reports in ${(s.ms / 1000).toFixed(1)} s\n`,
      );
    });

  link
    .command('hubs')
    .description('values that link nothing, with why: over the hub cap, the same id or handle across account namespaces, or on reports that share nothing else')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listHubs } = await import('../../store/link.ts');
      const rows = await withStore(cmd, (s) => listHubs(s.db), { quick: true });
      if (json(opts, cmd)) return printJson(rows);
      if (rows.length === 0) return void process.stdout.write('No value is blocked as a hub.\n');
      process.stdout.write(
        `${table(
          ['kind', 'value', 'reports', 'why', 'blocked since'],
          rows.map((r) => [r.kind, r.value, r.reportCount, r.reason, r.since]),
        )}\n`,
      );
    });

  const namespaces = link
    .command('namespaces')
    .description('the account-namespace table: which account system the ids and screen names of each product live in (built in, plus imported files)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { describeNamespaces } = await import('../../link/namespace-files.ts');
      const rows = await withStore(cmd, (s) => describeNamespaces(s), { quick: true });
      if (json(opts, cmd) || cmd.parent?.parent?.opts<{ json?: boolean }>().json === true) return printJson(rows);
      process.stdout.write(
        `${table(
          ['ids', 'screen names', 'company', 'names as written', 'from'],
          rows.map((r) => [r.ids, r.handles, r.company, r.names.join(', '), r.source]),
        )}\n`,
      );
    });
  namespaces
    .command('import')
    .description("add or correct rows with a JSON file in the table's shape (docs/linking.md); checked before it is stored")
    .argument('<file>', 'the JSON file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const { importNamespaceFile } = await import('../../link/namespace-files.ts');
      const r = await withStore(cmd, (s) => importNamespaceFile(s, file));
      process.stdout.write(
        `${r.outcome === 'unchanged' ? 'Unchanged' : r.outcome === 'added' ? 'Added' : 'Replaced'}: "${r.name}" (${r.products} product row(s), ${r.companies} compan${r.companies === 1 ? 'y' : 'ies'}).` +
          `${r.outcome === 'unchanged' ? '' : ' Reports linked before keep their old identifiers until `bantay link --rebuild`.'}\n`,
      );
    });
  namespaces
    .command('remove')
    .description('remove an imported file (the built-in rows stay)')
    .argument('<name>', "the file's name as listed")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const { removeNamespaceFile } = await import('../../store/account-namespaces.ts');
      const found = await withStore(cmd, (s) => removeNamespaceFile(s.db, name));
      if (!found) throw notFound('NOT_FOUND', `no imported namespace file "${name}"`);
      process.stdout.write(`Removed "${name}". Run \`bantay link --rebuild\` to relink reports with the table as it is now.\n`);
    });

  link
    .command('exclude')
    .description('never link on a value (exact, or with % wildcards); applies to what is already linked')
    .argument('<value>', 'the value or pattern, e.g. +639171234567 or %@example.ph')
    .requiredOption('--comment <text>', 'why the value is excluded')
    .action(async (value: string, opts: { comment: string }, cmd: Command) => {
      const { excludeValue } = await import('../../link/run.ts');
      const r = await withStore(cmd, (s) => excludeValue(s, value, opts.comment));
      process.stdout.write(`Excluded ${value}: ${r.keys} key(s) relinked.\n`);
    });

  link
    .command('unexclude')
    .description('remove an exclusion and relink the values it held back')
    .argument('<value>', 'the pattern as it was added')
    .action(async (value: string, _opts: unknown, cmd: Command) => {
      const { relinkKeys } = await import('../../link/run.ts');
      const { keysMatching, removeExclusion } = await import('../../store/link.ts');
      const found = await withStore(cmd, async (s) => {
        const ok = await removeExclusion(s.db, value);
        if (ok) await relinkKeys(s, await keysMatching(s.db, value, ['strong', 'medium']));
        return ok;
      });
      if (!found) throw notFound('NOT_FOUND', `no exclusion "${value}"`);
      process.stdout.write(`Removed the exclusion ${value}.\n`);
    });

  link
    .command('exclusions')
    .description("the analysts' exclusions")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listExclusions } = await import('../../store/link.ts');
      const rows = await withStore(cmd, (s) => listExclusions(s.db), { quick: true });
      if (json(opts, cmd)) return printJson(rows);
      process.stdout.write(
        rows.length
          ? `${table(
              ['pattern', 'comment', 'added'],
              rows.map((r) => [r.pattern, r.comment, r.createdAt]),
            )}\n`
          : 'No exclusions.\n',
      );
    });

  link
    .command('split')
    .description('take a report out of its subject (its automatic links are ignored from now on)')
    .argument('<report>', 'report id')
    .option('--comment <text>', 'why')
    .action(async (report: string, opts: { comment?: string }, cmd: Command) => {
      const { manualDecision } = await import('../../link/run.ts');
      await withStore(cmd, (s) => manualDecision(s, { action: 'split', a: report }, opts.comment));
      process.stdout.write(`Split ${report} from its subject.\n`);
    });

  link
    .command('cut')
    .description('remove the direct link between two reports')
    .argument('<a>', 'report id')
    .argument('<b>', 'report id')
    .option('--comment <text>', 'why')
    .action(async (a: string, b: string, opts: { comment?: string }, cmd: Command) => {
      const { manualDecision } = await import('../../link/run.ts');
      await withStore(cmd, (s) => manualDecision(s, { action: 'cut', a, b }, opts.comment));
      process.stdout.write(`Cut the link between ${a} and ${b}.\n`);
    });

  link
    .command('merge')
    .description('put two reports in one subject')
    .argument('<a>', 'report id')
    .argument('<b>', 'report id')
    .option('--comment <text>', 'why')
    .action(async (a: string, b: string, opts: { comment?: string }, cmd: Command) => {
      const { manualDecision } = await import('../../link/run.ts');
      await withStore(cmd, (s) => manualDecision(s, { action: 'merge', a, b }, opts.comment));
      process.stdout.write(`Merged ${a} and ${b}.\n`);
    });

  link
    .command('decisions')
    .description("the analysts' splits, cuts and merges")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listOverrides } = await import('../../store/link.ts');
      const rows = await withStore(cmd, (s) => listOverrides(s.db), { quick: true });
      if (json(opts, cmd)) return printJson(rows);
      process.stdout.write(
        rows.length
          ? `${table(
              ['id', 'action', 'a', 'b', 'comment'],
              rows.map((r) => [r.id, r.action, r.reportA, r.reportB, r.comment]),
            )}\n`
          : 'No manual decisions.\n',
      );
    });

  link
    .command('why')
    .description('why two reports are linked: the path and the shared identifiers of each step')
    .argument('<a>', 'report id')
    .argument('<b>', 'report id')
    .option('--json', 'print as JSON')
    .action(async (a: string, b: string, opts: { json?: boolean }, cmd: Command) => {
      const { whyLinked } = await import('../../link/why.ts');
      const w = await withStore(cmd, (s) => whyLinked(s, a, b), { quick: true });
      if (json(opts, cmd)) return printJson(w);
      if (!w.linked) return void process.stdout.write(`${a} and ${b} are not linked (subjects: ${w.subjectA ?? 'none'}, ${w.subjectB ?? 'none'}).\n`);
      process.stdout.write(`${a} and ${b} are in subject ${w.subjectA}; path: ${w.path.join(' → ')}\n`);
      for (const s of w.steps) {
        process.stdout.write(`  ${s.from} → ${s.to} (${s.rule})\n`);
        for (const x of s.shared) process.stdout.write(`    ${x.strength.padEnd(6)} ${x.kind}: ${x.value}${x.bits !== undefined ? ` (${x.bits} bits)` : ''}\n`);
      }
    });

  link
    .command('show')
    .description("a report's identifiers (kind, value, role, strength), its subject and the reports it links to, with reasons")
    .argument('<report>', 'report id')
    .option('--json', 'print as JSON')
    .action(async (report: string, opts: { json?: boolean }, cmd: Command) => {
      const { reportLinks } = await import('../../link/query.ts');
      const r = await withStore(cmd, (s) => reportLinks(s, report), { quick: true });
      if (json(opts, cmd)) return printJson(r);
      process.stdout.write(`subject: ${r.subject ?? 'none'}\n`);
      process.stdout.write(
        `${table(
          ['kind', 'value', 'role', 'strength', 'note'],
          r.identifiers.map((i) => [i.kind, i.value, i.role, i.strength, i.note]),
        )}\n`,
      );
      for (const l of r.linked)
        process.stdout.write(`linked to ${l.reportId} (${l.rule}): ${l.shared.map((x) => `${x.kind} ${x.value} (${x.strength})`).join('; ')}\n`);
    });

  program
    .command('subjects')
    .description('subjects: connected groups of linked reports')
    .option('--min-reports <n>', 'only subjects with at least this many reports', positiveInt('--min-reports'), 2)
    .option('--json', 'print as JSON: [{ id, reportIds, identifiers: [{ kind, value }] }]')
    .action(async (opts: { minReports: number; json?: boolean }, cmd: Command) => {
      const { listSubjects } = await import('../../link/query.ts');
      const rows = await withStore(cmd, (s) => listSubjects(s, { minReports: opts.minReports }), { quick: true });
      if (opts.json) return printJson(rows);
      if (rows.length === 0) return void process.stdout.write('No subjects. Run `bantay link` first.\n');
      process.stdout.write(
        `${table(
          ['subject', 'reports', 'report ids', 'identifiers'],
          rows.map((r) => [r.id, r.reportIds.length, r.reportIds.slice(0, 6).join(' ') + (r.reportIds.length > 6 ? ' …' : ''), r.identifiers.length]),
        )}\n`,
      );
    });
}
