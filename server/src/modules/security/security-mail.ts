import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import type { SecretBox } from './secret-box.js';

/**
 * Security mail (alerts, invitations, reset links) goes out through the
 * "system mailbox" (PIER_SYSTEM_MAILBOX: the address of a mailbox connected in
 * Pier, whose SMTP settings are used). It is queued as a durable job in the
 * same transaction as what it reports; the body is sealed in the job row,
 * because reset and invite links are secrets.
 */
export type SecurityMail = { to: string; subject: string; text: string };
/** Sends one mail through the system mailbox; supplied by compose (mailboxes depends on security, not back). */
export type SystemMailSender = (mail: SecurityMail) => Promise<void>;

export type SecurityMailer = {
  /** Whether a system mailbox is configured; without one, nothing is queued. */
  enabled: boolean;
  queue(executor: Kysely<Database> | Transaction<Database>, mail: SecurityMail): Promise<void>;
};

const JOB = 'security.send-mail';
const Payload = z.object({ to: z.string(), subject: z.string(), sealedText: z.string() });

export function createSecurityMailer(secrets: SecretBox, enabled: boolean): SecurityMailer {
  return {
    enabled,
    async queue(executor, mail) {
      if (!enabled) return;
      await enqueueJob(executor, { name: JOB, payload: { to: mail.to, subject: mail.subject, sealedText: secrets.seal(mail.text) } });
    },
  };
}

export function securityMailJob(secrets: SecretBox, send: SystemMailSender): AnyJobHandler {
  return defineJob({
    name: JOB,
    payload: Payload,
    run: async (payload) => send({ to: payload.to, subject: payload.subject, text: secrets.open(payload.sealedText) }),
  });
}
