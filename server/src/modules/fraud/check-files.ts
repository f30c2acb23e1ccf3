import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { parseMail, readProviderAuthResults } from '../conversations/index.js';
import { assessMail } from './assess.js';
import { attachmentFacts } from './attachment-facts.js';
import { attachmentTexts } from './attachment-text.js';
import { loadFraudHistory } from './history.js';
import type { Assessment, FraudMail } from './types.js';

/** Parses raw mail into the fraud view; the provider's Authentication-Results stand for the auth verdicts. */
export async function fraudMailFromRaw(raw: Buffer): Promise<FraudMail> {
  const parsed = await parseMail(raw);
  const files = parsed.attachments.filter((a) => !a.isInline);
  const documents = (await attachmentTexts(files)).filter((d) => d.status === 'ok' && d.text !== '');
  return {
    from: parsed.from,
    replyTo: parsed.replyTo,
    subject: parsed.subject,
    text: parsed.text,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    attachments: await attachmentFacts(files),
    documents: documents.map(({ filename, text }) => ({ filename, text })),
    authResults: readProviderAuthResults(raw),
    bulk: parsed.listId !== null || /^(?:bulk|list|junk)$/i.test(parsed.precedence?.trim() ?? ''),
  };
}

/**
 * `fraud check`: scores mail files against the workspace as it is now (earlier flagged mail
 * included) without storing anything.
 */
export async function checkMailFile(db: Kysely<Database>, file: string): Promise<Assessment & { file: string }> {
  const mail = await fraudMailFromRaw(await readFile(file));
  const history = await loadFraudHistory(db, mail);
  const { score, level, signals } = assessMail(mail, history);
  // Exactly the CLI contract's fields, in its order.
  return {
    file,
    score,
    level,
    signals: signals.map(({ code, weight, reason }) => ({ code, weight, reason: { en: reason.en, 'zh-CN': reason['zh-CN'] } })),
  };
}
