import type { Kysely, Transaction } from 'kysely';
import { lockDecision } from '../../db/decision-lock.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { findMailboxById, loadOwnAddresses } from '../mailboxes/index.js';
import { notify } from '../notifications/index.js';
import { listActiveAdmins } from '../workspace/index.js';
import { isSystemSender, LOOP_SIGNALS, type LoopSignal, loopSignalOf } from './loop-signals.js';

/**
 * The one gate every automatic send of Pier passes (decision 0025): forwarding rules now,
 * auto-replies and rules next. It refuses to answer machine mail (RFC 3834), mail that went round
 * (X-Loop naming us, too many hops), and more than a few sends per rule and per correspondent in a
 * window, counted durably in the database so a restart does not reset them. A tripped loop guard
 * alerts the admins, at most once per rule and period.
 */
export type AutomaticSendKind = 'forward' | 'auto_reply' | 'rule';
export type LoopGuardReason = LoopSignal | 'rule_rate' | 'correspondent_rate';

export type AutomaticSendRequest = {
  kind: AutomaticSendKind;
  /** The forwarding rule, auto-reply or rule that wants to send. */
  ruleId: string;
  /** A name admins recognise in the alert (the rule's name). */
  ruleName: string;
  /** The mailbox the automatic mail goes out from. */
  mailboxId: string;
  /** The sender of the mail that caused the send (lower-cased inside). */
  correspondent: string;
  /** Where the automatic mail goes (the rule's target, or the correspondent for a reply). */
  recipient: string;
  conversationId: string | null;
  /** The incoming message that caused the send: deciding again for it gives the same answer. */
  triggerId: string;
  /** The incoming mail's headers, unfolded, lower-cased names (conversations' splitMessage). */
  incomingHeaders: ReadonlyMap<string, readonly string[]>;
};

export type AutomaticSendDecision =
  | { send: true; reason: null; headers: Record<string, string> }
  | { send: false; reason: LoopGuardReason; headers?: undefined };

export type LoopGuardLimits = {
  /** Sends one rule may make per window (a forward-everything rule of a busy mailbox needs room). */
  perRule: number;
  /** Sends caused by one correspondent's mail to one mailbox per window (Zammad: 10 per 10 minutes per ticket). */
  perCorrespondent: number;
  windowMs: number;
  /** At most one alert per rule in this period. */
  alertPeriodMs: number;
};

export const DEFAULT_LOOP_GUARD_LIMITS: LoopGuardLimits = {
  perRule: 100,
  perCorrespondent: 10,
  windowMs: 60 * 60_000,
  alertPeriodMs: 60 * 60_000,
};

/** Mail through the system mailbox (the security module's mailer, passed in by compose). */
export type LoopAlertMailer = {
  enabled: boolean;
  queue(executor: Transaction<Database>, mail: { to: string; subject: string; text: string }): Promise<void>;
};

export type LoopGuardDeps = {
  db: Kysely<Database>;
  mailer: LoopAlertMailer;
  /** Injectable so tests can let a window pass without waiting. */
  now?: () => number;
  limits?: Partial<LoopGuardLimits>;
};

/** Counted rows are kept a week for whoever looks into a loop; the limits only read the last window. */
const KEEP_MS = 7 * 24 * 60 * 60_000;

/**
 * The serial group (jobs/registry.ts) of every job that asks `decideAutomaticSend`: a worker running
 * several jobs at once (decision 0070) runs these one at a time, in order. Two decisions at once (on
 * two worker nodes) cannot both pass a limit: each takes `lockDecision` on its rule and on its
 * mailbox and correspondent before counting (decision 0074).
 */
export const AUTOMATIC_MAIL_ORDER = 'automatic-mail';

export async function decideAutomaticSend(deps: LoopGuardDeps, request: AutomaticSendRequest): Promise<AutomaticSendDecision> {
  const limits = { ...DEFAULT_LOOP_GUARD_LIMITS, ...deps.limits };
  const now = (deps.now ?? Date.now)();
  const correspondent = request.correspondent.trim().toLowerCase();
  return deps.db.transaction().execute(async (trx) => {
    // The rule's key covers its per-rule count and a repeated trigger; the other the correspondent's count.
    await lockDecision(trx, [`loop-guard:rule:${request.ruleId}`, `loop-guard:sender:${request.mailboxId}:${correspondent}`]);
    const earlier = await trx
      .selectFrom('automatic_sends')
      .select('id')
      .where('kind', '=', request.kind)
      .where('rule_id', '=', request.ruleId)
      .where('trigger_id', '=', request.triggerId)
      .executeTakeFirst();
    const mailbox = await findMailboxById(trx, request.mailboxId);
    const mailboxAddress = mailbox?.address ?? '';
    if (earlier) return allowed(request.kind, mailboxAddress);

    const reason =
      loopSignalOf(request.incomingHeaders, await loadOwnAddresses(trx)) ??
      (isSystemSender(correspondent) ? 'system_sender' : null) ??
      (await rateLimitReason(trx, limits, now, request.ruleId, request.mailboxId, correspondent));
    if (reason !== null) {
      if (reason === 'rule_rate' || reason === 'correspondent_rate' || LOOP_SIGNALS.has(reason)) {
        await alertAdminsOnce(trx, deps.mailer, limits, now, { ...request, correspondent, mailboxAddress, reason });
      }
      return { send: false, reason };
    }
    await trx
      .insertInto('automatic_sends')
      .values({
        id: newId(),
        kind: request.kind,
        rule_id: request.ruleId,
        mailbox_id: request.mailboxId,
        correspondent,
        conversation_id: request.conversationId,
        trigger_id: request.triggerId,
        at: now,
      })
      .execute();
    await trx
      .deleteFrom('automatic_sends')
      .where('at', '<', now - KEEP_MS)
      .execute();
    return allowed(request.kind, mailboxAddress);
  });
}

