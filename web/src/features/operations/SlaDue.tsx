import type { ConversationSla } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { formatFullTimeCached } from '../conversation/format';
import { useNow } from '../settings/relativeTime';
import './sla-due.css';
import './strings';

/** How the due time is shown: overdue (red), past 80 % (amber), or just due. */
export function slaState(sla: ConversationSla, now: number): 'paused' | 'due' | 'warn' | 'overdue' {
  if (sla.paused || sla.dueAt === null) return 'paused';
  if (sla.dueAt <= now) return 'overdue';
  if (sla.warnAt !== null && sla.warnAt <= now) return 'warn';
  return 'due';
}

function shortTime(ms: number, now: number): string {
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString(undefined, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The reply a conversation owes and by when (the list row, compact; the conversation header, in full). */
export function SlaDue({ sla, compact = false }: { sla: ConversationSla | null | undefined; compact?: boolean }) {
  const { t } = useTranslation('operations');
  const now = useNow();
  if (!sla) return null;
  const state = slaState(sla, now);
  const full =
    state === 'paused'
      ? t('due.paused')
      : state === 'overdue'
        ? t('due.overdue', { when: formatFullTimeCached(sla.dueAt ?? 0) })
        : t(`due.${sla.phase}`, { when: formatFullTimeCached(sla.dueAt ?? 0) });
  const text = compact
    ? state === 'paused'
      ? t('due.short.paused')
      : state === 'overdue'
        ? t('due.short.overdue')
        : t('due.short.due', { when: shortTime(sla.dueAt ?? 0, now) })
    : full;
  return (
    <span className="sla-due" data-state={state} title={full} data-testid="sla-due">
      {text}
    </span>
  );
}

/** Newest first / due soonest, above the conversation list. */
export function SortChoice({ sort, onChange }: { sort: 'recent' | 'due'; onChange: (sort: 'recent' | 'due') => void }) {
  const { t } = useTranslation('operations');
  return (
    <label className="list-sort">
      <span className="visually-hidden">{t('sort.label')}</span>
      <select
        className="select"
        value={sort}
        onChange={(e) => onChange(e.target.value === 'due' ? 'due' : 'recent')}
        data-testid="list-sort"
      >
        <option value="recent">{t('sort.recent')}</option>
        <option value="due">{t('sort.due')}</option>
      </select>
    </label>
  );
}
