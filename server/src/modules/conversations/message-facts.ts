import type { MailCategory } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the mail-facts subscriber reads of a stored message (decision 0031). */
export type MessageForFacts = {
  id: string;
  direction: 'in' | 'out';
  rawSha256: string;
  fromAddr: string | null;
  fromName: string | null;
  subject: string;
  text: string;
  receivedAt: number;
  /** The conversation it is in now (a bounce may have moved since the event). */
  conversationId: string | null;
  /** Set once classified: a redelivered event finds it and does nothing. */
  category: MailCategory | null;
  language: string | null;
};

export async function messageForFacts(db: Db, messageId: string): Promise<MessageForFacts | null> {
  const row = await db
    .selectFrom('messages')
    .leftJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .leftJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .select([
      'messages.id',
      'messages.direction',
      'messages.raw_sha256',
      'messages.from_addr',
      'messages.from_name',
      'messages.subject',
      'messages.received_at',
      'messages.category',
      'messages.language',
      'message_bodies.text',
      'conversation_messages.conversation_id',
    ])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    direction: row.direction,
    rawSha256: row.raw_sha256,
    fromAddr: row.from_addr,
    fromName: row.from_name,
    subject: row.subject,
    text: row.text ?? '',
    receivedAt: Number(row.received_at),
    conversationId: row.conversation_id,
    category: row.category,
    language: row.language,
  };
}

export type MessageFacts = {
  category: MailCategory;
  /** JSON of the classification's reasons. */
  categoryReasons: string;
  language: string | null;
  country: string | null;
  countrySource: 'cctld' | 'received-ip' | 'signature-phone' | null;
};

/**
 * Stores an incoming message's facts once and files its conversation: a person's mail makes the
 * conversation a person's; otherwise a conversation not yet filed takes the mail's category
 * (machine mail gets its own view). False when the message was classified already.
 * `conversationId`: the message's conversation, as messageForFacts read it.
 */
export async function recordMessageFacts(
  trx: Transaction<Database>,
  messageId: string,
  facts: MessageFacts,
  conversationId: string | null,
): Promise<boolean> {
  const updated = await trx
    .updateTable('messages')
    .set({
      category: facts.category,
      category_reasons: facts.categoryReasons,
      language: facts.language,
      country: facts.country,
      country_source: facts.countrySource,
    })
    .where('id', '=', messageId)
    .where('category', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  if (conversationId) await fileConversation(trx, conversationId, facts.category);
  return true;
}

/**
 * A person wrote in the conversation (a customer, or an agent's outgoing mail): it is a person's
 * conversation from now on. Machine mail only files a conversation nobody filed yet.
 */
export async function fileConversation(trx: Db, conversationId: string, category: MailCategory): Promise<void> {
  const update = trx.updateTable('conversations').set({ category }).where('id', '=', conversationId);
  if (category === 'person') await update.where((eb) => eb.or([eb('category', 'is', null), eb('category', '!=', 'person')])).execute();
  else await update.where('category', 'is', null).execute();
}
