import type {
  AssignRequest,
  ConversationList,
  ConversationPeople,
  ConversationStatus,
  ConversationTriage,
  NoteRequest,
  Priority,
  TagsRequest,
  TriageState,
  ViewCounts,
} from '@pier/contracts';
import { request } from '../../api/client';

const base = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export const triageApi = {
  triage: (id: string) => request<ConversationTriage>('GET', `${base(id)}/triage`),
  people: (id: string) => request<ConversationPeople>('GET', `${base(id)}/people`),
  assign: (id: string, body: AssignRequest) => request<TriageState>('POST', `${base(id)}/assign`, body),
  status: (id: string, status: ConversationStatus, snoozedUntil?: number) =>
    request<TriageState>('POST', `${base(id)}/status`, snoozedUntil === undefined ? { status } : { status, snoozedUntil }),
  tags: (id: string, body: TagsRequest) => request<TriageState>('POST', `${base(id)}/tags`, body),
  priority: (id: string, priority: Priority) => request<TriageState>('POST', `${base(id)}/priority`, { priority }),
  follow: (id: string, following: boolean) => request<TriageState>('POST', `${base(id)}/follow`, { following }),
  merge: (id: string, intoId: string) => request<{ conversationId: string }>('POST', `${base(id)}/merge`, { intoId }),
  note: (id: string, body: NoteRequest) => request<{ id: string }>('POST', `${base(id)}/notes`, body),
  views: () => request<ViewCounts>('GET', '/api/views'),
  search: (q: string) => request<ConversationList>('GET', `/api/conversations?limit=20&q=${encodeURIComponent(q)}`),
};

/**
 * Under the prefixes the live channel invalidates (features/live/useLive.ts): a change pushed
 * for a conversation refetches its triage state, and any change refetches the counts.
 */
export const triageKeys = {
  triage: (id: string) => ['conversation', id, 'triage'] as const,
  people: (id: string) => ['conversation', id, 'people'] as const,
  views: ['conversations', 'views'] as const,
};
