import type { ConversationStatus, ConversationSummary } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { parseSearchQuery } from '../search/index.js';
import { type ConversationFilter, hasMessageFilter } from './conversation-filters.js';
import { selectConversationPage } from './conversation-page.js';
import { searchConversationPage } from './conversation-search.js';

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

  const pageOptions = { filter, limit: options.limit, after: parseCursor(options.cursor), sort: options.sort };
  // Search returns one page of the best hits; only the plain list pages on.
  if (parsed.text)
    return { items: await searchConversationPage(db, options.engine, parsed.text, options.mailboxIds, pageOptions), nextCursor: null };
  if (!hasMessageFilter(filter.message)) filter.message = { from: [], to: [], hasAttachment: false };
  const page = await selectConversationPage(db, options.engine, pageOptions);
  const last = page.at(-1);
  const nextCursor = last && page.length === options.limit ? `${last.sortKey}.${last.summary.id}` : null;
  return { items: page.map((row) => row.summary), nextCursor };
}

/** `<sort key>.<id>` of the last row shown (the contract checks the shape). */
function parseCursor(cursor: string | undefined): { key: number; id: string } | undefined {
  if (!cursor) return undefined;
  const dot = cursor.indexOf('.');
  return { key: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
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
