// What NCMEC itself says about a report (LE JSON; docs/ncmec.md): its automatic referral and closing
// notes, its own deconfliction against other agencies, the reports it associated, and the agencies
// it made the report available to with their feedback. Shown as written; nothing when NCMEC says nothing.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';

type Doc = Record<string, unknown>;
const list = (v: unknown): Doc[] => (Array.isArray(v) ? v.filter((x): x is Doc => typeof x === 'object' && x !== null) : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The NCMEC section of the report page, from the canonical report's envelope. */
export default function NcmecNotes({ envelope }: { envelope: Doc | undefined }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const e = envelope ?? {};
  const notes = [...list(e.autoRefers).map((n) => ['refer', n] as const), ...list(e.autoCloses).map((n) => ['close', n] as const)];
  const matches = list(e.externalDeconfliction);
  const associated = Array.isArray(e.associatedCybertipReports) ? e.associatedCybertipReports.map(text).filter(Boolean) : [];
  const contacts = list(e.lawEnforcementContacts);
  if (notes.length + matches.length + associated.length + contacts.length === 0) return null;
  const when = (v: unknown): string => (text(v) ? ` · ${fmt.dateTime(text(v))}` : '');
  return (
    <section aria-labelledby="ncmec">
      <h2 id="ncmec">{t('ncmec.title')}</h2>
      <ul className="ncmec-notes">
        {notes.map(([kind, n], i) => (
          <li key={`n${i}`}>
            <strong>{t(kind === 'refer' ? 'ncmec.autoRefer' : 'ncmec.autoClose')}</strong> {text(n.text)}
            <span className="muted small">{when(n.dateTime)}</span>
          </li>
        ))}
        {matches.map((m, i) => (
          <li key={`d${i}`} className="warn">
            <strong>{t('ncmec.deconfliction')}</strong>{' '}
            {[
              text(m.agency),
              text(m.caseNumber) && t('ncmec.caseNumber', { caseNumber: text(m.caseNumber) }),
              text(m.contact) && t('ncmec.contact', { contact: text(m.contact) }),
            ]
              .filter(Boolean)
              .join(' · ')}
            {text(m.text) && <> — {text(m.text)}</>}
            <span className="muted small">{when(m.dateTime)}</span>
          </li>
        ))}
        {associated.length > 0 && (
          <li>
            <strong>{t('ncmec.associated')}</strong>{' '}
            {associated.map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                <Link to={`/reports/${encodeURIComponent(id)}`}>{id}</Link>
              </span>
            ))}
          </li>
        )}
        {contacts.map((c, i) => (
          <li key={`c${i}`}>
            <strong>{t('ncmec.madeAvailable')}</strong> {[text(c.agency), text(c.officer), text(c.referralType)].filter(Boolean).join(' · ')}
            <span className="muted small">{when(c.madeAvailableAt)}</span>
            <div>{text(c.leaFeedback) ? t('ncmec.feedback', { feedback: text(c.leaFeedback) }) : <span className="muted">{t('ncmec.noFeedback')}</span>}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
