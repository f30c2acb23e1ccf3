import type { ConversationSla, ConversationStatus, ConversationSummary } from '@pier/contracts';
import { expressionBuilder, type Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { parseSearchQuery, searchMessages } from '../search/index.js';
import { type ConversationFilter, conversationMatches, hasMessageFilter, messageMatches } from './conversation-filters.js';
import {
  selectConversationMailboxes,
  selectConversationPage,
  selectConversationsOfMessages,
  selectCustomers,
  selectSlaOf,
  selectTagsOf,
  selectUserNames,
} from './conversation-queries.js';

export type ConversationView = 'unassigned' | 'mine' | 'open' | 'pending' | 'snoozed' | 'closed' | 'spam' | 'automated' | 'escalated';

export type ListOptions = {
  /** Mailboxes the reader may read ('all' for admins), already narrowed to `mailboxId` when one was asked for. */
  mailboxIds: 'all' | string[];
  /** The reader: "Mine" and assignee:me. */
  userId: string;
  limit: number;
  /** The search box: free text (Chinese and English) and filters (from:, to:, mailbox:, tag:, assignee:, status:, has:attachment, before:, after:). */
  query?: string | undefined;
  view?: ConversationView | undefined;
  tag?: string | undefined;
  teamId?: string | undefined;
  status?: ConversationStatus | undefined;
  /** 'me', 'none' or a user id. */
  assignee?: string | undefined;
  engine: Engine;
  /** Keyset paging: `<sort key>.<id>` of the last row of the previous page. */
  cursor?: string | undefined;
  /** 'due': SLA due soonest first (decision 0033); default newest first. */
  sort?: 'recent' | 'due' | undefined;
};

const viewStatuses: Record<ConversationView, ConversationStatus[]> = {
  unassigned: ['open'],
  mine: ['open'],
  open: ['open'],
  pending: ['pending'],
  snoozed: ['snoozed'],
  closed: ['closed'],
  spam: [],
  automated: ['open'],
  escalated: ['open'],
};

/** The team's queues leave machine mail out; it waits in its own view (decision 0031). */
const viewKinds: Partial<Record<ConversationView, 'people' | 'machine'>> = { unassigned: 'people', open: 'people', automated: 'machine' };

/**
 * A page of conversations, newest first: a sidebar view and/or filters, and the
 * search box. Every condition is a predicate on the conversation row walked in
 * (…, last_message_at, id) index order, so no view sorts its matches; free text
 * goes through the full-text index first (newest matching messages) with the
 * same predicates tested per candidate.
 */
export async function listConversations(
  db: Kysely<Database>,
  options: ListOptions,
): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const parsed = parseSearchQuery(options.query ?? '');
  const f = parsed.filters;
  const view = options.view;
  let statuses = view ? viewStatuses[view] : [];
  const explicit = [...new Set([...(options.status ? [options.status] : []), ...f.status])];
  let impossible = false;
  if (explicit.length > 0) {
    const narrowed = statuses.length > 0 ? statuses.filter((s) => explicit.includes(s)) : explicit;
    impossible = narrowed.length === 0;
    statuses = narrowed;
  }

  let assignees: string[] | null | undefined;
  if (view === 'unassigned' || view === 'escalated' || options.assignee === 'none') assignees = null;
  const wanted = [
    ...(view === 'mine' ? [options.userId] : []),
    ...(options.assignee && options.assignee !== 'none' ? [options.assignee === 'me' ? options.userId : options.assignee] : []),
    ...(await resolveAssignees(db, f.assignee, options.userId)),
  ];
  if (wanted.length > 0) {
    if (assignees === null) impossible = true;
    assignees = [...new Set(wanted)];
  } else if (f.assignee.length > 0) {
    impossible = true; // assignee:someone@unknown
  }

  const filter: ConversationFilter = {
    mailboxIds: options.mailboxIds,
    mailboxFilters: await Promise.all(f.mailbox.map((m) => resolveMailboxes(db, m))),
    statuses,
    ...(assignees !== undefined ? { assignees } : {}),
    ...(options.teamId ? { teamId: options.teamId } : {}),
    ...(view === 'escalated' ? { escalated: true } : {}),
    tagNames: [...new Set([...(options.tag ? [options.tag.toLowerCase()] : []), ...f.tag])],
    spam: view === 'spam',
    ...(view && viewKinds[view] ? { kind: viewKinds[view] } : {}),
    message: { from: f.from, to: f.to, hasAttachment: f.hasAttachment, before: f.before, after: f.after },
  };
  if (impossible) return { items: [], nextCursor: null };

  if (parsed.text) {
    // Newest matching messages first (the message itself must pass the message filters), their conversations each once.
    const { message, ...conversationOnly } = filter;
    const eb = expressionBuilder<Database>();
    const hits = await searchMessages(db, options.engine, {
      query: parsed.text,
      limit: Math.min(200, options.limit * 2),
      mailboxIds: options.mailboxIds,
      filter: (messageId) =>
        eb.exists(
          eb
            .selectFrom('conversation_messages')
            // CROSS JOIN keeps the candidate's own link as SQLite's outer loop: with an inner join
            // its planner may walk conversations_spam_idx (every conversation) for each candidate,
            // which made a common word take minutes at 200k conversations. PostgreSQL plans it freely.
            .crossJoin('conversations')
            .innerJoin('messages as m', 'm.id', 'conversation_messages.message_id')
            .select('conversation_messages.message_id')
            .where('conversation_messages.message_id', '=', messageId as never)
            .whereRef('conversations.id', '=', 'conversation_messages.conversation_id')
            .where((inner) =>
              inner.and([
                messageMatches(inner as never, message),
                conversationMatches(inner as never, {
                  ...conversationOnly,
                  mailboxIds: 'all',
                  message: { from: [], to: [], hasAttachment: false },
                }),
              ]),
            ),
        ),
    });
    const links = await selectConversationsOfMessages(
      db,
      hits.map((h) => h.messageId),
    );
    const byMessage = new Map(links.map((l) => [l.message_id, l.conversation_id]));
    filter.ids = [...new Set(hits.map((h) => byMessage.get(h.messageId)).filter((id): id is string => id !== undefined))];
    filter.message = { from: [], to: [], hasAttachment: false };
  } else if (!hasMessageFilter(filter.message)) {
    filter.message = { from: [], to: [], hasAttachment: false };
  }

  const page = await selectConversationPage(db, { filter, limit: options.limit, after: parseCursor(options.cursor), sort: options.sort });
  const last = page.at(-1);
  // Search returns one page of the best hits; only the plain list pages on.
  const nextCursor = !parsed.text && last && page.length === options.limit ? `${Number(last.sort_key)}.${last.id}` : null;
  return { items: await summarise(db, page), nextCursor };
}

