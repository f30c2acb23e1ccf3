import { NotificationListSchema, NotificationsMarkedSchema } from '@pier/contracts';
import { http } from '../../api/client';

export const notificationsApi = {
  list: () => http.get('/api/notifications?limit=50', import.meta.env.DEV && NotificationListSchema),
  /** Without ids: every notification of the user. */
  markRead: (ids: string[] | undefined) =>
    http.post('/api/notifications/read', ids ? { ids } : {}, import.meta.env.DEV && NotificationsMarkedSchema),
};

export const notificationKeys = {
  list: ['notifications'] as const,
};
