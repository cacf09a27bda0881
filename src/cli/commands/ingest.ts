import type { Command } from 'commander';
import { processIngested, type ProcessSummary } from '../../pipeline/process.ts';
import { ingestExitCode, ingestPaths, type IngestSummary } from '../../ingest/run.ts';
import { measureInputs } from '../../ingest/sources.ts';
import { missingPaths } from '../../ingest/input-files.ts';
import { ingestProgressBar } from '../progress.ts';
import { printJson, withStore } from '../context.ts';

/** The end-of-run summary in words. */
export function formatIngestSummary(s: IngestSummary): string {
  const lines = [
    `Read ${s.reportsRead} reports from ${s.files} files in ${s.seconds.toFixed(1)} s (${Math.round(s.reportsPerSecond)} reports/s, ${s.megabytesPerSecond.toFixed(1)} MB/s).`,
    `  loaded        ${s.newReports} new reports`,
    `  new versions  ${s.newVersions}`,
    `  unchanged     ${s.unchanged} (already stored with the same content)`,
    `  quarantined   ${s.quarantined}${s.quarantined ? '  (see: bantay quarantine list)' : ''}`,
  ];
  if (s.transactions) {
    const t = s.transactions;
    lines.push(`  transactions  ${t.loaded} new of ${t.records} record(s) in ${t.files.length} file(s); ${t.alreadyStored} already stored, ${t.rejected} set aside${t.rejected ? ' (see: bantay payments rejected)' : ''}`);
  }
  if (s.skippedFiles) {
    lines.push(`  skipped       ${s.skippedFiles} file(s), not read:`);
    for (const f of s.skipped) lines.push(`    ${f.path}${f.entry ? `!${f.entry}` : ''}: ${f.reason}`);
    if (s.skipped.length < s.skippedFiles) lines.push(`    … and ${s.skippedFiles - s.skipped.length} more`);
  }
  for (const r of s.recovered) lines.push(`  interrupted   run ${r.id} was marked interrupted: ${r.why}`);
  if (s.error) lines.push(`FAILED: ${s.error}`);
  return lines.join('\n');
}

/** The processing that followed an ingest, in words. */
function formatProcessSummary(p: ProcessSummary): string {
  const times = p.timings.map((t) => `${t.stage} ${(t.ms / 1000).toFixed(1)} s`).join(', ');
  return `  processed     ${p.link.reportsExtracted} report(s) linked into ${p.link.subjects} subject(s); ${times}`;
}

/** `bantay ingest PATH…`. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('read CyberTip reports (bundle XML or police LE JSON) and transactions files (CSV or JSON Lines, by their header) from files, folders, .gz and .zip into the database, then process what is new')
    .argument('<paths...>', 'files or folders (read recursively)')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bar')
    .option('--no-process', 'only store the reports and transactions; do not run hash signals, linking, payment scoring and scoring on them now')
    .action(async (paths: string[], opts: { json?: boolean; progress: boolean; process: boolean }, cmd: Command) => {
      const missing = missingPaths(paths);
      if (missing.length) throw new Error(`no such file or folder: ${missing.join(', ')} (nothing was ingested)`);
      const tty = opts.progress && !opts.json && process.stderr.isTTY;
      const { summary, processed } = await withStore(cmd, async (store) => {
        const total = opts.progress && !opts.json ? await measureInputs(paths) : 0;
        const bar = ingestProgressBar(total, opts.progress && !opts.json);
        let ingested;
        try {
          ingested = await ingestPaths(store, paths, { onProgress: (p) => bar.update(p) });
        } finally {
          bar.stop();
        }
        // Scores must follow the reports in: an unprocessed report would sit unranked in the queue;
        // new transactions are scored and joined so payment alerts are ready.
        const changed = { reports: ingested.newReports + ingested.newVersions > 0, transactions: (ingested.transactions?.loaded ?? 0) > 0 };
        const done = opts.process ? await processIngested(store, changed, tty ? { onStage: (st) => process.stderr.write(`  ${st}…\n`) } : {}) : undefined;
        return { summary: ingested, processed: done };
      }, { creates: true });
      if (opts.json) printJson(processed ? { ...summary, processed } : summary);
      else process.stdout.write(`${formatIngestSummary(summary)}\n${processed ? `${formatProcessSummary(processed)}\n` : ''}`);
      process.exitCode = ingestExitCode(summary);
    });
}
