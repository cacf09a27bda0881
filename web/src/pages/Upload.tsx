// The Upload page (supervisor+, as POST /api/ingest): report files (bundle XML, LE JSON or JSON Lines,
// .gz, .zip) and transactions files, by drag and drop or the file picker. Each file is its own upload,
// sent one after another with the bytes sent shown; then its ingest job (progress in bytes) and the
// processing job it queued, polled until they finish, with the ingest summary in words. A file that
// fails stays in the list with its error and can be sent again; what was sent is remembered for this
// browser tab, so leaving the page loses nothing (the Jobs page lists every job too). Hash lists are
// imported here as well as on the Admin page.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, upload, type Accepted } from '../api/client.ts';
import type { IngestResult, QuarantineItem, UploadLimits } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { IngestOutcome, JobBar, JobOutcome } from '../jobs/JobView.tsx';
import { useJob } from '../jobs/useJob.ts';
import { HashListImport } from '../upload/HashListImport.tsx';

/** One file of this page: waiting to be sent, being sent, sent (with its job) or refused. */
interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: 'waiting' | 'sending' | 'sent' | 'failed';
  sent: number;
  jobId?: string;
  error?: ApiError;
}

// What was sent in this tab, so that coming back to the page shows its jobs again.
const STORE_KEY = 'bantay.uploads';
const REMEMBERED = 20;

function remembered(): UploadItem[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '[]') as Array<Pick<UploadItem, 'key' | 'name' | 'size' | 'jobId'>>;
    return list.filter((i) => typeof i.jobId === 'string').map((i) => ({ ...i, phase: 'sent' as const, sent: i.size }));
  } catch {
    return [];
  }
}

function remember(items: UploadItem[]): void {
  const sent = items
    .filter((i) => i.jobId)
    .slice(-REMEMBERED)
    .map(({ key, name, size, jobId }) => ({ key, name, size, jobId }));
  sessionStorage.setItem(STORE_KEY, JSON.stringify(sent));
}

/** The ingest job of one upload, then the processing job it queued, each with its bar; the summary in words. */
function UploadJobs({ jobId }: { jobId: string }): ReactNode {
  const { t } = useTranslation();
  const ingest = useJob(jobId);
  const result = ingest.job?.state === 'completed' ? (ingest.job.result as IngestResult) : undefined;
  const process = useJob(result?.processJob);
  if (!ingest.job) return ingest.error ? <ErrorBox error={ingest.error} /> : <Loading />;
  const done = process.job?.state === 'completed';
  return (
    <div className="upload-jobs" data-ingest-job={jobId} data-process-job={result?.processJob ?? ''} data-done={done ? 'yes' : 'no'}>
      <JobBar job={ingest.job} label={t('upload.ingesting')} />
      {result ? <IngestOutcome result={result} /> : <JobOutcome job={ingest.job} />}
      {process.job && (
        <>
          <p className="small muted">{t('upload.processingHelp')}</p>
          <JobBar job={process.job} label={t('upload.processing')} />
          <JobOutcome job={process.job} />
        </>
      )}
      {done && (
        <p className="ok" role="status">
          {t('upload.done')} <Link to="/queue">{t('upload.openQueue')}</Link>
        </p>
      )}
      {(ingest.error ?? process.error) && <ErrorBox error={(ingest.error ?? process.error)!} />}
      <p className="small">
        <Link to="/jobs">{t('upload.seeJobs')}</Link>
      </p>
    </div>
  );
}

