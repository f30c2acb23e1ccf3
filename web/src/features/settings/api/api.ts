import type { ApiTokenScope, WebhookEvent } from '@pier/contracts';
import {
  ApiTokenListSchema,
  CreatedApiTokenSchema,
  CreatedWebhookSchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookSecretSchema,
} from '@pier/contracts';
import { http } from '../../../api/client';

export type WebhookForm = { name: string; url: string; events: WebhookEvent[]; enabled: boolean };

const hookPath = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

/** API tokens and webhooks (server: security api-token-routes.ts, webhooks routes.ts; decision 0049). */
export const apiSettingsApi = {
  tokens: () => http.get('/api/tokens', import.meta.env.DEV && ApiTokenListSchema),
  createToken: (input: { name: string; scope: ApiTokenScope }) =>
    http.post('/api/tokens', input, import.meta.env.DEV && CreatedApiTokenSchema),
  revokeToken: (id: string) => http.delete(`/api/tokens/${encodeURIComponent(id)}`),
  hooks: () => http.get('/api/webhooks', import.meta.env.DEV && WebhookListSchema),
  createHook: (input: WebhookForm) => http.post('/api/webhooks', input, import.meta.env.DEV && CreatedWebhookSchema),
  updateHook: ({ id, ...input }: WebhookForm & { id: string }) => http.put(hookPath(id), input, import.meta.env.DEV && WebhookSchema),
  removeHook: (id: string) => http.delete(hookPath(id)),
  secret: (id: string) => http.get(`${hookPath(id)}/secret`, import.meta.env.DEV && WebhookSecretSchema),
  deliveries: (id: string) => http.get(`${hookPath(id)}/deliveries`, import.meta.env.DEV && WebhookDeliveryListSchema),
  redeliver: ({ id, deliveryId }: { id: string; deliveryId: string }) =>
    http.post(
      `${hookPath(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      undefined,
      import.meta.env.DEV && WebhookDeliverySchema,
    ),
};

export const apiSettingsKeys = {
  tokens: ['settings', 'api', 'tokens'] as const,
  hooks: ['settings', 'api', 'hooks'] as const,
  deliveries: (id: string) => ['settings', 'api', 'hooks', id, 'deliveries'] as const,
};
