// What the Queue, Report and Subject pages share when an analyst acts on an item: the last message
// (with the undo of a close), the last failure, and `act`, which runs a change, says what happened,
// reloads the page's data, and reopens the close dialog in careful mode when the server asks for the
// second confirmation (CONFIRM_REQUIRED).
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { ErrorBox } from '../components/status.tsx';
import { confirmationTier } from '../components/CloseDialog.tsx';
import { UndoClose, type Undone } from './UndoClose.tsx';

/** The state and the one action runner of a page that changes work items. */
export interface WorkActions {
  message: string;
  setMessage: (m: string) => void;
  failure: ApiError | undefined;
  setFailure: (e: ApiError | undefined) => void;
  canUndo: boolean;
  setCanUndo: (b: boolean) => void;
  /** Runs a change; true when it went through. `askCareful` receives the tier when the server wants the careful confirmation. */
  act: (what: () => Promise<unknown>, done: string, askCareful?: (tier: string) => void) => Promise<boolean>;
}

/** The message, failure, undo and action runner of a page; `reload` refreshes its data after a change. */
export function useWorkActions(reload: () => void): WorkActions {
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [canUndo, setCanUndo] = useState(false);
  const act = useCallback(
    async (what: () => Promise<unknown>, done: string, askCareful?: (tier: string) => void): Promise<boolean> => {
      setFailure(undefined);
      try {
        await what();
        setMessage(done);
        setCanUndo(false);
        reload();
        return true;
      } catch (e) {
        const tier = askCareful && confirmationTier(e);
        if (tier) askCareful(tier);
        else setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
        return false;
      }
    },
    [reload],
  );
  return { message, setMessage, failure, setFailure, canUndo, setCanUndo, act };
}

/** The last message (with the undo of a close, when there is one) and the last failure. `afterUndo` runs once a close is undone. */
export function WorkMessages({ work, afterUndo }: { work: WorkActions; afterUndo: (u: Undone) => void }): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <div aria-live="polite" className="message">
        {work.message}
        {work.message && work.canUndo && (
          <>
            {' '}
            <UndoClose
              onError={work.setFailure}
              onUndone={(u) => {
                work.setCanUndo(false);
                work.setMessage(t('work2.undone', { count: u.reopened.length }));
                afterUndo(u);
              }}
            />
          </>
        )}
      </div>
      {work.failure && <ErrorBox error={work.failure} />}
    </>
  );
}
