import type { ConversationSummary } from '@pier/contracts';
import { expressionBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { type SearchHit, searchMessages } from '../search/index.js';
import { type ConversationFilter, conversationMatches, hasMessageFilter, messageMatches } from './conversation-filters.js';
import { type PageOptions, selectConversationPage } from './conversation-page.js';

const noMessageFilter = { from: [], to: [], hasAttachment: false };

/**
 * The search box's page: the conversations of the newest matching messages (each message must pass
 * the message filters, its conversation the view's), in list order. Hits are fetched one page's
 * worth first (`limit`); only when their conversations do not fill the page (several hits in one
 * conversation, or conversations the reader's mailboxes leave out) is the rest of the old budget
 * fetched — `min(200, 2 × limit)` hits in all, as before. Every hit costs its filter in the search
 * and its lookup in the page, so the usual search reads half the candidates it did (issue 20,
 * decision 0067).
 */
export async function searchConversationPage(
  db: Kysely<Database>,
  engine: Engine,
  text: string,
  mailboxIds: 'all' | string[],
  page: PageOptions,
): Promise<ConversationSummary[]> {
  const budget = Math.min(200, page.limit * 2);
  const search = (limit: number, before?: number) =>
    searchMessages(db, engine, {
      query: text,
      limit,
      mailboxIds,
      filter: candidateFilter(page.filter),
      ...(before !== undefined ? { before } : {}),
    });
  const hits: SearchHit[] = await search(Math.min(page.limit, budget));
  // The page query finds the hits' conversations itself (ofMessages); the message filters were the search's.
  const filter: ConversationFilter = { ...page.filter, message: noMessageFilter, ofMessages: hits.map((h) => h.messageId) };
  let rows = await selectConversationPage(db, engine, { ...page, filter });
  const last = hits.at(-1);
  if (rows.length < page.limit && last && hits.length === page.limit && budget > hits.length) {
    const more = await search(budget - hits.length, last.sortKey);
    if (more.length > 0) {
      filter.ofMessages = [...(filter.ofMessages ?? []), ...more.map((h) => h.messageId)];
      rows = await selectConversationPage(db, engine, { ...page, filter });
    }
  }
  return rows.map((row) => row.summary);
}

/**
 * What each candidate message must pass besides the text and the reader's mailboxes (tested per
 * row by the search, so its LIMIT counts only hits that will show): its conversation matches the
 * view and filters, the message the message filters.
 */
function candidateFilter(filter: ConversationFilter) {
  const { message, ...conversationOnly } = filter;
  const eb = expressionBuilder<Database>();
  return (messageId: RawBuilder<unknown>) =>
    eb.exists(
      eb
        .selectFrom('conversation_messages')
        // CROSS JOIN keeps the candidate's own link as SQLite's outer loop: with an inner join
        // its planner may walk conversations_spam_idx (every conversation) for each candidate,
        // which made a common word take minutes at 200k conversations. PostgreSQL plans it freely.
        .crossJoin('conversations')
        .select('conversation_messages.message_id')
        .where('conversation_messages.message_id', '=', messageId as never)
        .whereRef('conversations.id', '=', 'conversation_messages.conversation_id')
        .where((inner) =>
          inner.and([
            // The message row only for the search box's message filters (from:, to:, dates…):
            // without them it was two index probes per candidate for nothing.
            ...(hasMessageFilter(message)
              ? [
                  inner.exists(
                    inner
                      .selectFrom('messages as m')
                      .select('m.id')
                      .whereRef('m.id', '=', 'conversation_messages.message_id')
                      .where((m) => messageMatches(m as never, message)),
                  ),
                ]
              : []),
            conversationMatches(inner as never, { ...conversationOnly, mailboxIds: 'all', message: noMessageFilter }),
          ]),
        ),
    );
}
