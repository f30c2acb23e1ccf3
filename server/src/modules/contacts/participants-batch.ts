import type { MailCategory } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { chunksFor } from '../../db/bulk.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { emitWebhookEvent } from '../webhooks/index.js';
import { companyDomainFor } from './company-domain.js';
import { NEW_CONTACT_CUSTOMER_COLUMNS, nameIfNone } from './contact-queries.js';
import { countryFromDomain } from './country-from-domain.js';
import type { Participant } from './participants.js';
import { companySearchText, contactSearchText } from './search-text.js';

type Db = Kysely<Database> | Transaction<Database>;

type ContactState = {
  id: string;
  name: string | null;
  lastSeenAt: number;
  /** Not in the database yet: inserted at the end with its final name and last_seen_at. */
  isNew: boolean;
  companyId: string | null;
  country: string | null;
  firstSeenAt: number;
  /** What changed on a stored contact (written as one UPDATE at the end). */
  nameChanged: boolean;
  lastSeenChanged: boolean;
};

/**
 * recordParticipants (participants.ts) for many messages at once, with the same outcome as
 * calling it once per message in this order: the contacts and companies of the whole batch
 * are read in two statements, resolved in memory, then written with multi-row INSERTs and one
 * UPDATE per stored contact that changed. The messages must already be inserted.
 */
