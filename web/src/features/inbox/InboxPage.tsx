import type { SessionInfo } from '@pier/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { LiveStatusNotice, useLive } from '../live';
import { queryKeys, useLogout } from '../session/queries';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';
import { DEFAULT_VIEW, inView, parseView, type ViewId } from './views';

const LIST_LIMIT = 100;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

export function InboxPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const view = parseView(params.get('view'));
  const requestedMailbox = params.get('mailbox');
  const mailboxId = session.mailboxes.some((mailbox) => mailbox.id === requestedMailbox) ? requestedMailbox : null;
  const selectedId = params.get('c');
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const logout = useLogout();

  useDocumentTitle(t('shell.pageTitle'));
  // Pushed events refetch the lists; while the live channel is down the list polls as before.
  const live = useLive();

  // The server searches (full text, Chinese and English) once typing pauses.
  const search = useDebouncedValue(query.trim(), 250);
  const conversations = useQuery({
    queryKey: queryKeys.conversations(mailboxId, search),
    queryFn: () => api.conversations({ mailboxId, limit: LIST_LIMIT, ...(search ? { q: search } : {}) }),
    placeholderData: keepPreviousData,
    // Live push refetches at once; the slow refetch is only a safety net.
    refetchInterval: live.status === 'open' ? 120_000 : 15_000,
  });

  const loaded = useMemo(() => conversations.data?.items ?? [], [conversations.data]);
  const items = useMemo(
    () => loaded.filter((conversation) => inView(view, conversation)).sort((a, b) => b.lastMessageAt - a.lastMessageAt),
    [loaded, view],
  );
  const selected = loaded.find((conversation) => conversation.id === selectedId) ?? null;

  const hrefFor = useCallback(
    (next: { view?: ViewId; mailboxId?: string | null; conversationId?: string | null }) => {
      const search = new URLSearchParams();
      const nextView = next.view ?? view;
      const nextMailbox = next.mailboxId === undefined ? mailboxId : next.mailboxId;
      if (nextView !== DEFAULT_VIEW) search.set('view', nextView);
      if (nextMailbox) search.set('mailbox', nextMailbox);
      if (next.conversationId) search.set('c', next.conversationId);
      const qs = search.toString();
      return qs ? `/?${qs}` : '/';
    },
    [view, mailboxId],
  );

  // Keyboard: "/" search, j/k move through the list, Esc leaves the search or closes the conversation.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === 'Escape') {
        if (document.activeElement === searchRef.current) {
          searchRef.current?.blur();
        } else if (selectedId) {
          navigate(hrefFor({ conversationId: null }));
        }
        return;
      }
      if (isTyping(event.target)) return;
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if ((event.key === 'j' || event.key === 'k') && items.length > 0) {
        event.preventDefault();
        const index = items.findIndex((conversation) => conversation.id === selectedId);
        const nextIndex = index === -1 ? 0 : Math.min(items.length - 1, Math.max(0, index + (event.key === 'j' ? 1 : -1)));
        const next = items[nextIndex];
        if (next && next.id !== selectedId) {
          navigate(hrefFor({ conversationId: next.id }), { replace: true });
          document.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({
            block: 'nearest',
          });
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [items, selectedId, navigate, hrefFor]);

  const currentMailbox = session.mailboxes.find((mailbox) => mailbox.id === mailboxId);
  const subtitle = currentMailbox ? `${currentMailbox.displayName} · ${currentMailbox.address}` : null;

  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <div className={selected ? 'shell has-selection' : 'shell'} data-testid="inbox-shell">
      <Sidebar session={session} view={view} mailboxId={mailboxId} hrefFor={hrefFor} />
      <TopBar
        session={session}
        title={t(`views.${view}`)}
        subtitle={subtitle}
        onSignOut={signOut}
        signingOut={logout.isPending}
        settingsLink
      />
      <ConversationList
        items={items}
        loadedCount={loaded.length}
        isLoading={conversations.isPending}
        error={conversations.error}
        onRetry={() => void conversations.refetch()}
        view={view}
        query={query}
        onQueryChange={setQuery}
        searchRef={searchRef}
        selectedId={selected?.id ?? null}
        hrefFor={(conversationId) => hrefFor({ conversationId })}
      />
      <ConversationPane conversation={selected} mailboxes={session.mailboxes} backHref={hrefFor({ conversationId: null })} />
      <LiveStatusNotice status={live.status} />
    </div>
  );
}
