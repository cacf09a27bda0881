// The Jobs page: long work the server runs outside a request (uploads, processing, re-scores after a
// publish, large exports) with who asked, when, a progress bar, the result or the error; a failed job
// can be retried (supervisor+) and a job's file downloaded. Workers see their own jobs, supervisors
// and admins everyone's (as GET /api/jobs). The list refreshes itself while any job is unfinished.
import { useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import type { Job } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { JobBar, JobOutcome } from '../jobs/JobView.tsx';
import { isFinished } from '../jobs/useJob.ts';

const STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'];
const REFRESH_MS = 2000;

/** Jobs, newest first, with progress, results and retries. */
export default function Jobs(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const supervisor = hasRole(user?.role, 'supervisor');
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';
  const [tick, setTick] = useState(0);
  const list = useApi(() => get<Job[]>('/jobs', { state, limit: 100 }), [state, tick]);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [message, setMessage] = useState('');
  const unfinished = (list.data ?? []).some((j) => !isFinished(j));
  useEffect(() => {
    if (!unfinished) return undefined;
    const timer = setTimeout(() => setTick((x) => x + 1), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [unfinished, list.data]);

  const retry = async (job: Job): Promise<void> => {
    setFailure(undefined);
    setMessage('');
    try {
      await post(`/jobs/${encodeURIComponent(job.id)}/retry`);
      setMessage(t('jobs.retried', { kind: t(`jobs.kind.${job.kind}`, { defaultValue: job.kind }) }));
      setTick((x) => x + 1);
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  };

  return (
    <section className="jobs">
      <div className="page-head">
        <h1>{t('jobs.title')}</h1>
        <span className="muted small" role="status">
          {unfinished ? t('jobs.refreshing') : ''}
        </span>
        <span className="spacer" />
        <label>
          {t('jobs.stateFilter')}
          <select
            name="state"
            value={state}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('state', e.target.value);
              else next.delete('state');
              setParams(next);
            }}
          >
            <option value="">{t('common.any')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`jobs.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setTick((x) => x + 1)}>
          {t('jobs.refresh')}
        </button>
      </div>
      <p className="muted small">{supervisor ? t('jobs.helpAll') : t('jobs.helpOwn')}</p>
      {message && (
        <p className="message" aria-live="polite">
          {message}
        </p>
      )}
      {failure && <ErrorBox error={failure} />}
      {list.loading && !list.data && <Loading />}
      {list.error && <ErrorBox error={list.error} retry={() => setTick((x) => x + 1)} />}
      {list.data && list.data.length === 0 && <Empty>{state ? t('jobs.emptyState') : t('jobs.empty')}</Empty>}
      {list.data && list.data.length > 0 && (
        <table className="grid jobs-table">
          <thead>
            <tr>
              <th scope="col">{t('jobs.col.kind')}</th>
              <th scope="col">{t('jobs.col.askedBy')}</th>
              <th scope="col">{t('jobs.col.when')}</th>
              <th scope="col">{t('jobs.col.progress')}</th>
              <th scope="col">{t('jobs.col.result')}</th>
              <th scope="col">
                <span className="sr-only">{t('jobs.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((j) => (
              <tr key={j.id} data-job={j.id} data-kind={j.kind} data-state={j.state}>
                <td>
                  <strong>{t(`jobs.kind.${j.kind}`, { defaultValue: j.kind })}</strong>
                  {j.files && j.files.length > 0 && (
                    <div className="small mono">
                      {j.files.slice(0, 5).join(', ')}
                      {j.files.length > 5 ? ` +${j.files.length - 5}` : ''}
                    </div>
                  )}
                </td>
                <td>{j.requestedByName ?? <span className="muted">{t('jobs.system')}</span>}</td>
                <td className="small">
                  {fmt.dateTime(j.createdAt)}
                  {j.finishedAt && <div className="muted">{t('jobs.finished', { when: fmt.dateTime(j.finishedAt) })}</div>}
                </td>
                <td className="progress-cell">
                  <JobBar job={j} />
                </td>
                <td className="result-cell">
                  <JobOutcome job={j} />
                </td>
                <td>
                  {supervisor && (j.state === 'failed' || j.state === 'cancelled') && (
                    <button
                      type="button"
                      onClick={() => {
                        void retry(j);
                      }}
                    >
                      {t('jobs.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
