import type { ConversationDetail, TimelineItem } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { conversationAccess, relatedByMail } from '../conversations/index.js';
import { type MailboxScope, mailboxIdsWith } from '../security/index.js';
import {
  selectAttachments,
  selectContact,
  selectConversation,
  selectMailboxes,
  selectRelatedConversations,
  selectTimelineMessages,
} from './reading-queries.js';
import { timeZoneOfCountry } from './time-zone.js';

type Db = Kysely<Database>;

/** Who is reading: their id (for "following", notes visibility) and mailbox scope. */
export type Reader = { userId: string; scope: MailboxScope };

/**
 * Other domains add to the conversation view without this module knowing them:
 * triage adds notes and system events to the timeline and fills tags, team,
 * following and snooze; the outbox adds the delivery state of outgoing mail.
 * Each is a function wired in `http.ts`.
 */
export type TimelineSource = (db: Db, input: { conversationId: string; reader: Reader }) => Promise<TimelineItem[]>;
export type ConversationFacets = Partial<
  Pick<ConversationDetail['conversation'], 'tags' | 'team' | 'following' | 'snoozedUntil' | 'assignee' | 'priority' | 'status'>
>;
export type FacetSource = (db: Db, input: { conversationId: string; reader: Reader }) => Promise<ConversationFacets>;
export type DeliverySource = (
  db: Db,
  messageIds: string[],
) => Promise<ReadonlyMap<string, NonNullable<Extract<TimelineItem, { kind: 'message' }>['delivery']>>>;

/** Which messages answer a campaign (campaigns module), among those of mailboxes the reader may read. */
export type CampaignSource = (
  db: Db,
  input: { messageIds: string[]; readableMailboxIds: readonly string[] | 'all' },
) => Promise<ReadonlyMap<string, { id: string; subject: string }>>;

export type DetailSources = {
  timelineSources?: readonly TimelineSource[];
  facetSources?: readonly FacetSource[];
  deliverySource?: DeliverySource;
  campaignSource?: CampaignSource;
};

const RELATED_LIMIT = 10;

