import type { AssignRequest, ConversationStatus, NoteRequest, Priority, TagsRequest } from '@pier/contracts';
import {
  ConversationListSchema,
  ConversationPeopleSchema,
  ConversationTriageSchema,
  MergeResultSchema,
  NoteCreatedSchema,
  TriageStateSchema,
  ViewCountsSchema,
} from '@pier/contracts';
import { http } from '../../api/client';

const base = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export const triageApi = {
  triage: (id: string) => http.get(`${base(id)}/triage`, import.meta.env.DEV && ConversationTriageSchema),
  people: (id: string) => http.get(`${base(id)}/people`, import.meta.env.DEV && ConversationPeopleSchema),
  assign: (id: string, body: AssignRequest) => http.post(`${base(id)}/assign`, body, import.meta.env.DEV && TriageStateSchema),
  status: (id: string, status: ConversationStatus, snoozedUntil?: number) =>
    http.post(
      `${base(id)}/status`,
      snoozedUntil === undefined ? { status } : { status, snoozedUntil },
      import.meta.env.DEV && TriageStateSchema,
    ),
  tags: (id: string, body: TagsRequest) => http.post(`${base(id)}/tags`, body, import.meta.env.DEV && TriageStateSchema),
  priority: (id: string, priority: Priority) => http.post(`${base(id)}/priority`, { priority }, import.meta.env.DEV && TriageStateSchema),
  follow: (id: string, following: boolean) => http.post(`${base(id)}/follow`, { following }, import.meta.env.DEV && TriageStateSchema),
  merge: (id: string, intoId: string) => http.post(`${base(id)}/merge`, { intoId }, import.meta.env.DEV && MergeResultSchema),
  note: (id: string, body: NoteRequest) => http.post(`${base(id)}/notes`, body, import.meta.env.DEV && NoteCreatedSchema),
  views: () => http.get('/api/views', import.meta.env.DEV && ViewCountsSchema),
  search: (q: string) => http.get(`/api/conversations?limit=20&q=${encodeURIComponent(q)}`, import.meta.env.DEV && ConversationListSchema),
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
