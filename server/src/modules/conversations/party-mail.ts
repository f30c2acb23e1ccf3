import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database, MessageContactsTable } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A condition on a mail, given the expression of its id, from the module that owns the
 * condition's table (fraud: "assessed and not flagged"). This module does not read it.
 */
export type MailCondition = (messageId: Expression<string>) => Expression<SqlBool>;

/**
 * The history of a party (a company, or a company-less address) as fraud trust reads it (decision
 * 0065): the mail the given contacts took part in, in the given roles, grouped by their company's
 * domain (null for none) and address. Starts from the contacts' `message_contacts` rows, so the
 * cost follows those parties' mail, not the workspace's.
 */
function mailOfContacts(db: Db, roles: MessageContactsTable['role'][], contactIds: string[]) {
  return db
    .selectFrom('message_contacts as mc')
    .innerJoin('contacts', 'contacts.id', 'mc.contact_id')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .where('mc.role', 'in', roles)
    .where('mc.contact_id', 'in', contactIds);
}

/** Earliest mail the team sent (To or Cc) to each of these contacts' parties, per conversation. */
export function firstMailSentToContacts(db: Db, contactIds: string[], excludeMessageId: string) {
  return mailOfContacts(db, ['to', 'cc'], contactIds)
    .innerJoin('messages', 'messages.id', 'mc.message_id')
    .innerJoin('conversation_messages as cm', 'cm.message_id', 'mc.message_id')
    .where('messages.direction', '=', 'out')
    .where('messages.id', '!=', excludeMessageId)
    .groupBy(['cm.conversation_id', 'companies.domain', 'contacts.address'])
    .select(['cm.conversation_id', 'companies.domain', 'contacts.address', (eb) => eb.fn.min('messages.received_at').as('since')])
    .execute();
}

/** The conversations where one of these contacts' parties wrote (From or Reply-To) a mail meeting `which`. */
export function conversationsWithMailFromContacts(db: Db, contactIds: string[], which: MailCondition) {
  return mailOfContacts(db, ['from', 'reply_to'], contactIds)
    .innerJoin('conversation_messages as cm', 'cm.message_id', 'mc.message_id')
    .where(which(sql.ref('mc.message_id')))
    .select(['cm.conversation_id', 'companies.domain', 'contacts.address'])
    .execute();
}

/**
 * When a mail arrived: its arrival at the mailbox, or for mail only imported from the team's own
 * archive (`pier import`, which stores it as arriving now) the date it was written.
 */
const arrivedAt = sql<number>`case when exists (select 1 from message_locations ml where ml.message_id = messages.id and ml.source = 'import') then coalesce(messages.sent_at, messages.received_at) else messages.received_at end`;

/** Per party of these contacts: how many incoming mails meeting `which` it sent, the first and last arrival. */
export function incomingMailSpansOfContacts(db: Db, contactIds: string[], excludeMessageId: string, which: MailCondition) {
  return mailOfContacts(db, ['from'], contactIds)
    .innerJoin('messages', 'messages.id', 'mc.message_id')
    .where('messages.direction', '=', 'in')
    .where('messages.id', '!=', excludeMessageId)
    .where(which(sql.ref('mc.message_id')))
    .groupBy(['companies.domain', 'contacts.address'])
    .select([
      'companies.domain',
      'contacts.address',
      (eb) => eb.fn.countAll().as('count'),
      (eb) => eb.fn.min(arrivedAt).as('first'),
      (eb) => eb.fn.max(arrivedAt).as('last'),
    ])
    .execute();
}
