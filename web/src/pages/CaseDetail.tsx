import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import type { CaseSummary } from './Cases.tsx';

/** One case: its lead, status and the reports and subjects in it. */
export default function CaseDetail(): ReactNode {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const c = useApi(() => get<CaseSummary>(`/cases/${encodeURIComponent(id)}`), [id]);
  const [add, setAdd] = useState('');
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setFailure(undefined);
    try { await what(); c.reload(); } catch (e) { setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e))); }
  };
  if (c.loading && !c.data) return <Loading />;
  if (c.error) return <ErrorBox error={c.error} retry={c.reload} />;
  const k = c.data;
  if (!k) return null;
  const sup = hasRole(user?.role, 'supervisor');
  return (
    <article>
      <div className="page-head"><h1>{k.title}</h1><span className="muted">{k.id} · {t(`cases.status_${k.status}`, { defaultValue: k.status })}</span></div>
      <p>{t('cases.leadLine', { lead: k.lead ?? '—', date: fmt.date(k.createdAt) })}{k.closedAt ? ` · ${t('cases.closedLine', { date: fmt.date(k.closedAt), reason: k.closeReason ?? '' })}` : ''}</p>
      <p className="muted small">{t('cases.deconflictHelp')}</p>
      {failure && <ErrorBox error={failure} />}
      <h2>{t('cases.itemsTitle')}</h2>
      {(k.items ?? []).length === 0 ? <Empty>{t('cases.noItems')}</Empty> : (
        <ul>{(k.items ?? []).map((i) => <li key={`${i.kind}:${i.itemId}`}>{t(`node.${i.kind}`, { defaultValue: i.kind })}: <Link to={`/${i.kind === 'subject' ? 'subjects' : 'reports'}/${encodeURIComponent(i.itemId)}`}>{i.itemId}</Link> <span className="muted small">{fmt.date(i.addedAt)}</span></li>)}</ul>
      )}
      {sup && k.status !== 'closed' && (
        <div className="actions">
          <label>{t('cases.addItems')}<input value={add} onChange={(e) => setAdd(e.target.value)} name="add" placeholder={t('cases.itemsHelp')} /></label>
          <button type="button" disabled={!add.trim()} onClick={() => { void act(() => post(`/cases/${encodeURIComponent(id)}/items`, { items: add.split(/[\s,]+/).filter(Boolean).map((x) => (x.startsWith('subject:') ? { kind: 'subject', itemId: x.slice(8) } : { kind: 'report', itemId: x })) })).then(() => setAdd('')); }}>{t('cases.add')}</button>
          <label>{t('cases.closeReason')}<input value={reason} onChange={(e) => setReason(e.target.value)} name="closeReason" /></label>
          <button type="button" disabled={!reason.trim()} onClick={() => { void act(() => post(`/cases/${encodeURIComponent(id)}/close`, { reason })); }}>{t('cases.close')}</button>
        </div>
      )}
    </article>
  );
}
