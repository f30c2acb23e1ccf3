import {
  PushEndpointSchema,
  PushKindsSchema,
  PushSettingsQuerySchema,
  PushSettingsSchema,
  PushSubscriptionInputSchema,
  PushTestResultSchema,
} from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { HostGuard } from '../mailboxes/index.js';
import { deviceOf, requireAuth, type SecretBox } from '../security/index.js';
import { checkPushEndpoint } from './endpoint-guard.js';
import type { PushSender } from './sender.js';
import { choosePushKinds, listDevices, pushKindsOf, removeDevice, removeSubscription, saveSubscription } from './subscriptions.js';
import { workspaceVapidKeys } from './vapid.js';

/**
 * A person's own push devices and choices. Everyone signed in, auditors too: a device and its
 * notifications are the person's own and change nothing shared.
 */
export const pushRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  secrets: SecretBox;
  hosts: HostGuard;
  clock: Clock;
  sender: PushSender;
}> = async (app, { db, secrets, hosts, clock, sender }) => {
  const own = { access: { allowAuditor: true } };

  app.get(
    '/api/push',
    { config: own, schema: { querystring: PushSettingsQuerySchema, response: { 200: PushSettingsSchema } } },
    async (request) => {
      const userId = requireAuth(request).user.id;
      const [{ publicKey }, kinds, devices] = await Promise.all([
        workspaceVapidKeys(db, secrets),
        pushKindsOf(db, userId),
        listDevices(db, userId, request.query.endpoint),
      ]);
      return { publicKey, kinds, devices };
    },
  );

  app.put('/api/push/kinds', { config: own, schema: { body: PushKindsSchema, response: { 200: PushKindsSchema } } }, async (request) => ({
    kinds: await choosePushKinds(db, requireAuth(request).user.id, request.body.kinds, clock.now()),
  }));

  app.post(
    '/api/push/subscriptions',
    { config: own, schema: { body: PushSubscriptionInputSchema, response: { 201: z.object({ id: z.string() }) } } },
    async (request, reply) => {
      const userId = requireAuth(request).user.id;
      await checkPushEndpoint(hosts, request.body.endpoint);
      const device = deviceOf(request.headers['user-agent']) ?? 'Unknown browser';
      const id = await saveSubscription(db, userId, request.body, device, clock.now());
      return reply.code(201).send({ id });
    },
  );

  // The browser unsubscribed (or the person signs out on it): by endpoint, only the person's own.
  app.post(
    '/api/push/unsubscribe',
    { config: own, schema: { body: PushEndpointSchema, response: { 200: z.object({ removed: z.boolean() }) } } },
    async (request) => ({ removed: await removeSubscription(db, requireAuth(request).user.id, request.body.endpoint) }),
  );

  app.delete(
    '/api/push/devices/:id',
    { config: own, schema: { params: z.object({ id: z.string().min(1).max(64) }) } },
    async (request, reply) => {
      if (!(await removeDevice(db, requireAuth(request).user.id, request.params.id))) {
        throw new AppError('push.subscription_not_found', 404, 'no such push device of yours');
      }
      return reply.code(204).send();
    },
  );

  app.post('/api/push/test', { config: own, schema: { response: { 200: PushTestResultSchema } } }, async (request) =>
    sender.sendTest(requireAuth(request).user.id),
  );
};
