import type { AutoReplySettings } from '@pier/contracts';
import { AutoReplySettingsResponseSchema } from '@pier/contracts';
import { http } from '../../api/client';

const path = (mailboxId: string) => `/api/mailboxes/${encodeURIComponent(mailboxId)}/auto-reply`;

export const autoReplyApi = {
  settings: (mailboxId: string) => http.get(path(mailboxId), import.meta.env.DEV && AutoReplySettingsResponseSchema),
  save: (mailboxId: string, body: AutoReplySettings) =>
    http.put(path(mailboxId), body, import.meta.env.DEV && AutoReplySettingsResponseSchema),
};

export const autoReplyKeys = { settings: (mailboxId: string) => ['auto-reply', mailboxId] as const };
