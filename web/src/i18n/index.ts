// i18next with the catalogues shipped in the repo; nothing is fetched at run time.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json';
import fil from '../locales/fil.json';
import rulesEn from '../locales/rules.en.json';
import rulesFil from '../locales/rules.fil.json';

/** Languages the app ships, with their own names. */
export const LANGUAGES: ReadonlyArray<{ code: string; name: string; intl: string }> = [
  { code: 'en', name: 'English', intl: 'en-PH' },
  { code: 'fil', name: 'Filipino', intl: 'fil-PH' },
];

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('bantay.locale') : null;

void i18n.use(initReactI18next).init({
  // The rule, feature and evidence texts are their own files (kept beside src/triage's rules), in the same catalogue.
  resources: { en: { translation: { ...en, ...rulesEn } }, fil: { translation: { ...fil, ...rulesFil } } },
  lng: stored && LANGUAGES.some((l) => l.code === stored) ? stored : 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Switches the language now and remembers it on this machine until the server's setting arrives. */
export async function changeLanguage(code: string): Promise<void> {
  if (!LANGUAGES.some((l) => l.code === code)) return;
  localStorage.setItem('bantay.locale', code);
  document.documentElement.lang = code;
  await i18n.changeLanguage(code);
}

/** The Intl locale for the current language (dates and numbers follow it). */
export function intlLocale(): string {
  return LANGUAGES.find((l) => l.code === i18n.language)?.intl ?? 'en-PH';
}

export default i18n;
