import type { Command } from 'commander';
import { printJson, table, withStore } from '../context.ts';
import { badInput, notFound } from '../../model/error.ts';

/** `bantay enrich`, `bantay ip ADDRESS`, `bantay warninglist …`. */
export function registerEnrichCommands(program: Command): void {
  const wl = program.command('warninglist').description('MISP warninglists (VPN, relay, cloud, public DNS ranges…) that every linking and enrichment run uses');
  wl.command('import')
    .description('import MISP warninglist files (a folder, searched recursively, or one .json file); the same file again changes nothing')
    .argument('<path>', 'a folder of MISP warninglist .json files or one file')
    .option('--json', 'print as JSON')
    .action(async (path: string, opts: { json?: boolean }, cmd: Command) => {
      const { readWarninglistFiles } = await import('../../enrich/warninglist-files.ts');
      const { importWarninglistFiles } = await import('../../store/warninglists.ts');
      const files = readWarninglistFiles(path);
      const done = await withStore(cmd, (s) => importWarninglistFiles(s.db, files));
      if (opts.json) return printJson(done);
      const changed = done.filter((d) => d.outcome !== 'unchanged').length;
      process.stdout.write(
        `${table(
          ['list', 'entries', 'outcome'],
          done.map((d) => [d.name, d.entries, d.outcome]),
        )}\n` +
          (changed
            ? `${changed} list(s) added or replaced. Run \`bantay link --rebuild\` so that reports already linked are judged with them.\n`
            : 'Nothing changed.\n'),
      );
    });
  wl.command('list')
    .description('the imported lists')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listWarninglists } = await import('../../store/warninglists.ts');
      const rows = await withStore(cmd, (s) => listWarninglists(s.db), { quick: true });
      if (opts.json) return printJson(rows);
      if (rows.length === 0)
        return void process.stdout.write(
          'No warninglist imported (bantay warninglist import PATH). Built-in knowledge still applies: RFC 6598, private ranges, public DNS resolvers, cloud operators.\n',
        );
      process.stdout.write(
        `${table(
          ['list', 'type', 'entries', 'enabled', 'imported', 'from'],
          rows.map((r) => [r.name, r.type, r.entries, r.enabled ? 'yes' : 'no', r.importedAt, r.source]),
        )}\n`,
      );
    });
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    wl.command(verb)
      .description(`${verb} an imported list by name`)
      .argument('<name>', 'the list name as `warninglist list` shows it')
      .action(async (name: string, _opts: unknown, cmd: Command) => {
        const { setWarninglistEnabled } = await import('../../store/warninglists.ts');
        const ok = await withStore(cmd, (s) => setWarninglistEnabled(s.db, name, enabled));
        if (!ok) throw notFound('NOT_FOUND', `no warninglist named "${name}" (see bantay warninglist list)`);
        process.stdout.write(`${enabled ? 'Enabled' : 'Disabled'} "${name}". Run \`bantay link --rebuild\` to apply it to reports already linked.\n`);
      });
  }

  program
    .command('enrich')
    .description(
      "look up every report's IPs, phones and places in the offline data (only reports whose enrichment is missing or stale; `bantay link` enriches what it links)",
    )
    .option('--all', 're-enrich every report (after an IP data update or a warninglist change)')
    .option('--warninglists <path>', 'use these MISP warninglist files instead of the imported ones')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { all?: boolean; warninglists?: string; json?: boolean }, cmd: Command) => {
      const { IP_DATA_ATTRIBUTION } = await import('../../enrich/ip-geo.ts');
      const { runEnrichment } = await import('../../link/enrichment.ts');
      const { enrichmentCounts } = await import('../../store/enrichment.ts');
      const { loadWarninglists } = await import('../../enrich/warninglist-files.ts');
      const t0 = Date.now();
      const tty = process.stderr.isTTY && !opts.json;
      const { done, counts } = await withStore(cmd, async (s) => {
        const n = await runEnrichment(s, {
          all: opts.all === true,
          ...(opts.warninglists ? { warninglists: loadWarninglists(opts.warninglists) } : {}),
          ...(tty ? { onProgress: (d: number) => process.stderr.write(`\r  enriched ${d} reports…`) } : {}),
        });
        if (tty) process.stderr.write('\n');
        return { done: n, counts: await enrichmentCounts(s.db) };
      });
      const summary = { enriched: done, seconds: (Date.now() - t0) / 1000, byDataVersion: counts, attribution: IP_DATA_ATTRIBUTION };
      if (opts.json) return printJson(summary);
      process.stdout.write(
        `Enriched ${done} report(s) in ${summary.seconds.toFixed(1)} s.\n${table(
          ['data version', 'reports'],
          counts.map((c) => [c.dataVersion, c.reports]),
        )}\n${IP_DATA_ATTRIBUTION}\n`,
      );
    });

  program
    .command('ip')
    .description('what the offline data says about an IP address: country, region, city, network, and whether it can name a subscriber')
    .argument('<address>', 'an IPv4 or IPv6 address')
    .option('--warninglists <path>', 'check against these MISP warninglist files instead of the imported ones')
    .option('--json', 'print as JSON')
    .action(async (address: string, opts: { warninglists?: string; json?: boolean }, cmd: Command) => {
      const { classifyIp } = await import('../../enrich/ip.ts');
      const { IP_DATA_ATTRIBUTION, ipGeo } = await import('../../enrich/ip-geo.ts');
      const { runWarninglists } = await import('../../link/enrichment.ts');
      const { loadWarninglists } = await import('../../enrich/warninglist-files.ts');
      const c = classifyIp(address);
      if (!c) throw badInput('BAD_VALUE', `"${address}" is not an IP address`);
      const geo = c.nonPublic ? undefined : ipGeo().lookup(c.ip);
      const set = opts.warninglists ? loadWarninglists(opts.warninglists) : await withStore(cmd, (s) => runWarninglists(s));
      const lists = set.hits(c.ip).map((h) => h.list);
      const out = { ip: c.ip, range: c.range, cgnat: c.cgnat, public: !c.nonPublic, ...geo, warninglists: lists, attribution: IP_DATA_ATTRIBUTION };
      if (opts.json) return printJson(out);
      const lines = [
        `${c.ip}  (${c.nonPublic ? (c.cgnat ? 'RFC 6598 shared address space: ISP-internal, names no subscriber' : `not public: ${c.range}`) : 'public'})`,
        ...(geo
          ? [
              `  location  ${[geo.city, geo.region, geo.country].filter(Boolean).join(', ') || 'unknown'}`,
              `  network   ${geo.asn ? `AS${geo.asn} ${geo.org ?? ''}` : 'unknown'}`,
            ]
          : []),
        ...(lists.length ? [`  on lists  ${lists.join(', ')}`] : []),
        `  ${IP_DATA_ATTRIBUTION}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
