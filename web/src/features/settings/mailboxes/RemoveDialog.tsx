import type { Mailbox } from '@pier/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Notice } from '../../../ui/Notice';

type Props = {
  mailbox: Mailbox;
  pending: boolean;
  error: unknown;
  onConfirm: (purge: boolean) => void;
  onCancel: () => void;
};

/**
 * "Remove sales@?" Keeping the mail is the default; deleting the mail only this mailbox holds is
 * an explicit, unchecked choice.
 */
export function RemoveDialog({ mailbox, pending, error, onConfirm, onCancel }: Props) {
  const { t } = useTranslation('settings');
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [purge, setPurge] = useState(false);
  const titleId = useId();
  const purgeId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Focus starts on the safe choice.
    cancelRef.current?.focus();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid="mailbox-remove-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (!pending) onConfirm(purge);
        }}
      >
        <h2 id={titleId}>{t('remove.title', { address: mailbox.address })}</h2>
        <p>{t('remove.body')}</p>
        <p className="dialog-keep">{t('remove.keepDefault')}</p>
        <div className="check-field">
          <input
            id={purgeId}
            type="checkbox"
            data-testid="mailbox-purge"
            checked={purge}
            onChange={(event) => setPurge(event.target.checked)}
            aria-describedby={`${purgeId}-hint`}
          />
          <div>
            <label htmlFor={purgeId}>{t('remove.purge')}</label>
            <p id={`${purgeId}-hint`} className="field-hint">
              {t('remove.purgeHint')}
            </p>
          </div>
        </div>
        {error ? <Notice>{errorMessage(error)}</Notice> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel} disabled={pending} ref={cancelRef}>
            {t('remove.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="mailbox-remove-confirm" disabled={pending}>
            {pending ? t('remove.removing') : purge ? t('remove.confirmPurge') : t('remove.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
