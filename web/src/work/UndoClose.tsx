import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../api/client.ts';

/** What the server reopened. */
export interface Undone {
  kind: string;
  reopened: Array<{ itemId: string; status: string }>;
  skipped: string[];
}

/** "Undo" for the caller's last close: the server reopens what is still closed with that reason. */
export function UndoClose({ onUndone, onError }: { onUndone: (u: Undone) => void; onError: (e: ApiError) => void }): ReactNode {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="undo"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void post<Undone>('/work/undo-close').then(
          (u) => {
            setBusy(false);
            onUndone(u);
          },
          (e: unknown) => {
            setBusy(false);
            onError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
          },
        );
      }}
    >
      {t('work2.undo')}
    </button>
  );
}
