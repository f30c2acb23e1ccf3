import type { BusinessHours, FraudLevel, MailCategory } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { parse as parseDomain } from 'tldts';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { isWithinBusinessHours } from '../business-hours/index.js';
import { type ParsedMail, splitMessage } from '../conversations/index.js';
import { classifyMail } from '../mail-classification/index.js';
import { detectLanguage, senderCountry } from '../sender-origin/index.js';
import type { RuleFacts } from './evaluate.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A mailbox's business hours, or null when it has none (then it counts as open around the clock). */
export type BusinessHoursOf = (db: Db, mailboxId: string) => Promise<BusinessHours | null>;

/** What the mail itself says: category, language, country (the pure foundations of decision 0030). */
export type MailOrigin = { category: MailCategory; mayAutoReply: boolean; language: string | null; country: string | null };

const SIGNATURE_LINES = 15;

/** category, language and country of one mail from its headers and text, as `rules test` prints them. */
export async function mailOrigin(input: {
  headers: ReadonlyMap<string, readonly string[]>;
  from: string | null;
  subject: string;
  text: string;
  receivingHosts: string[];
}): Promise<MailOrigin> {
  const { category, mayAutoReply } = classifyMail({ headers: input.headers, from: input.from, subject: input.subject });
  const fromDomain = input.from?.split('@')[1] ?? null;
  const country = senderCountry({
    fromDomain,
    receivedChain: [...(input.headers.get('received') ?? [])],
    receivingHosts: input.receivingHosts,
    signatureText: input.text.split(/\r?\n/).slice(-SIGNATURE_LINES).join('\n'),
  });
  return { category, mayAutoReply, language: await detectLanguage(input.text), country: country?.country ?? null };
}

/** The registrable domains of a mailbox's servers: their Received hops are the provider's, not the sender's. */
export function receivingHostsOf(mailbox: { imap_host: string | null; smtp_host: string | null }): string[] {
  const hosts = [mailbox.imap_host, mailbox.smtp_host].filter((h): h is string => Boolean(h));
  return [...new Set(hosts.map((h) => parseDomain(h).domain ?? h))];
}

export function insideHours(hours: BusinessHours | null, at: number): boolean {
  return hours === null ? true : isWithinBusinessHours(hours, new Date(at));
}

/** Facts of a mail that is not stored (the `rules test` CLI): no history, no tags, no fraud level. */
export function factsOfParsedMail(
  parsed: ParsedMail,
  origin: MailOrigin,
  context: { mailboxId: string; firstContact: boolean; insideBusinessHours: boolean; fraudLevel: FraudLevel | null },
): RuleFacts {
  return {
    from: parsed.from?.address ?? null,
    fromName: parsed.from?.name ?? null,
    to: parsed.to.flatMap((a) => (a.address ? [a.address] : [])),
    cc: parsed.cc.flatMap((a) => (a.address ? [a.address] : [])),
    subject: parsed.subject,
    body: parsed.text,
    category: origin.category,
    language: origin.language,
    country: origin.country,
    firstContact: context.firstContact,
    attachments: parsed.attachments.filter((a) => !a.isInline).map((a) => ({ mime: a.mime, filename: a.filename })),
    fraudLevel: context.fraudLevel,
    insideBusinessHours: context.insideBusinessHours,
    mailboxIds: [context.mailboxId],
    tags: [],
  };
}

function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export type StoredMailFacts = { messageId: string; conversationId: string; receivedAt: number; facts: RuleFacts };

export type FactsDeps = { db: Kysely<Database>; blobs: BlobStore; businessHoursOf: BusinessHoursOf };

/**
 * Facts of stored incoming mail, in one query per kind for the whole batch (the preview reads 100).
 * `at` is when business hours are judged (arrival, or now).
 */
