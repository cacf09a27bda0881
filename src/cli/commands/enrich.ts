import type { Command } from 'commander';
import { classifyIp } from '../../enrich/ip.ts';
import { ipGeo, IP_DATA_ATTRIBUTION } from '../../enrich/ip-geo.ts';
import { runEnrichment } from '../../link/enrichment.ts';
import { enrichmentCounts } from '../../store/enrichment.ts';
import { printJson, table, withStore } from '../context.ts';
import { loadWarninglists } from '../warninglists.ts';

/** `bantay enrich`, `bantay ip ADDRESS`. */
export function registerEnrichCommands(program: Command): void {
  program.command('enrich')
    .description('look up every report\'s IPs, phones and places in the offline data (only reports whose enrichment is missing or stale; `bantay link` enriches what it links)')
    .option('--all', 're-enrich every report (after an IP data update or a warninglist change)')
    .option('--warninglists <path>', 'MISP warninglist files (folder or file) that flag VPN, proxy, relay, cloud and DNS addresses')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { all?: boolean; warninglists?: string; json?: boolean }, cmd: Command) => {
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
      process.stdout.write(`Enriched ${done} report(s) in ${summary.seconds.toFixed(1)} s.\n${table(['data version', 'reports'], counts.map((c) => [c.dataVersion, c.reports]))}\n${IP_DATA_ATTRIBUTION}\n`);
    });

  program.command('ip')
    .description('what the offline data says about an IP address: country, region, city, network, and whether it can name a subscriber')
    .argument('<address>', 'an IPv4 or IPv6 address')
    .option('--warninglists <path>', 'MISP warninglist files to check the address against')
    .option('--json', 'print as JSON')
    .action((address: string, opts: { warninglists?: string; json?: boolean }) => {
      const c = classifyIp(address);
      if (!c) {
        process.stderr.write(`bantay: "${address}" is not an IP address\n`);
        process.exitCode = 1;
        return;
      }
      const geo = c.nonPublic ? undefined : ipGeo().lookup(c.ip);
      const lists = opts.warninglists ? loadWarninglists(opts.warninglists).hits(c.ip).map((h) => h.list) : [];
      const out = { ip: c.ip, range: c.range, cgnat: c.cgnat, public: !c.nonPublic, ...geo, warninglists: lists, attribution: IP_DATA_ATTRIBUTION };
      if (opts.json) return printJson(out);
      const lines = [
        `${c.ip}  (${c.nonPublic ? (c.cgnat ? 'RFC 6598 shared address space: ISP-internal, names no subscriber' : `not public: ${c.range}`) : 'public'})`,
        ...(geo ? [`  location  ${[geo.city, geo.region, geo.country].filter(Boolean).join(', ') || 'unknown'}`, `  network   ${geo.asn ? `AS${geo.asn} ${geo.org ?? ''}` : 'unknown'}`] : []),
        ...(lists.length ? [`  on lists  ${lists.join(', ')}`] : []),
        `  ${IP_DATA_ATTRIBUTION}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
