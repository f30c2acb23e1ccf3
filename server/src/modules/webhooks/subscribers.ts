import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { firstMessageOf } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber } from '../events/index.js';
import { emitWebhookEvent } from './emit.js';

/**
 * message.received (incoming mail) and conversation.created (the conversation's first message),
 * from the domain event ingest publishes in the transaction that stored the mail.
 */
export function webhookSubscribers(db: Kysely<Database>): EventSubscriber[] {
  return [
    defineSubscriber({
      name: 'webhooks.message-received',
      event: 'message.received',
      key: (e) => e.messageId,
      run: async (e) => {
        await db.transaction().execute(async (trx) => {
          if ((await firstMessageOf(trx, e.conversationId)) === e.messageId) {
            await emitWebhookEvent(trx, 'conversation.created', {
              conversationId: e.conversationId,
              mailboxId: e.mailboxId,
              messageId: e.messageId,
            });
          }
          if (e.direction === 'in') {
            await emitWebhookEvent(trx, 'message.received', {
              messageId: e.messageId,
              conversationId: e.conversationId,
              mailboxId: e.mailboxId,
              source: e.source,
            });
          }
        });
      },
    }),
  ];
}
