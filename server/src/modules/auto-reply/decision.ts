import type { MailCategory } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findMailboxById, loadOwnAddresses } from '../mailboxes/index.js';
import { loadAutoReplySettings } from './settings.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What Pier knows of one incoming mail when it decides whether to answer it automatically. */
export type AutoReplyDecisionInput = {
  /** The mailbox whose auto-reply would answer. */
  mailboxId: string;
  /** The incoming mail's From address (the auto-reply goes there); null when it has none. */
  from: string | null;
  /** classifyMail's verdict on the incoming mail. */
  category: MailCategory;
  /** classifyMail's mayAutoReply (RFC 3834: no Auto-Submitted, Precedence, X-Auto-Response-Suppress …). */
  mayAutoReply: boolean;
  /** The conversation the mail is in, for the hourly cap; null for a mail not stored (`rules test`). */
  conversationId?: string | null;
  /** The stored incoming message: an auto-reply already recorded for it is not sent again. */
  messageId?: string | null;
  /** When the mail arrived: mail from before the auto-reply was turned on (history a sync brings in) is not answered. */
  receivedAt?: number | null;
  /** Epoch ms of "now" (default Date.now(); the send path passes the server clock). */
  now?: number;
};

export type AutoReplyDecision = { send: boolean; reason: string };

/**
 * Reasons, in the order they are checked (the first that applies is given):
 * `mailbox_not_found`, `auto_reply_off`, `mailbox_cannot_send`, `received_before_auto_reply_on`, `no_sender`, `not_a_person:<category>`,
 * `sender_asks_no_auto_reply`, `own_address`, `already_answered`, `sender_answered_within_period`,
 * `conversation_hourly_cap`; `send` when Pier would answer.
 */
export const AUTO_REPLY_SEND = 'send';

const HOUR = 60 * 60_000;

/**
 * The decision Pier would take right now for this mail in this mailbox (decision 0031). Stores
 * nothing: the send path repeats it inside its claim, and `rules test` prints it. The loop guard
 * (X-Loop, hop count, rate limits across all automatic mail) is asked after this, when sending.
 */
export async function autoReplyDecisionFor(db: Db, input: AutoReplyDecisionInput): Promise<AutoReplyDecision> {
  const now = input.now ?? Date.now();
  const mailbox = await findMailboxById(db, input.mailboxId);
  if (!mailbox) return no('mailbox_not_found');
  const settings = await loadAutoReplySettings(db, input.mailboxId);
  if (!settings.enabled) return no('auto_reply_off');
  if (!mailbox.smtp_host) return no('mailbox_cannot_send');
  // IMAP INTERNALDATE has whole seconds: a mail delivered just after turning it on may read up to 1 s earlier.
  if (input.receivedAt != null && settings.enabledSince !== null && input.receivedAt < settings.enabledSince - 1000) {
    return no('received_before_auto_reply_on');
  }
  const sender = input.from?.trim().toLowerCase() ?? '';
  if (!sender.includes('@')) return no('no_sender');
  if (input.category !== 'person') return no(`not_a_person:${input.category}`);
  if (!input.mayAutoReply) return no('sender_asks_no_auto_reply');
  if ((await loadOwnAddresses(db)).has(sender)) return no('own_address');
  if (input.messageId) {
    const earlier = await db
      .selectFrom('auto_reply_sends')
      .select('id')
      .where('mailbox_id', '=', input.mailboxId)
      .where('trigger_message_id', '=', input.messageId)
      .executeTakeFirst();
    if (earlier) return no('already_answered');
  }
  const toSender = await db
    .selectFrom('auto_reply_sends')
    .select('id')
    .where('mailbox_id', '=', input.mailboxId)
    .where('correspondent', '=', sender)
    .where('at', '>', now - settings.periodHours * HOUR)
    .executeTakeFirst();
  if (toSender) return no('sender_answered_within_period');
  if (input.conversationId) {
    const inHour = await db
      .selectFrom('auto_reply_sends')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', input.conversationId)
      .where('at', '>', now - HOUR)
      .executeTakeFirstOrThrow();
    if (Number(inHour.n) >= settings.hourlyCap) return no('conversation_hourly_cap');
  }
  return { send: true, reason: AUTO_REPLY_SEND };
}

function no(reason: string): AutoReplyDecision {
  return { send: false, reason };
}
