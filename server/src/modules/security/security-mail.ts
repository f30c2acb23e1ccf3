import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { SecurityAlertsTable } from '../../db/tables/accounts.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import type { SecretBox } from './secret-box.js';

/**
 * Security mail (alerts, invitations, reset links) goes out through the
 * "system mailbox" (PIER_SYSTEM_MAILBOX: the address of a mailbox connected in
 * Pier, whose SMTP settings are used); an admin may send an invitation or a reset
 * link through another connected mailbox instead (`via`, a mailbox id). It is
 * queued as a durable job in the same transaction as what it reports; the body is
 * sealed in the job row, because reset and invite links are secrets.
 */
export type SecurityMail = { to: string; subject: string; text: string };
/** Sends one mail through `via` (a mailbox id) or the system mailbox; supplied by compose (mailboxes depends on security, not back). */
export type SystemMailSender = (mail: SecurityMail, via?: string) => Promise<void>;
/** A connected mailbox Pier can send through: active, with SMTP settings. */
export type SendingMailbox = { id: string; address: string; displayName: string };

export type SecurityMailer = {
  /** Whether a system mailbox is configured; without one, nothing is queued unless a mailbox is chosen (`via`). */
  enabled: boolean;
  /** PIER_SYSTEM_MAILBOX, lower-cased. */
  systemAddress: string | null;
  /** The mailboxes an admin may choose to send an invitation or reset link through. */
  sendingMailboxes(): Promise<SendingMailbox[]>;
  queue(executor: Kysely<Database> | Transaction<Database>, mail: SecurityMail, via?: SendingMailbox): Promise<void>;
};

type AlertKind = SecurityAlertsTable['kind'];

const JOB = 'security.send-mail';
const Payload = z.object({ to: z.string(), subject: z.string(), sealedText: z.string(), via: z.string().optional() });

export function createSecurityMailer(
  secrets: SecretBox,
  systemAddress: string | undefined,
  sendingMailboxes: () => Promise<SendingMailbox[]> = async () => [],
): SecurityMailer {
  const enabled = systemAddress !== undefined;
  return {
    enabled,
    systemAddress: systemAddress ?? null,
    sendingMailboxes,
    async queue(executor, mail, via) {
      if (!enabled && !via) return;
      const payload = { to: mail.to, subject: mail.subject, sealedText: secrets.seal(mail.text), ...(via ? { via: via.id } : {}) };
      await enqueueJob(executor, { name: JOB, payload });
    },
  };
}

/** Every security mail's text is written here (English first, then Chinese), so the wording lives in one place. */
export function invitationMail(to: string, inviterName: string, link: string): SecurityMail {
  return {
    to,
    subject: 'You are invited to Pier / 邀请您加入 Pier',
    text: `${inviterName} invited you to the shared mailbox in Pier. Choose your password here (valid 7 days):\n${link}\n\n${inviterName} 邀请您使用 Pier 共享邮箱。请在 7 天内通过以上链接设置密码。`,
  };
}

/** A reset link: started by an administrator, or asked for by someone who typed the address. */
export function passwordResetMail(to: string, startedBy: 'admin' | 'self', link: string): SecurityMail {
  const subject = 'Reset your Pier password / 重置 Pier 密码';
  if (startedBy === 'admin') {
    return {
      to,
      subject,
      text: `An administrator started a password reset for your Pier account. Choose a new password here (valid 1 hour):\n${link}\n\n管理员为您的 Pier 账户发起了密码重置，请在 1 小时内通过以上链接设置新密码。`,
    };
  }
  return {
    to,
    subject,
    text: `Someone asked to reset the password of this Pier account. If it was you, choose a new password here (valid 1 hour):\n${link}\n\nIf it was not you, ignore this mail.\n\n有人请求重置此 Pier 账户的密码。如是您本人，请在 1 小时内通过以上链接设置新密码；否则请忽略本邮件。`,
  };
}

const describeAlert: Record<AlertKind, (d: Record<string, unknown>) => string> = {
  new_country: (d) => `a sign-in from a country not seen before on this account (${d.country})`,
  new_device: (d) => `a sign-in from a new device (${d.device})`,
  impossible_travel: (d) => `sign-ins from ${d.from} and ${d.to}, ${d.distanceKm} km apart, too close in time to travel`,
  failure_burst: (d) => `${d.failures} failed sign-in attempts within ${d.minutes} minutes`,
  // The sign-in page answers a locked account like a wrong password (no account discovery): this mail is how its owner learns why.
  locked_out: (d) => `sign-in locked for ${d.minutes} minutes after repeated failures (until then even the right password is refused)`,
};

/** An unusual-login alert about `subject`'s account, to the owner or an admin. */
export function securityAlertMail(
  to: string,
  subject: { name: string; email: string },
  kind: AlertKind,
  detail: Record<string, unknown>,
): SecurityMail {
  const what = describeAlert[kind](detail);
  return {
    to,
    subject: `Pier security alert: ${subject.email} / 安全提醒`,
    text: [
      `Pier noticed ${what} for ${subject.name} <${subject.email}>.`,
      'If this was not expected, sign out the sessions on the "My security" page and change the password.',
      '',
      `Pier 检测到账户 ${subject.email} 的异常登录：${kind}。如非本人操作，请在“我的安全”页面注销会话并修改密码。`,
    ].join('\n'),
  };
}

export function securityMailJob(secrets: SecretBox, send: SystemMailSender): AnyJobHandler {
  return defineJob({
    name: JOB,
    payload: Payload,
    urgent: true,
    run: async (payload) => send({ to: payload.to, subject: payload.subject, text: secrets.open(payload.sealedText) }, payload.via),
  });
}