/** `<sort key>.<id>` of the last row shown (the contract checks the shape). */
function parseCursor(cursor: string | undefined): { key: number; id: string } | undefined {
  if (!cursor) return undefined;
  const dot = cursor.indexOf('.');
  return { key: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

async function summarise(db: Kysely<Database>, page: Awaited<ReturnType<typeof selectConversationPage>>): Promise<ConversationSummary[]> {
  const ids = page.map((c) => c.id);
  const [links, tags, people, customers, slas] = await Promise.all([
    selectConversationMailboxes(db, ids),
    selectTagsOf(db, ids),
    selectUserNames(db, [...new Set(page.map((c) => c.assignee_id).filter((id): id is string => id !== null))]),
    selectCustomers(db, [...new Set(page.map((c) => c.counterparty).filter((a): a is string => a !== null))]),
    selectSlaOf(db, ids),
  ]);
  const slaById = new Map(slas.map((s) => [s.conversation_id, s]));
  const names = new Map(people.map((p) => [p.id, p.name]));
  const customerByAddress = new Map(customers.map((c) => [c.address, c]));
  return page.map((c) => {
    const customer = c.counterparty ? customerByAddress.get(c.counterparty) : undefined;
    return {
      id: c.id,
      subject: c.subject,
      status: c.status,
      // The list line is denormalised onto the conversation (refreshConversationLatest).
      fromAddress: c.last_from_addr,
      fromName: c.last_from_name,
      snippet: c.last_snippet,
      lastMessageAt: c.last_message_at,
      mailboxIds: links.filter((l) => l.conversation_id === c.id).map((l) => l.mailbox_id),
      customerName: customer?.name ?? null,
      company: customer?.company_name ?? null,
      country: customer?.country ?? customer?.company_country ?? null,
      assignee: c.assignee_id ? { id: c.assignee_id, name: names.get(c.assignee_id) ?? '' } : null,
      tags: tags.filter((t) => t.conversation_id === c.id).map((t) => t.name),
      priority: c.priority,
      sla: slaSummary(slaById.get(c.id)),
    };
  });
}

function slaSummary(row: Awaited<ReturnType<typeof selectSlaOf>>[number] | undefined): ConversationSla | null {
  if (!row?.phase) return null;
  return {
    phase: row.phase,
    dueAt: row.due_at === null ? null : Number(row.due_at),
    warnAt: row.warn_at === null ? null : Number(row.warn_at),
    paused: row.running_since === null,
  };
}

/** mailbox:sales matches the address (sales@…) or the display name; always within what the reader may see. */
async function resolveMailboxes(db: Kysely<Database>, value: string): Promise<string[]> {
  const needle = value.toLowerCase();
  const rows = await db.selectFrom('mailboxes').select(['id', 'address', 'display_name']).execute();
  return rows
    .filter((m) => {
      const address = m.address.toLowerCase();
      return address === needle || address.split('@')[0] === needle || m.display_name.toLowerCase() === needle;
    })
    .map((m) => m.id);
}

async function resolveAssignees(db: Kysely<Database>, values: string[], userId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const value of values) {
    if (value === 'me') ids.push(userId);
    else {
      const user = await db.selectFrom('users').select('id').where('email', '=', value.toLowerCase()).executeTakeFirst();
      if (user) ids.push(user.id);
    }
  }
  return ids;
}
