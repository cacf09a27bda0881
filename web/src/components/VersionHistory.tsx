// A report's versions, each with the fields added, removed and changed since the one before.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import type { FieldChange, ReportVersions } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { useFormat } from '../i18n/format.ts';
import { Empty, ErrorBox, Loading } from './status.tsx';

const MAX_VALUE = 160;

/** A value as short text: strings as they are, anything else as JSON, cut at MAX_VALUE characters. */
export function shortValue(v: unknown): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

function ChangeRow({ c }: { c: FieldChange }): ReactNode {
  const { t } = useTranslation();
  return (
    <tr className={`change ${c.kind}`}>
      <td>
        <span className={`badge change-${c.kind}`}>{t(`report.change.${c.kind}`)}</span>
      </td>
      <td className="mono small" title={c.pointer}>
        {c.path}
      </td>
      <td className="small">{c.kind === 'added' ? <span className="muted">—</span> : <del>{shortValue(c.before)}</del>}</td>
      <td className="small">{c.kind === 'removed' ? <span className="muted">—</span> : <ins>{shortValue(c.after)}</ins>}</td>
    </tr>
  );
}

/** The versions list of the report page. */
export default function VersionHistory({ reportId }: { reportId: string }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi(() => get<ReportVersions>(`/reports/${encodeURIComponent(reportId)}/versions`), [reportId]);
  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />;
  const versions = state.data?.versions ?? [];
  if (versions.length <= 1) {
    const v = versions[0];
    return (
      <Empty>
        {t('report.oneVersion')}
        {v ? ` ${t('report.receivedOn', { when: fmt.dateTime(v.receivedAt ?? v.ingestedAt) })}` : ''}
      </Empty>
    );
  }
  return (
    <ul className="versions" data-testid="versions">
      {[...versions].reverse().map((v) => {
        const all = v.changes ? [...v.changes.changed, ...v.changes.added, ...v.changes.removed] : [];
        return (
          <li key={v.version} data-version={v.version}>
            <strong>{t('report.version', { n: v.version })}</strong> <span className="muted">{fmt.dateTime(v.receivedAt ?? v.ingestedAt)}</span>
            <span className="muted small"> · {v.source}</span>
            <span className="mono small"> · {v.contentHash.slice(0, 12)}</span>
            {v.changes === null ? (
              <p className="muted small">{t('report.firstVersion')}</p>
            ) : all.length === 0 ? (
              <p className="muted small">{t('report.noFieldChanges')}</p>
            ) : (
              <table className="grid changes">
                <caption className="small">
                  {t('report.changeSummary', { added: v.changes.added.length, removed: v.changes.removed.length, changed: v.changes.changed.length })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('report.changeKind')}</th>
                    <th scope="col">{t('report.changeField')}</th>
                    <th scope="col">{t('report.changeBefore')}</th>
                    <th scope="col">{t('report.changeAfter')}</th>
                  </tr>
                </thead>
                <tbody>
                  {all.map((c) => (
                    <ChangeRow key={`${c.kind}${c.pointer}`} c={c} />
                  ))}
                </tbody>
              </table>
            )}
          </li>
        );
      })}
    </ul>
  );
}
