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
  options: { mailboxIds: 'all' | string[]; limit: number; query?: string | undefined; engine: Engine; cursor?: string | undefined },
): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
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
  const after = parseCursor(options.cursor);
  const page = await selectConversationPage(db, {
    mailboxIds: options.mailboxIds,
    limit: options.limit,
    ...(matching ? { ids: matching } : {}),
    ...(after ? { after } : {}),
  });
  const last = page.at(-1);
  // Search returns one page of the best hits; only the plain list pages on.
  const nextCursor = !options.query && last && page.length === options.limit ? `${last.last_message_at}.${last.id}` : null;
  const ids = page.map((c) => c.id);
  const [latest, links] = await Promise.all([selectLatestMessages(db, ids), selectConversationMailboxes(db, ids)]);
  const newestByConversation = new Map<string, (typeof latest)[number]>();
  for (const m of latest) if (!newestByConversation.has(m.conversation_id)) newestByConversation.set(m.conversation_id, m);
  const items = page.map((c) => {
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
  return { items, nextCursor };
}

/** `<lastMessageAt>.<id>` of the last row shown (the contract checks the shape). */
function parseCursor(cursor: string | undefined): { lastMessageAt: number; id: string } | undefined {
  if (!cursor) return undefined;
  const dot = cursor.indexOf('.');
  return { lastMessageAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}
