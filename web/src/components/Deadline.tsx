import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';

const DAY_MS = 86_400_000;

/** Whole days from now to a deadline (negative once passed), or null without one. */
export function daysLeft(deadline: string | null | undefined, now: number = Date.now()): number | null {
  if (!deadline) return null;
  const t = Date.parse(deadline);
  return Number.isNaN(t) ? null : Math.floor((t - now) / DAY_MS);
}

/** A preserve-by deadline as a countdown ("12 days left", "3 days overdue" in red), the date in its title. */
export function Deadline({ at }: { at: string | null | undefined }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const left = daysLeft(at);
  if (left === null) return <span className="muted">—</span>;
  const state = left < 0 ? 'overdue' : left <= 30 ? 'soon' : 'ok';
  const text = left < 0 ? t('deadline.overdue', { count: -left }) : left === 0 ? t('deadline.today') : t('deadline.left', { count: left });
  return (
    <span className={`deadline deadline-${state}`} data-deadline={state} title={t('deadline.title', { date: fmt.date(at) })}>
      {text}
    </span>
  );
}
