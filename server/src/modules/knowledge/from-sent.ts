/**
 * "Turn this reply into an FAQ answer": a sent mail as the start of a library answer — its
 * own words (quoted history cut off), its subject without Re:/回复: as the question, its language.
 * The agent edits and saves it; the answer remembers the mail it came from.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { messageAccess, messageTextOf, subjectKey } from '../conversations/index.js';
import { type Actor, textToHtml } from '../outbox/index.js';
import { detectLanguage } from '../sender-origin/index.js';
import { ownWords, primaryLanguage } from './text.js';

/** Detected languages are bare (zh); the library names Chinese versions zh-CN like the rest of Pier. */
function libraryLanguage(detected: string | null): string {
  const primary = primaryLanguage(detected);
  if (primary === null) return 'en';
  return primary === 'zh' ? 'zh-CN' : primary;
}

export async function draftFromSent(
  db: Kysely<Database>,
  actor: Actor,
  messageId: string,
): Promise<{ title: string; language: string; bodyHtml: string; sourceMessageId: string }> {
  await messageAccess(db, actor.scope, messageId, 'read');
  const message = await messageTextOf(db, messageId);
  if (!message) throw new AppError('message.not_found', 404, 'no such message');
  if (message.direction !== 'out') throw new AppError('knowledge.not_sent', 409, 'only a sent reply can become an FAQ answer');
  const own = ownWords(message.text);
  const title =
    subjectKey(message.subject) === ''
      ? message.subject
      : message.subject.replace(/^\s*((re|aw|sv|fw|fwd|回复|答复|转发)\s*[:：]\s*)+/i, '');
  return {
    title: title.trim().slice(0, 300) || '—',
    language: libraryLanguage(message.language ?? (await detectLanguage(own))),
    bodyHtml: own
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${textToHtml(paragraph.trim())}</p>`)
      .join(''),
    sourceMessageId: messageId,
  };
}

/** A new answer may name its source mail only if the agent may read that mail. */
export async function checkSourceMessage(db: Kysely<Database>, actor: Actor, messageId: string | null | undefined): Promise<void> {
  if (messageId) await messageAccess(db, actor.scope, messageId, 'read');
}
