import type { OutboxItem } from '@pier/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Composer } from '.';

/** /compose: new mail from a public mailbox the agent may send from. */
export function ComposePage() {
  const navigate = useNavigate();
  const { t } = useTranslation('composer');
  const [queued, setQueued] = useState<OutboxItem | null>(null);
  return (
    <main className="compose-page" data-testid="compose-page" style={{ maxWidth: 860, margin: '24px auto', padding: '0 16px' }}>
      <Composer mode="new" onClose={() => navigate('/')} onQueued={setQueued} onUndone={() => setQueued(null)} />
      {queued ? (
        <p className="composer-notice" role="status">
          <Link to={`/?c=${encodeURIComponent(queued.conversationId)}`} data-testid="compose-open-conversation">
            {t('newMail.openConversation')}
          </Link>
        </p>
      ) : null}
    </main>
  );
}
