import type { ConnectionSettings, CreateMailbox, Mailbox, MailboxDetail, MailboxPreset, UpdateMailbox } from '@pier/contracts';
import {
  ConnectionTestResultSchema,
  MailboxDetailSchema,
  MailboxListSchema,
  MailboxPresetListSchema,
  mailboxPresets,
  SyncProgressSchema,
} from '@pier/contracts';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { http } from '../../../api/client';
import { queryKeys } from '../../session/queries';

const path = (id: string) => `/api/mailboxes/${encodeURIComponent(id)}`;

export const mailboxApi = {
  list: () => http.get('/api/mailboxes', import.meta.env.DEV && MailboxListSchema),
  presets: () => http.get('/api/mailbox-presets', import.meta.env.DEV && MailboxPresetListSchema),
  detail: (id: string) => http.get(path(id), import.meta.env.DEV && MailboxDetailSchema),
  syncProgress: (id: string) => http.get(`${path(id)}/sync-progress`, import.meta.env.DEV && SyncProgressSchema),
  create: (body: CreateMailbox) => http.post('/api/mailboxes', body, import.meta.env.DEV && MailboxDetailSchema),
  update: (id: string, body: UpdateMailbox) => http.patch(path(id), body, import.meta.env.DEV && MailboxDetailSchema),
  /** `purge` also deletes the mail only this mailbox holds; by default all mail stays. */
  remove: (id: string, purge: boolean) => http.delete(`${path(id)}?purge=${purge ? 1 : 0}`),
  /** Tests the saved settings (with the saved password). */
  test: (id: string) => http.post(`${path(id)}/test`, undefined, import.meta.env.DEV && ConnectionTestResultSchema),
  /** Tests settings before they are saved. */
  testDraft: (body: { address: string; connection: ConnectionSettings }) =>
    http.post('/api/mailboxes/test', body, import.meta.env.DEV && ConnectionTestResultSchema),
};

export const mailboxKeys = {
  all: ['mailboxes'] as const,
  list: ['mailboxes', 'list'] as const,
  detail: (id: string) => ['mailboxes', 'detail', id] as const,
  syncProgress: (id: string) => ['mailboxes', 'sync-progress', id] as const,
  presets: ['mailbox-presets'] as const,
};

/** Provider presets: the server's list, with the built-in copy shown until it answers. */
export function usePresets(): readonly MailboxPreset[] {
  const presets = useQuery({
    queryKey: mailboxKeys.presets,
    queryFn: mailboxApi.presets,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: { items: [...mailboxPresets] },
  });
  return presets.data?.items ?? mailboxPresets;
}

/** After a mailbox changed: the admin list, and the session (its mailboxes feed the inbox sidebar). */
export function refreshAfterChange(queryClient: QueryClient, changed?: MailboxDetail) {
  if (changed) {
    queryClient.setQueryData(mailboxKeys.detail(changed.id), changed);
    // Show the change at once; the refetch below confirms it.
    const { id, address, displayName, purpose, status, openCount, openCountCap } = changed;
    const summary: Mailbox = { id, address, displayName, purpose, status, openCount, openCountCap };
    queryClient.setQueryData<{ items: Mailbox[] }>(mailboxKeys.list, (old) => {
      if (!old) return old;
      const known = old.items.some((item) => item.id === id);
      return { items: known ? old.items.map((item) => (item.id === id ? summary : item)) : [...old.items, summary] };
    });
  }
  void queryClient.invalidateQueries({ queryKey: mailboxKeys.list });
  void queryClient.invalidateQueries({ queryKey: queryKeys.session });
}
