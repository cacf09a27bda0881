// Importing a hash list (CSV, VICS JSON or NCMEC XML). The import runs in the request (a list of a
// few hundred thousand entries takes seconds), so the form says what it is doing: the bytes sent,
// then "importing" until the server answers; then the list's summary and the processing job that
// refreshes the signals of the reports it touches.
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, upload } from '../api/client.ts';
import type { HashListImportResult } from '../api/types.ts';
import { ErrorBox } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { JobBar } from '../jobs/JobView.tsx';
import { useJob } from '../jobs/useJob.ts';

/** The processing job a hash list change queued, with its progress and a link to the Jobs page. */
export function ProcessJob({ id }: { id: string }): ReactNode {
  const { t } = useTranslation();
  const { job } = useJob(id);
  return job ? (
    <div>
      <JobBar job={job} label={t('upload.processing')} /> <Link to="/jobs">{t('upload.seeJobs')}</Link>
    </div>
  ) : null;
}

/** The hash list import form with its busy state and result; `onImported` runs after a successful import. */
export function HashListImport({ onImported }: { onImported?: () => void }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [name, setName] = useState('');
  const [format, setFormat] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<{ sent: number; total: number } | 'importing' | undefined>();
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [result, setResult] = useState<HashListImportResult | undefined>();
  const submit = async (): Promise<void> => {
    if (!file) return;
    const form = new FormData();
    form.set('name', name);
    if (format) form.set('format', format);
    form.set('file', file);
    setFailure(undefined);
    setResult(undefined);
    setBusy({ sent: 0, total: file.size });
    try {
      const r = await upload<HashListImportResult>('/hashlists', form, (sent, total) => setBusy(sent >= total ? 'importing' : { sent, total }));
      setResult(r);
      onImported?.();
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <form
      className="card hashlist-import"
      aria-busy={busy !== undefined}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{t('admin.importList')}</h3>
      <fieldset disabled={busy !== undefined} className="plain">
        <label>
          {t('admin.name')}
          <input required pattern="[A-Za-z0-9._\-]{1,100}" value={name} onChange={(e) => setName(e.target.value)} name="listName" />
        </label>
        <label>
          {t('admin.format')}
          <select value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="">{t('admin.detect')}</option>
            <option value="csv">CSV</option>
            <option value="vics">VICS JSON</option>
            <option value="ncmec">NCMEC XML</option>
          </select>
        </label>
        <label>
          {t('admin.file')}
          <input type="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} name="listFile" />
        </label>
        <button type="submit">{t('admin.import')}</button>
      </fieldset>
      {busy !== undefined && (
        <div className="job-bar" role="status">
          <progress max={1} value={busy === 'importing' ? undefined : busy.total > 0 ? busy.sent / busy.total : 0} aria-label={t('upload.hashBusy')} />
          <span className="small">
            {busy === 'importing' ? t('upload.hashImporting') : t('upload.sending', { sent: fmt.bytes(busy.sent), total: fmt.bytes(busy.total) })}
          </span>
        </div>
      )}
      {failure && <ErrorBox error={failure} />}
      {result && (
        <div className="ok" role="status" data-testid="hashlist-result">
          {t(`upload.hashOutcome.${result.outcome}`, { name: result.name, count: result.entries, n: fmt.num(result.entries) })}
          {result.dropped.invalid + result.dropped.duplicate + result.dropped.empty > 0 && (
            <span className="muted">
              {' '}
              {t('upload.hashDropped', {
                invalid: fmt.num(result.dropped.invalid),
                duplicate: fmt.num(result.dropped.duplicate),
                empty: fmt.num(result.dropped.empty),
              })}
            </span>
          )}
          {result.processJob && <ProcessJob id={result.processJob} />}
        </div>
      )}
    </form>
  );
}
