import type { Command } from 'commander';
import type { JobRow } from '../../store/jobs.ts';
import type { IngestSummary } from '../../ingest/run.ts';
import { printJson, withStore } from '../context.ts';
import { notFound } from '../../model/error.ts';

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
    lines.push(
      `  transactions  ${t.loaded} new of ${t.records} record(s) in ${t.files.length} file(s); ${t.alreadyStored} already stored, ${t.rejected} set aside${t.rejected ? ' (see: bantay payments rejected)' : ''}`,
    );
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

/** What the processing job after an ingest reports. */
interface ProcessResult {
  stages: { stage: string; keys: number; written: number; ms: number }[];
  reportsLinked: number;
  subjects: number;
  scored: number;
}

/** The processing that followed an ingest, in words. */
function formatProcessSummary(job: JobRow): string {
  if (job.state !== 'completed') return `  processing    job ${job.id} ${job.state}${job.error ? `: ${job.error}` : ''} (see: bantay jobs)`;
  const p = job.result as ProcessResult;
  const times = p.stages.map((t) => `${t.stage} ${(t.ms / 1000).toFixed(1)} s`).join(', ');
  return `  processed     ${p.reportsLinked} report(s) linked, ${p.subjects} subject(s), ${p.scored} report(s) scored; ${times || 'nothing was stale'}`;
}

/** `bantay ingest PATH…`. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'read CyberTip reports (bundle XML or police LE JSON) and transactions files (CSV or JSON Lines, by their header) from files, folders, .gz and .zip into the database, then process what is new',
    )
    .argument('<paths...>', 'files or folders (read recursively)')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bar')
    .option('--no-process', 'only store the reports and transactions; do not run hash signals, linking, payment scoring and scoring on them now')
    .option('--no-wait', 'queue the processing for a `bantay worker` or `bantay serve` instead of running it here')
    .action(async (paths: string[], opts: { json?: boolean; progress: boolean; process: boolean; wait: boolean }, cmd: Command) => {
      const { anyPending } = await import('../../store/pending.ts');
      const { openQueue } = await import('../../jobs/queue.ts');
      const { ingestExitCode, ingestPaths } = await import('../../ingest/run.ts');
      const { measureInputs } = await import('../../ingest/sources.ts');
      const { missingPaths } = await import('../../ingest/input-files.ts');
      const { ingestProgressBar } = await import('../progress.ts');
      const missing = missingPaths(paths);
      if (missing.length) throw notFound('NO_SUCH_FILE', `no such file or folder: ${missing.join(', ')} (nothing was ingested)`);
      const tty = opts.progress && !opts.json && process.stderr.isTTY;
      const { summary, processed, queued } = await withStore(
        cmd,
        async (store) => {
          const total = opts.progress && !opts.json ? await measureInputs(paths) : 0;
          const bar = ingestProgressBar(total, opts.progress && !opts.json);
          let ingested;
          try {
            ingested = await ingestPaths(store, paths, { onProgress: (p) => bar.update(p) });
          } finally {
            bar.stop();
          }
          // Scores must follow the reports in: an unprocessed report would sit unranked in the queue;
          // new transactions marked payment scoring stale when they were stored, so alerts are ready too.
          // Whatever an earlier, interrupted run left marked is processed too, even when nothing here was new.
          if (!opts.process || !(await anyPending(store.db))) return { summary: ingested, processed: undefined, queued: undefined };
          const queue = await openQueue(store);
          try {
            const id = await queue.enqueue('process');
            if (!opts.wait) return { summary: ingested, processed: undefined, queued: id };
            if (tty) process.stderr.write('  processing…\n');
            return { summary: ingested, processed: await queue.waitFor(id), queued: id };
          } finally {
            await queue.close();
          }
        },
        { creates: true },
      );
      if (opts.json)
        printJson(
          processed
            ? // A failed processing says why here too, not only in `bantay jobs`.
              { ...summary, processed: processed.result, processJob: queued, processState: processed.state, processError: processed.error }
            : queued
              ? { ...summary, processJob: queued }
              : summary,
        );
      else {
        const after = processed ? `${formatProcessSummary(processed)}\n` : queued ? `  processing    queued as job ${queued} (see: bantay jobs)\n` : '';
        process.stdout.write(`${formatIngestSummary(summary)}\n${after}`);
      }
      process.exitCode = processed && processed.state !== 'completed' ? 1 : ingestExitCode(summary);
    });
}
