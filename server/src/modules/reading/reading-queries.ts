import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

export function selectConversation(db: Db, id: string) {
  return db
    .selectFrom('conversations')
    .leftJoin('users', 'users.id', 'conversations.assignee_id')
    .select([
      'conversations.id',
      'conversations.subject',
      'conversations.status',
      'conversations.priority',
      'conversations.last_message_at',
      'conversations.counterparty',
      'users.id as assignee_id',
      'users.name as assignee_name',
    ])
    .where('conversations.id', '=', id)
    .executeTakeFirst();
}

export function selectMailboxes(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('mailboxes').select(['id', 'address', 'display_name']).where('id', 'in', ids).orderBy('address').execute();
}

/** Every message of the conversation with its body, oldest first. */
export function selectTimelineMessages(db: Db, conversationId: string) {
  return db
    .selectFrom('conversation_messages')
    .innerJoin('messages', 'messages.id', 'conversation_messages.message_id')
    .leftJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select([
      'messages.id',
      'messages.direction',
      'messages.from_addr',
      'messages.from_name',
      'messages.to_addrs',
      'messages.cc_addrs',
      'messages.subject',
      'messages.sent_at',
      'messages.received_at',
      'messages.parse_status',
      'messages.language',
      'messages.country',
      'messages.country_source',
      'messages.category',
      'message_bodies.text',
      'message_bodies.html',
    ])
    .where('conversation_messages.conversation_id', '=', conversationId)
    .orderBy('messages.received_at', 'asc')
    .orderBy('messages.id', 'asc')
    .execute();
}

export function selectAttachments(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'sha256', 'filename', 'mime', 'size', 'content_id', 'is_inline', 'position'])
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('position')
    .execute();
}

export function selectAttachment(db: Db, id: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'sha256', 'filename', 'mime', 'size', 'content_id', 'is_inline'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function selectMessageSource(db: Db, id: string) {
  return db
    .selectFrom('messages')
    .leftJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select(['messages.id', 'messages.raw_sha256', 'messages.subject', 'messages.parse_status', 'message_bodies.html'])
    .where('messages.id', '=', id)
    .executeTakeFirst();
}

export function selectContact(db: Db, address: string) {
  return db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .select([
      'contacts.address',
      'contacts.name',
      'contacts.country',
      'companies.id as company_id',
      'companies.name as company_name',
      'companies.domain as company_domain',
      'companies.country as company_country',
    ])
    .where('contacts.address', '=', address)
    .executeTakeFirst();
}

/** Other conversations with the same customer that the reader may see, newest first. */
export function selectRelatedConversations(
  db: Db,
  options: { counterparty: string; excludeId: string; mailboxIds: 'all' | string[]; limit: number },
) {
  return db
    .selectFrom('conversations')
    .select(['id', 'subject', 'status', 'last_message_at'])
    .where('counterparty', '=', options.counterparty)
    .where('id', '!=', options.excludeId)
    .$if(options.mailboxIds !== 'all', (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversation_mailboxes')
            .select('conversation_mailboxes.conversation_id')
            .whereRef('conversation_mailboxes.conversation_id', '=', 'conversations.id')
            .where('conversation_mailboxes.mailbox_id', 'in', options.mailboxIds === 'all' ? [''] : [...options.mailboxIds, '']),
        ),
      ),
    )
    .orderBy('last_message_at', 'desc')
    .limit(options.limit)
    .execute();
}
