import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { splitMessage } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber } from '../events/index.js';
import { AUTOMATIC_MAIL_ORDER, automaticSendHeaders, decideAutomaticSend, type LoopAlertMailer } from '../loop-guard/index.js';
import { findMailboxById, type HostGuard } from '../mailboxes/index.js';
import { SmtpSendError, type SmtpTimeouts, sendRawMail } from '../outbox/index.js';
import type { SecretBox } from '../security/index.js';

/**
 * Forwarding, exactly once per (rule, message).
 *
 * The `forwarding.match` subscriber of message.received finds the enabled rules of every mailbox
 * holding the new incoming mail and queues one `forwarding.send` job per matching rule (dedupe key
 * rule + message). The job claims a forwarding_deliveries row ('sending') before the SMTP session;
 * a second run finds the row: 'sent' is done, 'sending' means a crash mid-send and becomes
 * 'uncertain' (never resent without a person — the rule of decision 0008), 'failed' (refused
 * before the message was handed over) may be retried.
 *
 * The mail is forwarded as an attachment: a new message from the mailbox (so SPF/DKIM/DMARC of
 * the mailbox's own domain hold) whose body names the original sender and subject, with the
 * original attached unchanged as message/rfc822 — every original header preserved. Every forward
 * first passes the loop guard (decision 0025: no answer to machine mail, rate limits, alerts); it
 * carries the guard's `Auto-Submitted: auto-forwarded` and `X-Loop`, and `X-Pier-Forward-Rule`.
 */
export const FORWARD_HEADER = 'X-Pier-Forward-Rule';
const MATCH = 'forwarding.match';
export const SEND_JOB = 'forwarding.send';
const SEND = SEND_JOB;
const SendPayload = z.object({ ruleId: z.string(), messageId: z.string() });
const DEFAULT_TIMEOUTS: SmtpTimeouts = { connectionTimeout: 30_000, socketTimeout: 120_000 };

export type ForwardingDeps = {
  db: Kysely<Database>;
  blobs: BlobStore;
  secrets: SecretBox;
  /** Which addresses the mailbox's SMTP server may resolve to (PIER_ALLOW_PRIVATE_HOSTS). */
  hosts?: HostGuard;
  logger: Logger;
  smtpTimeouts?: SmtpTimeouts;
};

/** From's domain equals the rule's domain or is a subdomain of it. */
export function senderMatches(ruleDomain: string | null, from: string | null): boolean {
  if (ruleDomain === null) return true;
  const domain = from?.split('@')[1]?.toLowerCase();
  return domain !== undefined && (domain === ruleDomain || domain.endsWith(`.${ruleDomain}`));
}

export function forwardingSubscriber(
  deps: Pick<ForwardingDeps, 'db' | 'blobs'> & { mailer: LoopAlertMailer; now?: () => number },
): EventSubscriber {
  const { db, blobs } = deps;
  return defineSubscriber({
    name: MATCH,
    event: 'message.received',
    key: (payload) => payload.messageId,
    serialGroup: AUTOMATIC_MAIL_ORDER,
    run: async (payload) => {
      // Only new incoming mail: not Pier's own sent mail, not imported history.
      if (payload.direction !== 'in' || payload.source === 'import') return;
      const message = await db
        .selectFrom('messages')
        .select(['id', 'from_addr', 'raw_sha256', 'received_at'])
        .where('id', '=', payload.messageId)
        .executeTakeFirst();
      if (!message) return;
      const locations = await db.selectFrom('message_locations').select('mailbox_id').where('message_id', '=', message.id).execute();
      const mailboxIds = [...new Set([payload.mailboxId, ...locations.map((l) => l.mailbox_id)])];
      const rules = await db
        .selectFrom('forwarding_rules')
        .select(['id', 'name', 'mailbox_id', 'sender_domain', 'target', 'created_at'])
        .where('mailbox_id', 'in', mailboxIds)
        .where('enabled', '=', 1)
        .execute();
      // A rule forwards mail that arrives after it was made, never the history a first sync brings in.
      const receivedAt = Number(message.received_at);
      // IMAP INTERNALDATE has whole seconds: a mail delivered just after the rule was made can carry a
      // time up to 1 s before it; older mail (history, a first sync) is never forwarded.
      const matching = rules.filter((r) => receivedAt >= Number(r.created_at) - 1000 && senderMatches(r.sender_domain, message.from_addr));
      if (matching.length === 0) return;
      const { headers } = splitMessage(await blobs.get(message.raw_sha256));
      const allowed: typeof matching = [];
      for (const rule of matching) {
        const decision = await decideAutomaticSend(deps, {
          kind: 'forward',
          ruleId: rule.id,
          ruleName: rule.name,
          mailboxId: rule.mailbox_id,
          correspondent: message.from_addr ?? '',
          recipient: rule.target,
          conversationId: null,
          triggerId: message.id,
          incomingHeaders: headers,
        });
        if (decision.send) allowed.push(rule);
      }
      if (allowed.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const rule of allowed) {
          await enqueueJob(trx, {
            name: SEND,
            payload: { ruleId: rule.id, messageId: message.id },
            dedupeKey: `${SEND}:${rule.id}:${message.id}`,
          });
        }
      });
    },
  });
}

