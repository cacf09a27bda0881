import type { ReactNode } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { hasRole, useSession } from '../auth/session.tsx';
import { LANGUAGES } from '../i18n/index.ts';
import { UrgentAlert } from './UrgentAlert.tsx';

/** The app shell: skip link, navigation, language, user; pages render in <main>. */
export function Layout(): ReactNode {
  const { t, i18n } = useTranslation();
  const { user, logout, setLocale } = useSession();
  const navigate = useNavigate();
  const links: Array<[string, string, boolean]> = [
    ['/queue', t('nav.queue'), true],
    ['/search', t('nav.search'), true],
    ['/subjects', t('work2.navSubjects'), true],
    ['/payments', t('work2.navPayments'), true],
    ['/map', t('nav.map'), true],
    ['/dashboards', t('nav.dashboards'), true],
    ['/rules', t('nav.rules'), true],
    ['/cases', t('nav.cases'), true],
    ['/trends', t('trends.nav'), hasRole(user?.role, 'analyst')],
    ['/children', t('children.nav'), hasRole(user?.role, 'analyst')],
    ['/upload', t('nav.upload'), hasRole(user?.role, 'supervisor')],
    ['/jobs', t('nav.jobs'), hasRole(user?.role, 'analyst')],
    // Analysts see the admin page for the warninglists (read-only).
    ['/admin', t('nav.admin'), hasRole(user?.role, 'analyst') || hasRole(user?.role, 'auditor')],
    ['/about', t('nav.about'), true],
  ];
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <span className="brand">Bantay</span>
        <nav aria-label={t('nav.label')}>
          {links
            .filter((l) => l[2])
            .map(([to, label]) => (
              <NavLink key={to} to={to}>
                {label}
              </NavLink>
            ))}
        </nav>
        <span className="spacer" />
        <label className="lang">
          <span className="sr-only">{t('nav.language')}</span>
          <select
            value={i18n.language}
            onChange={(e) => {
              void setLocale(e.target.value);
            }}
            aria-label={t('nav.language')}
          >
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        {user && (
          <span className="who">
            <NavLink to="/account" title={t('account.title')}>
              {user.displayName || user.username}
            </NavLink>{' '}
            <span className="muted">({t(`role.${user.role}`)})</span>
            <button
              type="button"
              onClick={() => {
                void logout().then(() => navigate('/login'));
              }}
            >
              {t('nav.logout')}
            </button>
          </span>
        )}
      </header>
      {user && <UrgentAlert />}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
