import { useState, type FormEvent, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { LANGUAGES, changeLanguage } from '../i18n/index.ts';

/** Sign-in form (username, password, optional one-time code). */
export default function Login(): ReactNode {
  const { t, i18n } = useTranslation();
  const { user, login } = useSession();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/queue';
  if (user) return <Navigate to={from} replace />;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(username, password, totp || undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') setError(t('login.totpRequired'));
      else if (err instanceof ApiError && err.code === 'THROTTLED') setError(t('login.throttled'));
      else if (err instanceof ApiError && err.code === 'TOTP_NOT_SET_UP') setError(t('login.totpNotSetUp'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('login.failed'));
      else setError(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <h1>Bantay</h1>
      <p className="muted">{t('login.tagline')}</p>
      <form
        onSubmit={(e) => {
          void submit(e);
        }}
        aria-label={t('login.title')}
      >
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <label>
          {t('login.totp')}
          <input name="totp" inputMode="numeric" autoComplete="one-time-code" value={totp} onChange={(e) => setTotp(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <label className="lang">
        {t('nav.language')}{' '}
        <select
          value={i18n.language}
          onChange={(e) => {
            void changeLanguage(e.target.value);
          }}
        >
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
    </main>
  );
}
