import type { ContactPhone } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { setContactPhoneNumber } from '../contacts/index.js';
import { notify } from '../notifications/index.js';
import { type MailboxScope, mailboxIdsWith } from '../security/index.js';
import { impostorContacts } from './impostors.js';
import { callableContactsQuery } from './phone-confirmation.js';

/** The people whose numbers the team may record for a conversation: the callable side (callableContactsQuery), with or without a number. */
export async function conversationContacts(db: Kysely<Database>, conversationId: string) {
  const rows = await (await callableContactsQuery(db, conversationId))
    .select(['id', 'address', 'name', 'phone_e164'])
    .orderBy('address')
    .execute();
  return rows.map((r) => ({ contactId: r.id, address: r.address, name: r.name, phone: r.phone_e164 }));
}

/** Parses a number written any usual way ("+49 40 1234 5678", "0574-8888 1234" with country CN) to E.164, or 400. */
export function normalisePhone(input: string, defaultCountry?: string): string {
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode | undefined);
  if (!parsed?.isValid()) {
    throw new AppError('fraud.phone_invalid', 400, 'not a valid phone number: write it with its country code, e.g. +49 40 1234 5678');
  }
  return parsed.number;
}

/**
 * Records (or removes) a contact's number from a source the team trusts. Allowed to whoever has
 * reply access to a mailbox in which the contact or a colleague at its company has written.
 * Audited with the old and the new number; when the contact's company was flagged or imitated,
 * the change is itself a warning sign (a fraudster asking to "update our phone"), so the admins
 * are notified in-app.
 */
export async function setContactPhone(
  db: Kysely<Database>,
  actor: { user: { id: string; name: string }; scope: MailboxScope; ip: string | null },
  input: { contactId: string; phone: string | null; defaultCountry?: string | undefined },
): Promise<ContactPhone> {
  const contact = await db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .select(['contacts.id', 'contacts.address', 'contacts.phone_e164', 'contacts.company_id', 'companies.domain'])
    .where('contacts.id', '=', input.contactId)
    .executeTakeFirst();
  if (!contact || !(await mayEditContact(db, actor.scope, contact))) throw new AppError('contact.not_found', 404, 'no such contact');
  // A number on an impostor's record would be offered as "the customer" to call (issue 16).
  if ((await impostorContacts(db)).contacts.includes(contact.id)) {
    throw new AppError(
      'fraud.impostor_contact',
      409,
      'this address sent flagged mail and is not a known party: record the number on the real company’s contact',
    );
  }
  const phone = input.phone === null || input.phone === '' ? null : normalisePhone(input.phone, input.defaultCountry);
  if (phone === contact.phone_e164) return { contactId: contact.id, address: contact.address, phone };
  const flagged = await companyFlagged(db, contact);
  await db.transaction().execute(async (trx) => {
    await setContactPhoneNumber(trx, contact.id, phone);
    await recordAudit(trx, {
      actorId: actor.user.id,
      action: 'contact.phone_changed',
      targetType: 'contact',
      targetId: contact.id,
      ip: actor.ip,
      details: { address: contact.address, from: contact.phone_e164, to: phone, flaggedCompany: flagged },
    });
    if (flagged) {
      const admins = await trx
        .selectFrom('users')
        .select('id')
        .where('role', 'in', ['super_admin', 'admin'])
        .where('status', '=', 'active')
        .where('id', '!=', actor.user.id)
        .execute();
      for (const admin of admins) {
        await notify(trx, {
          userId: admin.id,
          kind: 'flagged_phone_changed',
          data: { contactId: contact.id, address: contact.address, from: contact.phone_e164, to: phone, by: actor.user },
        });
      }
    }
  });
  return { contactId: contact.id, address: contact.address, phone };
}

async function mayEditContact(db: Kysely<Database>, scope: MailboxScope, contact: { id: string; company_id: string | null }) {
  const mailboxes = mailboxIdsWith(scope, 'reply');
  if (mailboxes !== 'all' && mailboxes.length === 0) return false;
  const people = contact.company_id
    ? db.selectFrom('contacts').select('id').where('company_id', '=', contact.company_id)
    : db.selectFrom('contacts').select('id').where('id', '=', contact.id);
  let query = db
    .selectFrom('message_contacts')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'message_contacts.message_id')
    .innerJoin('conversation_mailboxes', 'conversation_mailboxes.conversation_id', 'conversation_messages.conversation_id')
    .where('message_contacts.contact_id', 'in', people)
    .select('conversation_mailboxes.mailbox_id');
  if (mailboxes !== 'all') query = query.where('conversation_mailboxes.mailbox_id', 'in', mailboxes);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** The contact's company (or the contact itself) sent flagged mail, or a look-alike imitated it. */
async function companyFlagged(db: Kysely<Database>, contact: { id: string; company_id: string | null; domain: string | null }) {
  const people = contact.company_id
    ? db.selectFrom('contacts').select('id').where('company_id', '=', contact.company_id)
    : db.selectFrom('contacts').select('id').where('id', '=', contact.id);
  const flaggedMail = await db
    .selectFrom('fraud_assessments')
    .innerJoin('message_contacts', 'message_contacts.message_id', 'fraud_assessments.message_id')
    .where('message_contacts.contact_id', 'in', people)
    .where('message_contacts.role', '=', 'from')
    .where('fraud_assessments.level', '!=', 'none')
    .select('fraud_assessments.id')
    .limit(1)
    .executeTakeFirst();
  if (flaggedMail) return true;
  if (!contact.domain) return false;
  const imitated = await db
    .selectFrom('fraud_assessments')
    .where('imitated', 'like', `%${JSON.stringify(contact.domain)}%`)
    .select('id')
    .limit(1)
    .executeTakeFirst();
  return imitated !== undefined;
}
