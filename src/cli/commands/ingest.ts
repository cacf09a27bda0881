import type { Command } from 'commander';
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

/** `bantay ingest PATH…`. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('read CyberTip reports from files, folders, .gz and .zip into the database')
    .argument('<paths...>', 'files or folders (read recursively)')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (paths: string[], opts: { json?: boolean; progress: boolean }, cmd: Command) => {
      const summary = await withStore(cmd, async (store) => {
        const total = opts.progress && !opts.json ? await measureInputs(paths) : 0;
        const bar = ingestProgressBar(total, opts.progress && !opts.json);
        try {
          return await ingestPaths(store, paths, { onProgress: (p) => bar.update(p) });
        } finally {
          bar.stop();
        }
      });
      if (opts.json) printJson(summary);
      else process.stdout.write(`${formatIngestSummary(summary)}\n`);
      process.exitCode = ingestExitCode(summary);
    });
}
