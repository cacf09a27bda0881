import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, postForFile } from '../api/client.ts';
import type { Agency } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { saveFile } from '../components/download.ts';
import { ErrorBox } from '../components/status.tsx';

/**
 * The referral package of a report, subject or case in one click: pick the partner agency, and the
 * ZIP is built, recorded in the audit trail with the recipient (and as a referral), and saved.
 */
export function ReferralPackage({ kind, id, onSent }: { kind: 'report' | 'subject' | 'case'; id: string; onSent?: () => void }): ReactNode {
  const { t } = useTranslation();
  const agencies = useApi(() => get<Agency[]>('/agencies'), []);
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const enabled = (agencies.data ?? []).filter((a) => a.enabled);
  const send = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    setDone('');
    try {
      const f = await postForFile(`/${kind}s/${encodeURIComponent(id)}/package`, { recipient: to });
      saveFile(f.filename, f.blob);
      setDone(t('work2.packageSent', { file: f.filename, agency: enabled.find((a) => a.code === to)?.name ?? to }));
      onSent?.();
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="package" data-testid="referral-package">
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (to) void send();
        }}
      >
        <label>
          {t('work2.recipient')}
          <select value={to} onChange={(e) => setTo(e.target.value)} name="recipient">
            <option value="">—</option>
            {enabled.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!to || busy}>
          {busy ? t('common.loading') : t('work2.package')}
        </button>
      </form>
      {enabled.length === 0 && agencies.data && <p className="muted small">{t('work2.noAgencies')}</p>}
      <p className="muted small">{t('work2.packageHelp')}</p>
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {failure && <ErrorBox error={failure} />}
    </div>
  );
}
