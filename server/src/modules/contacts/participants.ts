import type { MailCategory } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { companyDomainFor } from './company-domain.js';
import { linkMessageContact, upsertCompany, upsertContact } from './contact-queries.js';
import { countryFromDomain } from './country-from-domain.js';

type Db = Kysely<Database> | Transaction<Database>;

export type Participant = { address: string; name: string | null; role: 'from' | 'to' | 'cc' | 'reply_to' };

/**
 * Every external sender and recipient becomes a contact, grouped into a
 * company by registrable domain (never a free-mail domain), so the customer
 * history outlives the agent who wrote to them. The team's own mailbox
 * addresses are not contacts. Machine mail (a newsletter, an out-of-office reply, a bounce, a
 * notification; decision 0031) neither creates nor updates a contact: its sender is no customer.
 */
export async function recordParticipants(
  db: Db,
  input: { messageId: string; participants: Participant[]; ownAddresses: ReadonlySet<string>; seenAt: number; category?: MailCategory },
): Promise<void> {
  if (input.category !== undefined && input.category !== 'person') return;
  const companies = new Map<string, string>();
  for (const p of input.participants) {
    const address = p.address.trim().toLowerCase();
    if (!address.includes('@') || input.ownAddresses.has(address)) continue;
    const domain = companyDomainFor(address);
    let companyId: string | null = null;
    if (domain) {
      companyId = companies.get(domain) ?? (await upsertCompany(db, { domain, country: countryFromDomain(domain), now: input.seenAt }));
      companies.set(domain, companyId);
    }
    const contactId = await upsertContact(db, {
      address,
      name: p.name?.trim() || null,
      companyId,
      country: domain ? countryFromDomain(domain) : null,
      seenAt: input.seenAt,
    });
    await linkMessageContact(db, input.messageId, contactId, p.role);
  }
}
