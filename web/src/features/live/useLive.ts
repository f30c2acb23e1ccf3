import type { LiveServerMessage, PresencePerson, PresenceState } from '@pier/contracts';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { type LiveStatus, liveConnection } from './connection';

/** How long events are gathered before the lists refetch (a burst of mail is one refetch). */
const INVALIDATE_AFTER_MS = 30;

/**
 * Keeps the page's live connection open while mounted and turns pushed events
 * into refetches: new mail and changed conversations refetch the conversation
 * lists (and the conversation's detail); a reconnect refetches everything
 * live, so nothing missed while offline stays missing. Mount once, in the inbox.
 */
export function useLive(): { status: LiveStatus } {
  const queryClient = useQueryClient();
  useEffect(() => {
    const release = liveConnection.retain();
    const invalidate = batchedInvalidation(queryClient);
    const offMessage = liveConnection.onMessage((message) => invalidate.add(message));
    const offReconnect = liveConnection.onReconnect(() => invalidate.all());
    return () => {
      offMessage();
      offReconnect();
      invalidate.cancel();
      release();
    };
  }, [queryClient]);
  const status = useSyncExternalStore((onChange) => liveConnection.onStatus(onChange), liveConnection.getStatus, liveConnection.getStatus);
  return { status };
}

/** Runs `handler` for every pushed message (e.g. to show a toast); the handler may change between renders. */
export function useLiveEvent(handler: (message: LiveServerMessage) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => liveConnection.onMessage((message) => ref.current(message)), []);
}

/**
 * Announces that this user is viewing (or replying in) a conversation while
 * the calling component is mounted, and returns the OTHER people there now.
 * The pane calls `usePresence(id)`; the composer `usePresence(id, 'replying')`.
 */
export function usePresence(conversationId: string | null, state: PresenceState = 'viewing'): PresencePerson[] {
  useEffect(() => {
    if (!conversationId) return;
    return liveConnection.claimPresence(conversationId, state);
  }, [conversationId, state]);
  return useSyncExternalStore(
    (onChange) => liveConnection.onPresence(onChange),
    () => (conversationId ? liveConnection.presenceOf(conversationId) : NOBODY),
    () => NOBODY,
  );
}

const NOBODY: PresencePerson[] = [];

function batchedInvalidation(queryClient: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let everything = false;
  const conversations = new Set<string>();
  const run = () => {
    timer = undefined;
    void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    if (everything) void queryClient.invalidateQueries({ queryKey: ['conversation'] });
    else for (const id of conversations) void queryClient.invalidateQueries({ queryKey: ['conversation', id] });
    everything = false;
    conversations.clear();
  };
  const schedule = () => {
    timer ??= setTimeout(run, INVALIDATE_AFTER_MS);
  };
  return {
    add(message: LiveServerMessage) {
      if (message.type === 'message.new' || message.type === 'conversation.changed') {
        conversations.add(message.conversationId);
        schedule();
      } else if (message.type === 'refresh') {
        everything = true;
        schedule();
      }
    },
    all() {
      everything = true;
      schedule();
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}
