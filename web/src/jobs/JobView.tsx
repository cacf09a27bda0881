// A job as the pages show it: a progress bar from its progress {stage, done, total, note}, and its
// result in words by kind (an upload's ingest summary, a processing run, a re-score, an export).
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { apiUrl } from '../api/client.ts';
import type { IngestResult, Job, ProcessResult } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';

/** A job's stage in words (the derived stages, ingest, re-score), or its own name. */
export function useStageName(): (stage: string | undefined) => string {
  const { t } = useTranslation();
  return (stage) => (stage ? t(`jobs.stage.${stage.replace(/-/g, '_')}`, { defaultValue: stage }) : '');
}

/**
 * A job's progress bar: its share done when the job counts (done of total), moving without a value
 * while it runs without a count, full once completed; with the state, the stage and what it is at.
 */
export function JobBar({ job, label }: { job: Job; label?: string }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const stageName = useStageName();
  const p = job.progress ?? {};
  const counted = typeof p.total === 'number' && p.total > 0 && typeof p.done === 'number';
  const value = job.state === 'completed' ? 1 : job.state === 'queued' ? 0 : counted ? Math.min(1, p.done! / p.total!) : undefined;
  // Ingest counts bytes of the uploaded files; the derived stages count keys.
  const amount = (n: number): string => (p.stage === 'ingest' ? fmt.bytes(n) : fmt.num(n));
  const running = job.state === 'running';
  return (
    <div className={`job-bar state-${job.state}`} data-state={job.state}>
      <progress
        max={1}
        value={value}
        aria-label={label ?? t('jobs.progressOf', { kind: t(`jobs.kind.${job.kind}`, { defaultValue: job.kind }) })}
        data-done={counted ? p.done : undefined}
        data-total={counted ? p.total : undefined}
      />
      <span className="small">
        <strong>{t(`jobs.state.${job.state}`, { defaultValue: job.state })}</strong>
        {running && p.stage && <> · {stageName(p.stage)}</>}
        {running && counted && <> · {t('jobs.doneOf', { done: amount(p.done!), total: amount(p.total!) })}</>}
        {running && p.note && <span className="muted"> · {p.note}</span>}
        {job.state === 'queued' && <span className="muted"> · {t('jobs.waiting')}</span>}
        {job.attempts > 1 && !running && job.state !== 'completed' && (
          <span className="muted"> · {t('jobs.attempts', { n: job.attempts, max: job.maxAttempts })}</span>
        )}
      </span>
    </div>
  );
}

/** What an upload's ingest did, in words: reports loaded, new versions, set aside (with a link to why), transactions, skipped files. */
export function IngestOutcome({ result }: { result: IngestResult }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tx = result.transactions;
  return (
    <ul className="outcome" data-testid="ingest-outcome" data-loaded={result.newReports} data-transactions={tx?.loaded ?? 0}>
      {/* A transactions file alone reads no report: its line says all. */}
      {(result.reportsRead > 0 || result.quarantined > 0 || !tx) && (
        <>
          <li>{t('jobs.ingest.read', { count: result.reportsRead, files: fmt.num(result.files), n: fmt.num(result.reportsRead) })}</li>
          <li>{t('jobs.ingest.loaded', { count: result.newReports, n: fmt.num(result.newReports) })}</li>
        </>
      )}
      {result.newVersions > 0 && <li>{t('jobs.ingest.newVersions', { count: result.newVersions, n: fmt.num(result.newVersions) })}</li>}
      {result.unchanged > 0 && <li className="muted">{t('jobs.ingest.unchanged', { count: result.unchanged, n: fmt.num(result.unchanged) })}</li>}
      {result.quarantined > 0 && (
        <li className="warn-text" data-testid="quarantined">
          {t('jobs.ingest.quarantined', { count: result.quarantined, n: fmt.num(result.quarantined) })}{' '}
          <Link to={`/upload?run=${result.runId}`}>{t('jobs.ingest.why')}</Link>
        </li>
      )}
      {tx && (
        <li data-testid="transactions">
          {t('jobs.ingest.transactions', { count: tx.loaded, n: fmt.num(tx.loaded), records: fmt.num(tx.records) })}
          {tx.alreadyStored > 0 && <span className="muted"> · {t('jobs.ingest.txAlready', { n: fmt.num(tx.alreadyStored) })}</span>}
          {tx.rejected > 0 && <span className="warn-text"> · {t('jobs.ingest.txRejected', { count: tx.rejected, n: fmt.num(tx.rejected) })}</span>}
        </li>
      )}
      {result.skippedFiles > 0 && (
        <li>
          {t('jobs.ingest.skipped', { count: result.skippedFiles, n: fmt.num(result.skippedFiles) })}
          <ul className="small">
            {result.skipped.slice(0, 20).map((f, i) => (
              <li key={i}>
                <span className="mono">
                  {f.path}
                  {f.entry ? `!${f.entry}` : ''}
                </span>
                : {f.reason}
              </li>
            ))}
          </ul>
        </li>
      )}
    </ul>
  );
}

/** A finished job's result in words by kind, or its error; a download when it made a file. */
export function JobOutcome({ job }: { job: Job }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (job.state === 'failed' || job.state === 'cancelled')
    return (
      <p className="error-text" role="note">
        {job.error ?? t(`jobs.state.${job.state}`)}
      </p>
    );
  if (job.state !== 'completed' || job.result === null || typeof job.result !== 'object') return null;
  const r = job.result as Record<string, unknown>;
  const n = (k: string): number => (typeof r[k] === 'number' ? (r[k] as number) : 0);
  switch (job.kind) {
    case 'ingest':
      return <IngestOutcome result={job.result as IngestResult} />;
    case 'process': {
      const p = job.result as ProcessResult;
      return (
        <p className="small outcome">
          {p.stages.length === 0
            ? t('jobs.process.nothing')
            : t('jobs.process.done', { scored: fmt.num(p.scored), subjects: fmt.num(p.subjects), linked: fmt.num(p.reportsLinked) })}
        </p>
      );
    }
    case 'rescore':
      return (
        <p className="small outcome">
          {r.alreadyDone ? t('jobs.rescore.already') : t('jobs.rescore.done', { scored: fmt.num(n('scored')), version: String(r.rulesetVersion ?? '') })}
        </p>
      );
    case 'export-queue':
      return (
        <p className="small outcome">
          {t('jobs.export.done', { rows: fmt.num(n('rows')), size: fmt.bytes(n('bytes')) })}
          {job.hasFile && (
            <>
              {' '}
              ·{' '}
              <a href={apiUrl(`/jobs/${encodeURIComponent(job.id)}/file`)} download={typeof r.filename === 'string' ? r.filename : undefined}>
                {t('jobs.download')}
              </a>
            </>
          )}
        </p>
      );
    default:
      return job.hasFile ? (
        <a href={apiUrl(`/jobs/${encodeURIComponent(job.id)}/file`)} download>
          {t('jobs.download')}
        </a>
      ) : null;
  }
}
