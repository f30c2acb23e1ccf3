import type { ConversationSummary, SessionInfo } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BackIcon } from '../../ui/icons';
import { PresenceBar } from '../live';
import { formatFullTime } from './format';

type Props = {
  conversation: ConversationSummary | null;
  mailboxes: SessionInfo['mailboxes'];
  backHref: string;
};

export function ConversationPane({ conversation, mailboxes, backHref }: Props) {
  const { t } = useTranslation();

  if (!conversation) {
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
              <kbd>Esc</kbd>
              {t('shortcuts.close')}
            </li>
          </ul>
        </div>
      </section>
    );
  }

  const from = [conversation.fromName, conversation.fromAddress ? `<${conversation.fromAddress}>` : null].filter(Boolean).join(' ');
  const mailboxNames = conversation.mailboxIds.map((id) => {
    const mailbox = mailboxes.find((candidate) => candidate.id === id);
    return mailbox ? `${mailbox.displayName} <${mailbox.address}>` : id;
  });

  return (
    <section className="detail-pane" data-testid="conversation-pane" aria-labelledby="conversation-subject">
      <article className="detail">
        <Link to={backHref} className="btn btn-ghost detail-back">
          <BackIcon />
          {t('detail.back')}
        </Link>
        <h2 id="conversation-subject">{conversation.subject || t('list.noSubject')}</h2>
        <PresenceBar conversationId={conversation.id} />
        <dl className="detail-meta">
          <dt>{t('detail.from')}</dt>
          <dd>{from || t('list.unknownSender')}</dd>
          <dt>{t('detail.lastMessage')}</dt>
          <dd>{formatFullTime(conversation.lastMessageAt)}</dd>
          {mailboxNames.length > 0 ? (
            <>
              <dt>{t('detail.mailbox')}</dt>
              <dd>{mailboxNames.join(', ')}</dd>
            </>
          ) : null}
          <dt>{t('detail.status')}</dt>
          <dd>{t(`status.${conversation.status}`)}</dd>
        </dl>
        {conversation.snippet ? (
          <div className="detail-preview">
            <h3>{t('detail.preview')}</h3>
            <p>{conversation.snippet}</p>
          </div>
        ) : null}
      </article>
    </section>
  );
}
