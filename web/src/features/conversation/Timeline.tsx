import type { ConversationDetail, TimelineItem } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import '../knowledge/strings';
import { CampaignReplyBadge } from '../campaigns/CampaignReplyBadge';
import { formatFullTime, formatListTime, toDate } from '../inbox/format';
import { useSession } from '../session/queries';
import { Attachments } from './Attachments';
import { messageRawUrl } from './api';
import { countryName, languageName } from './format';
import { MailBody } from './MailBody';
import { useConversationSlots } from './slots';
import { READING_NS } from './strings';

type Message = Extract<TimelineItem, { kind: 'message' }>;
type Note = Extract<TimelineItem, { kind: 'note' }>;
type Event = Extract<TimelineItem, { kind: 'event' }>;

/** Mail, internal notes and system events in time order, oldest first, newest at the bottom. */
export function Timeline({ detail }: { detail: ConversationDetail }) {
  const { NoteItem, EventItem } = useConversationSlots();
  return (
    <ol className="timeline" data-testid="timeline">
      {detail.timeline.map((item) => (
        <li key={`${item.kind}:${item.id}`} className={`timeline-item ${item.kind}`}>
          {item.kind === 'message' ? <MessageCard message={item} /> : null}
          {item.kind === 'note' ? NoteItem ? <NoteItem item={item} detail={detail} /> : <PlainNote note={item} /> : null}
          {item.kind === 'event' ? EventItem ? <EventItem item={item} detail={detail} /> : <PlainEvent event={item} /> : null}
        </li>
      ))}
    </ol>
  );
}

function Time({ at }: { at: number }) {
  return (
    <time dateTime={toDate(at).toISOString()} title={formatFullTime(at)}>
      {formatListTime(at)}
    </time>
  );
}

function MessageCard({ message }: { message: Message }) {
  const { t } = useTranslation(READING_NS);
  const { t: tf } = useTranslation('faq');
  // Auditors read the library but do not keep it (the server refuses them the draft): no link to a 403.
  const role = useSession().data?.user.role;
  const canWriteFaq = role !== undefined && role !== 'auditor';
  const from = message.from;
  return (
    <article
      className={`message-card ${message.direction === 'out' ? 'outgoing' : 'incoming'}`}
      data-testid="message"
      data-message-id={message.id}
      aria-label={`${from?.name || from?.address || ''} · ${formatFullTime(message.at)}`}
    >
      <header className="message-head">
        <div className="message-who">
          <span className="message-from">
            <strong>
              <bdi>{from?.name || from?.address || t('customer.unknown')}</bdi>
            </strong>
            {from?.name ? (
              <span className="addr">
                &lt;<bdi>{from.address}</bdi>&gt;
              </span>
            ) : null}
          </span>
          <span className="message-to">
            {t('message.to')} <bdi>{message.to.join(', ')}</bdi>
            {message.cc.length > 0 ? (
              <>
                {' '}
                · {t('message.cc')} <bdi>{message.cc.join(', ')}</bdi>
              </>
            ) : null}
          </span>
        </div>
        <div className="message-side">
          {message.campaign ? <CampaignReplyBadge campaign={message.campaign} /> : null}
          {message.delivery ? (
            <span className={`delivery ${message.delivery.state}`} title={message.delivery.error ?? undefined}>
              {t(`message.delivery.${message.delivery.state}`)}
            </span>
          ) : null}
          {message.direction === 'out' ? <span className="direction-pill">{t('message.outgoing')}</span> : null}
          <Time at={message.at} />
          <a className="message-source-link" href={messageRawUrl(message.id)} target="_blank" rel="noopener noreferrer">
            {t('message.viewSource')}
          </a>
          {message.direction === 'out' && canWriteFaq ? (
            <Link className="message-source-link" to={`/faq?from=${encodeURIComponent(message.id)}`} data-testid="turn-into-faq">
              {tf('fromSent.action')}
            </Link>
          ) : null}
        </div>
      </header>
      {message.parseStatus === 'partial' ? <p className="mail-notice">{t('message.parsePartial')}</p> : null}
      <MessageFacts message={message} />
      <MailBody message={message} />
      <Attachments attachments={message.attachments} hasHtml={message.hasHtml} />
    </article>
  );
}

/** Language, the sender's country (and how Pier knows it), and machine mail, on incoming mail. */
function MessageFacts({ message }: { message: Message }) {
  const { t } = useTranslation(READING_NS);
  const { language, senderCountry, category } = message;
  if (!language && !senderCountry && (!category || category === 'person')) return null;
  return (
    <p className="message-facts" data-testid="message-facts">
      {category && category !== 'person' ? (
        <span className="fact machine">{t('message.facts.notPerson', { category: t(`message.facts.category_${category}`) })}</span>
      ) : null}
      {language ? <span className="fact">{t('message.facts.language', { language: languageName(language) })}</span> : null}
      {senderCountry ? (
        <span className="fact" title={t(`message.facts.countrySource_${senderCountry.source}`)}>
          {t('message.facts.country', { country: countryName(senderCountry.code) })}
        </span>
      ) : null}
    </p>
  );
}

function PlainNote({ note }: { note: Note }) {
  const { t } = useTranslation(READING_NS);
  return (
    <article className="note-card" data-testid="note">
      <header>
        <strong>{note.author.name}</strong> · {t('timeline.note')} · <Time at={note.at} />
      </header>
      <div className="mail-text">{note.body}</div>
    </article>
  );
}

function PlainEvent({ event }: { event: Event }) {
  const { t } = useTranslation(READING_NS);
  const actor = event.actor?.name ?? t('timeline.event.system');
  const target = typeof event.data.target === 'string' ? event.data.target : typeof event.data.to === 'string' ? event.data.to : '';
  const known = event.type === 'assigned' || event.type === 'unassigned' || event.type === 'status';
  return (
    <p className="event-line" data-testid="event">
      {known ? t(`timeline.event.${event.type as 'assigned'}`, { actor, target }) : t('timeline.event.other', { actor, type: event.type })}{' '}
      · <Time at={event.at} />
    </p>
  );
}
