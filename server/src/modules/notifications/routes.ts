import { MarkNotificationsReadSchema, NotificationListQuerySchema, NotificationListSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { requireAuth } from '../security/index.js';
import { listNotifications, markNotificationsRead } from './notifications.js';

export const notificationRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/api/notifications',
    { config: { access: {} }, schema: { querystring: NotificationListQuerySchema, response: { 200: NotificationListSchema } } },
    async (request) =>
      listNotifications(db, requireAuth(request).user.id, { unreadOnly: request.query.unread === '1', limit: request.query.limit }),
  );

  // Reading one's own notifications changes nothing shared: auditors may do it too.
  app.post(
    '/api/notifications/read',
    {
      config: { access: { allowAuditor: true } },
      schema: { body: MarkNotificationsReadSchema, response: { 200: z.object({ marked: z.number().int() }) } },
    },
    async (request) => ({ marked: await markNotificationsRead(db, requireAuth(request).user.id, request.body.ids) }),
  );
};
