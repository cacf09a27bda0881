import type { Command } from 'commander';
import { processNew, type ProcessSummary } from '../../pipeline/process.ts';
import { ingestExitCode, ingestPaths, type IngestSummary } from '../../ingest/run.ts';
import { measureInputs } from '../../ingest/sources.ts';
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
  if (s.skippedFiles) lines.push(`  skipped       ${s.skippedFiles} files that are not CyberTip input`);
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
    .description('read CyberTip reports (bundle XML or police LE JSON) from files, folders, .gz and .zip into the database, then process what is new')
    .argument('<paths...>', 'files or folders (read recursively)')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bar')
    .option('--no-process', 'only store the reports; do not run hash signals, linking and scoring on them now')
    .action(async (paths: string[], opts: { json?: boolean; progress: boolean; process: boolean }, cmd: Command) => {
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
        // Scores must follow the reports in: an unprocessed report would sit unranked in the queue.
        const changed = ingested.newReports + ingested.newVersions > 0;
        const done = opts.process && changed ? await processNew(store, tty ? { onStage: (st) => process.stderr.write(`  ${st}…\n`) } : {}) : undefined;
        return { summary: ingested, processed: done };
      });
      if (opts.json) printJson(processed ? { ...summary, processed } : summary);
      else process.stdout.write(`${formatIngestSummary(summary)}\n${processed ? `${formatProcessSummary(processed)}\n` : ''}`);
      process.exitCode = ingestExitCode(summary);
    });
}
