import type { CustomerTimeline, CustomerTimelineItem } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { MailboxScope } from '../security/index.js';
import { userDisplayNames } from '../workspace/index.js';
import { contactWithMerged, resolveMerged } from './customer-directory.js';

/**
 * What later modules add to a customer's timeline, passed in by http.ts (contacts comes before
 * conversations and fraud, so the arrow never turns round): the conversations the reader may
 * read, and fraud's flags, phone confirmations and bank details of those conversations.
 */
export type CustomerTimelineSources = {
  conversations: (
    db: Kysely<Database>,
    input: { contactIds: readonly string[]; scope: MailboxScope; limit: number },
  ) => Promise<{ conversationId: string; subject: string; status: string; lastMessageAt: number; mailboxes: string[]; address: string }[]>;
  fraud: (
    db: Kysely<Database>,
    input: { conversationIds: readonly string[]; companyId: string | null },
  ) => Promise<{
    flags: { at: number; conversationId: string; level: string; cleared: boolean }[];
    confirmations: { at: number; conversationId: string; phone: string; outcome: string }[];
    bankDetails: { kind: string; value: string; firstSeenAt: number; lastSeenAt: number }[];
  }>;
};

const CONVERSATIONS = 300;

async function assemble(
  db: Kysely<Database>,
  sources: CustomerTimelineSources,
  input: {
    contactIds: string[];
    companyId: string | null;
    noteFilter: { contactIds: string[]; companyId: string | null };
    scope: MailboxScope;
  },
): Promise<CustomerTimeline> {
  const conversations = await sources.conversations(db, { contactIds: input.contactIds, scope: input.scope, limit: CONVERSATIONS });
  const fraud = await sources.fraud(db, { conversationIds: conversations.map((c) => c.conversationId), companyId: input.companyId });
  const notes = await db
    .selectFrom('customer_notes')
    .select(['id', 'author_id', 'body', 'created_at'])
    .where((eb) =>
      eb.or([
        ...(input.noteFilter.contactIds.length > 0 ? [eb('contact_id', 'in', input.noteFilter.contactIds)] : []),
        ...(input.noteFilter.companyId ? [eb('company_id', '=', input.noteFilter.companyId)] : []),
      ]),
    )
    .execute();
  const owners =
    input.contactIds.length === 0
      ? []
      : await db
          .selectFrom('customer_owner_history as h')
          .innerJoin('contacts as c', 'c.id', 'h.contact_id')
          .select(['h.owner_id', 'h.reason', 'h.actor_id', 'h.at', 'c.address'])
          .where('h.contact_id', 'in', input.contactIds)
          .execute();
  const names = await userDisplayNames(db, [
    ...notes.flatMap((n) => (n.author_id ? [n.author_id] : [])),
    ...owners.flatMap((o) => [o.owner_id, o.actor_id].filter((x): x is string => x !== null)),
  ]);
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const items: CustomerTimelineItem[] = [
    ...conversations.map((c) => ({
      kind: 'conversation' as const,
      at: c.lastMessageAt,
      conversationId: c.conversationId,
      subject: c.subject,
      status: c.status,
      mailboxes: c.mailboxes,
      contact: c.address,
    })),
    ...notes.map((n) => ({ kind: 'note' as const, at: Number(n.created_at), id: n.id, author: nameOf(n.author_id), body: n.body })),
    ...fraud.flags.map((f) => ({ kind: 'fraud_flag' as const, ...f })),
    ...fraud.confirmations.map((c) => ({ kind: 'phone_confirmation' as const, ...c })),
    ...fraud.bankDetails.map((b) => ({
      kind: 'bank_detail' as const,
      at: b.lastSeenAt,
      type: b.kind,
      value: b.value,
      firstSeenAt: b.firstSeenAt,
      lastSeenAt: b.lastSeenAt,
    })),
    ...owners.map((o) => ({
      kind: 'owner' as const,
      at: Number(o.at),
      owner: nameOf(o.owner_id),
      reason: o.reason,
      actor: nameOf(o.actor_id),
      contact: o.address,
    })),
  ];
  items.sort((a, b) => b.at - a.at);
  return { items };
}

/** A contact's timeline: its mail and that of the duplicates merged into it, notes, fraud, owners. */
export async function contactTimeline(
  db: Kysely<Database>,
  sources: CustomerTimelineSources,
  contactId: string,
  scope: MailboxScope,
): Promise<CustomerTimeline> {
  const id = await resolveMerged(db, contactId);
  const ids = await contactWithMerged(db, id);
  const row = await db.selectFrom('contacts').select('company_id').where('id', '=', id).executeTakeFirst();
  return assemble(db, sources, {
    contactIds: ids,
    companyId: row?.company_id ?? null,
    noteFilter: { contactIds: ids, companyId: null },
    scope,
  });
}

/** A company's timeline: everyone at the company, and the notes on the company itself. */
export async function companyTimeline(
  db: Kysely<Database>,
  sources: CustomerTimelineSources,
  companyId: string,
  scope: MailboxScope,
): Promise<CustomerTimeline> {
  const company = await db.selectFrom('companies').select('id').where('id', '=', companyId).executeTakeFirst();
  if (!company) throw new AppError('customer.not_found', 404, 'no such company');
  const ids = (await db.selectFrom('contacts').select('id').where('company_id', '=', companyId).execute()).map((c) => c.id);
  return assemble(db, sources, { contactIds: ids, companyId, noteFilter: { contactIds: ids, companyId }, scope });
}
