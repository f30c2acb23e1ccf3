import { type PushKind, PushKindsSchema, PushSettingsSchema, type PushSubscriptionInput, PushTestResultSchema } from '@pier/contracts';
import { http } from '../../api/client';

export const pushApi = {
  settings: (endpoint: string | null) =>
    http.get(`/api/push${endpoint ? `?endpoint=${encodeURIComponent(endpoint)}` : ''}`, import.meta.env.DEV && PushSettingsSchema),
  chooseKinds: (kinds: PushKind[]) => http.put('/api/push/kinds', { kinds }, import.meta.env.DEV && PushKindsSchema),
  subscribe: (subscription: PushSubscriptionInput) => http.post('/api/push/subscriptions', subscription),
  unsubscribe: (endpoint: string) => http.post('/api/push/unsubscribe', { endpoint }),
  removeDevice: (id: string) => http.delete(`/api/push/devices/${encodeURIComponent(id)}`),
  test: () => http.post('/api/push/test', undefined, import.meta.env.DEV && PushTestResultSchema),
};

export const pushKeys = { settings: ['push', 'settings'] as const };
