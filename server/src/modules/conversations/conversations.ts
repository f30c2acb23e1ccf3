import type { ConversationSummary } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { searchMessages } from '../search/index.js';
import {
  selectConversationMailboxes,
  selectConversationPage,
  selectConversationsOfMessages,
  selectLatestMessages,
} from './conversation-queries.js';

export async function listConversations(
  db: Kysely<Database>,
  options: { mailboxIds: 'all' | string[]; limit: number; query?: string | undefined; engine: Engine },
): Promise<ConversationSummary[]> {
  let matching: string[] | undefined;
  if (options.query) {
    // Newest matching messages first; their conversations, each once.
    const hits = await searchMessages(db, options.engine, {
      query: options.query,
      limit: Math.min(200, options.limit * 2),
      mailboxIds: options.mailboxIds,
    });
    const links = await selectConversationsOfMessages(
      db,
      hits.map((h) => h.messageId),
    );
    const byMessage = new Map(links.map((l) => [l.message_id, l.conversation_id]));
    matching = [...new Set(hits.map((h) => byMessage.get(h.messageId)).filter((id): id is string => id !== undefined))];
  }
  const page = await selectConversationPage(db, {
    mailboxIds: options.mailboxIds,
    limit: options.limit,
    ...(matching ? { ids: matching } : {}),
  });
  const ids = page.map((c) => c.id);
  const [latest, links] = await Promise.all([selectLatestMessages(db, ids), selectConversationMailboxes(db, ids)]);
  const newestByConversation = new Map<string, (typeof latest)[number]>();
  for (const m of latest) if (!newestByConversation.has(m.conversation_id)) newestByConversation.set(m.conversation_id, m);
  return page.map((c) => {
    const newest = newestByConversation.get(c.id);
    return {
      id: c.id,
      subject: c.subject,
      status: c.status,
      fromAddress: newest?.from_addr ?? null,
      fromName: newest?.from_name ?? null,
      snippet: newest?.snippet ?? '',
      lastMessageAt: c.last_message_at,
      mailboxIds: links.filter((l) => l.conversation_id === c.id).map((l) => l.mailbox_id),
    };
  });
}
