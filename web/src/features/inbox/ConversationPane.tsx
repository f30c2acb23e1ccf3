import type { ConversationSla, SessionInfo } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { ConversationView } from '../conversation/ConversationView';
import { SlaDue } from '../operations/SlaDue';

type Props = {
  conversationId: string | null;
  backHref: string;
  hrefFor: (conversationId: string) => string;
  onShowShortcuts: () => void;
  session: SessionInfo;
  /** The SLA due time of the open conversation, as its list row has it. */
  sla?: ConversationSla | null | undefined;
};

export function ConversationPane({ conversationId, backHref, hrefFor, onShowShortcuts, session, sla }: Props) {
  const { t } = useTranslation();

  if (!conversationId) {
    return (
      <section className="detail-pane" data-testid="conversation-pane">
        <div className="detail-empty">
          <h2>{t('detail.selectTitle')}</h2>
          <p>{t('detail.selectHint')}</p>
          <ul className="keys" aria-label={t('shortcuts.label')}>
            <li>
              <kbd>/</kbd>
              {t('shortcuts.search')}
            </li>
            <li>
              <kbd>j</kbd>
              <kbd>k</kbd>
              {t('shortcuts.move')}
            </li>
            <li>
              <button type="button" className="linklike" onClick={onShowShortcuts}>
                <kbd>?</kbd>
              </button>
              {t('shortcuts.label')}
            </li>
          </ul>
        </div>
      </section>
    );
  }

  return (
    <section className="detail-pane" data-testid="conversation-pane" aria-labelledby="conversation-subject">
      {sla ? (
        <div className="detail-sla">
          <SlaDue sla={sla} />
        </div>
      ) : null}
      <ConversationView key={conversationId} conversationId={conversationId} backHref={backHref} hrefFor={hrefFor} session={session} />
    </section>
  );
}
