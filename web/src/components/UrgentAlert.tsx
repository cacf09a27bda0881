import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';

/** How often the app asks for new reports of the top tier. */
const POLL_MS = 30_000;

interface Recent {
  tier: string;
  reports: Array<{ reportId: string; receivedAt: string | null; ingestedAt: string }>;
}

/**
 * A banner when a report of the top tier (IMMEDIATE) arrives while the app is open: the first
 * answer is the baseline, every later id not seen before raises the alert (role=alert, read out).
 */
export function UrgentAlert(): ReactNode {
  const { t } = useTranslation();
  const seen = useRef<Set<string> | undefined>(undefined);
  const [fresh, setFresh] = useState<{ tier: string; ids: string[] } | undefined>();
  useEffect(() => {
    let stop = false;
    const poll = async (): Promise<void> => {
      try {
        const r = await get<Recent>('/alerts/urgent');
        if (stop) return;
        const ids = r.reports.map((x) => x.reportId);
        if (seen.current) {
          const known = seen.current;
          const added = ids.filter((id) => !known.has(id));
          if (added.length) setFresh((f) => ({ tier: r.tier, ids: [...new Set([...added, ...(f?.ids ?? [])])] }));
        }
        seen.current = new Set([...(seen.current ?? []), ...ids]);
      } catch {
        // A failed poll (signed out, server restarting) waits for the next one.
      }
    };
    void poll();
    const timer = window.setInterval(() => {
      void poll();
    }, POLL_MS);
    return () => {
      stop = true;
      window.clearInterval(timer);
    };
  }, []);
  if (!fresh) return null;
  const tier = t(`tier.${fresh.tier.toLowerCase()}`, { defaultValue: fresh.tier });
  return (
    <div className="alert-urgent" role="alert" data-testid="urgent-alert">
      <span>{t('alert.newUrgent', { count: fresh.ids.length, tier })}</span>
      {fresh.ids.slice(0, 3).map((id) => (
        <Link key={id} to={`/reports/${encodeURIComponent(id)}`} onClick={() => setFresh(undefined)}>
          {id}
        </Link>
      ))}
      <button type="button" onClick={() => setFresh(undefined)}>
        {t('alert.dismiss')}
      </button>
    </div>
  );
}
