import type { SessionInfo } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../i18n';
import { BackIcon } from '../../ui/icons';
import { PresenceBar } from '../live';
import { conversationKeys, readingApi } from './api';
import { CustomerHeader } from './CustomerHeader';
import { useConversationSlots } from './slots';
import { READING_NS } from './strings';
import { Timeline } from './Timeline';
import './conversation.css';

type Props = {
  conversationId: string;
  backHref: string;
  hrefFor: (conversationId: string) => string;
  session: SessionInfo;
};

/** One conversation: toolbar slot, subject, customer header, fraud banner slot, timeline, composer slots. */
export function ConversationView({ conversationId, backHref, hrefFor, session }: Props) {
  const { t } = useTranslation(READING_NS);
  const navigate = useNavigate();
  const slots = useConversationSlots();
  const detail = useQuery({
    queryKey: conversationKeys.detail(conversationId),
    queryFn: () => readingApi.conversation(conversationId),
    refetchInterval: 30_000,
  });
  const bottomRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLDivElement>(null);

  // Newest at the bottom (DESIGN): open at the latest message.
  const loadedId = detail.data?.conversation.id;
  useEffect(() => {
    if (loadedId) bottomRef.current?.scrollIntoView({ block: 'end' });
  }, [loadedId]);

  // The sticky header (toolbar, subject, customer) must not cover what scrolls into view under it (the composer
  // taking focus, a field reached with Tab): the scrolling pane keeps that much padding (scroll-padding-top).
  const hasData = detail.data !== undefined;
  useEffect(() => {
    const top = topRef.current;
    if (!hasData || !top) return;
    const root = document.documentElement;
    const update = () => {
      const offset = Number.parseFloat(getComputedStyle(top).top) || 0;
      root.style.setProperty('--conversation-sticky', `${Math.ceil(offset + top.offsetHeight + 8)}px`);
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(top);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--conversation-sticky');
    };
  }, [hasData]);

  if (detail.isPending) {
    return (
      <div className="conv-loading" aria-busy="true">
        <span className="visually-hidden">{t('pane.loading')}</span>
        <div className="skeleton" />
        <div className="skeleton tall" />
      </div>
    );
  }
  if (detail.error || !detail.data) {
    return (
      <div className="empty" role="alert">
        <h2>{t('pane.loadFailed')}</h2>
        <p>{errorMessage(detail.error)}</p>
        <Link to={backHref} className="btn">
          {t('pane.back')}
        </Link>
      </div>
    );
  }
  const data = detail.data;
  const { Toolbar, Banner, NotesComposer, Composer } = slots;
  const slotProps = { detail: data, session, openConversation: (id: string) => navigate(hrefFor(id)) };
  return (
    <article className="conversation" data-testid="conversation" data-conversation-id={data.conversation.id}>
      <div className="conversation-top" ref={topRef}>
        <Link to={backHref} className="btn btn-ghost detail-back">
          <BackIcon />
          {t('pane.back')}
        </Link>
        {Toolbar ? <Toolbar {...slotProps} /> : null}
        {/* A heading is a paragraph of its own: a bidi override in the subject cannot reach past it. */}
        <h2 id="conversation-subject" className="conversation-subject">
          {data.conversation.subject || t('pane.noSubject')}
        </h2>
        <PresenceBar conversationId={data.conversation.id} />
        <CustomerHeader detail={data} hrefFor={hrefFor} />
      </div>
      {Banner ? <Banner {...slotProps} /> : null}
      <Timeline detail={data} />
      <div ref={bottomRef} />
      {NotesComposer || Composer ? (
        <div className="conversation-compose" data-testid="conversation-compose">
          {NotesComposer ? <NotesComposer {...slotProps} /> : null}
          {Composer ? <Composer {...slotProps} /> : null}
        </div>
      ) : null}
    </article>
  );
}
