import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { setSpamFlag } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber } from '../events/index.js';
import { notify } from '../notifications/index.js';
import { routeNewConversation } from './mail-groups.js';

/**
 * Marks a conversation as spam when every copy of every one of its messages
 * was seen only in a Spam folder (folders.role = 'spam'); it then shows in the
 * Spam view only. Recomputed on each new message, so a customer's next mail
 * seen in the inbox takes the conversation out of spam.
 */
export async function refreshSpamFlag(db: Kysely<Database>, conversationId: string): Promise<void> {
  const row = await db
    .selectFrom('conversation_messages as cm')
    .innerJoin('message_locations as l', 'l.message_id', 'cm.message_id')
    .leftJoin('folders as f', 'f.id', 'l.folder_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('copies'),
      eb.fn.sum<number>(eb.case().when('f.role', '=', 'spam').then(1).else(0).end()).as('spam_copies'),
    ])
    .where('cm.conversation_id', '=', conversationId)
    .executeTakeFirst();
  const copies = Number(row?.copies ?? 0);
  const spam = copies > 0 && Number(row?.spam_copies ?? 0) === copies ? 1 : 0;
  // A rule's "mark spam" (a 'spam' event, decision 0032) is not undone by the folder recount.
  if (spam === 0) {
    const marked = await db
      .selectFrom('conversation_events')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('type', '=', 'spam')
      .executeTakeFirst();
    if (marked) return;
  }
  await setSpamFlag(db, conversationId, spam);
}

/** Subscribers of the triage domain to message.received (registered in compose.ts eventSubscribers()). */
export function triageSubscribers(db: Kysely<Database>, clock: Clock = systemClock): EventSubscriber[] {
  return [
    // Mail groups (decision 0034): a customer's new conversation goes to the mailbox's team and, by
    // its mode, to an agent. Imported archives are history, not new work: never routed.
    defineSubscriber({
      name: 'triage.route-new-conversation',
      event: 'message.received',
      key: (e) => e.conversationId,
      run: async (e) => {
        if (e.direction !== 'in' || e.source === 'import') return;
        await routeNewConversation(db, { conversationId: e.conversationId, mailboxId: e.mailboxId }, clock.now());
      },
    }),
    defineSubscriber({
      name: 'triage.classify-spam',
      event: 'message.received',
      key: (e) => e.messageId,
      run: (e) => refreshSpamFlag(db, e.conversationId),
    }),
    defineSubscriber({
      name: 'triage.notify-followers',
      event: 'message.received',
      key: (e) => e.messageId,
      run: async (e) => {
        if (e.direction !== 'in' || e.source === 'import') return;
        await db.transaction().execute(async (trx) => {
          // At-least-once delivery: one notification per follower and message, whatever the retries.
          const conversation = await trx
            .selectFrom('conversations')
            .select(['subject', 'spam'])
            .where('id', '=', e.conversationId)
            .executeTakeFirst();
          if (!conversation || conversation.spam === 1) return;
          const followers = await trx
            .selectFrom('conversation_followers')
            .select('user_id')
            .where('conversation_id', '=', e.conversationId)
            .where((eb) =>
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('notifications')
                    .select('notifications.id')
                    .whereRef('notifications.user_id', '=', 'conversation_followers.user_id')
                    .where('notifications.kind', '=', 'message')
                    .where('notifications.data', 'like', `%"messageId":"${e.messageId}"%`),
                ),
              ),
            )
            .execute();
          for (const { user_id } of followers) {
            await notify(trx, {
              userId: user_id,
              kind: 'message',
              data: { messageId: e.messageId, conversationId: e.conversationId, subject: conversation.subject },
            });
          }
        });
      },
    }),
  ];
}
