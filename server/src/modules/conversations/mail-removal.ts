import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { refreshConversationLatest } from './conversation-queries.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Mail leaving a conversation, for the modules that decide it (outbox undo and bounces, mailbox
 * purge): the rows are this module's, and a conversation left without messages goes with them.
 */

/** Undo send: the message is removed as if never written (its search entry is the caller's). */
export async function removeUnsentMessage(trx: Transaction<Database>, messageId: string, conversationId: string): Promise<void> {
  await trx.deleteFrom('conversation_messages').where('message_id', '=', messageId).execute();
  await trx.deleteFrom('message_locations').where('message_id', '=', messageId).execute();
  await trx.deleteFrom('messages').where('id', '=', messageId).execute();
  await dropIfEmpty(trx, conversationId);
}

/**
 * A message threaded into a conversation of its own that belongs in another (a bounce report
 * joins the mail it reports on): it moves, and its old conversation goes when it is left empty.
 * The target gains no mailbox: a move never widens who can read a conversation (decision 0027),
 * so the caller checks first that the target is in every mailbox the message reached.
 * False when it is already there or in none.
 */
export async function moveMessageToConversation(trx: Transaction<Database>, messageId: string, intoId: string): Promise<boolean> {
  const link = await trx
    .selectFrom('conversation_messages')
    .select('conversation_id')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  if (!link || link.conversation_id === intoId) return false;
  await trx.updateTable('conversation_messages').set({ conversation_id: intoId }).where('message_id', '=', messageId).execute();
  await refreshConversationLatest(trx, intoId);
  await dropIfEmpty(trx, link.conversation_id);
  return true;
}

/** Deletes the messages that only this mailbox holds (a purge); shared ones keep their other mailboxes. */
export async function deleteMailOnlyIn(db: Db, mailboxId: string): Promise<void> {
  const onlyHere = db
    .selectFrom('message_locations as here')
    .select('here.message_id')
    .where('here.mailbox_id', '=', mailboxId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('message_locations as elsewhere')
            .select('elsewhere.id')
            .whereRef('elsewhere.message_id', '=', 'here.message_id')
            .where('elsewhere.mailbox_id', '!=', mailboxId),
        ),
      ),
    );
  await db.deleteFrom('messages').where('id', 'in', onlyHere).execute();
  // Conversations left without messages go too.
  await db
    .deleteFrom('conversations')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('conversation_messages')
            .select('conversation_messages.message_id')
            .whereRef('conversation_messages.conversation_id', '=', 'conversations.id'),
        ),
      ),
    )
    .execute();
}

/** A conversation without messages goes (with its mailboxes); otherwise its list line follows its newest message. */
async function dropIfEmpty(trx: Transaction<Database>, conversationId: string): Promise<void> {
  const left = await trx
    .selectFrom('conversation_messages')
    .select('message_id')
    .where('conversation_id', '=', conversationId)
    .limit(1)
    .executeTakeFirst();
  if (!left) {
    await trx.deleteFrom('conversation_mailboxes').where('conversation_id', '=', conversationId).execute();
    await trx.deleteFrom('conversations').where('id', '=', conversationId).execute();
  } else {
    await refreshConversationLatest(trx, conversationId);
  }
}
