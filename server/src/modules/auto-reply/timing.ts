import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { businessHoursOfMailbox, slaPolicyOfMailbox } from '../mailbox-settings/index.js';
import type { ReplyTiming } from './render.js';

/**
 * The mailbox's business hours and its first-reply target for a new conversation (priority
 * normal: a rule that raises it runs beside the auto-reply, not before it), from the
 * mailbox-settings module (decision 0033); its defaults when the mailbox has none.
 */
export async function replyTimingOfMailbox(db: Kysely<Database>, mailboxId: string): Promise<ReplyTiming> {
  const [hours, policy] = await Promise.all([businessHoursOfMailbox(db, mailboxId), slaPolicyOfMailbox(db, mailboxId, 'normal')]);
  return { hours, firstReplyHours: policy.firstReplyMinutes / 60 };
}
