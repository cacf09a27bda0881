import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, put } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { useSession } from '../auth/session.tsx';
import { ErrorBox, Loading } from '../components/status.tsx';

interface TemplateRow {
  name: string;
  description: string;
  source: string;
  version: number;
}

/** The agency's templates (initial report, preservation and subscriber letters): read by supervisors, edited by admins. */
export function Templates(): ReactNode {
  const { t } = useTranslation();
  const { user } = useSession();
  const admin = user?.role === 'admin';
  const list = useApi(() => get<TemplateRow[]>('/templates'), []);
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!name && list.data?.[0]) setName(list.data[0].name);
  }, [list.data, name]);
  useEffect(() => {
    if (!name) return;
    setFailure(undefined);
    get<{ body: string }>(`/templates/${encodeURIComponent(name)}`).then(
      (r) => setBody(r.body),
      (e: unknown) => setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e))),
    );
  }, [name]);
  return (
    <section aria-labelledby="templates">
      <h2 id="templates">{t('templates.title')}</h2>
      <p className="muted small">{t('templates.help')}</p>
      {list.loading && !list.data && <Loading />}
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {failure && <ErrorBox error={failure} />}
      <div aria-live="polite" className="message">
        {message}
      </div>
      {list.data && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            setFailure(undefined);
            put<{ outcome: string; version: number }>(`/templates/${encodeURIComponent(name)}`, { body }).then(
              (r) => {
                setMessage(t('templates.saved', { version: r.version }));
                list.reload();
              },
              (err: unknown) => setFailure(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err))),
            );
          }}
        >
          <label>
            {t('templates.name')}
            <select name="template" value={name} onChange={(e) => setName(e.target.value)}>
              {list.data.map((x) => (
                <option key={x.name} value={x.name}>
                  {x.name} · {x.description} ({x.source === 'builtin' ? t('templates.shipped') : t('templates.stored', { version: x.version })})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('templates.body')}
            <textarea name="body" rows={18} className="mono" value={body} readOnly={!admin} onChange={(e) => setBody(e.target.value)} />
          </label>
          {admin && <button type="submit">{t('templates.save')}</button>}
        </form>
      )}
    </section>
  );
}
