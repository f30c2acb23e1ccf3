import { type PierForwardingRule, type SaveForwardingRule, SaveForwardingRuleSchema } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { companyDomains, isExternalTarget, listPierForwardingRules, recordAudit } from '../audit/index.js';
import { notify } from '../notifications/index.js';

/** Mail through the system mailbox (the security module's SecurityMailer, passed in by compose). */
export type AlertMailer = {
  enabled: boolean;
  queue(executor: Transaction<Database>, mail: { to: string; subject: string; text: string }): Promise<void>;
};
export type RuleDeps = { db: Kysely<Database>; mailer: AlertMailer };
export type RuleActor = { id: string; name: string; email: string; ip: string | null };

type Saved = ReturnType<typeof SaveForwardingRuleSchema.parse>;

/**
 * Pier's forwarding rules: per mailbox, forward every incoming mail (or mail from one sender
 * domain) to an address. Every change is audited in its own transaction; a rule whose target
 * is outside the company's domains (the mailboxes' domains) alerts every admin, in the app and
 * by mail when a system mailbox is configured, in that same transaction.
 */
export async function createForwardingRule(deps: RuleDeps, actor: RuleActor, input: SaveForwardingRule): Promise<PierForwardingRule> {
  const rule = SaveForwardingRuleSchema.parse(input);
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const mailbox = await mailboxOf(trx, rule.mailboxId);
    const now = Date.now();
    await trx
      .insertInto('forwarding_rules')
      .values({
        id,
        mailbox_id: rule.mailboxId,
        name: rule.name,
        sender_domain: rule.senderDomain,
        target: rule.target,
        enabled: rule.enabled ? 1 : 0,
        created_by: actor.id,
        created_at: now,
        updated_by: actor.id,
        updated_at: now,
      })
      .execute();
    const external = isExternalTarget(await companyDomains(trx), rule.target);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'forwarding_rule.created',
      targetType: 'forwarding_rule',
      targetId: id,
      mailboxId: rule.mailboxId,
      ip: actor.ip,
      details: ruleDetails(rule, mailbox.address, external),
    });
    if (external) await alertAdmins(trx, deps.mailer, actor, { id, ...rule, mailbox: mailbox.address }, 'created');
  });
  return loadRule(deps.db, id);
}

export async function updateForwardingRule(
  deps: RuleDeps,
  actor: RuleActor,
  ruleId: string,
  input: SaveForwardingRule,
): Promise<PierForwardingRule> {
  const rule = SaveForwardingRuleSchema.parse(input);
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('forwarding_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
    if (!before) throw new AppError('forwarding.not_found', 404, 'no such forwarding rule');
    const mailbox = await mailboxOf(trx, rule.mailboxId);
    await trx
      .updateTable('forwarding_rules')
      .set({
        mailbox_id: rule.mailboxId,
        name: rule.name,
        sender_domain: rule.senderDomain,
        target: rule.target,
        enabled: rule.enabled ? 1 : 0,
        updated_by: actor.id,
        updated_at: Date.now(),
      })
      .where('id', '=', ruleId)
      .execute();
    const domains = await companyDomains(trx);
    const external = isExternalTarget(domains, rule.target);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'forwarding_rule.updated',
      targetType: 'forwarding_rule',
      targetId: ruleId,
      mailboxId: rule.mailboxId,
      ip: actor.ip,
      details: {
        ...ruleDetails(rule, mailbox.address, external),
        before: { mailboxId: before.mailbox_id, senderDomain: before.sender_domain, target: before.target, enabled: before.enabled === 1 },
      },
    });
    // A new external destination (or one switched back on) is news to the admins; a rename is not.
    const newlyExternal =
      external && rule.enabled && (before.target !== rule.target || before.enabled !== 1 || before.mailbox_id !== rule.mailboxId);
    if (newlyExternal) await alertAdmins(trx, deps.mailer, actor, { id: ruleId, ...rule, mailbox: mailbox.address }, 'changed');
  });
  return loadRule(deps.db, ruleId);
}

export async function removeForwardingRule(deps: RuleDeps, actor: RuleActor, ruleId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('forwarding_rules as r')
      .innerJoin('mailboxes as m', 'm.id', 'r.mailbox_id')
      .select(['r.id', 'r.mailbox_id', 'r.name', 'r.sender_domain', 'r.target', 'm.address'])
      .where('r.id', '=', ruleId)
      .executeTakeFirst();
    if (!before) throw new AppError('forwarding.not_found', 404, 'no such forwarding rule');
    await trx.deleteFrom('forwarding_rules').where('id', '=', ruleId).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'forwarding_rule.removed',
      targetType: 'forwarding_rule',
      targetId: ruleId,
      mailboxId: before.mailbox_id,
      ip: actor.ip,
      details: { name: before.name, mailbox: before.address, senderDomain: before.sender_domain, target: before.target },
    });
  });
}

export async function loadRule(db: Kysely<Database>, ruleId: string): Promise<PierForwardingRule> {
  const rule = (await listPierForwardingRules(db, { ruleId })).items[0];
  if (!rule) throw new AppError('forwarding.not_found', 404, 'no such forwarding rule');
  return rule;
}

async function mailboxOf(trx: Transaction<Database>, mailboxId: string) {
  const mailbox = await trx.selectFrom('mailboxes').select(['id', 'address']).where('id', '=', mailboxId).executeTakeFirst();
  if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  return mailbox;
}

function ruleDetails(rule: Saved, mailbox: string, external: boolean) {
  return { name: rule.name, mailbox, senderDomain: rule.senderDomain, target: rule.target, enabled: rule.enabled, external };
}

async function alertAdmins(
  trx: Transaction<Database>,
  mailer: AlertMailer,
  actor: RuleActor,
  rule: Saved & { id: string; mailbox: string },
  what: 'created' | 'changed',
): Promise<void> {
  const admins = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('role', 'in', ['super_admin', 'admin'])
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
  const scope = rule.senderDomain ? `mail from ${rule.senderDomain}` : 'every incoming mail';
  const scopeZh = rule.senderDomain ? `来自 ${rule.senderDomain} 的邮件` : '所有收到的邮件';
  for (const admin of admins) {
    await notify(trx, {
      userId: admin.id,
      kind: 'forwarding.external_rule',
      data: { ruleId: rule.id, what, mailbox: rule.mailbox, target: rule.target, senderDomain: rule.senderDomain, by: actor.email },
    });
    if (!mailer.enabled) continue;
    await mailer.queue(trx, {
      to: admin.email,
      subject: `Pier security alert: mail of ${rule.mailbox} forwarded outside the company / 外部转发提醒`,
      text: [
        `${actor.name} <${actor.email}> ${what} a forwarding rule "${rule.name}" that sends ${scope} of ${rule.mailbox} to ${rule.target}, outside the company's domains.`,
        'If this was not expected, remove the rule on the forwarding audit page and check who made it: hijacked accounts often add silent forwards.',
        '',
        `${actor.name} <${actor.email}> 新建或修改了转发规则“${rule.name}”，会把 ${rule.mailbox} ${scopeZh}转发到公司外部地址 ${rule.target}。`,
        '如非预期，请在“转发审计”页面删除该规则并核实操作人：被盗账户常会悄悄添加转发。',
      ].join('\n'),
    });
  }
}
