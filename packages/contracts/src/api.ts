import { z } from 'zod';

/**
 * The open API (issue #19, decision 0049): personal API tokens and webhooks.
 * read: GET only; write: also changes a person may make (reply, assign, notes…);
 * admin: also administration (routes limited to admins or to managers of a mailbox).
 * A token never reaches more than its user, and never the account-security routes.
 */
export const apiTokenScopes = ['read', 'write', 'admin'] as const;
export const ApiTokenScopeSchema = z.enum(apiTokenScopes);
export type ApiTokenScope = z.infer<typeof ApiTokenScopeSchema>;

/** A token as listed: never the secret (only its hash is stored). */
export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: ApiTokenScopeSchema,
  userId: z.string(),
  userEmail: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const ApiTokenListSchema = z.object({ tokens: z.array(ApiTokenSchema) });
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>;

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scope: ApiTokenScopeSchema,
});
export type CreateApiToken = z.infer<typeof CreateApiTokenSchema>;

/** The answer to creating a token: the only time the secret is shown. */
export const CreatedApiTokenSchema = z.object({ token: z.string(), id: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

export const webhookEvents = [
  'conversation.created',
  'message.received',
  'message.sent',
  'conversation.assigned',
  'contact.created',
  'fraud.flagged',
  'sla.breached',
] as const;
export const WebhookEventSchema = z.enum(webhookEvents);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export const WebhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(WebhookEventSchema),
  enabled: z.boolean(),
  createdAt: z.number(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

export const WebhookListSchema = z.object({ webhooks: z.array(WebhookSchema) });
export type WebhookList = z.infer<typeof WebhookListSchema>;

export const WebhookInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(WebhookEventSchema).min(1),
  enabled: z.boolean().default(true),
});
export type WebhookInput = z.input<typeof WebhookInputSchema>;

/** Creating a hook answers its signing secret once; it can be shown again by an admin (step-up). */
export const CreatedWebhookSchema = WebhookSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookSecretSchema = z.object({ secret: z.string() });

export const webhookDeliveryStates = ['pending', 'delivered', 'failed'] as const;
export const WebhookDeliverySchema = z.object({
  id: z.string(),
  event: WebhookEventSchema,
  state: z.enum(webhookDeliveryStates),
  attempts: z.number(),
  responseCode: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  /** When set, the hand-made redelivery this row is a copy of. */
  redeliveryOf: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListSchema = z.object({ deliveries: z.array(WebhookDeliverySchema) });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryListSchema>;

/** The header a receiver checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (like Stripe-Signature). */
export const WEBHOOK_SIGNATURE_HEADER = 'pier-signature';
