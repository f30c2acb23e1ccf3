/**
 * Composer suggestions: the answers most likely to fit the open conversation. The newest
 * incoming mail (subject and its own words) is the query; the documents are the library's
 * versions and the team's past sent answers from the mailboxes this agent may read, ranked
 * together with BM25 (bm25.ts), then weighed by language (the mail's language first), by how
 * often a library answer was used, and a curated answer ahead of an equally good sent mail.
 */
import type { FaqSuggestion } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conversationAccess, latestIncomingTextOf, sentAnswerTexts, subjectKey } from '../conversations/index.js';
import { listSessionMailboxes } from '../mailboxes/index.js';
import { type Actor, automaticMessageIdsAmong } from '../outbox/index.js';
import { detectLanguage } from '../sender-origin/index.js';
import { Bm25Index } from './bm25.js';
import { libraryTexts } from './library.js';
import { ownWords, primaryLanguage, snippetOf, tokensOf, withoutVariables } from './text.js';

const DAY = 86_400_000;
/** How far back, and how many, past sent answers are read per suggestion. */
export const sentAnswerWindow = { days: 365, limit: 3_000 };
const maxQueryChars = 4_000;
/** Below this share of the best possible score a match is noise (one shared word). */
const minRelevance = 0.08;

type Doc = {
  kind: 'library' | 'sent';
  id: string;
  title: string;
  language: string | null;
  text: string;
  useCount: number;
};

/** The mail language's effect on a score: same language ahead, another language behind. */
function languageWeight(mail: string | null, doc: string | null): number {
  if (!mail || !doc) return 1;
  return primaryLanguage(mail) === primaryLanguage(doc) ? 1.3 : 0.6;
}

export async function suggestAnswers(
  db: Kysely<Database>,
  actor: Actor,
  conversationId: string,
  options: { now: number; limit?: number },
): Promise<{ language: string | null; items: FaqSuggestion[] }> {
  await conversationAccess(db, actor.scope, conversationId, 'read');
  const incoming = await latestIncomingTextOf(db, conversationId);
  if (!incoming) return { language: null, items: [] };
  const own = ownWords(incoming.text);
  const language = primaryLanguage(incoming.language ?? (await detectLanguage(own)));
  const query = tokensOf(subjectKey(incoming.subject), own.slice(0, maxQueryChars));
  if (query.length === 0) return { language, items: [] };

  // Past answers only from mailboxes this agent may read: the mailbox filter is in the query itself.
  const mailboxIds = (await listSessionMailboxes(db, actor.scope)).map((m) => m.id);
  const [library, sentRaw] = await Promise.all([
    libraryTexts(db),
    sentAnswerTexts(db, { mailboxIds, since: options.now - sentAnswerWindow.days * DAY, limit: sentAnswerWindow.limit }),
  ]);
  const automatic = await automaticMessageIdsAmong(
    db,
    sentRaw.map((s) => s.messageId),
  );
  const inLibrary = new Set(library.map((l) => l.source_message_id).filter((id): id is string => id !== null));
  const seenTexts = new Set<string>();
  const docs: { tokens: string[]; item: Doc }[] = [];
  for (const v of library) {
    docs.push({
      tokens: tokensOf(v.title, v.title, withoutVariables(v.body_text)),
      item: { kind: 'library', id: v.id, title: v.title, language: v.language, text: v.body_text, useCount: Number(v.use_count) },
    });
  }
  for (const s of sentRaw) {
    if (automatic.has(s.messageId) || inLibrary.has(s.messageId) || s.conversationId === conversationId) continue;
    const text = ownWords(s.text);
    // The same standard answer sent many times is one suggestion.
    const key = text.replace(/\s+/g, ' ').slice(0, 300);
    if (text.length < 20 || seenTexts.has(key)) continue;
    seenTexts.add(key);
    docs.push({
      tokens: tokensOf(subjectKey(s.subject), text),
      item: { kind: 'sent', id: s.messageId, title: s.subject, language: s.language ?? (await detectLanguage(text)), text, useCount: 0 },
    });
  }

  const index = new Bm25Index(docs);
  const ceiling = index.ceiling(query);
  const best = new Map<string, FaqSuggestion & { hasMailLanguage: boolean }>();
  for (const hit of index.search(query, 200)) {
    const doc = hit.item;
    const relevance = hit.score / ceiling;
    if (relevance < minRelevance) continue;
    const weight = languageWeight(language, doc.language) * (doc.kind === 'library' ? 1.1 * (1 + 0.05 * Math.log1p(doc.useCount)) : 1);
    const score = Math.round(relevance * weight * 1000) / 1000;
    const key = `${doc.kind}:${doc.id}`;
    const current = best.get(key);
    // An answer is suggested once, in the mail's language when it has that version.
    const hasMailLanguage = language !== null && primaryLanguage(doc.language) === language;
    if (current && (current.score >= score || (current.hasMailLanguage && !hasMailLanguage))) continue;
    best.set(key, {
      kind: doc.kind,
      id: doc.id,
      title: doc.title,
      language: doc.language,
      snippet: snippetOf(withoutVariables(doc.text, '…')),
      score,
      hasMailLanguage,
    });
  }
  const items = [...best.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, options.limit ?? 5)
    .map(({ hasMailLanguage: _, ...item }) => item);
  return { language, items };
}
