import type { Command } from 'commander';
import type { EnrichmentDoc } from '../../enrich/report-enrichment.ts';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { notFound } from '../../model/error.ts';

/** `bantay report ID`, `bantay reports`, `bantay stats`. */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('show one report with every version it arrived in')
    .argument('<id>', 'the CyberTipline report number')
    .option('--json', 'print the full canonical report and its versions as JSON')
    .option('--raw', 'include the raw XML of each version')
    .action(async (id: string, opts: { json?: boolean; raw?: boolean }, cmd: Command) => {
      const { getReport } = await import('../../store/reports.ts');
      const { reportLinks } = await import('../../link/query.ts');
      const { reportSignals } = await import('../../store/hashes.ts');
      const { getEnrichment } = await import('../../store/enrichment.ts');
      const { IP_DATA_ATTRIBUTION } = await import('../../enrich/ip-geo.ts');
      const found = await withStore(
        cmd,
        async (s) => {
          const report = await getReport(s.db, id, { raw: opts.raw ?? false });
          if (!report) return undefined;
          const [links, signals, enrichment] = await Promise.all([reportLinks(s, id), reportSignals(s.db, [id]), getEnrichment(s.db, id)]);
          return { ...report, hashSignals: signals[0] ?? null, enrichment: enrichment ? { ...enrichment, attribution: IP_DATA_ATTRIBUTION } : null, ...links };
        },
        { quick: true },
      );
      if (!found) throw notFound('NOT_FOUND', `no report ${id} in this database`);
      if (opts.json) return printJson(found);
      const lines = [
        `Report ${found.reportId}  (version ${found.currentVersion} of ${found.versionCount})`,
        `  received      ${found.receivedAt ?? 'unknown'}`,
        `  incident      ${found.incidentType}, ${found.incidentTime}`,
        `  ESP           ${found.esp ?? 'unknown'}`,
        `  referral      ${found.referral === null ? 'not stated' : found.referral ? 'yes' : 'no (informational)'}`,
        `  NCMEC priority ${found.priority ?? 'none'}   country ${found.country ?? 'none'}`,
        `  annotations   ${found.annotations.join(', ') || 'none'}${found.batched ? '   (batched: viral/meme)' : ''}`,
        `  files ${found.fileCount}, reported persons ${found.reportedCount}, victims ${found.victimCount}`,
      ];
      if (found.escalation) lines.push(`  ESCALATION    ${found.escalation}`);
      lines.push(`  subject       ${found.subject ?? 'none (not linked, or bantay link not run yet)'}`);
      if (found.hashSignals) lines.push(`  material      ${found.hashSignals.novelty}`);
      if (found.enrichment) {
        const e = found.enrichment;
        const doc = e.doc as EnrichmentDoc;
        lines.push(
          `  province      ${doc.places.find((p) => p.provinceCode === e.provinceCode)?.provinceName ?? 'unknown'}   countries ${e.countries.join(', ') || 'none'}`,
        );
        if (e.ipFlags.length) lines.push(`  IP classes    ${e.ipFlags.join(', ')}`);
        if (doc.ips.length) {
          lines.push(
            '',
            table(
              ['IP', 'port', 'time (UTC)', 'country', 'region / city', 'network', 'note'],
              doc.ips.map((i) => [
                i.ip,
                i.port ?? '',
                i.at ?? '',
                i.country ?? '',
                [i.region, i.city].filter(Boolean).join(' / '),
                i.org ? `AS${i.asn} ${i.org}` : '',
                i.warning ?? (i.actionable ? 'actionable' : ''),
              ]),
            ),
            `  ${IP_DATA_ATTRIBUTION}`,
          );
        }
      }
      if (found.identifiers.length)
        lines.push(
          '',
          table(
            ['identifier', 'value', 'role', 'strength'],
            found.identifiers.map((i) => [i.kind, i.value, i.role, i.strength + (i.note ? ` (${i.note})` : '')]),
          ),
        );
      if (found.linked.length)
        lines.push(
          '',
          table(
            ['linked report', 'because of'],
            found.linked.map((l) => [l.reportId, l.shared.map((x) => `${x.kind} ${x.value} (${x.strength})`).join('; ')]),
          ),
        );
      lines.push(
        '',
        table(
          ['version', 'ingested', 'from'],
          found.versions.map((v) => [v.version, v.ingestedAt, v.source]),
        ),
      );
      if (opts.raw) for (const v of found.versions) lines.push('', `--- version ${v.version} raw XML ---`, v.raw ?? '');
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program
    .command('reports')
    .description('list reports, newest received first')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 50)
    .option('--offset <n>', 'skip this many first', positiveInt('--offset'), 0)
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: number; offset: number; json?: boolean }, cmd: Command) => {
      const { listReports } = await import('../../store/reports.ts');
      const rows = await withStore(cmd, (s) => listReports(s.db, { limit: opts.limit, offset: opts.offset }), { quick: true });
      if (opts.json) return printJson(rows);
      process.stdout.write(
        `${table(
          ['report', 'received', 'ESP', 'incident type', 'ref', 'files', 'v'],
          rows.map((r) => [
            r.reportId,
            r.receivedAt?.slice(0, 16) ?? '',
            r.esp ?? '',
            r.incidentType.slice(0, 40),
            r.referral === null ? '' : r.referral ? 'R' : 'I',
            r.fileCount,
            r.versionCount,
          ]),
        )}\n`,
      );
    });

  program
    .command('stats')
    .description('print counts of what the database holds')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { storeStats } = await import('../../store/reports.ts');
      const { stats, where } = await withStore(cmd, async (s) => ({ stats: await storeStats(s.db), where: s.describe }), { quick: true });
      if (opts.json) return printJson(stats);
      const pct = (n: number): string => (stats.reports ? `${((100 * n) / stats.reports).toFixed(1)}%` : '-');
      const out = [
        `Database: ${where}`,
        `Reports        ${stats.reports}   (versions ${stats.versions}; ${stats.reportsWithSeveralVersions} reports with more than one)`,
        `Referrals      ${stats.referral} (${pct(stats.referral)})   informational ${stats.informational} (${pct(stats.informational)})`,
        `Batched viral  ${stats.batched} (${pct(stats.batched)})   escalated by the ESP ${stats.escalated}`,
        `Quarantined    ${stats.quarantined} items (bantay quarantine list)`,
        `Received       ${stats.receivedFrom ?? '-'} to ${stats.receivedTo ?? '-'}`,
        `Raw XML kept   ${(stats.rawBytes / 1e6).toFixed(1)} MB before compression`,
        '',
        table(
          ['incident type', 'reports'],
          stats.byIncidentType.map((r) => [r.value, r.count]),
        ),
        '',
        table(
          ['ESP', 'reports'],
          stats.byEsp.map((r) => [r.value ?? '(unknown)', r.count]),
        ),
      ];
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
