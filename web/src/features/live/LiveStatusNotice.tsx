import { useTranslation } from 'react-i18next';
import type { LiveStatus } from './connection';
import './strings';
import './live.css';

/** A quiet line while the live channel is down (the list still refreshes slowly meanwhile). */
export function LiveStatusNotice({ status }: { status: LiveStatus }) {
  const { t } = useTranslation('live');
  if (status !== 'offline') return null;
  return (
    <p className="live-offline" role="status" data-testid="live-offline">
      {t('status.offline')}
    </p>
  );
}
