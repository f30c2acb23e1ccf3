import type { ConversationStatus } from '@pier/contracts';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * What a conversation list asks for, resolved to ids: the sidebar view, the
 * explicit filters and the search box's filters. Built as predicates on
 * `conversations` so a list walks an index newest first and stops at LIMIT.
 */
export type ConversationFilter = {
  /** Mailboxes the reader may see (or the one asked for); 'all' for admins. */
  mailboxIds: 'all' | string[];
  /** Every one of these mailbox sets must contain the conversation (mailbox: filters). */
  mailboxFilters: string[][];
  statuses: ConversationStatus[];
  /** null: unassigned; a list: any of these users. */
  assignees?: string[] | null;
  teamId?: string;
  /** Only conversations triage escalated as unassigned too long (decision 0034). */
  escalated?: boolean;
  tagNames: string[];
  spam: boolean;
  /** Message-level filters: some message of the conversation must match all of them. */
  message: MessageFilter;
  /** Only the conversations of these messages (search hits: found in the page's own statement). */
  ofMessages?: string[];
  /**
   * people: conversations filed as a person's or not filed yet; machine: those filed as bulk,
   * auto-reply, bounce or notification (their own view, decision 0031); undefined: both.
   */
  kind?: 'people' | 'machine';
};

export const MACHINE_CATEGORIES = ['bulk', 'auto-reply', 'bounce', 'notification'] as const;

export type MessageFilter = { from: string[]; to: string[]; hasAttachment: boolean; before?: number; after?: number };

export function hasMessageFilter(f: MessageFilter): boolean {
  return f.from.length > 0 || f.to.length > 0 || f.hasAttachment || f.before !== undefined || f.after !== undefined;
}

const likeEscape = (value: string) => `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The message-level predicate on a `messages` row aliased `m` (used by the list and by search). */
export function messageMatches(eb: ExpressionBuilder<Database & { m: Database['messages'] }, 'm'>, f: MessageFilter) {
  const parts: Expression<SqlBool>[] = [];
  for (const from of f.from) {
    const pattern = likeEscape(from);
    parts.push(
      eb.or([
        eb(sql`lower(coalesce(m.from_addr, ''))`, 'like', sql`${pattern} escape '\\'`),
        eb(sql`lower(coalesce(m.from_name, ''))`, 'like', sql`${pattern} escape '\\'`),
      ]),
    );
  }
  for (const to of f.to) {
    const pattern = likeEscape(to);
    parts.push(
      eb.or([
        eb(sql`lower(m.to_addrs)`, 'like', sql`${pattern} escape '\\'`),
        eb(sql`lower(m.cc_addrs)`, 'like', sql`${pattern} escape '\\'`),
      ]),
    );
  }
  if (f.hasAttachment) parts.push(eb('m.attachment_count', '>', 0));
  if (f.before !== undefined) parts.push(eb('m.received_at', '<', f.before));
  if (f.after !== undefined) parts.push(eb('m.received_at', '>=', f.after));
  return eb.and(parts);
}

/** Predicates on `conversations` for the filter (the caller adds order and limit). */
export function conversationMatches(eb: ExpressionBuilder<Database, 'conversations'>, f: ConversationFilter) {
  const parts: Expression<SqlBool>[] = [
    // With search hits (ofMessages) the rows are found by primary key and the ≤ 200 matches sorted; `+ 0` keeps
    // SQLite's planner from walking conversations_spam_idx through every conversation instead.
    // With a list of assignees ("Mine"), the same keeps it off conversations_status_idx (spam, status, …), which walks
    // every open conversation to find one agent's few; conversations_assignee_idx (assignee_id, status, …) finds them.
    f.ofMessages !== undefined || (f.assignees !== undefined && f.assignees !== null)
      ? eb(sql`conversations.spam + 0`, '=', f.spam ? 1 : 0)
      : eb('conversations.spam', '=', f.spam ? 1 : 0),
  ];
  if (f.statuses.length === 1) parts.push(eb('conversations.status', '=', f.statuses[0] as ConversationStatus));
  else if (f.statuses.length > 1) parts.push(eb('conversations.status', 'in', f.statuses));
  if (f.assignees === null) parts.push(eb('conversations.assignee_id', 'is', null));
  else if (f.assignees !== undefined) parts.push(eb('conversations.assignee_id', 'in', f.assignees.length > 0 ? f.assignees : ['']));
  if (f.teamId !== undefined) parts.push(eb('conversations.team_id', '=', f.teamId));
  if (f.kind === 'people') parts.push(eb.or([eb('conversations.category', 'is', null), eb('conversations.category', '=', 'person')]));
  else if (f.kind === 'machine') parts.push(eb('conversations.category', 'in', [...MACHINE_CATEGORIES]));
  if (f.escalated) parts.push(eb('conversations.escalated_at', 'is not', null));
  if (f.ofMessages !== undefined) {
    const messages = f.ofMessages.length > 0 ? f.ofMessages : [''];
    parts.push(
      eb(
        'conversations.id',
        'in',
        eb.selectFrom('conversation_messages as hit').select('hit.conversation_id').where('hit.message_id', 'in', messages),
      ),
    );
  }
  for (const mailboxes of [...(f.mailboxIds === 'all' ? [] : [f.mailboxIds]), ...f.mailboxFilters]) {
    parts.push(
      eb.exists(
        eb
          .selectFrom('conversation_mailboxes')
          .select('conversation_mailboxes.conversation_id')
          .whereRef('conversation_mailboxes.conversation_id', '=', 'conversations.id')
          .where('conversation_mailboxes.mailbox_id', 'in', mailboxes.length > 0 ? mailboxes : ['']),
      ),
    );
  }
  for (const name of f.tagNames) {
    parts.push(
      eb.exists(
        eb
          .selectFrom('conversation_tags')
          .innerJoin('tags', 'tags.id', 'conversation_tags.tag_id')
          .select('conversation_tags.conversation_id')
          .whereRef('conversation_tags.conversation_id', '=', 'conversations.id')
          .where('tags.name', '=', name),
      ),
    );
  }
  if (hasMessageFilter(f.message)) {
    parts.push(
      eb.exists(
        eb
          .selectFrom('conversation_messages')
          .innerJoin('messages as m', 'm.id', 'conversation_messages.message_id')
          .select('conversation_messages.message_id')
          .whereRef('conversation_messages.conversation_id', '=', 'conversations.id')
          .where((inner) => messageMatches(inner as never, f.message)),
      ),
    );
  }
  return eb.and(parts);
}
