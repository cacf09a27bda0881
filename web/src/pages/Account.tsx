import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, del, get } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { useSession } from '../auth/session.tsx';
import { ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';

interface OwnSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** The signed-in person's own account: where they are signed in, and ending a session they do not recognise. */
export default function Account(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const sessions = useApi(() => get<OwnSession[]>('/me/sessions'), []);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const end = async (id: string): Promise<void> => {
    setFailure(undefined);
    try {
      await del(`/me/sessions/${id}`);
      sessions.reload();
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  };
  return (
    <section aria-labelledby="account">
      <div className="page-head">
        <h1 id="account">{t('account.title')}</h1>
      </div>
      {user && (
        <p>
          {user.displayName || user.username}{' '}
          <span className="muted">
            ({t(`role.${user.role}`)}
            {user.team ? `, ${user.team}` : ''})
          </span>
        </p>
      )}
      <h2>{t('account.sessions')}</h2>
      <p className="muted small">{t('account.sessionsHint')}</p>
      {sessions.loading && !sessions.data && <Loading />}
      {sessions.error && <ErrorBox error={sessions.error} retry={sessions.reload} />}
      {failure && <ErrorBox error={failure} />}
      {sessions.data && (
        <table className="grid small sessions">
          <thead>
            <tr>
              <th scope="col">{t('account.signedIn')}</th>
              <th scope="col">{t('account.lastUsed')}</th>
              <th scope="col">{t('account.from')}</th>
              <th scope="col">{t('account.browser')}</th>
              <th scope="col">
                <span className="sr-only">{t('account.end')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.id}>
                <td>{fmt.dateTime(s.createdAt)}</td>
                <td>{fmt.dateTime(s.lastSeenAt)}</td>
                <td className="mono">{s.ip ?? '—'}</td>
                <td className="muted">{s.userAgent ? s.userAgent.slice(0, 80) : '—'}</td>
                <td>
                  {s.current ? (
                    <strong>{t('account.thisOne')}</strong>
                  ) : (
                    <button type="button" onClick={() => void end(s.id)}>
                      {t('account.end')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
