import type { MailCategory } from '@pier/contracts';
import type { BlobStore } from '../../storage/blob-store.js';
import type { Participant } from '../contacts/index.js';
// The pure classifier (no database, contracts' types only): safe on the prepare workers.
import { classifyMail } from '../mail-classification/index.js';
// The search module's worker-safe file, not its index: this runs on the prepare workers (0026).
import { type IndexTexts, indexTextsOf } from '../search/index-texts.js';
import { type AuthResults, readProviderAuthResults } from './mail-auth.js';
import { messageIdentity, splitMessage } from './message-identity.js';
import { type ParsedMail, parseMail } from './parse-mail.js';

export type StoredAttachment = {
  sha256: string;
  size: number;
  filename: string;
  mime: string;
  contentId: string | null;
  isInline: boolean;
};

/** A mail whose raw bytes and attachments are safely in the blob store and whose fields are parsed; no database work yet. */
export type PreparedMail = {
  identity: string;
  raw: { sha256: string; size: number };
  parsed: Omit<ParsedMail, 'attachments'>;
  attachments: StoredAttachment[];
  /** Pier's own verdicts (SMTP listener) or the provider's Authentication-Results (IMAP). */
  authResults: AuthResults | null;
  /** Senders and recipients, for contacts (made once here, used by the index too). */
  participants: Participant[];
  /** The search index's view of the mail, made here so the database transaction does not wait for it. */
  indexTexts: IndexTexts;
  /**
   * classifyMail's category from the headers (cheap, no body): contacts skip machine mail in the
   * ingest transaction. The stored facts (reasons, language, country) come after ingest (0031).
   */
  category: MailCategory;
};

/**
 * Step 1 of ingest, outside any transaction: keep the raw bytes (so nothing is
 * lost even if parsing fails), parse them, keep the attachments. Safe to
 * repeat: blobs are content-addressed.
 */
export async function prepareMail(blobs: BlobStore, raw: Buffer, options: { durable?: boolean } = {}): Promise<PreparedMail> {
  const rawBlob = await blobs.put(raw, options);
  const { attachments, ...parsed } = await parseMail(raw);
  const stored: StoredAttachment[] = [];
  for (const a of attachments) {
    const blob = await blobs.put(a.content, options);
    stored.push({ sha256: blob.sha256, size: blob.size, filename: a.filename, mime: a.mime, contentId: a.contentId, isInline: a.isInline });
  }
  const participants = participantsOf(parsed);
  return {
    identity: messageIdentity(raw, parsed.messageId),
    raw: rawBlob,
    parsed,
    attachments: stored,
    authResults: readProviderAuthResults(raw),
    participants,
    indexTexts: indexTextsOf(searchDocumentOf(parsed, participants, stored)),
    category: classifyMail({ headers: splitMessage(raw).headers, from: parsed.from?.address ?? null, subject: parsed.subject }).category,
  };
}

/** What the search index reads of a parsed mail (also used to rebuild the index of stored mail). */
export function searchDocumentOf(
  parsed: Pick<PreparedMail['parsed'], 'subject' | 'text'>,
  people: Participant[],
  attachments: Pick<StoredAttachment, 'filename' | 'isInline'>[],
) {
  return {
    subject: parsed.subject,
    body: parsed.text,
    participants: people.flatMap((p) => [p.address, ...(p.name ? [p.name] : [])]),
    attachmentNames: attachments.filter((a) => !a.isInline).map((a) => a.filename),
  };
}

export function participantsOf(parsed: PreparedMail['parsed']): Participant[] {
  const list: Participant[] = [];
  const add = (role: Participant['role'], people: { address: string | null; name: string | null }[]) => {
    for (const p of people) if (p.address) list.push({ address: p.address, name: p.name, role });
  };
  add('from', parsed.from ? [parsed.from] : []);
  add('to', parsed.to);
  add('cc', parsed.cc);
  add('reply_to', parsed.replyTo);
  return list;
}