/**
 * A rules action (decision 0032): forward one stored message through one of Pier's forwarding
 * rules (its audited target), past the loop guard, exactly once per (forwarding rule, message)
 * like the rule's own matches. Returns whether the forward was queued.
 */
export async function forwardByRule(
  deps: Pick<ForwardingDeps, 'db' | 'blobs'> & { mailer: LoopAlertMailer; now?: () => number },
  forwardingRuleId: string,
  messageId: string,
): Promise<{ queued: boolean; reason: string | null }> {
  const { db } = deps;
  const rule = await db.selectFrom('forwarding_rules').selectAll().where('id', '=', forwardingRuleId).executeTakeFirst();
  if (rule?.enabled !== 1) return { queued: false, reason: 'forwarding_rule_off' };
  const message = await db.selectFrom('messages').select(['id', 'from_addr', 'raw_sha256']).where('id', '=', messageId).executeTakeFirst();
  if (!message) return { queued: false, reason: 'message_gone' };
  const { headers } = splitMessage(await deps.blobs.get(message.raw_sha256));
  const decision = await decideAutomaticSend(deps, {
    kind: 'forward',
    ruleId: rule.id,
    ruleName: rule.name,
    mailboxId: rule.mailbox_id,
    correspondent: message.from_addr ?? '',
    recipient: rule.target,
    conversationId: null,
    triggerId: message.id,
    incomingHeaders: headers,
  });
  if (!decision.send) return { queued: false, reason: decision.reason };
  await enqueueJob(db, { name: SEND, payload: { ruleId: rule.id, messageId }, dedupeKey: `${SEND}:${rule.id}:${messageId}` });
  return { queued: true, reason: null };
}

export function forwardingJobHandlers(deps: ForwardingDeps): AnyJobHandler[] {
  return [defineJob({ name: SEND, payload: SendPayload, run: (payload) => forwardMessage(deps, payload.ruleId, payload.messageId) })];
}

