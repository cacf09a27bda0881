import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What Bantay is, the data it ships and their licences. */
export default function About(): ReactNode {
  const { t } = useTranslation();
  return (
    <section className="about">
      <h1>{t('about.title')}</h1>
      <p>{t('about.what')}</p>
      <p>{t('about.offline')}</p>
      <h2>{t('about.attribution')}</h2>
      <ul>
        <li>IP geolocation by DB-IP (db-ip.com), CC BY 4.0</li>
        <li>{t('about.mapGeometry')}</li>
        <li>{t('about.psgc')}</li>
        <li>{t('about.software')}</li>
      </ul>
      <h2>{t('about.keys')}</h2>
      <p>{t('about.keysText')}</p>
    </section>
  );
}