/**
 * What every automatic mail of Pier carries: `Auto-Submitted` (RFC 3834; auto-forwarded is RFC
 * 5436's) so well-behaved responders stay silent, and `X-Loop` naming the mailbox so Pier (and
 * list software) recognises its own mail coming back.
 */
export function automaticSendHeaders(kind: AutomaticSendKind, mailboxAddress: string): Record<string, string> {
  return { 'Auto-Submitted': kind === 'forward' ? 'auto-forwarded' : 'auto-replied', 'X-Loop': mailboxAddress };
}

function allowed(kind: AutomaticSendKind, mailboxAddress: string): AutomaticSendDecision {
  return { send: true, reason: null, headers: automaticSendHeaders(kind, mailboxAddress) };
}

async function rateLimitReason(
  trx: Transaction<Database>,
  limits: LoopGuardLimits,
  now: number,
  ruleId: string,
  mailboxId: string,
  correspondent: string,
): Promise<LoopGuardReason | null> {
  const since = now - limits.windowMs;
  const byRule = await trx
    .selectFrom('automatic_sends')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('rule_id', '=', ruleId)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(byRule.n) >= limits.perRule) return 'rule_rate';
  const byCorrespondent = await trx
    .selectFrom('automatic_sends')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .where('correspondent', '=', correspondent)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(byCorrespondent.n) >= limits.perCorrespondent ? 'correspondent_rate' : null;
}

const REASON_TEXT: Record<LoopGuardReason, { en: string; zh: string }> = {
  x_loop: { en: 'the mail came back from one of our own automatic mails (X-Loop)', zh: '这封邮件是我方自动邮件的回环（X-Loop）' },
  hop_limit: { en: 'the mail passed through too many servers', zh: '邮件经过的服务器过多' },
  auto_submitted: { en: 'the mail was written by a machine', zh: '邮件由程序自动发出' },
  precedence: { en: 'the mail is a mass mailing', zh: '邮件为群发邮件' },
  mailing_list: { en: 'the mail came from a mailing list', zh: '邮件来自邮件列表' },
  empty_return_path: { en: 'the mail is a bounce', zh: '邮件为退信' },
  system_sender: { en: 'the sender is a system address', zh: '发件人为系统地址' },
  rule_rate: { en: 'the rule reached its limit of automatic mails per hour', zh: '该规则已达到每小时自动邮件上限' },
  correspondent_rate: {
    en: 'one correspondent caused too many automatic mails within an hour',
    zh: '同一联系人在一小时内触发了过多自动邮件',
  },
};

async function alertAdminsOnce(
  trx: Transaction<Database>,
  mailer: LoopAlertMailer,
  limits: LoopGuardLimits,
  now: number,
  trip: AutomaticSendRequest & { mailboxAddress: string; reason: LoopGuardReason },
): Promise<void> {
  const inserted = await trx
    .insertInto('loop_guard_alerts')
    .values({ rule_id: trip.ruleId, period: Math.floor(now / limits.alertPeriodMs), reason: trip.reason, at: now })
    .onConflict((oc) => oc.columns(['rule_id', 'period']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
  const why = REASON_TEXT[trip.reason];
  for (const admin of await listActiveAdmins(trx)) {
    await notify(trx, {
      userId: admin.id,
      kind: 'automatic_send.stopped',
      data: {
        ruleId: trip.ruleId,
        ruleKind: trip.kind,
        reason: trip.reason,
        mailbox: trip.mailboxAddress,
        target: trip.recipient,
        address: trip.correspondent,
        ...(trip.conversationId ? { conversationId: trip.conversationId } : {}),
      },
    });
    if (!mailer.enabled) continue;
    await mailer.queue(trx, {
      to: admin.email,
      subject: `Pier stopped automatic mail of ${trip.mailboxAddress}: possible mail loop / 自动邮件已暂停`,
      text: [
        `Pier did not send an automatic mail ("${trip.ruleName}", ${trip.kind}) from ${trip.mailboxAddress} to ${trip.recipient}, caused by mail from ${trip.correspondent}: ${why.en}.`,
        'Two automatic senders answering each other can exchange hundreds of mails: check the rule and the other side. Pier keeps refusing while the loop goes on, and alerts at most once an hour per rule.',
        '',
        `Pier 未发送自动邮件（“${trip.ruleName}”，${trip.kind}）：从 ${trip.mailboxAddress} 发往 ${trip.recipient}，由 ${trip.correspondent} 的来信触发。原因：${why.zh}。`,
        '两个自动发件方互相应答可能产生数百封邮件：请检查该规则和对方设置。回环持续期间 Pier 会继续拦截，每条规则每小时最多提醒一次。',
      ].join('\n'),
    });
  }
}
