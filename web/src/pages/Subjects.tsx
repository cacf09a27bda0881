import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import type { SuspectRow } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading, Pager, TierBadge } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';

const LIMIT = 50;
/** Tiers of the suspect ruleset (src/triage/suspects.ts), highest first. */
const SUSPECT_TIERS = ['IMMEDIATE', 'HIGH', 'STANDARD', 'LOW', 'PAUSED'];

/** Subjects ranked by danger like `bantay suspects`, with the reasons for each rank. */
export default function Subjects(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const tier = params.get('tier') ?? '';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const page = useApi(() => get<{ total: number; items: SuspectRow[] }>('/suspects', { limit: LIMIT, offset, tier }), [tier, offset]);
  const set = (k: string, v: string): void => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'offset') next.delete('offset');
    setParams(next);
  };
  return (
    <section className="subjects">
      <div className="page-head">
        <h1>{t('work2.subjectsTitle')}</h1>
        <span className="muted">{page.data ? t('work2.subjectsTotal', { count: page.data.total, n: fmt.num(page.data.total) }) : ''}</span>
        <span className="spacer" />
        <label>
          {t('queue.filter.tier')}
          <select name="tier" value={tier} onChange={(e) => set('tier', e.target.value)}>
            <option value="">{t('common.any')}</option>
            {SUSPECT_TIERS.map((x) => (
              <option key={x} value={x}>
                {t(`tier.${x.toLowerCase()}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t('work2.subjectsHelp')}</p>
      {page.loading && !page.data && <Loading />}
      {page.error && <ErrorBox error={page.error} retry={page.reload} />}
      {page.data && page.data.items.length === 0 && <Empty>{t('work2.subjectsEmpty')}</Empty>}
      {page.data && page.data.items.length > 0 && (
        <table className="grid suspects-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">{t('queue.col.tier')}</th>
              <th scope="col">{t('work2.subject')}</th>
              <th scope="col" className="num">
                {t('work2.score')}
              </th>
              <th scope="col" className="num">
                {t('work2.reports')}
              </th>
              <th scope="col">{t('work2.esps')}</th>
              <th scope="col">{t('queue.col.reasons')}</th>
              <th scope="col">{t('queue.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((s, i) => (
              <tr key={s.subjectId} data-subject={s.subjectId}>
                <td className="num">{offset + i + 1}</td>
                <td>
                  <TierBadge tier={s.tier} />
                </td>
                <td>
                  <Link to={`/subjects/${encodeURIComponent(s.subjectId)}`}>{s.subjectId}</Link>
                </td>
                <td className="num">{fmt.num(s.score, 0)}</td>
                <td className="num">
                  {fmt.num(s.reportCount)}
                  {s.hiddenReports > 0 && <span className="muted small"> ({t('work2.hidden', { count: s.hiddenReports })})</span>}
                </td>
                <td className="small">{s.esps.join(', ') || '—'}</td>
                <td className="reasons">
                  {s.reasons.map((r) => (
                    <span key={r.rule} className="reason" title={r.evidence}>
                      {t(`rule.${r.rule}`, { defaultValue: r.description })}
                    </span>
                  ))}
                </td>
                <td>
                  {t(`status.${s.status}`, { defaultValue: s.status })}
                  {s.assignee ? <span className="muted small"> · {s.assignee}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.data && <Pager offset={offset} limit={LIMIT} total={page.data.total} onChange={(o) => set('offset', String(o))} />}
    </section>
  );
}
