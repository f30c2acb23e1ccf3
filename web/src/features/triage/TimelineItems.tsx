import type { TimelineItem } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import './i18n';

type NoteItem = Extract<TimelineItem, { kind: 'note' }>;
type EventItem = Extract<TimelineItem, { kind: 'event' }>;

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const nameOf = (value: unknown) =>
  typeof value === 'object' && value !== null && 'name' in value ? str((value as { name: unknown }).name) : '';
const idOf = (value: unknown) => (typeof value === 'object' && value !== null && 'id' in value ? str((value as { id: unknown }).id) : '');

/** An internal note on the timeline (kind 'note'): visibly not mail, mentions highlighted. */
export function TimelineNote({ item }: { item: NoteItem }) {
  const { t, i18n } = useTranslation('triage');
  const names = item.mentions.map((m) => `@${m.name}`).filter((m) => m.length > 1);
  const parts = names.length > 0 ? item.body.split(new RegExp(`(${names.map(escapeRegExp).join('|')})`, 'u')) : [item.body];
  return (
    <article className="timeline-note" data-testid="timeline-note">
      <header>
        <strong>{item.author.name}</strong>
        <span className="timeline-note-kind">{t('timeline.note')}</span>
        <time dateTime={new Date(item.at).toISOString()}>{formatTime(item.at, i18n.language)}</time>
      </header>
      <p>
        {parts.map((part, i) =>
          names.includes(part) ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the split is stable for a given note
            <mark key={i} className="timeline-mention">
              {part}
            </mark>
          ) : (
            part
          ),
        )}
      </p>
    </article>
  );
}

/** A system event on the timeline (kind 'event'), one quiet line: "Li Wei assigned this to Zhang Wei". */
export function TimelineEvent({ item }: { item: EventItem }) {
  const { t, i18n } = useTranslation('triage');
  return (
    <div className="timeline-event" data-testid="timeline-event" data-type={item.type}>
      <span>{describeEvent(item, t, i18n.language)}</span>
      <time dateTime={new Date(item.at).toISOString()}>{formatTime(item.at, i18n.language)}</time>
    </div>
  );
}

type T = ReturnType<typeof useTranslation<'triage'>>['t'];

export function describeEvent(item: EventItem, t: T, language: string): string {
  const d = item.data;
  // A rule's change names the rule (decision 0032); routing (mail groups) acts without a person: named by the team it routed to.
  const rule = typeof d.rule === 'object' && d.rule !== null ? nameOf(d.rule) : '';
  const routedBy = d.via === 'routing' && typeof d.team === 'object' && d.team !== null ? nameOf(d.team) : undefined;
  const actor =
    item.actor?.name ||
    (rule
      ? t('timeline.byRule', { name: rule })
      : d.via === 'routing'
        ? t('timeline.routing', { team: routedBy ?? '' })
        : t('timeline.someone'));
  switch (item.type) {
    case 'assigned':
      // "Li Wei took this conversation", not "Li Wei assigned this to Li Wei".
      return item.actor && idOf(d.assignee) === item.actor.id
        ? t('timeline.assignedSelf', { actor })
        : t('timeline.assigned', { actor, name: nameOf(d.assignee) });
    case 'unassigned':
      if (item.actor && idOf(d.previous) === item.actor.id) return t('timeline.unassignedSelf', { actor });
      return nameOf(d.previous) ? t('timeline.unassigned', { actor, name: nameOf(d.previous) }) : t('timeline.unassignedNobody', { actor });
    case 'team':
      return d.team ? t('timeline.team', { actor, name: nameOf(d.team) }) : t('timeline.teamCleared', { actor });
    case 'status': {
      const to = str(d.to);
      const status = to === 'open' || to === 'pending' || to === 'snoozed' || to === 'closed' ? t(`status.${to}`) : to;
      return t('timeline.status', { actor, status });
    }
    case 'snoozed':
      return t('timeline.snoozed', { actor, time: typeof d.until === 'number' ? formatTime(d.until, language) : '' });
    case 'reopened':
      return d.reason === 'snooze' ? t('timeline.reopenedSnooze') : t('timeline.reopenedMessage');
    case 'tagged':
      return t('timeline.tagged', { actor, tag: `#${str(d.tag)}` });
    case 'untagged':
      return t('timeline.untagged', { actor, tag: `#${str(d.tag)}` });
    case 'priority': {
      const to = str(d.to);
      const priority = to === 'low' || to === 'normal' || to === 'high' || to === 'urgent' ? t(`priority.${to}`) : to;
      return t('timeline.priority', { actor, priority });
    }
    case 'merged':
      return t('timeline.merged', {
        actor,
        subject: typeof d.from === 'object' && d.from !== null ? str((d.from as { subject?: unknown }).subject) : '',
      });
    case 'followed':
      return t('timeline.followed', { actor });
    case 'unfollowed':
      return t('timeline.unfollowed', { actor });
    case 'spam':
      return t('timeline.spam', { actor });
    case 'rule':
      if (typeof d.skipped === 'string') return t('timeline.ruleSkipped', { actor, action: str(d.action), reason: d.skipped });
      if (d.action === 'notify') {
        const names = Array.isArray(d.users) ? d.users.map((u) => nameOf(u)).join(', ') : '';
        return t('timeline.ruleNotified', { actor, names });
      }
      if (d.action === 'forward') return t('timeline.ruleForwarded', { actor });
      if (d.action === 'auto-reply') return t('timeline.ruleAutoReplied', { actor, to: str(d.to) });
      return t('timeline.other', { actor, type: str(d.action) });
    case 'escalated':
      return t('timeline.escalated', { hours: typeof d.hours === 'number' ? d.hours : '', team: str(d.team) });
    default:
      return t('timeline.other', { actor, type: item.type });
  }
}

function formatTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
