import type { ConversationSummary, FraudMarker } from '@pier/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type Ref, type RefObject, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../i18n';
import { SearchIcon } from '../../ui/icons';
import { Flag } from '../conversation/Flag';
import { formatAge, formatFullTimeCached } from '../conversation/format';
import { READING_NS } from '../conversation/strings';
import { FraudMarkerBadge, FraudMarkerReason, useFraudMarkers } from '../fraud';
import { SlaDue, SortChoice } from '../operations/SlaDue';
import { toDate } from './format';
import type { ViewId } from './views';

type Props = {
  items: ConversationSummary[];
  /** Conversations loaded before the view and search filters (tells "empty" apart from "no match"). */
  loadedCount: number;
  isLoading: boolean;
  error: unknown;
  onRetry: () => void;
  view: ViewId;
  query: string;
  onQueryChange: (query: string) => void;
  searchRef: Ref<HTMLInputElement>;
  selectedId: string | null;
  /** The row j/k moved to (Enter opens it); scrolled into view. */
  cursorId: string | null;
  /** The last rows are in view: load the next page, if any. */
  onEndReached?: () => void;
  hrefFor: (conversationId: string) => string;
  /** Newest first, or the SLA due soonest first. */
  sort?: 'recent' | 'due';
  onSortChange?: (sort: 'recent' | 'due') => void;
};

export function ConversationList(props: Props) {
  const { t } = useTranslation();
  const { items, query } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  return (
    <section className="list-pane" aria-label={t('list.label')}>
      <search className="list-search">
        <span className="list-search-icon">
          <SearchIcon />
        </span>
        <label htmlFor="conversation-search" className="visually-hidden">
          {t('shell.searchLabel')}
        </label>
        <input
          id="conversation-search"
          data-testid="conversation-search"
          ref={props.searchRef}
          className="input"
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('shell.searchPlaceholder')}
          value={query}
          onChange={(event) => props.onQueryChange(event.target.value)}
        />
      </search>
      {props.loadedCount > 0 || props.sort === 'due' ? (
        <div className="list-meta" aria-live="polite">
          <span>{t('list.shown', { total: items.length })}</span>
          {props.onSortChange ? <SortChoice sort={props.sort ?? 'recent'} onChange={props.onSortChange} /> : null}
        </div>
      ) : null}
      <div className="list-scroll" data-testid="conversation-list" ref={scrollRef}>
        <ListBody {...props} scrollRef={scrollRef} />
      </div>
    </section>
  );
}

function ListBody({
  items,
  loadedCount,
  isLoading,
  error,
  onRetry,
  view,
  query,
  selectedId,
  cursorId,
  onEndReached,
  hrefFor,
  scrollRef,
}: Props & { scrollRef: RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation();

  if (isLoading) {
    return (
      <div className="list-loading" aria-busy="true">
        <span className="visually-hidden">{t('list.loading')}</span>
        <div className="skeleton" />
        <div className="skeleton" />
        <div className="skeleton" />
      </div>
    );
  }
  if (error) {
    return (
      <div className="empty" role="alert">
        <h2>{t('list.loadFailed')}</h2>
        <p>{errorMessage(error)}</p>
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (items.length === 0) {
    let title = t('list.emptyTitle');
    let hint = t('list.emptyHint');
    // Search runs on the server, so an empty result says nothing about what else is loaded.
    if (query.trim()) {
      title = t('list.noMatchTitle', { query: query.trim() });
      hint = t('list.noMatchHint');
    } else if (loadedCount > 0) {
      title = t('list.emptyViewTitle', { view: t(`views.${view}`) });
      hint = view === 'mine' ? t('list.emptyMineHint') : t('list.emptyViewHint');
    }
    return (
      <div className="empty" data-testid="conversation-empty">
        <h2>{title}</h2>
        <p>{hint}</p>
      </div>
    );
  }
  return (
    <VirtualRows
      items={items}
      selectedId={selectedId}
      cursorId={cursorId}
      hrefFor={hrefFor}
      scrollRef={scrollRef}
      {...(onEndReached ? { onEndReached } : {})}
    />
  );
}

/**
 * Fields the list API may add (triage adds customer, company, country, assignee and tags);
 * every one is optional so a row renders with whatever the server sends.
 */
type RowExtras = Partial<{
  customerName: string | null;
  company: string | null;
  country: string | null;
  assignee: { id: string; name: string } | null;
  tags: string[];
  unread: boolean;
}>;

const ROW_HEIGHT = 62;

function VirtualRows({
  items,
  selectedId,
  cursorId,
  hrefFor,
  scrollRef,
  onEndReached,
}: Pick<Props, 'items' | 'selectedId' | 'cursorId' | 'hrefFor' | 'onEndReached'> & { scrollRef: RefObject<HTMLDivElement | null> }) {
  // Only the rows in view (plus a few) exist in the DOM: 10,000 conversations scroll like 20.
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => items[index]?.id ?? index,
  });
  const cursorIndex = cursorId ? items.findIndex((c) => c.id === cursorId) : -1;
  useEffect(() => {
    if (cursorIndex >= 0) virtualizer.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virtualizer]);
  const virtualRows = virtualizer.getVirtualItems();
  const markers = useFraudMarkers(virtualRows.map((row) => items[row.index]?.id).filter((id): id is string => id !== undefined));
  const lastShown = virtualRows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastShown >= 0 && lastShown >= items.length - 40) onEndReached?.();
  }, [lastShown, items.length, onEndReached]);
  return (
    <ul className="conv-list virtual" style={{ height: virtualizer.getTotalSize() }} data-count={items.length}>
      {virtualRows.map((row) => {
        const conversation = items[row.index];
        if (!conversation) return null;
        return (
          <li key={row.key} className="conv-slot" style={{ height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}>
            <ConversationRow
              conversation={conversation}
              selected={conversation.id === selectedId}
              cursor={conversation.id === cursorId}
              href={hrefFor(conversation.id)}
              marker={markers.get(conversation.id)}
            />
          </li>
        );
      })}
    </ul>
  );
}

