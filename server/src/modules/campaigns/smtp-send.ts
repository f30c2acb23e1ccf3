import type { MailboxRow } from '../../db/schema.js';
import { accessTokenSource } from '../mailboxes/index.js';
import { SmtpSendError, type SmtpTimeouts, sendRawMail } from '../outbox/index.js';
import type { CampaignWorkerDeps } from './send-job.js';

type SendDeps = Pick<CampaignWorkerDeps, 'db' | 'secrets' | 'hosts' | 'smtpTimeouts'>;

const DEFAULT_TIMEOUTS: SmtpTimeouts = { connectionTimeout: 30_000, socketTimeout: 120_000 };

/**
 * One marketing mail (a campaign's or a double opt-in confirmation) to one address, From the
 * marketing mailbox through its SMTP with the outbox's `sendRawMail` (its OAuth token and host guard).
 */
export function sendMarketingMail(deps: SendDeps, mailbox: MailboxRow, to: string, raw: Buffer, timeouts = deps.smtpTimeouts) {
  return sendRawMail(
    mailbox,
    deps.secrets,
    { from: mailbox.address, to: [to] },
    raw,
    timeouts ?? DEFAULT_TIMEOUTS,
    accessTokenSource(deps.db, deps.secrets, mailbox, deps.hosts),
    deps.hosts,
  );
}

/** Any failure of building or sending a mail as an SmtpSendError; one that is none has an unknown outcome. */
export function smtpFailureOf(error: unknown): SmtpSendError {
  return error instanceof SmtpSendError ? error : new SmtpSendError('unknown', 'outbox.outcome_unknown', false, String(error));
}
