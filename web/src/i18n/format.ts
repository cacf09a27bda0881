import { useTranslation } from 'react-i18next';
import { intlLocale } from './index.ts';

/** Formatters bound to the current language. */
export interface Formatters {
  num: (n: number | null | undefined, digits?: number) => string;
  date: (iso: string | null | undefined) => string;
  month: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  duration: (hours: number | null | undefined) => string;
  /** A size in bytes, kB or MB (decimal units, as file managers show them). */
  bytes: (n: number | null | undefined) => string;
}

/** Number and date formatting in the user's language; re-renders when it changes. */
export function useFormat(): Formatters {
  const { t, i18n } = useTranslation();
  void i18n.language;
  const loc = intlLocale();
  const bad = (iso: string | null | undefined): Date | undefined => {
    if (!iso) return undefined;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  return {
    num: (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : new Intl.NumberFormat(loc, { maximumFractionDigits: digits }).format(n)),
    date: (iso) => {
      const d = bad(iso);
      return d ? new Intl.DateTimeFormat(loc, { dateStyle: 'medium' }).format(d) : '—';
    },
    month: (iso) => {
      const d = bad(iso);
      return d ? new Intl.DateTimeFormat(loc, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d) : '—';
    },
    dateTime: (iso) => {
      const d = bad(iso);
      return d ? new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : '—';
    },
    duration: (h) => {
      if (h === null || h === undefined || Number.isNaN(h)) return '—';
      if (h < 48) return t('format.hours', { count: Math.round(h) });
      return t('format.days', { count: Math.round(h / 24) });
    },
    bytes: (n) => {
      if (n === null || n === undefined || Number.isNaN(n)) return '—';
      const [unit, value] = n < 1e3 ? (['byte', n] as const) : n < 1e6 ? (['kilobyte', n / 1e3] as const) : (['megabyte', n / 1e6] as const);
      return new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: unit === 'byte' ? 0 : 1 }).format(value);
    },
  };
}
