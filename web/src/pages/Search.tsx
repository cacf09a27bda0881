import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import type { SearchResult } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';

/** Search by any identifier in any format: phone, e-mail, IP, hash, screen name, report number. */
export default function Search(): ReactNode {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const res = useApi(() => (q ? get<{ results: SearchResult[] }>('/search', { q }) : Promise.resolve({ results: [] })), [q]);
  return (
    <section>
      <div className="page-head">
        <h1>{t('search.title')}</h1>
      </div>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(text.trim() ? { q: text.trim() } : {});
        }}
      >
        <label>
          {t('search.label')}
          <input type="search" name="q" value={text} onChange={(e) => setText(e.target.value)} autoFocus placeholder={t('search.placeholder')} />
        </label>
        <button type="submit">{t('search.go')}</button>
      </form>
      <p className="muted small">{t('search.help')}</p>
      {res.loading && q && <Loading />}
      {res.error && <ErrorBox error={res.error} retry={res.reload} />}
      {q &&
        res.data &&
        (res.data.results.length === 0 ? (
          <Empty>{t('search.none', { q })}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('report.kind')}</th>
                <th scope="col">{t('report.value')}</th>
                <th scope="col">{t('search.reports')}</th>
                <th scope="col">{t('search.subjects')}</th>
              </tr>
            </thead>
            <tbody>
              {res.data.results.map((r, i) => (
                <tr key={i}>
                  <td>{t(`idkind.${r.kind}`, { defaultValue: r.kind })}</td>
                  <td className="mono">{r.value}</td>
                  <td>
                    {r.reportIds.slice(0, 50).map((id) => (
                      <Link key={id} to={`/reports/${encodeURIComponent(id)}`} className="chip">
                        {id}
                      </Link>
                    ))}
                    {r.reportIds.length > 50 && <span className="muted"> {t('queue.andMore', { count: r.reportIds.length - 50 })}</span>}
                  </td>
                  <td>
                    {r.subjectIds.map((id) => (
                      <Link key={id} to={`/subjects/${encodeURIComponent(id)}`} className="chip">
                        {id}
                      </Link>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
