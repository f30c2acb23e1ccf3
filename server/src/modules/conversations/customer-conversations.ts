import { type Kysely, sql, type Transaction } from 'kysely';
import { chunksFor } from '../../db/bulk.js';
import type { Database } from '../../db/schema.js';
import { type MailboxScope, mailboxIdsWith } from '../security/index.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CustomerConversation = {
  conversationId: string;
  subject: string;
  status: string;
  lastMessageAt: number;
  /** Only the mailboxes the reader may read: another mailbox's name is not theirs to learn. */
  mailboxes: string[];
  /** The contact's address that took part. */
  address: string;
};

/**
 * The conversations a customer's contacts wrote or received mail in, across every mailbox the
 * reader may read (decision 0003: read access to one of its mailboxes), newest first: the
 * conversation part of a customer's timeline (decision 0048). One query for the page.
 */
export async function conversationsWithContacts(
  db: Db,
  input: { contactIds: readonly string[]; scope: MailboxScope; limit: number },
): Promise<CustomerConversation[]> {
  const readable = mailboxIdsWith(input.scope, 'read');
  if (input.contactIds.length === 0 || (readable !== 'all' && readable.length === 0)) return [];
  let q = db
    .selectFrom('message_contacts as mc')
    .innerJoin('contacts as ct', 'ct.id', 'mc.contact_id')
    .innerJoin('conversation_messages as cm', 'cm.message_id', 'mc.message_id')
    .innerJoin('conversations as c', 'c.id', 'cm.conversation_id')
    .innerJoin('conversation_mailboxes as cb', 'cb.conversation_id', 'c.id')
    .where('mc.contact_id', 'in', [...input.contactIds]);
  if (readable !== 'all') q = q.where('cb.mailbox_id', 'in', readable);
  const rows = await q
    .select((eb) => ['c.id', 'c.subject', 'c.status', 'c.last_message_at', eb.fn.min('ct.address').as('address')])
    .groupBy(['c.id', 'c.subject', 'c.status', 'c.last_message_at'])
    .orderBy('c.last_message_at', 'desc')
    .limit(input.limit)
    .execute();
  if (rows.length === 0) return [];
  let names = db
    .selectFrom('conversation_mailboxes as cb')
    .innerJoin('mailboxes as m', 'm.id', 'cb.mailbox_id')
    .select(['cb.conversation_id', 'm.address'])
    .where(
      'cb.conversation_id',
      'in',
      rows.map((r) => r.id),
    );
  if (readable !== 'all') names = names.where('cb.mailbox_id', 'in', readable);
  const mailboxes = new Map<string, string[]>();
  for (const n of await names.orderBy('m.address').execute()) {
    mailboxes.set(n.conversation_id, [...(mailboxes.get(n.conversation_id) ?? []), n.address]);
  }
  return rows.map((r) => ({
    conversationId: r.id,
    subject: r.subject,
    status: r.status,
    lastMessageAt: Number(r.last_message_at),
    mailboxes: mailboxes.get(r.id) ?? [],
    address: String(r.address ?? ''),
  }));
}

/**
 * The language detected in the latest mail each of these contacts wrote (mail-facts), for a
 * campaign segment by language; a contact with no detected language is absent from the map.
 * The contacts module cannot read messages (it comes first), so the campaigns module passes this in.
 */
export async function latestLanguagesOf(db: Db, contactIds: readonly string[]): Promise<Map<string, string>> {
  const languages = new Map<string, string>();
  for (const chunk of chunksFor(contactIds, 1)) {
    const rows = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('message_contacts as mc')
          .innerJoin('messages as m', 'm.id', 'mc.message_id')
          .where('mc.contact_id', 'in', chunk)
          .where('mc.role', '=', 'from')
          .where('m.language', 'is not', null)
          .select([
            'mc.contact_id',
            'm.language',
            sql<number>`row_number() over (partition by mc.contact_id order by m.received_at desc, m.id desc)`.as('newest'),
          ])
          .as('written'),
      )
      .select(['written.contact_id', 'written.language'])
      .where('written.newest', '=', 1)
      .execute();
    for (const r of rows) if (r.language) languages.set(r.contact_id, r.language);
  }
  return languages;
}
