import {
  CreatedWebhookSchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookInputSchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookSecretSchema,
} from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type HostGuard, PrivateHostError, resolveAllowedHost } from '../mailboxes/index.js';
import { apiActorOf, type SecretBox } from '../security/index.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, redeliver, revealWebhookSecret, updateWebhook } from './hooks.js';

/** A hook URL whose host resolves to a refused address is refused at once (decision 0029); a name that does not resolve yet is checked at send time. */
async function checkWebhookUrl(hosts: HostGuard, url: string): Promise<void> {
  try {
    await resolveAllowedHost(hosts, new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch (error) {
    if (error instanceof PrivateHostError) {
      throw new AppError('webhook.private_host', 400, 'the webhook URL is on a private or reserved network (PIER_ALLOW_PRIVATE_HOSTS)');
    }
  }
}

/**
 * Webhooks (decision 0049): admins only, session only (a token may not set up a standing feed).
 * Creating one, changing its URL and showing its secret are step-up actions.
 */
export const webhookRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; secrets: SecretBox; hosts: HostGuard }> = async (
  app,
  { db, secrets, hosts },
) => {
  const admins = ['super_admin', 'admin'] as const;
  const params = z.object({ id: z.string().min(1).max(64) });

  app.get('/api/webhooks', { config: { access: { roles: admins } }, schema: { response: { 200: WebhookListSchema } } }, async () => ({
    webhooks: await listWebhooks(db),
  }));

  app.post(
    '/api/webhooks',
    { config: { access: { roles: admins, stepUp: true } }, schema: { body: WebhookInputSchema, response: { 201: CreatedWebhookSchema } } },
    async (request, reply) => {
      await checkWebhookUrl(hosts, request.body.url);
      return reply.code(201).send(await createWebhook(db, secrets, apiActorOf(request), request.body));
    },
  );

  app.put(
    '/api/webhooks/:id',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params, body: WebhookInputSchema, response: { 200: WebhookSchema } } },
    async (request) => {
      await checkWebhookUrl(hosts, request.body.url);
      return updateWebhook(db, apiActorOf(request), request.params.id, request.body);
    },
  );

  app.delete('/api/webhooks/:id', { config: { access: { roles: admins } }, schema: { params } }, async (request, reply) => {
    await deleteWebhook(db, apiActorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/api/webhooks/:id/secret',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params, response: { 200: WebhookSecretSchema } } },
    async (request) => ({ secret: await revealWebhookSecret(db, secrets, apiActorOf(request), request.params.id) }),
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    { config: { access: { roles: admins } }, schema: { params, response: { 200: WebhookDeliveryListSchema } } },
    async (request) => ({ deliveries: await listDeliveries(db, request.params.id) }),
  );

  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: { access: { roles: admins } },
      schema: { params: params.extend({ deliveryId: z.string().min(1).max(64) }), response: { 202: WebhookDeliverySchema } },
    },
    async (request, reply) => reply.code(202).send(await redeliver(db, apiActorOf(request), request.params.id, request.params.deliveryId)),
  );
};