function parseAddressList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export async function loadConversationDetail(
  db: Db,
  input: { conversationId: string; reader: Reader; sources?: DetailSources },
): Promise<ConversationDetail> {
  const { conversationId, reader } = input;
  // A conversation outside the reader's mailboxes is "not found", exactly like one that does not exist.
  const { mailboxIds: readable } = await conversationAccess(db, reader.scope, conversationId, 'read');
  const conversation = await selectConversation(db, conversationId);
  if (!conversation) throw new AppError('conversation.not_found', 404, 'no such conversation');

  const sources = input.sources ?? {};
  const context = { conversationId, reader };
  const readableByReader = mailboxIdsWith(reader.scope, 'read');
  const [mailboxes, messages, contact, related, linked, extraItems, facets] = await Promise.all([
    selectMailboxes(db, readable),
    selectTimelineMessages(db, conversationId),
    conversation.counterparty ? selectContact(db, conversation.counterparty) : Promise.resolve(undefined),
    conversation.counterparty
      ? selectRelatedConversations(db, {
          counterparty: conversation.counterparty,
          excludeId: conversationId,
          mailboxIds: readableByReader,
          limit: RELATED_LIMIT,
        })
      : Promise.resolve([]),
    relatedByMail(db, conversationId, readableByReader),
    Promise.all((sources.timelineSources ?? []).map((source) => source(db, context))),
    Promise.all((sources.facetSources ?? []).map((source) => source(db, context))),
  ]);
  const messageIds = messages.map((m) => m.id);
  const incomingIds = messages.filter((m) => m.direction === 'in').map((m) => m.id);
  const [attachments, deliveries, campaigns] = await Promise.all([
    selectAttachments(db, messageIds),
    sources.deliverySource ? sources.deliverySource(db, messageIds) : Promise.resolve(new Map()),
    sources.campaignSource
      ? sources.campaignSource(db, { messageIds: incomingIds, readableMailboxIds: readableByReader })
      : Promise.resolve(new Map<string, { id: string; subject: string }>()),
  ]);

  const messageItems: TimelineItem[] = messages.map((m) => ({
    kind: 'message',
    id: m.id,
    at: m.received_at,
    direction: m.direction,
    from: m.from_addr ? { address: m.from_addr, name: m.from_name } : null,
    to: parseAddressList(m.to_addrs),
    cc: parseAddressList(m.cc_addrs),
    subject: m.subject,
    sentAt: m.sent_at,
    text: m.text ?? '',
    hasHtml: Boolean(m.html?.trim()),
    attachments: attachments
      .filter((a) => a.message_id === m.id)
      .map((a) => ({
        id: a.id,
        filename: a.filename,
        mime: a.mime,
        size: a.size,
        isInline: a.is_inline === 1,
        contentId: a.content_id,
      })),
    parseStatus: m.parse_status,
    language: m.direction === 'in' ? m.language : null,
    senderCountry: m.direction === 'in' && m.country && m.country_source ? { code: m.country, source: m.country_source } : null,
    category: m.direction === 'in' ? m.category : null,
    delivery: deliveries.get(m.id) ?? null,
    campaign: campaigns.get(m.id) ?? null,
  }));
  // One list in time order; at equal times mail comes before the notes and events it caused.
  const kindOrder = { message: 0, note: 1, event: 2 } as const;
  const timeline = [...messageItems, ...extraItems.flat()].sort((a, b) => a.at - b.at || kindOrder[a.kind] - kindOrder[b.kind]);

  const country = contact ? (contact.country ?? contact.company_country ?? null) : null;
  const merged = Object.assign({}, ...facets) as ConversationFacets;
  return {
    conversation: {
      id: conversation.id,
      subject: conversation.subject,
      status: conversation.status,
      priority: conversation.priority,
      snoozedUntil: null,
      assignee: conversation.assignee_id ? { id: conversation.assignee_id, name: conversation.assignee_name ?? '' } : null,
      team: null,
      tags: [],
      following: false,
      ...merged,
      mailboxes: mailboxes.map((mb) => ({ id: mb.id, address: mb.address, displayName: mb.display_name })),
      lastMessageAt: conversation.last_message_at,
    },
    customer: conversation.counterparty
      ? {
          address: conversation.counterparty,
          name: contact?.name ?? null,
          company:
            contact?.company_id && contact.company_name && contact.company_domain
              ? { id: contact.company_id, name: contact.company_name, domain: contact.company_domain, country: contact.company_country }
              : null,
          country,
          timeZone: timeZoneOfCountry(country),
        }
      : null,
    related: await relatedList(db, linked, related),
    timeline,
  };
}

/** The mail-linked conversations first (they are why this one stands apart), then the customer's others. */
async function relatedList(
  db: Db,
  linked: Awaited<ReturnType<typeof relatedByMail>>,
  byCustomer: Awaited<ReturnType<typeof selectRelatedConversations>>,
): Promise<ConversationDetail['related']> {
  const addresses = new Map((await selectMailboxes(db, [...new Set(linked.flatMap((l) => l.mailboxIds))])).map((m) => [m.id, m.address]));
  const mail = linked.map((l) => ({
    id: l.id,
    subject: l.subject,
    status: l.status,
    lastMessageAt: l.lastMessageAt,
    via: 'mail' as const,
    mailboxes: l.mailboxIds.flatMap((id) => addresses.get(id) ?? []),
  }));
  const seen = new Set(mail.map((m) => m.id));
  const customer = byCustomer
    .filter((r) => !seen.has(r.id))
    .map((r) => ({
      id: r.id,
      subject: r.subject,
      status: r.status,
      lastMessageAt: r.last_message_at,
      via: 'customer' as const,
      mailboxes: [],
    }));
  return [...mail, ...customer];
}
