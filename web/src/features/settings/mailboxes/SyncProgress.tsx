import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { mailboxApi, mailboxKeys } from './api';

/** How often a running history sync's progress is read again; once done, rarely. */
const RUNNING_MS = 5_000;
const IDLE_MS = 60_000;

/**
 * "12,400 of 20,000 mails · 410 per minute · about 19 min left" under a mailbox's last sync,
 * while its first sync (or a backfill of history) runs; nothing once it is done.
 */
export function SyncProgressLine({ mailboxId }: { mailboxId: string }) {
  const { t, i18n } = useTranslation('settings');
  const progress = useQuery({
    queryKey: mailboxKeys.syncProgress(mailboxId),
    queryFn: () => mailboxApi.syncProgress(mailboxId),
    refetchInterval: (query) => (query.state.data?.inProgress ? RUNNING_MS : IDLE_MS),
  });
  const p = progress.data;
  if (!p?.inProgress) return null;
  const number = new Intl.NumberFormat(i18n.language);
  const parts = [t('mailboxes.syncProgress', { done: number.format(p.done), total: number.format(p.total) })];
  if (p.perMinute) parts.push(t('mailboxes.syncRate', { rate: number.format(p.perMinute) }));
  if (p.secondsLeft) parts.push(t('mailboxes.syncLeft', { time: duration(p.secondsLeft, t) }));
  return (
    <div className="sync-progress" data-testid="mailbox-sync-progress">
      <progress max={p.total} value={p.done} aria-label={t('mailboxes.syncProgressLabel')} />
      <span className="cell-sub">{parts.join(' · ')}</span>
    </div>
  );
}

function duration(seconds: number, t: ReturnType<typeof useTranslation<'settings'>>['t']): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 60) return t('mailboxes.syncMinutes', { count: minutes });
  return t('mailboxes.syncHours', { count: Math.floor(minutes / 60), minutes: minutes % 60 });
}