/** The reasons an ingest run set items aside (`?run=`), files named as uploaded. */
function Quarantine({ runId }: { runId: number }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const rows = useApi(() => get<QuarantineItem[]>('/quarantine', { runId, limit: 500 }), [runId]);
  return (
    <section aria-labelledby="quarantine" className="quarantine">
      <h2 id="quarantine">{t('upload.quarantineTitle', { run: runId })}</h2>
      <p className="muted small">{t('upload.quarantineHelp')}</p>
      {rows.loading && !rows.data && <Loading />}
      {rows.error && <ErrorBox error={rows.error} retry={rows.reload} />}
      {rows.data &&
        (rows.data.length === 0 ? (
          <Empty>{t('upload.quarantineEmpty')}</Empty>
        ) : (
          <table className="grid quarantine-table">
            <thead>
              <tr>
                <th scope="col">{t('upload.qFile')}</th>
                <th scope="col">{t('upload.qWhere')}</th>
                <th scope="col">{t('upload.qReport')}</th>
                <th scope="col" className="num">
                  {t('upload.qItems')}
                </th>
                <th scope="col">{t('upload.qReason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((q) => (
                <tr key={q.id}>
                  <td className="mono">
                    {q.file}
                    {q.entry ? `!${q.entry}` : ''}
                  </td>
                  <td className="num">{q.line ? `${fmt.num(q.line)}${q.column ? `:${q.column}` : ''}` : '—'}</td>
                  <td>{q.reportId ?? '—'}</td>
                  <td className="num">{fmt.num(q.count)}</td>
                  <td>{q.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}

/** Report files, transactions and hash lists, uploaded and processed as jobs. */
export default function Upload(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const [params] = useSearchParams();
  const run = Number.parseInt(params.get('run') ?? '', 10);
  const allowed = hasRole(user?.role, 'supervisor');
  const limits = useApi(() => (allowed ? get<UploadLimits>('/ingest') : Promise.resolve(undefined)), [allowed]);
  const [items, setItems] = useState<UploadItem[]>(() => remembered());
  const files = useRef(new Map<string, File>());
  // Uploads begun, so that an effect run twice (React's strict mode) never sends a file twice.
  const started = useRef(new Set<string>());
  const [over, setOver] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => {
    remember(items);
  }, [items]);
  const change = (key: string, patch: Partial<UploadItem>): void => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  const add = useCallback(
    (chosen: FileList | File[]) => {
      const max = limits.data?.maxFileBytes;
      const next: UploadItem[] = [];
      for (const f of Array.from(chosen)) {
        const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        files.current.set(key, f);
        // Too large for the server: said at once, and nothing is sent.
        const tooLarge = max !== undefined && f.size > max;
        next.push({
          key,
          name: f.name,
          size: f.size,
          sent: 0,
          phase: tooLarge ? 'failed' : 'waiting',
          ...(tooLarge ? { error: new ApiError(413, 'TOO_LARGE', t('upload.tooLarge', { size: fmt.bytes(f.size), max: fmt.bytes(max) })) } : {}),
        });
      }
      setItems((list) => [...list, ...next]);
    },
    [limits.data, t, fmt],
  );

  // One upload at a time, in the order chosen.
  const sending = items.some((i) => i.phase === 'sending');
  const nextUp = items.find((i) => i.phase === 'waiting');
  useEffect(() => {
    if (sending || !nextUp || started.current.has(nextUp.key)) return;
    started.current.add(nextUp.key);
    const file = files.current.get(nextUp.key);
    if (!file) {
      change(nextUp.key, { phase: 'failed', error: new ApiError(0, 'CLIENT', t('upload.fileGone')) });
      return;
    }
    change(nextUp.key, { phase: 'sending', sent: 0 });
    const form = new FormData();
    form.append('file', file, file.name);
    upload<Accepted>('/ingest', form, (sent) => change(nextUp.key, { sent })).then(
      (a) => {
        change(nextUp.key, { phase: 'sent', sent: file.size, jobId: a.jobId });
        files.current.delete(nextUp.key);
      },
      (e: unknown) => change(nextUp.key, { phase: 'failed', error: e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)) }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sending, nextUp?.key]);

  if (!allowed) return <Empty>{t('errors.forbidden')}</Empty>;
  const accept = (limits.data?.extensions ?? ['.xml', '.json', '.jsonl', '.ndjson', '.csv', '.gz', '.zip']).join(',');
  return (
    <section className="upload">
      <div className="page-head">
        <h1>{t('upload.title')}</h1>
        <span className="spacer" />
        <Link to="/jobs">{t('upload.seeJobs')}</Link>
      </div>
      <p className="muted small">{t('upload.help')}</p>
      {limits.error && <ErrorBox error={limits.error} retry={limits.reload} />}
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer.files.length) add(e.dataTransfer.files);
        }}
      >
        <p>{t('upload.drop')}</p>
        <label className="button">
          {t('upload.choose')}
          <input
            ref={picker}
            type="file"
            multiple
            accept={accept}
            className="sr-only"
            name="reportFiles"
            onChange={(e) => {
              if (e.target.files?.length) add(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <p className="small muted">{t('upload.formats', { max: limits.data ? fmt.bytes(limits.data.maxFileBytes) : '…' })}</p>
      </div>

      {items.length > 0 && (
        <ul className="uploads" aria-label={t('upload.listLabel')}>
          {[...items].reverse().map((i) => (
            <li key={i.key} className="upload-item" data-file={i.name} data-phase={i.phase}>
              <div className="upload-head">
                <strong className="mono">{i.name}</strong> <span className="muted small">{fmt.bytes(i.size)}</span>
                <span className="spacer" />
                {(i.phase === 'failed' || i.phase === 'sent') && (
                  <button type="button" className="link" onClick={() => setItems((list) => list.filter((x) => x.key !== i.key))}>
                    {t('upload.forget')}
                  </button>
                )}
              </div>
              {i.phase === 'waiting' && <p className="small muted">{t('upload.waiting')}</p>}
              {i.phase === 'sending' && (
                <div className="job-bar" role="status">
                  <progress max={1} value={i.size > 0 ? i.sent / i.size : 0} aria-label={t('upload.sendingLabel', { name: i.name })} />
                  <span className="small">{t('upload.sending', { sent: fmt.bytes(i.sent), total: fmt.bytes(i.size) })}</span>
                </div>
              )}
              {i.phase === 'failed' && i.error && (
                <div>
                  <ErrorBox error={i.error} />
                  {files.current.has(i.key) && i.error.status !== 413 && (
                    <button
                      type="button"
                      onClick={() => {
                        started.current.delete(i.key);
                        change(i.key, { phase: 'waiting', error: undefined });
                      }}
                    >
                      {t('upload.sendAgain')}
                    </button>
                  )}
                </div>
              )}
              {i.phase === 'sent' && i.jobId && <UploadJobs jobId={i.jobId} />}
            </li>
          ))}
        </ul>
      )}

      {Number.isInteger(run) && run > 0 && <Quarantine runId={run} />}

      <section aria-labelledby="upload-hashlists">
        <h2 id="upload-hashlists">{t('admin.hashLists')}</h2>
        <p className="muted small">{t('upload.hashHelp')}</p>
        <HashListImport />
      </section>
    </section>
  );
}
