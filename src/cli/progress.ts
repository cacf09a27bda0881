import cliProgress from 'cli-progress';
import type { IngestProgress } from '../ingest/run.ts';

/** A progress bar on stderr for long ingests; silent when stderr is not a terminal. */
export function ingestProgressBar(totalBytes: number, enabled: boolean): { update(p: IngestProgress): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {files} files | {reports} reports | {rate} reports/s | {quarantined} quarantined | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let stopped = false;
  bar.start(Math.max(totalBytes, 1), 0, { files: 0, reports: 0, rate: 0, quarantined: 0 });
  return {
    update(p) {
      const secs = (performance.now() - started) / 1000;
      bar.update(Math.min(p.bytesRead, totalBytes), {
        files: p.files,
        reports: p.reportsRead,
        rate: secs > 0 ? Math.round(p.reportsRead / secs) : 0,
        quarantined: p.quarantined,
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.update(totalBytes);
      bar.stop();
    },
  };
}
