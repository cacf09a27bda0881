import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.ts';

/** A loading line that screen readers announce. */
export function Loading(): ReactNode {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

/** An error from the server in words, with a retry when one is possible. */
export function ErrorBox({ error, retry }: { error: ApiError; retry?: () => void }): ReactNode {
  const { t } = useTranslation();
  const known = ['NETWORK', 'FORBIDDEN', 'NOT_FOUND', 'UNAUTHORIZED'];
  // Refusals with words of their own (a file too large, a close that needs confirming, ...).
  const own = t(`errors.code.${error.code}`, { defaultValue: '' });
  const what = own
    ? own
    : error.status === 404
      ? t('errors.notFound')
      : error.status === 403
        ? t('errors.forbidden')
        : error.status === 401
          ? t('errors.unauthorized')
          : error.code === 'NETWORK'
            ? t('errors.network')
            : t('errors.generic');
  return (
    <div className="error" role="alert">
      <strong>{what}</strong>
      {!known.includes(error.code) && (
        <span className="muted">
          {' '}
          ({error.code}
          {error.message ? `: ${error.message}` : ''})
        </span>
      )}
      {retry && (
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** What to show when a list is empty, and why that can be fine. */
export function Empty({ children }: { children: ReactNode }): ReactNode {
  return <p className="empty">{children}</p>;
}

/** A tier label with its colour. */
export function TierBadge({ tier }: { tier: string | undefined | null }): ReactNode {
  const { t } = useTranslation();
  if (!tier) return <span className="tier">—</span>;
  return <span className={`tier tier-${tier.toLowerCase()}`}>{t(`tier.${tier.toLowerCase()}`, { defaultValue: tier })}</span>;
}

/** Previous / next page buttons for server-side paging. */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange: (offset: number) => void }): ReactNode {
  const { t } = useTranslation();
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('common.paging')}>
      <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('common.previous')}
      </button>
      <span>{t('common.range', { from, to, total })}</span>
      <button type="button" disabled={to >= total} onClick={() => onChange(offset + limit)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
