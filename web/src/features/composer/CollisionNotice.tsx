import type { CollisionChange } from '@pier/contracts';
import { useTranslation } from 'react-i18next';

/** The send was refused (409 outbox.collision): what arrived or left since the agent opened the conversation. */
export function CollisionNotice({
  collision,
  time,
  onSendAnyway,
  onReview,
}: {
  collision: CollisionChange[];
  time: (ms: number) => string;
  onSendAnyway: () => void;
  onReview: () => void;
}) {
  const { t } = useTranslation('composer');
  return (
    <div className="composer-collision" role="alert" data-testid="composer-collision">
      <strong>{t('collision.title')}</strong>
      <p>{t('collision.body')}</p>
      <ul>
        {collision.map((c) => (
          <li key={c.messageId}>
            <span className="composer-collision-who">
              {c.direction === 'in' ? t('collision.incoming', { from: c.from ?? '?' }) : t('collision.outgoing')}
            </span>{' '}
            <span className="composer-collision-time">{time(c.at)}</span>
            <p>{c.snippet}</p>
          </li>
        ))}
      </ul>
      <div className="composer-actions-row">
        <button type="button" className="btn btn-primary" onClick={onSendAnyway} data-testid="composer-send-anyway">
          {t('collision.sendAnyway')}
        </button>
        <button type="button" className="btn" onClick={onReview}>
          {t('collision.review')}
        </button>
      </div>
    </div>
  );
}
