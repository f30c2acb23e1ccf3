import type { SaveRule } from '@pier/contracts';
import { RuleListSchema, RulePreviewSchema, RuleSchema } from '@pier/contracts';
import { http } from '../../../api/client';

const rulePath = (id: string) => `/api/rules/${encodeURIComponent(id)}`;

/** Settings → Rules (decision 0032). */
export const rulesApi = {
  list: () => http.get('/api/rules', import.meta.env.DEV && RuleListSchema),
  create: (body: SaveRule) => http.post('/api/rules', body, import.meta.env.DEV && RuleSchema),
  save: (id: string, body: SaveRule) => http.put(rulePath(id), body, import.meta.env.DEV && RuleSchema),
  setEnabled: (id: string, enabled: boolean) => http.put(`${rulePath(id)}/enabled`, { enabled }, import.meta.env.DEV && RuleSchema),
  remove: (id: string) => http.delete(rulePath(id)),
  reorder: (ids: string[]) => http.post('/api/rules/reorder', { ids }, import.meta.env.DEV && RuleListSchema),
  preview: (mailboxId: string, rule: SaveRule) =>
    http.post('/api/rules/preview', { mailboxId, rule }, import.meta.env.DEV && RulePreviewSchema),
};

export const rulesKeys = { list: ['settings', 'rules'] as const };
