import type { ResolveForward, UncertainForward } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { enqueueJob } from '../../jobs/queue.js';
import { companyDomains, isExternalTarget, recordAudit } from '../audit/index.js';
import { SEND_JOB } from './forward.js';
import type { RuleActor } from './rules.js';

/**
 * Forwards that ended "uncertain": the SMTP server took the mail and then stopped answering (or Pier
 * died mid-send), so the target may or may not have it. Pier never resends on its own (decision
 * 0017, rule of 0008); an admin decides here, and the decision is audited.
 */
export async function listUncertainForwards(db: Kysely<Database>): Promise<UncertainForward[]> {
  const domains = await companyDomains(db);
  const rows = await db
    .selectFrom('forwarding_deliveries as d')
    .innerJoin('forwarding_rules as r', 'r.id', 'd.rule_id')
    .innerJoin('messages as msg', 'msg.id', 'd.message_id')
    .leftJoin('mailboxes as m', 'm.id', 'r.mailbox_id')
    .select([
      'd.rule_id',
      'd.message_id',
      'd.target',
      'd.error',
      'd.updated_at',
      'r.name',
      'm.address',
      'msg.subject',
      'msg.from_addr',
      'msg.from_name',
    ])
    .where('d.state', '=', 'uncertain')
    .orderBy('d.updated_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    ruleId: r.rule_id,
    ruleName: r.name,
    messageId: r.message_id,
    mailboxAddress: r.address ?? null,
    target: r.target,
    external: isExternalTarget(domains, r.target),
    subject: r.subject,
    from: r.from_name ? `${r.from_name} <${r.from_addr ?? ''}>` : (r.from_addr ?? null),
    error: r.error,
    since: Number(r.updated_at),
  }));
}

/**
 * An admin's decision on an uncertain forward: `mark_sent` records it as delivered (nothing is sent);
 * `resend` hands it to the forwarding job again (the target may then have it twice). Either only from
 * 'uncertain' (a conditional update: two admins deciding at once, one wins, the other gets 409).
 */
export async function resolveUncertainForward(db: Kysely<Database>, actor: RuleActor, input: ResolveForward): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('forwarding_deliveries as d')
      .innerJoin('forwarding_rules as r', 'r.id', 'd.rule_id')
      .innerJoin('messages as msg', 'msg.id', 'd.message_id')
      .select(['d.target', 'd.error', 'r.name', 'r.mailbox_id', 'r.enabled', 'msg.subject'])
      .where('d.rule_id', '=', input.ruleId)
      .where('d.message_id', '=', input.messageId)
      .executeTakeFirst();
    if (!row) throw new AppError('forwarding.delivery_not_found', 404, 'no such forward');
    if (input.action === 'resend' && row.enabled !== 1) {
      throw new AppError('forwarding.rule_disabled', 409, 'the rule is switched off: switch it on to send again');
    }
    const now = Date.now();
    const updated = await trx
      .updateTable('forwarding_deliveries')
      .set(
        input.action === 'mark_sent'
          ? { state: 'sent', error: null, updated_at: now }
          : // 'failed' is the state the forwarding job claims again (and sends); the note says why.
            { state: 'failed', error: `resend requested by ${actor.name}`, updated_at: now },
      )
      .where('rule_id', '=', input.ruleId)
      .where('message_id', '=', input.messageId)
      .where('state', '=', 'uncertain')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('forwarding.delivery_changed', 409, 'the forward is no longer uncertain');
    if (input.action === 'resend') {
      await enqueueJob(trx, {
        name: SEND_JOB,
        payload: { ruleId: input.ruleId, messageId: input.messageId },
        dedupeKey: `${SEND_JOB}:${input.ruleId}:${input.messageId}:resend:${now}`,
      });
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: input.action === 'resend' ? 'forwarding.uncertain_resent' : 'forwarding.uncertain_marked_sent',
      targetType: 'forwarding_rule',
      targetId: input.ruleId,
      mailboxId: row.mailbox_id,
      ip: actor.ip,
      details: {
        rule: row.name,
        target: row.target,
        external: isExternalTarget(await companyDomains(trx), row.target),
        messageId: input.messageId,
        subject: row.subject,
        error: row.error,
      },
    });
  });
}
