import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';

/** A case as listed. */
export interface CaseSummary {
  id: string;
  title: string;
  leadId: number;
  lead: string | null;
  status: string;
  closeReason: string | null;
  createdAt: string;
  closedAt: string | null;
  items?: Array<{ kind: string; itemId: string; addedAt: string }>;
}

/** Cases, newest first; supervisors open new ones. */
export default function Cases(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'' | 'active' | 'closed'>('active');
  const cases = useApi(() => get<CaseSummary[]>('/cases', { status }), [status]);
  const [title, setTitle] = useState('');
  const [items, setItems] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();

  const create = async (): Promise<void> => {
    if (!user) return;
    setFailure(undefined);
    try {
      const list = items
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((x) => (x.startsWith('S') || x.startsWith('subject:') ? { kind: 'subject', itemId: x.replace(/^subject:/, '') } : { kind: 'report', itemId: x }));
      const c = await post<CaseSummary>('/cases', { title, leadId: user.id, items: list });
      void navigate(`/cases/${encodeURIComponent(c.id)}`);
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1>{t('cases.title')}</h1>
        <span className="spacer" />
        <label>
          {t('cases.show')}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="active">{t('cases.active')}</option>
            <option value="closed">{t('cases.closed')}</option>
            <option value="">{t('common.any')}</option>
          </select>
        </label>
      </div>
      {cases.loading && !cases.data && <Loading />}
      {cases.error && <ErrorBox error={cases.error} retry={cases.reload} />}
      {cases.data &&
        (cases.data.length === 0 ? (
          <Empty>{t('cases.empty')}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('cases.case')}</th>
                <th scope="col">{t('cases.lead')}</th>
                <th scope="col">{t('queue.col.status')}</th>
                <th scope="col">{t('cases.opened')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.title}</Link> <span className="muted small">{c.id}</span>
                  </td>
                  <td>{c.lead ?? '—'}</td>
                  <td>{t(`cases.status_${c.status}`, { defaultValue: c.status })}</td>
                  <td>{fmt.date(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {hasRole(user?.role, 'supervisor') && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <h2>{t('cases.new')}</h2>
          <label>
            {t('cases.caseTitle')}
            <input value={title} onChange={(e) => setTitle(e.target.value)} required name="title" />
          </label>
          <label>
            {t('cases.items')}
            <input value={items} onChange={(e) => setItems(e.target.value)} name="items" placeholder={t('cases.itemsHelp')} />
          </label>
          {failure && <ErrorBox error={failure} />}
          <button type="submit" disabled={!title.trim()}>
            {t('cases.create')}
          </button>
        </form>
      )}
    </section>
  );
}