export async function forwardMessage(deps: ForwardingDeps, ruleId: string, messageId: string): Promise<void> {
  const { db } = deps;
  const rule = await db.selectFrom('forwarding_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
  // Removed or switched off since the mail came in: nothing to do.
  if (rule?.enabled !== 1) return;
  const message = await db
    .selectFrom('messages')
    .select(['id', 'from_addr', 'from_name', 'subject', 'raw_sha256', 'received_at'])
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message) return;
  const mailbox = await findMailboxById(db, rule.mailbox_id);
  if (!mailbox) return;

  const now = Date.now();
  const claimed = await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('forwarding_deliveries')
      .select('state')
      .where('rule_id', '=', ruleId)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (!existing) {
      await trx
        .insertInto('forwarding_deliveries')
        .values({
          rule_id: ruleId,
          message_id: messageId,
          state: 'sending',
          target: rule.target,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return true;
    }
    if (existing.state === 'sending') {
      // The run that claimed it ended mid-send (crash, kill): the target may have it already.
      await trx
        .updateTable('forwarding_deliveries')
        .set({ state: 'uncertain', error: 'interrupted while sending', updated_at: now })
        .where('rule_id', '=', ruleId)
        .where('message_id', '=', messageId)
        .execute();
      return false;
    }
    if (existing.state !== 'failed') return false;
    const retried = await trx
      .updateTable('forwarding_deliveries')
      .set({ state: 'sending', updated_at: now })
      .where('rule_id', '=', ruleId)
      .where('message_id', '=', messageId)
      .where('state', '=', 'failed')
      .executeTakeFirst();
    return Number(retried.numUpdatedRows) > 0;
  });
  if (!claimed) return;

  const finish = (state: 'sent' | 'failed' | 'uncertain', error: string | null) =>
    db
      .updateTable('forwarding_deliveries')
      .set({ state, error, updated_at: Date.now() })
      .where('rule_id', '=', ruleId)
      .where('message_id', '=', messageId)
      .execute();
  const original = await deps.blobs.get(message.raw_sha256);
  const raw = await buildForward({
    from: { name: mailbox.display_name, address: mailbox.address },
    to: rule.target,
    ruleId,
    original,
    originalFrom: message.from_name ? `${message.from_name} <${message.from_addr ?? ''}>` : (message.from_addr ?? ''),
    subject: message.subject,
    receivedAt: Number(message.received_at),
  });
  try {
    await sendRawMail(
      mailbox,
      deps.secrets,
      { from: mailbox.address, to: [rule.target] },
      raw,
      deps.smtpTimeouts ?? DEFAULT_TIMEOUTS,
      undefined,
      deps.hosts,
    );
    await finish('sent', null);
  } catch (error) {
    if (error instanceof SmtpSendError && error.outcome === 'not_sent') {
      await finish('failed', `${error.code}: ${error.message}`.slice(0, 500));
      // Temporary refusals are retried by the job queue (backoff); permanent ones stay failed.
      if (!error.permanent) throw error;
      deps.logger.warn({ ruleId, code: error.code }, 'forwarding refused by the SMTP server');
      return;
    }
    await finish('uncertain', (error instanceof Error ? error.message : String(error)).slice(0, 500));
    deps.logger.warn({ ruleId }, 'forwarding outcome unknown: not resent');
  }
}

async function buildForward(mail: {
  from: { name: string; address: string };
  to: string;
  ruleId: string;
  original: Buffer;
  originalFrom: string;
  subject: string;
  receivedAt: number;
}): Promise<Buffer> {
  const domain = mail.from.address.split('@')[1] ?? 'localhost';
  const text = [
    `Forwarded automatically by a Pier forwarding rule of ${mail.from.address}. / 由 Pier 转发规则自动转发。`,
    '',
    `From / 发件人: ${mail.originalFrom}`,
    `Subject / 主题: ${mail.subject}`,
    `Received / 收到: ${new Date(mail.receivedAt).toISOString()}`,
    '',
    'The original message is attached unchanged. / 原始邮件以附件形式完整保留。',
  ].join('\n');
  const composer = new MailComposer({
    from: mail.from,
    to: mail.to,
    subject: `Fwd: ${mail.subject}`,
    messageId: `<${randomBytes(12).toString('hex')}.pier-forward@${domain}>`,
    date: new Date(),
    text,
    attachments: [{ filename: 'original.eml', contentType: 'message/rfc822', contentDisposition: 'attachment', content: mail.original }],
    headers: { ...automaticSendHeaders('forward', mail.from.address), [FORWARD_HEADER]: mail.ruleId, 'X-Mailer': 'Pier' },
  });
  return composer.compile().build();
}
