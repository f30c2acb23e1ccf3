import { z } from 'zod';

/**
 * Web Push (decision 0037). A person chooses which of these kinds reach their devices; the
 * notification kinds the server writes map onto them (server/src/modules/push/kinds.ts).
 */
export const pushKinds = ['assigned', 'mention', 'sla', 'fraud', 'approval'] as const;
export const PushKindSchema = z.enum(pushKinds);
export type PushKind = z.infer<typeof PushKindSchema>;

/** base64url without padding, as PushSubscription.toJSON() gives the keys. */
const base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** What the browser's PushSubscription.toJSON() returns (expirationTime is ignored). */
export const PushSubscriptionInputSchema = z.object({
  endpoint: z.string().url().max(2048),
  keys: z.object({ p256dh: base64Url.min(86).max(88), auth: base64Url.min(22).max(24) }),
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionInputSchema>;
export const PushEndpointSchema = z.object({ endpoint: z.string().url().max(2048) });

export const PushDeviceSchema = z.object({
  id: z.string(),
  /** The browser and system it was added from ("Chrome on Android"), for the person to tell devices apart. */
  device: z.string(),
  createdAt: z.number().int(),
  lastSentAt: z.number().int().nullable(),
  /** True for the device whose endpoint the request named (`?endpoint=`). */
  current: z.boolean(),
});
export type PushDevice = z.infer<typeof PushDeviceSchema>;

export const PushSettingsSchema = z.object({
  /** The workspace's VAPID public key (applicationServerKey for PushManager.subscribe). */
  publicKey: z.string(),
  kinds: z.array(PushKindSchema),
  devices: z.array(PushDeviceSchema),
});
export type PushSettings = z.infer<typeof PushSettingsSchema>;
export const PushSettingsQuerySchema = z.object({ endpoint: z.string().max(2048).optional() });
export const PushKindsSchema = z.object({ kinds: z.array(PushKindSchema).max(pushKinds.length) });

/** The whole push payload: a kind and ids, never a subject, a name or mail text (the page fetches those). */
export const PushPayloadSchema = z.object({
  kind: z.union([PushKindSchema, z.literal('test')]),
  notificationId: z.string().nullable(),
  conversationId: z.string().nullable(),
});
export type PushPayload = z.infer<typeof PushPayloadSchema>;
export const PushTestResultSchema = z.object({ sent: z.number().int(), removed: z.number().int(), failed: z.number().int() });
export type PushTestResult = z.infer<typeof PushTestResultSchema>;