export async function factsOfStoredMessages(
  deps: FactsDeps,
  messageIds: string[],
  options: { at?: (receivedAt: number) => number } = {},
): Promise<StoredMailFacts[]> {
  if (messageIds.length === 0) return [];
  const { db } = deps;
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('conversation_messages as cm', 'cm.message_id', 'm.id')
    .leftJoin('message_bodies as b', 'b.message_id', 'm.id')
    .select([
      'm.id',
      'cm.conversation_id',
      'm.from_addr',
      'm.from_name',
      'm.to_addrs',
      'm.cc_addrs',
      'm.subject',
      'm.received_at',
      'm.raw_sha256',
      'm.language',
      'm.category',
      'm.country',
      'b.text',
    ])
    .where('m.id', 'in', messageIds)
    .execute();
  const [attachments, locations, fraud, tags] = await Promise.all([
    db
      .selectFrom('attachments')
      .select(['message_id', 'mime', 'filename'])
      .where('message_id', 'in', messageIds)
      .where('is_inline', '=', 0)
      .execute(),
    db
      .selectFrom('message_locations as l')
      .innerJoin('mailboxes as mb', 'mb.id', 'l.mailbox_id')
      .select(['l.message_id', 'l.mailbox_id', 'mb.imap_host', 'mb.smtp_host'])
      .where('l.message_id', 'in', messageIds)
      .execute(),
    db.selectFrom('fraud_assessments').select(['message_id', 'level']).where('message_id', 'in', messageIds).execute(),
    db
      .selectFrom('conversation_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select(['ct.conversation_id', 't.name'])
      .where(
        'ct.conversation_id',
        'in',
        rows.map((r) => r.conversation_id),
      )
      .execute(),
  ]);
  const hoursCache = new Map<string, BusinessHours | null>();
  const result: StoredMailFacts[] = [];
  for (const row of rows) {
    const mine = locations.filter((l) => l.message_id === row.id);
    const mailboxIds = [...new Set(mine.map((l) => l.mailbox_id))];
    const receivingHosts = [...new Set(mine.flatMap((l) => receivingHostsOf(l)))];
    const text = row.text ?? '';
    // Ingest's mail-facts subscriber stores category and country (decision 0031); mail stored before it
    // (or not classified yet) is classified here from its raw headers, the same way.
    const origin =
      row.category !== null
        ? { category: row.category, language: row.language, country: row.country }
        : await mailOrigin({
            headers: splitMessage(await deps.blobs.get(row.raw_sha256)).headers,
            from: row.from_addr,
            subject: row.subject,
            text,
            receivingHosts,
          });
    const firstMailbox = mailboxIds[0];
    let hours: BusinessHours | null = null;
    if (firstMailbox) {
      if (!hoursCache.has(firstMailbox)) hoursCache.set(firstMailbox, await deps.businessHoursOf(db, firstMailbox));
      hours = hoursCache.get(firstMailbox) ?? null;
    }
    const receivedAt = Number(row.received_at);
    result.push({
      messageId: row.id,
      conversationId: row.conversation_id,
      receivedAt,
      facts: {
        from: row.from_addr,
        fromName: row.from_name,
        to: parseList(row.to_addrs),
        cc: parseList(row.cc_addrs),
        subject: row.subject,
        body: text,
        category: origin.category,
        language: origin.language,
        country: origin.country,
        firstContact: !(await wroteBefore(db, row.from_addr, row.id, receivedAt)),
        attachments: attachments.filter((a) => a.message_id === row.id).map((a) => ({ mime: a.mime, filename: a.filename })),
        fraudLevel: fraud.find((f) => f.message_id === row.id)?.level ?? null,
        insideBusinessHours: insideHours(hours, options.at ? options.at(receivedAt) : receivedAt),
        mailboxIds,
        tags: tags.filter((t) => t.conversation_id === row.conversation_id).map((t) => t.name),
      },
    });
  }
  return result;
}

/** Whether this sender's mail reached the workspace before this one (then they are a known customer). */
export async function wroteBefore(db: Db, from: string | null, messageId: string | null, before: number): Promise<boolean> {
  if (!from) return false;
  let query = db
    .selectFrom('messages')
    .select('id')
    .where('direction', '=', 'in')
    .where('from_addr', '=', from)
    .where('received_at', '<', before);
  if (messageId) query = query.where('id', '!=', messageId);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
