import type { PresencePerson, SendPreferences } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import type { DraftState } from './useDraftAutosave';

/** Draft state, who else is here, the undo delay and the send button. */
export function ComposerFooter({
  draftState,
  others,
  preferences,
  onUndoDelay,
  sending,
  loading,
  onSend,
  time,
}: {
  draftState: DraftState;
  others: PresencePerson[];
  preferences: SendPreferences | undefined;
  onUndoDelay: (seconds: number) => void;
  sending: boolean;
  loading: boolean;
  onSend: () => void;
  time: (ms: number) => string;
}) {
  const { t } = useTranslation('composer');
  const { t: tl } = useTranslation('live');
  return (
    <footer className="composer-foot">
      <span className="composer-draft-state muted" aria-live="polite" data-testid="composer-draft-state">
        {draftState.kind === 'saving'
          ? t('draft.saving')
          : draftState.kind === 'saved' && draftState.at
            ? t('draft.saved', { time: time(draftState.at) })
            : draftState.kind === 'failed'
              ? t('draft.failed', { reason: draftState.reason })
              : ''}
      </span>
      {others.length > 0 ? (
        <span className="composer-presence" data-testid="composer-presence">
          {others.map((person) => (
            <span key={person.userId} className={`composer-presence-person is-${person.state}`} data-state={person.state}>
              {tl(person.state === 'replying' ? 'presence.replying' : 'presence.viewing', { name: person.name })}
            </span>
          ))}
        </span>
      ) : null}
      {preferences ? (
        <label className="composer-undo-delay">
          <span>{t('undo.delay')}</span>
          <select value={preferences.undoSeconds} onChange={(e) => onUndoDelay(Number(e.target.value))} data-testid="composer-undo-delay">
            {[...new Set([5, 10, 15, 20, 30, preferences.undoSeconds])]
              .sort((a, b) => a - b)
              .map((s) => (
                <option key={s} value={s}>
                  {t('undo.delayOption', { seconds: s })}
                </option>
              ))}
          </select>
        </label>
      ) : null}
      <button
        type="button"
        className="btn btn-primary"
        disabled={sending || loading}
        onClick={onSend}
        data-testid="composer-send"
        title={t('send.shortcut')}
      >
        {sending ? t('send.sending') : t('send.send')}
      </button>
    </footer>
  );
}