// Memoised: while scrolling, rows that stay in view keep their props and skip rendering.
const ConversationRow = memo(function ConversationRow({
  conversation,
  selected,
  cursor,
  href,
  marker,
}: {
  conversation: ConversationSummary & RowExtras;
  selected: boolean;
  cursor: boolean;
  href: string;
  /** The worst fraud flag nobody cleared (levels are per mail, so later genuine mail is not painted). */
  marker: FraudMarker | undefined;
}) {
  const { t } = useTranslation();
  const { t: tr } = useTranslation(READING_NS);
  const who = conversation.customerName || conversation.fromName || conversation.fromAddress || t('list.unknownSender');
  const tags = conversation.tags ?? [];
  return (
    <Link
      to={href}
      className={`conv-item${cursor ? ' cursor' : ''}${conversation.unread ? ' unread' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-cursor={cursor || undefined}
    >
      <div className="conv-row">
        <span className="conv-from">
          <Flag country={conversation.country} />
          {/* Mail-derived text is isolated: a right-to-left override in it cannot reorder the rest of the line. */}
          <bdi>{who}</bdi>
          {conversation.company ? (
            <span className="addr">
              <bdi>{conversation.company}</bdi>
            </span>
          ) : null}
          {!conversation.company && conversation.fromName && conversation.fromAddress ? (
            <span className="addr">
              <bdi>{conversation.fromAddress}</bdi>
            </span>
          ) : null}
        </span>
        {marker ? <FraudMarkerBadge marker={marker} /> : null}
        {tags.slice(0, 2).map((tag) => (
          <span key={tag} className="tag-chip">
            #{tag}
          </span>
        ))}
        {conversation.assignee ? (
          <span className="assignee-chip" title={conversation.assignee.name}>
            {conversation.assignee.name}
          </span>
        ) : null}
        {conversation.status !== 'open' ? <span className="status-pill">{t(`status.${conversation.status}`)}</span> : null}
        <SlaDue sla={conversation.sla} compact />
        <time
          className="conv-time"
          dateTime={toDate(conversation.lastMessageAt).toISOString()}
          title={tr('list.age', { time: formatFullTimeCached(conversation.lastMessageAt) })}
        >
          {formatAge(toDate(conversation.lastMessageAt).getTime())}
        </time>
      </div>
      <div className="conv-line">
        <span className="conv-subject">
          <bdi>{conversation.subject || t('list.noSubject')}</bdi>
        </span>
        {marker ? (
          <FraudMarkerReason marker={marker} />
        ) : conversation.snippet ? (
          <span className="conv-snippet">
            {' '}
            — <bdi>{conversation.snippet}</bdi>
          </span>
        ) : null}
      </div>
    </Link>
  );
});
