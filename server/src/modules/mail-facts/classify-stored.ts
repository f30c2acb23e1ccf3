import type { Kysely } from 'kysely';
import { getDomain } from 'tldts';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { fileConversation, type MessageFacts, messageForFacts, recordMessageFacts, splitMessage } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber, type MessageReceivedEvent, publishEvent } from '../events/index.js';
import { classifyMail } from '../mail-classification/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { detectLanguage, senderCountry } from '../sender-origin/index.js';

export type MailFactsDeps = {
  db: Kysely<Database>;
  blobs: BlobStore;
  /** Whether an outgoing stored message is Pier's automatic mail (the outbox's automatic_kind); passed in by compose. */
  isAutomaticMail?: (messageId: string) => Promise<boolean>;
};

/** The sender's signature is at the end of what they wrote: the last lines of the text. */
const SIGNATURE_LINES = 15;

/**
 * Classifies one stored incoming message once (decision 0031): category with its reasons
 * (classifyMail on the raw headers), language (detectLanguage on the text) and sender country
 * (senderCountry: ccTLD, first external Received hop, signature phone), stored on the message,
 * the conversation filed, and `message.classified` published in the same transaction. Idempotent.
 * Outgoing mail a person wrote files its conversation as a person's; Pier's automatic mail does not.
 */
export async function classifyStoredMessage(deps: MailFactsDeps, event: MessageReceivedEvent): Promise<MessageFacts | null> {
  const { db } = deps;
  const message = await messageForFacts(db, event.messageId);
  if (!message) return null;
  if (message.direction === 'out') {
    if (message.conversationId && !(await deps.isAutomaticMail?.(message.id))) {
      await fileConversation(db, message.conversationId, 'person');
    }
    return null;
  }
  if (message.category !== null) return null;
  const { headers } = splitMessage(await deps.blobs.get(message.rawSha256));
  const classification = classifyMail({ headers, from: message.fromAddr, subject: message.subject });
  const mailbox = await findMailboxById(db, event.mailboxId);
  const receivingHosts = [mailbox?.imap_host, mailbox?.smtp_host]
    .map((host) => (host ? getDomain(host) : null))
    .filter((d): d is string => Boolean(d));
  const origin = senderCountry({
    fromDomain: message.fromAddr?.split('@')[1]?.toLowerCase() ?? null,
    receivedChain: headers.get('received') ?? [],
    receivingHosts,
    signatureText: message.text.split(/\r?\n/).slice(-SIGNATURE_LINES).join('\n'),
  });
  const facts: MessageFacts = {
    category: classification.category,
    categoryReasons: JSON.stringify(classification.reasons),
    language: await detectLanguage(message.text),
    country: origin?.country ?? null,
    countrySource: origin?.source ?? null,
  };
  await db.transaction().execute(async (trx) => {
    if (!(await recordMessageFacts(trx, message.id, facts, message.conversationId))) return;
    await publishEvent(trx, 'message.classified', {
      ...event,
      conversationId: message.conversationId ?? event.conversationId,
      category: facts.category,
      mayAutoReply: classification.mayAutoReply,
      language: facts.language,
      country: facts.country,
    });
  });
  return facts;
}

/** The `mail-facts.classify` subscriber of `message.received` (ingest stays fast; this runs after). */
export function mailFactsSubscriber(deps: MailFactsDeps): EventSubscriber {
  return defineSubscriber({
    name: 'mail-facts.classify',
    event: 'message.received',
    key: (payload) => payload.messageId,
    run: async (payload) => {
      await classifyStoredMessage(deps, payload);
    },
  });
}
