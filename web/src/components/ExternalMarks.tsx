// Other agencies' active cases on an identifier of a report or subject (docs/deconfliction.md):
// who to call before acting. Never the other agency's case or identifier: it is not in the file.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExternalMark } from '../api/types.ts';

/** One warning line per agency whose active case holds an identifier of this report or subject. */
export default function ExternalMarks({ marks }: { marks: readonly ExternalMark[] | undefined }): ReactNode {
  const { t } = useTranslation();
  if (!marks || marks.length === 0) return null;
  return (
    <ul className="warn external-marks" role="note" aria-label={t('external.title')}>
      {marks.map((m, i) => (
        <li key={i}>
          {t(m.via === 'subject' ? 'external.subject' : 'external.report', { agency: m.agency, contact: m.contact, since: m.since })}
          {m.kinds.length > 0 && <span className="muted small"> · {t('external.kinds', { kinds: m.kinds.join(', ') })}</span>}
        </li>
      ))}
    </ul>
  );
}
