import { z } from 'zod';

/**
 * The live channel (WebSocket `GET /api/live`): what the server pushes and what
 * the page may send. Events only say *what* changed; the page refetches through
 * the normal, permission-checked API, so a push never carries mail content.
 */
export const LIVE_PATH = '/api/live';

export const presenceStates = ['viewing', 'replying'] as const;
export const PresenceStateSchema = z.enum(presenceStates);
export type PresenceState = z.infer<typeof PresenceStateSchema>;

export const PresencePersonSchema = z.object({ userId: z.string(), name: z.string(), state: PresenceStateSchema });
export type PresencePerson = z.infer<typeof PresencePersonSchema>;

export const LiveServerMessageSchema = z.discriminatedUnion('type', [
  /** First message after connecting; `heartbeatMs` tells the page how long silence may last. */
  z.object({ type: z.literal('hello'), connectionId: z.string(), userId: z.string(), heartbeatMs: z.number().int() }),
  z.object({ type: z.literal('heartbeat'), at: z.number().int() }),
  /** A message was stored in a conversation (new mail, a reply, a synced copy in another mailbox). */
  z.object({ type: z.literal('message.new'), conversationId: z.string(), mailboxIds: z.array(z.string()) }),
  /** Assignment, status, tags, priority … changed. */
  z.object({ type: z.literal('conversation.changed'), conversationId: z.string(), mailboxIds: z.array(z.string()) }),
  /** Too many changes at once (an import, a resync): refetch everything in these mailboxes. */
  z.object({ type: z.literal('refresh'), mailboxIds: z.array(z.string()) }),
  /** A new in-app notification for this user (mention, approval request, security alert …): refetch the bell. */
  z.object({ type: z.literal('notification') }),
  /** Everyone (other connections) viewing or replying in a conversation, now. */
  z.object({ type: z.literal('presence'), conversationId: z.string(), people: z.array(PresencePersonSchema) }),
]);
export type LiveServerMessage = z.infer<typeof LiveServerMessageSchema>;

export const LiveClientMessageSchema = z.discriminatedUnion('type', [
  /** Set (or refresh) this connection's presence in a conversation; null leaves it. */
  z.object({ type: z.literal('presence'), conversationId: z.string().min(1).max(64), state: PresenceStateSchema.nullable() }),
]);
export type LiveClientMessage = z.infer<typeof LiveClientMessageSchema>;

/** The page repeats its presence this often; the server forgets presence not repeated for PRESENCE_TTL_MS. */
export const PRESENCE_REFRESH_MS = 20_000;
export const PRESENCE_TTL_MS = 60_000;
