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

/**
 * The mail's large texts as UTF-8 bytes, views of one ArrayBuffer (`transferListOf`): a prepare
 * worker transfers it to the main thread instead of cloning three strings, so they never take room
 * in the main thread's heap (its garbage collection was a third of a sync's CPU, decision 0045);
 * the database reads the bytes as TEXT (db/utf8-text.ts).
 */
export type MailTexts = {
  /** parseMail's text, as message_bodies.text stores it. */
  text: Uint8Array;
  html: Uint8Array | null;
  /** The list line's excerpt of the text (snippetOf). */
  snippet: string;
};

/** A mail whose raw bytes and attachments are safely in the blob store and whose fields are parsed; no database work yet. */
export type PreparedMail = {
  identity: string;
  raw: { sha256: string; size: number };
  /** Without the body texts: they are `texts` (bytes). */
  parsed: Omit<ParsedMail, 'attachments' | 'text' | 'html'>;
  texts: MailTexts;
  attachments: StoredAttachment[];
  /** Pier's own verdicts (SMTP listener) or the provider's Authentication-Results (IMAP). */
  authResults: AuthResults | null;
  /** Senders and recipients, for contacts (made once here, used by the index too). */
  participants: Participant[];
  /** The search index's view of the mail, made here so the database transaction does not wait for it (its body as bytes, beside `texts`). */
  indexTexts: Omit<IndexTexts, 'body'> & { body: Uint8Array };
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
  const { attachments, text, html, ...parsed } = await parseMail(raw);
  const stored: StoredAttachment[] = [];
  for (const a of attachments) {
    const blob = await blobs.put(a.content, options);
    stored.push({ sha256: blob.sha256, size: blob.size, filename: a.filename, mime: a.mime, contentId: a.contentId, isInline: a.isInline });
  }
  const participants = participantsOf(parsed);
  const { body: indexBody, ...indexTexts } = indexTextsOf(searchDocumentOf({ subject: parsed.subject, text }, participants, stored));
  const [textBytes, indexBodyBytes, htmlBytes] = utf8InOneBuffer(html === null ? [text, indexBody] : [text, indexBody, html]);
  return {
    identity: messageIdentity(raw, parsed.messageId),
    raw: rawBlob,
    parsed,
    texts: { text: textBytes ?? new Uint8Array(), html: htmlBytes ?? null, snippet: snippetOf(text) },
    attachments: stored,
    authResults: readProviderAuthResults(raw),
    participants,
    indexTexts: { ...indexTexts, body: indexBodyBytes ?? new Uint8Array() },
    category: classifyMail({ headers: splitMessage(raw).headers, from: parsed.from?.address ?? null, subject: parsed.subject }).category,
  };
}

/** The ArrayBuffer to transfer with a prepared mail (all its byte texts are views of it). */
export function transferListOf(mail: PreparedMail): ArrayBuffer[] {
  return [mail.texts.text.buffer as ArrayBuffer];
}

/** Views of one buffer of its own (never Node's shared pool, which must not be transferred). */
function utf8InOneBuffer(strings: string[]): Buffer[] {
  const lengths = strings.map((s) => Buffer.byteLength(s, 'utf8'));
  const all = Buffer.allocUnsafeSlow(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  return strings.map((s, i) => {
    const written = all.write(s, at, lengths[i] ?? 0, 'utf8');
    const view = all.subarray(at, at + written);
    at += written;
    return view;
  });
}

/** The list line's excerpt of a message: only the start of a (possibly megabytes long) body is read. */
export function snippetOf(text: string): string {
  return text.slice(0, 1000).replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** What the search index reads of a parsed mail (also used to rebuild the index of stored mail). */
export function searchDocumentOf(
  parsed: Pick<ParsedMail, 'subject' | 'text'>,
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
