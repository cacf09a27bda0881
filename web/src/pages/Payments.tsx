import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../api/client.ts';
import type { MoneyFlow, PartySummary } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { FlowView } from '../graph/FlowView.tsx';

function Reasons({ p }: { p: PartySummary }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const alerted = p.scores.filter((s) => s.alerted);
  if (alerted.length === 0) return <span className="muted">{t('work2.notFlagged')}</span>;
  return (
    <>
      {alerted.map((s) => (
        <div key={s.role}>
          <strong>
            {t(`work2.role_${s.role}`)} {fmt.num(s.score, 1)}
          </strong>{' '}
          {s.reasons
            .filter((r) => (r.points ?? 0) > 0)
            .map((r) => (
              <span key={r.rule} className="reason" title={r.evidence}>
                {r.why}
              </span>
            ))}
        </div>
      ))}
    </>
  );
}

function PartyPanel({ id, onPick }: { id: string; onPick: (partyId: string) => void }): ReactNode {
  const { t } = useTranslation();
  const p = useApi(() => get<PartySummary & { flow: MoneyFlow }>(`/payments/parties/${encodeURIComponent(id)}`), [id]);
  if (p.loading && !p.data) return <Loading />;
  if (p.error) return <ErrorBox error={p.error} retry={p.reload} />;
  const d = p.data;
  if (!d) return null;
  return (
    <section aria-labelledby="party-title" className="party" data-party={d.partyId}>
      <div className="party-head">
        <h2 id="party-title">{d.label}</h2>
        <span className="mono">{d.partyId}</span>
        {d.country && <span className="muted">{d.country}</span>}
      </div>
      <p className="small">{t('work2.sentReceived', { sent: d.sent, received: d.received })}</p>
      <Reasons p={d} />
      <h3>{t('work2.keys')}</h3>
      <ul className="idents">
        {d.keys.map((k) => (
          <li key={k} className="mono">
            {k}
          </li>
        ))}
        {d.customers.map((c) => (
          <li key={c} className="mono">
            {t('work2.customer')} {c}
          </li>
        ))}
      </ul>
      <h3>{t('work2.reached')}</h3>
      {d.reportIds.length === 0 ? (
        <Empty>{t('work2.noReports')}</Empty>
      ) : (
        <p>
          {d.subjectIds.map((s) => (
            <Link key={s} className="reason" to={`/subjects/${encodeURIComponent(s)}`}>
              {s}
            </Link>
          ))}
          {' · '}
          {d.reportIds.slice(0, 50).map((r) => (
            <Link key={r} className="reason" to={`/reports/${encodeURIComponent(r)}`}>
              {r}
            </Link>
          ))}
          {d.hiddenReports > 0 && <span className="muted small"> {t('work2.hidden', { count: d.hiddenReports })}</span>}
        </p>
      )}
      <h3>{t('work2.flow')}</h3>
      <FlowView flow={d.flow} onPick={onPick} />
    </section>
  );
}

/** Follow the money: flagged payers and receivers with their reasons, a search by any account or wallet, one party's money flow. */
export default function Payments(): ReactNode {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const party = params.get('party') ?? '';
  const [text, setText] = useState(q);
  const list = useApi(() => get<PartySummary[]>('/payments/parties', { q, limit: 100 }), [q]);
  const pick = (id: string): void => {
    const next = new URLSearchParams(params);
    next.set('party', id);
    setParams(next);
  };
  const failure: ApiError | undefined = list.error;
  return (
    <section className="payments">
      <div className="page-head">
        <h1>{t('work2.paymentsTitle')}</h1>
      </div>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          if (text.trim()) next.set('q', text.trim());
          setParams(next);
        }}
      >
        <label>
          {t('work2.paymentSearch')}
          <input name="q" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('work2.paymentSearchHelp')} size={40} />
        </label>
        <button type="submit">{t('search.go')}</button>
        {q && (
          <button
            type="button"
            onClick={() => {
              setText('');
              setParams(new URLSearchParams());
            }}
          >
            {t('work2.showAlerts')}
          </button>
        )}
      </form>
      <h2>{q ? t('work2.searchResults', { q }) : t('work2.alerts')}</h2>
      {list.loading && !list.data && <Loading />}
      {failure && <ErrorBox error={failure} retry={list.reload} />}
      {list.data && list.data.length === 0 && <Empty>{q ? t('work2.noParties') : t('work2.noAlerts')}</Empty>}
      {list.data && list.data.length > 0 && (
        <table className="grid parties-table">
          <thead>
            <tr>
              <th scope="col">{t('work2.party')}</th>
              <th scope="col">{t('work2.why')}</th>
              <th scope="col" className="num">
                {t('work2.reports')}
              </th>
              <th scope="col">{t('work2.subjects')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) => (
              <tr key={p.partyId} data-party={p.partyId} className={p.partyId === party ? 'picked' : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => pick(p.partyId)}>
                    {p.label}
                  </button>
                  <div className="mono muted">
                    {p.partyId}
                    {p.country ? ` · ${p.country}` : ''}
                  </div>
                </td>
                <td className="reasons">
                  <Reasons p={p} />
                </td>
                <td className="num">
                  {p.reportIds.length}
                  {p.hiddenReports > 0 && <span className="muted small"> (+{p.hiddenReports})</span>}
                </td>
                <td>
                  {p.subjectIds.slice(0, 5).map((s) => (
                    <Link key={s} className="reason" to={`/subjects/${encodeURIComponent(s)}`}>
                      {s}
                    </Link>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {party && <PartyPanel id={party} onPick={pick} />}
    </section>
  );
}
