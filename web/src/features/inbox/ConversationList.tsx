import type { ConversationSummary } from '@pier/contracts';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../i18n';
import { SearchIcon } from '../../ui/icons';
import { formatFullTime, formatListTime, toDate } from './format';
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
  hrefFor: (conversationId: string) => string;
};

export function ConversationList(props: Props) {
  const { t } = useTranslation();
  const { items, query } = props;
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
      {props.loadedCount > 0 ? (
        <div className="list-meta" aria-live="polite">
          <span>{t('list.shown', { total: items.length })}</span>
        </div>
      ) : null}
      <div className="list-scroll" data-testid="conversation-list">
        <ListBody {...props} />
      </div>
    </section>
  );
}

function ListBody({ items, loadedCount, isLoading, error, onRetry, view, query, selectedId, hrefFor }: Props) {
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
    <ul className="conv-list">
      {items.map((conversation) => (
        <li key={conversation.id}>
          <ConversationRow conversation={conversation} selected={conversation.id === selectedId} href={hrefFor(conversation.id)} />
        </li>
      ))}
    </ul>
  );
}

function ConversationRow({ conversation, selected, href }: { conversation: ConversationSummary; selected: boolean; href: string }) {
  const { t } = useTranslation();
  const sender = conversation.fromName || conversation.fromAddress || t('list.unknownSender');
  return (
    <Link
      to={href}
      className="conv-item"
      aria-current={selected ? 'true' : undefined}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
    >
      <div className="conv-row">
        <span className="conv-from">
          {sender}
          {conversation.fromName && conversation.fromAddress ? <span className="addr">{conversation.fromAddress}</span> : null}
        </span>
        {conversation.status !== 'open' ? <span className="status-pill">{t(`status.${conversation.status}`)}</span> : null}
        <time
          className="conv-time"
          dateTime={toDate(conversation.lastMessageAt).toISOString()}
          title={formatFullTime(conversation.lastMessageAt)}
        >
          {formatListTime(conversation.lastMessageAt)}
        </time>
      </div>
      <div className="conv-line">
        <span className="conv-subject">{conversation.subject || t('list.noSubject')}</span>
        {conversation.snippet ? <span className="conv-snippet"> — {conversation.snippet}</span> : null}
      </div>
    </Link>
  );
}
