import type { SessionInfo } from '@pier/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { RouteErrorBoundary } from '../../app/RouteErrorBoundary';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { ShortcutHelp, slotActionForKey } from '../conversation/ShortcutHelp';
import { ConversationActionsProvider, useActionRegistry } from '../conversation/slots';
import { READING_NS } from '../conversation/strings';
import { LiveStatusNotice, useLive } from '../live';
import { queryKeys, useLogout } from '../session/queries';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { Sidebar } from './Sidebar';
import { NavBackdrop, TopBar } from './TopBar';
import { DEFAULT_VIEW, parseView, type ViewId } from './views';

const LIST_LIMIT = 200;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

export function InboxPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const { t: tr } = useTranslation(READING_NS);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const view = parseView(params.get('view'));
  const requestedMailbox = params.get('mailbox');
  const mailboxId = session.mailboxes.some((mailbox) => mailbox.id === requestedMailbox) ? requestedMailbox : null;
  const selectedId = params.get('c');
  const tag = params.get('tag');
  const team = params.get('team');
  const sort = params.get('sort') === 'due' ? ('due' as const) : undefined;
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const logout = useLogout();

  useDocumentTitle(t('shell.pageTitle'));
  // Pushed events refetch the lists; while the live channel is down the list polls as before.
  const live = useLive();

  // The server searches (full text, Chinese and English) once typing pauses.
  const search = useDebouncedValue(query.trim(), 250);
  // Views, tags and teams are filtered by the server; a search looks through every view.
  const listFilter = search ? {} : { view, ...(tag ? { tag } : {}), ...(team ? { team } : {}), ...(sort ? { sort } : {}) };
  const conversations = useInfiniteQuery({
    queryKey: queryKeys.conversations(mailboxId, search, JSON.stringify(listFilter)),
    queryFn: ({ pageParam }) =>
      api.conversations({ mailboxId, limit: LIST_LIMIT, cursor: pageParam, ...(search ? { q: search } : {}), ...listFilter }),
    initialPageParam: null as string | null,
    // Older pages load as the list scrolls towards its end (keyset cursor from the server).
    getNextPageParam: (last) => last.nextCursor ?? null,
    placeholderData: keepPreviousData,
    // Live push refetches at once; the slow refetch is only a safety net. Deep scrolls stop
    // polling: refetching every loaded page would cost one request per page.
    refetchInterval: (query) => ((query.state.data?.pages.length ?? 0) > 3 ? false : live.status === 'open' ? 120_000 : 15_000),
  });

  const loaded = useMemo(() => conversations.data?.pages.flatMap((page) => page.items) ?? [], [conversations.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = conversations;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const items = loaded;

  const hrefFor = useCallback(
    (next: {
      view?: ViewId;
      mailboxId?: string | null;
      conversationId?: string | null;
      tag?: string | null;
      team?: string | null;
      sort?: 'due' | null;
    }) => {
      const search = new URLSearchParams();
      const nextView = next.view ?? view;
      const nextMailbox = next.mailboxId === undefined ? mailboxId : next.mailboxId;
      const nextTag = next.tag === undefined ? tag : next.tag;
      const nextTeam = next.team === undefined ? team : next.team;
      if (nextView !== DEFAULT_VIEW) search.set('view', nextView);
      if (nextMailbox) search.set('mailbox', nextMailbox);
      if (nextTag) search.set('tag', nextTag);
      if (nextTeam) search.set('team', nextTeam);
      const nextSort = next.sort === undefined ? sort : next.sort;
      if (nextSort) search.set('sort', nextSort);
      if (next.conversationId) search.set('c', next.conversationId);
      const qs = search.toString();
      return qs ? `/?${qs}` : '/';
    },
    [view, mailboxId, tag, team, sort],
  );

  const [cursorId, setCursorId] = useState<string | null>(null);
  // Phones and tablets: the views and mailboxes as a drawer, closed again by any navigation.
  const [navOpen, setNavOpen] = useState(false);
  // Every navigation (a tap on the current view too: a new location key) closes it.
  const { key: locationKey } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new location closes the drawer.
  useEffect(() => setNavOpen(false), [locationKey]);
  const [helpOpen, setHelpOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const actions = useActionRegistry();
  const closeHelp = useCallback(() => setHelpOpen(false), []);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 2500);
    return () => clearTimeout(timer);
  }, [notice]);

  // Keyboard (not while typing): "/" search, j/k move, Enter opens, r/a/e/s/# go to the feature that
  // registered them (composer, triage toolbar), ? shows the help, Esc leaves search or the conversation.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented) return;
      if (event.key === 'Escape') {
        if (navOpen) {
          setNavOpen(false);
        } else if (document.activeElement === searchRef.current) {
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
      } else if (event.key === '?') {
        event.preventDefault();
        setHelpOpen(true);
      } else if ((event.key === 'j' || event.key === 'k') && items.length > 0) {
        event.preventDefault();
        // With a conversation open, j/k open the next one; otherwise they move the highlight.
        const from = selectedId ?? cursorId;
        const index = items.findIndex((conversation) => conversation.id === from);
        const nextIndex = index === -1 ? 0 : Math.min(items.length - 1, Math.max(0, index + (event.key === 'j' ? 1 : -1)));
        const next = items[nextIndex];
        if (!next) return;
        setCursorId(next.id);
        if (selectedId && next.id !== selectedId) navigate(hrefFor({ conversationId: next.id }), { replace: true });
      } else if (event.key === 'Enter' && !selectedId && cursorId) {
        if (event.target instanceof HTMLElement && event.target.closest('a, button')) return;
        event.preventDefault();
        navigate(hrefFor({ conversationId: cursorId }));
      } else {
        const action = slotActionForKey(event.key);
        if (!action || !selectedId) return;
        event.preventDefault();
        const handler = actions.get(action);
        if (handler) handler();
        else setNotice(event.key);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [items, selectedId, cursorId, navigate, hrefFor, actions, navOpen]);

  const currentMailbox = session.mailboxes.find((mailbox) => mailbox.id === mailboxId);
  const subtitle = currentMailbox ? `${currentMailbox.displayName} · ${currentMailbox.address}` : null;

  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <ConversationActionsProvider registry={actions}>
      <div className={`shell${selectedId ? ' has-selection' : ''}${navOpen ? ' nav-open' : ''}`} data-testid="inbox-shell">
        <Sidebar session={session} view={view} mailboxId={mailboxId} tag={tag} team={team} hrefFor={hrefFor} />
        <NavBackdrop onClose={() => setNavOpen(false)} />
        <TopBar
          session={session}
          title={t(`views.${view}`)}
          subtitle={subtitle}
          onSignOut={signOut}
          signingOut={logout.isPending}
          settingsLink
          onOpenNav={() => setNavOpen(true)}
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
          selectedId={selectedId}
          cursorId={cursorId}
          onEndReached={loadMore}
          hrefFor={(conversationId) => hrefFor({ conversationId })}
          sort={sort ?? 'recent'}
          onSortChange={(next) => navigate(hrefFor({ sort: next === 'due' ? 'due' : null, conversationId: selectedId }))}
        />
        <RouteErrorBoundary pane resetKey={selectedId ?? ''}>
          <ConversationPane
            conversationId={selectedId}
            backHref={hrefFor({ conversationId: null })}
            hrefFor={(conversationId) => hrefFor({ conversationId })}
            onShowShortcuts={() => setHelpOpen(true)}
            session={session}
            sla={items.find((c) => c.id === selectedId)?.sla}
          />
        </RouteErrorBoundary>
        {helpOpen ? <ShortcutHelp onClose={closeHelp} available={(action) => actions.has(action)} /> : null}
        {notice ? (
          <div className="toast" role="status" data-testid="shortcut-notice">
            {tr('shortcuts.notAvailableNotice', { key: notice })}
          </div>
        ) : null}
        <LiveStatusNotice status={live.status} />
      </div>
    </ConversationActionsProvider>
  );
}
