import type { ConversationSummary } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { selectConversationMailboxes, selectConversationPage, selectLatestMessages } from './conversation-queries.js';

export async function listConversations(
  db: Kysely<Database>,
  options: { mailboxIds: 'all' | string[]; limit: number },
): Promise<ConversationSummary[]> {
  const page = await selectConversationPage(db, options);
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
