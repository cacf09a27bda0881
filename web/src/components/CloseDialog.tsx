import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** Close reasons the server accepts (src/cases/work.ts). */
export const CLOSE_REASONS = ['no_action', 'duplicate', 'insufficient_information', 'referred_to_other_agency', 'no_nexus'];
/** Tiers whose close asks for an explicit reason and a second confirmation. */
export const CAREFUL_TIERS = ['IMMEDIATE', 'HIGH'];

/**
 * The tier the server names when it refuses a close for want of the careful confirmation (409
 * CONFIRM_REQUIRED: the item ranks higher than the page knew), else undefined: the caller then
 * opens the careful dialog for it.
 */
export function confirmationTier(e: unknown): string | undefined {
  if (!(e instanceof ApiError) || e.code !== 'CONFIRM_REQUIRED') return undefined;
  const items = e.details.items;
  const tier = Array.isArray(items) ? (items[0] as { tier?: unknown } | undefined)?.tier : undefined;
  return typeof tier === 'string' && tier ? tier : CAREFUL_TIERS[0];
}

interface CloseDialogProps {
  title: string;
  detail?: ReactNode;
  /** The highest tier among what is closed: IMMEDIATE or HIGH ask for a chosen reason and a second confirmation. */
  careful?: string | undefined;
  onCancel: () => void;
  /** `confirmed`: the careful second step was passed (the API's `confirm: true`). */
  onConfirm: (reason: string, confirmed: boolean) => void;
}

/**
 * Asks for a close reason (Enter confirms, Escape cancels). For an IMMEDIATE or HIGH report there
 * is no default reason, and a second step names what is closed; its focus rests on "Go back", so
 * that a tired hand pressing Enter twice closes nothing.
 */
export function CloseDialog({ title, detail, careful, onCancel, onConfirm }: CloseDialogProps): ReactNode {
  const { t } = useTranslation();
  const [reason, setReason] = useState(careful ? '' : (CLOSE_REASONS[0] ?? 'no_action'));
  const [confirming, setConfirming] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    (confirming ? back.current : first.current)?.focus();
  }, [confirming]);
  const submit = (): void => {
    if (!reason) return;
    if (careful && !confirming) setConfirming(true);
    else onConfirm(reason, confirming);
  };
  return (
    <div className="dialog-backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="close-title"
        className={`dialog${careful ? ' careful' : ''}`}
        data-careful={careful ?? ''}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
          // Enter confirms from the reason list too (a select does not submit its form by itself).
          else if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'SELECT') {
            e.preventDefault();
            submit();
          }
        }}
      >
        <h2 id="close-title">{title}</h2>
        {careful && (
          <p className="warn" role="note">
            {t('work2.carefulTier', { tier: t(`tier.${careful.toLowerCase()}`, { defaultValue: careful }) })}
          </p>
        )}
        {detail}
        {confirming ? (
          <div className="confirm-step">
            <p>
              <strong>{t('work2.confirmQuestion')}</strong> {t('work2.confirmReason', { reason: t(`closeReason.${reason}`) })}
            </p>
            <div className="buttons">
              <button type="button" ref={back} onClick={() => setConfirming(false)}>
                {t('work2.goBack')}
              </button>
              <button type="button" className="danger" onClick={() => onConfirm(reason, true)}>
                {t('work2.confirmClose')}
              </button>
            </div>
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <label>
              {t('queue.closeReason')}
              <select ref={first} value={reason} onChange={(e) => setReason(e.target.value)} name="reason" required={!!careful}>
                {careful && <option value="">{t('work2.chooseReason')}</option>}
                {CLOSE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`closeReason.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <div className="buttons">
              <button type="submit" disabled={!reason}>
                {careful ? t('work2.next') : t('queue.closeConfirm')}
              </button>
              <button type="button" onClick={onCancel}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