export async function recordParticipantsBatch(
  db: Db,
  input: {
    ownAddresses: ReadonlySet<string>;
    /** `category`: classifyMail's verdict; machine mail is skipped (no contact made or updated, decision 0031). */
    messages: { messageId: string; participants: Participant[]; seenAt: number; category?: MailCategory }[];
  },
): Promise<void> {
  type Entry = {
    messageId: string;
    address: string;
    name: string | null;
    role: Participant['role'];
    domain: string | null;
    seenAt: number;
  };
  const entries: Entry[] = [];
  const domainOf = new Map<string, string | null>();
  for (const m of input.messages) {
    if (m.category !== undefined && m.category !== 'person') continue;
    for (const p of m.participants) {
      const address = p.address.trim().toLowerCase();
      if (!address.includes('@') || input.ownAddresses.has(address)) continue;
      let domain = domainOf.get(address);
      if (domain === undefined) {
        domain = companyDomainFor(address);
        domainOf.set(address, domain);
      }
      entries.push({ messageId: m.messageId, address, name: p.name?.trim() || null, role: p.role, domain, seenAt: m.seenAt });
    }
  }
  if (entries.length === 0) return;

  const addresses = [...new Set(entries.map((e) => e.address))];
  const domains = [...new Set(entries.map((e) => e.domain).filter((d): d is string => d !== null))];
  const companies = new Map<string, { id: string; isNew: boolean; country: string | null; createdAt: number }>();
  for (const chunk of chunksFor(domains, 1)) {
    for (const row of await db.selectFrom('companies').select(['id', 'domain']).where('domain', 'in', chunk).execute()) {
      companies.set(row.domain, { id: row.id, isNew: false, country: null, createdAt: 0 });
    }
  }
  const contacts = new Map<string, ContactState>();
  for (const chunk of chunksFor(addresses, 1)) {
    for (const row of await db
      .selectFrom('contacts')
      .select(['id', 'address', 'name', 'last_seen_at'])
      .where('address', 'in', chunk)
      .execute()) {
      contacts.set(row.address, {
        id: row.id,
        name: row.name,
        lastSeenAt: row.last_seen_at,
        isNew: false,
        companyId: null,
        country: null,
        firstSeenAt: 0,
        nameChanged: false,
        lastSeenChanged: false,
      });
    }
  }

  const links: { message_id: string; contact_id: string; role: Participant['role'] }[] = [];
  const linked = new Set<string>();
  for (const e of entries) {
    let companyId: string | null = null;
    if (e.domain) {
      let company = companies.get(e.domain);
      if (!company) {
        company = { id: newId(), isNew: true, country: countryFromDomain(e.domain), createdAt: e.seenAt };
        companies.set(e.domain, company);
      }
      companyId = company.id;
    }
    let contact = contacts.get(e.address);
    if (!contact) {
      contact = {
        id: newId(),
        name: e.name,
        lastSeenAt: e.seenAt,
        isNew: true,
        companyId,
        country: e.domain ? countryFromDomain(e.domain) : null,
        firstSeenAt: e.seenAt,
        nameChanged: false,
        lastSeenChanged: false,
      };
      contacts.set(e.address, contact);
    } else {
      // A display name seen later replaces none; a newer mail moves last_seen_at forward only.
      if (contact.name === null && e.name !== null) {
        contact.name = e.name;
        contact.nameChanged = true;
      }
      if (contact.lastSeenAt < e.seenAt) {
        contact.lastSeenAt = e.seenAt;
        contact.lastSeenChanged = true;
      }
    }
    const key = `${e.messageId}\n${contact.id}\n${e.role}`;
    if (!linked.has(key)) {
      linked.add(key);
      links.push({ message_id: e.messageId, contact_id: contact.id, role: e.role });
    }
  }

  // New companies and contacts. A concurrent transaction (PostgreSQL) may have inserted the same
  // domain or address meanwhile: the row it made is used instead of ours.
  const newCompanies = [...companies].filter(([, c]) => c.isNew);
  const companyIdRemap = new Map<string, string>();
  for (const chunk of chunksFor(newCompanies, 8)) {
    const inserted = new Set(
      (
        await db
          .insertInto('companies')
          .values(
            chunk.map(([domain, c]) => ({
              id: c.id,
              domain,
              name: domain,
              country: c.country,
              created_at: c.createdAt,
              tags: null,
              search_text: companySearchText({ name: domain, domain }),
              updated_at: null,
            })),
          )
          .onConflict((oc) => oc.column('domain').doNothing())
          .returning('id')
          .execute()
      ).map((r) => r.id),
    );
    const lost = chunk.filter(([, c]) => !inserted.has(c.id));
    if (lost.length > 0) {
      const rows = await db
        .selectFrom('companies')
        .select(['id', 'domain'])
        .where(
          'domain',
          'in',
          lost.map(([d]) => d),
        )
        .execute();
      for (const [domain, c] of lost) {
        const id = rows.find((r) => r.domain === domain)?.id;
        if (!id) throw new Error(`company ${domain} vanished`);
        companyIdRemap.set(c.id, id);
      }
    }
  }
  const newContacts = [...contacts].filter(([, c]) => c.isNew);
  const contactIdRemap = new Map<string, string>();
  const created: string[] = [];
  for (const chunk of chunksFor(newContacts, 16)) {
    const inserted = new Set(
      (
        await db
          .insertInto('contacts')
          .values(
            chunk.map(([address, c]) => ({
              id: c.id,
              address,
              name: c.name,
              company_id: c.companyId === null ? null : (companyIdRemap.get(c.companyId) ?? c.companyId),
              country: c.country,
              phone_e164: null,
              first_seen_at: c.firstSeenAt,
              last_seen_at: c.lastSeenAt,
              ...NEW_CONTACT_CUSTOMER_COLUMNS,
              search_text: contactSearchText({ name: c.name, address }),
            })),
          )
          .onConflict((oc) => oc.column('address').doNothing())
          .returning('id')
          .execute()
      ).map((r) => r.id),
    );
    created.push(...inserted);
    for (const [address, c] of chunk) {
      if (inserted.has(c.id)) continue;
      // Taken by a concurrent transaction: link to its row and bring it up to date like a stored one.
      const row = await db.selectFrom('contacts').select(['id', 'name', 'last_seen_at']).where('address', '=', address).executeTakeFirst();
      if (!row) throw new Error(`contact ${address} vanished`);
      contactIdRemap.set(c.id, row.id);
      await updateContact(db, row.id, row.name === null ? c.name : null, row.last_seen_at < c.lastSeenAt ? c.lastSeenAt : null);
    }
  }
  for (const c of contacts.values()) {
    if (c.isNew || !(c.nameChanged || c.lastSeenChanged)) continue;
    await updateContact(db, c.id, c.nameChanged ? c.name : null, c.lastSeenChanged ? c.lastSeenAt : null);
  }
  if (created.length > 0) await emitWebhookEvent(db, 'contact.created', { contactIds: created });
  const rows = links.map((l) => ({ ...l, contact_id: contactIdRemap.get(l.contact_id) ?? l.contact_id }));
  for (const chunk of chunksFor(rows, 3)) {
    await db
      .insertInto('message_contacts')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * Only what changes, with a plain UPDATE (see upsertContact: an ON CONFLICT DO UPDATE makes
 * SQLite check every message_contacts row of the contact). Compared in SQL too: a concurrent
 * transaction may have moved it further meanwhile.
 */
async function updateContact(db: Db, id: string, name: string | null, lastSeenAt: number | null): Promise<void> {
  if (name === null && lastSeenAt === null) return;
  await db
    .updateTable('contacts')
    .set((eb) => ({
      ...(name !== null ? nameIfNone(eb, name) : {}),
      ...(lastSeenAt !== null
        ? { last_seen_at: eb.case().when('last_seen_at', '<', lastSeenAt).then(eb.val(lastSeenAt)).else(eb.ref('last_seen_at')).end() }
        : {}),
    }))
    .where('id', '=', id)
    .execute();
}
