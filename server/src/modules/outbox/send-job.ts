import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { OutboxMessagesTable } from '../../db/tables/outbox.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { approvalMissing } from '../fraud/index.js';
import {
  accessTokenSource,
  classifyConnectionError,
  createImapClient,
  findMailboxById,
  type HostGuard,
  providerSavesSentMail,
  resolveAllowedHost,
} from '../mailboxes/index.js';
import type { SecretBox } from '../security/index.js';
import { emitWebhookEvent } from '../webhooks/index.js';
import { SEND_JOB, SENT_COPY_JOB, sendJobKey } from './queue-send.js';
import { loadSignatureSettings } from './settings.js';
import { type Envelope, SmtpSendError, type SmtpTimeouts, sendRawMail } from './smtp-send.js';

export type OutboxWorkerDeps = {
  db: Kysely<Database>;
  blobs: BlobStore;
  secrets: SecretBox;
  /** Which addresses the mailbox's servers may resolve to (PIER_ALLOW_PRIVATE_HOSTS); unchecked without it. */
  hosts?: HostGuard;
  logger: Logger;
  /** Waits between SMTP attempts that failed before DATA; one more attempt than entries. */
  retryDelaysMs?: number[];
  smtpTimeouts?: SmtpTimeouts;
  /** Decides whether the undo window is over and when a retry is due (tests move it). */
  clock?: Clock;
};

export const DEFAULT_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000];
const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionTimeout: 30_000, socketTimeout: 120_000 };
const Payload = z.object({ outboxId: z.string() });

export function outboxJobHandlers(deps: OutboxWorkerDeps): AnyJobHandler[] {
  return [
    // Urgent: the agent waits for "sent" (and for the copy in the provider's Sent folder, seen in
    // other mail clients); neither may queue behind the thousands of jobs of an initial sync.
    // One send at a time per worker (decision 0070): a crash mid-send leaves one "uncertain" send, not one per slot.
    defineJob({
      name: SEND_JOB,
      payload: Payload,
      urgent: true,
      serialGroup: SEND_JOB,
      run: ({ outboxId }) => runSendJob(deps, outboxId),
    }),
    defineJob({ name: SENT_COPY_JOB, payload: Payload, urgent: true, run: ({ outboxId }) => runSentCopyJob(deps, outboxId) }),
  ];
}

/**
 * One send attempt, at most once per "sending" mark:
 * 1. claim: scheduled|queued → sending (conditional update, committed before SMTP starts);
 * 2. one SMTP session;
 * 3. sent | queued again (failed before DATA, retry later) | failed | uncertain.
 * A run that finds "sending" left by an earlier run (the process died, the job's
 * lease expired) cannot know whether the server got the mail, so it records
 * "uncertain" for a person to decide, and never sends.
 */
export async function runSendJob(deps: OutboxWorkerDeps, outboxId: string): Promise<void> {
  const { db, logger } = deps;
  const row = await db.selectFrom('outbox_messages').selectAll().where('id', '=', outboxId).executeTakeFirst();
  if (!row) return; // undone
  if (row.state === 'sending') {
    await finish(db, row.id, 'sending', {
      state: 'uncertain',
      error_code: 'outbox.interrupted',
      error_detail: 'Pier stopped while this mail was being sent: it may or may not have left',
    });
    logger.warn({ outboxId }, 'send interrupted earlier: outcome unknown, marked uncertain');
    return;
  }
  if (row.state !== 'scheduled' && row.state !== 'queued') return; // awaiting_approval, rejected, cancelled…: never sent
  // Fraud gate (ADR 0015), fail closed: a mail that needed a second approver leaves only with an approval on record.
  if (await approvalMissing(db, row)) {
    await finish(db, row.id, row.state, {
      state: 'failed',
      error_code: 'outbox.approval_missing',
      error_detail: 'this mail needs a second approver and has no approval on record',
    });
    logger.warn({ outboxId }, 'send refused: second approval missing');
    return;
  }
  if (Number(row.send_after) > (deps.clock ?? systemClock).now()) {
    await enqueueJob(db, {
      name: SEND_JOB,
      payload: { outboxId },
      runAt: Number(row.send_after),
      dedupeKey: sendJobKey(outboxId, row.attempts),
    });
    return;
  }
  const claimed = await db
    .updateTable('outbox_messages')
    .set({ state: 'sending', attempts: row.attempts + 1, updated_at: Date.now() })
    .where('id', '=', outboxId)
    .where('state', '=', row.state)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return; // undone or taken meanwhile
  const attempt = row.attempts + 1;

  let mailbox: MailboxRow | undefined;
  let raw: Buffer;
  try {
    mailbox = await findMailboxById(db, row.mailbox_id);
    const message = await db.selectFrom('messages').select('raw_sha256').where('id', '=', row.message_id).executeTakeFirstOrThrow();
    raw = await deps.blobs.get(message.raw_sha256);
  } catch (error) {
    await finish(db, row.id, 'sending', { state: 'failed', error_code: 'outbox.internal', error_detail: String(error).slice(0, 500) });
    return;
  }
  if (!mailbox) {
    await finish(db, row.id, 'sending', { state: 'failed', error_code: 'mailbox.not_found', error_detail: 'the mailbox was removed' });
    return;
  }

  const envelope = JSON.parse(row.envelope) as Envelope;
  try {
    const accepted = await sendRawMail(
      mailbox,
      deps.secrets,
      envelope,
      raw,
      deps.smtpTimeouts ?? DEFAULT_SMTP_TIMEOUTS,
      accessTokenSource(db, deps.secrets, mailbox, deps.hosts),
      deps.hosts,
    );
    const sentCopy = await sentCopyDecision(db, mailbox);
    const sentAt = Date.now();
    await db.transaction().execute(async (trx) => {
      await finish(trx, row.id, 'sending', {
        state: 'sent',
        sent_at: sentAt,
        smtp_response: accepted.response.slice(0, 500),
        rejected: JSON.stringify(accepted.rejected),
        error_code: accepted.rejected.length > 0 ? 'outbox.some_recipients_refused' : null,
        error_detail: accepted.rejected.length > 0 ? accepted.rejected.join(', ') : null,
        sent_copy: sentCopy,
      });
      // At the relay's acceptance, not when the mail was queued (issue 19).
      await emitWebhookEvent(trx, 'message.sent', {
        outboxId: row.id,
        messageId: row.message_id,
        conversationId: row.conversation_id,
        mailboxId: row.mailbox_id,
        sentAt,
      });
      if (sentCopy === 'pending') {
        await enqueueJob(trx, { name: SENT_COPY_JOB, payload: { outboxId }, dedupeKey: `${SENT_COPY_JOB}:${outboxId}`, maxAttempts: 6 });
      }
    });
    logger.info({ outboxId, attempt }, 'mail sent');
  } catch (error) {
    const failure = error instanceof SmtpSendError ? error : new SmtpSendError('unknown', 'outbox.outcome_unknown', false, String(error));
    if (failure.outcome === 'unknown') {
      await finish(db, row.id, 'sending', { state: 'uncertain', error_code: failure.code, error_detail: failure.message.slice(0, 500) });
      logger.warn({ outboxId, attempt, code: failure.code }, 'send outcome unknown: marked uncertain');
      return;
    }
    const delays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[attempt - 1];
    if (failure.permanent || delay === undefined) {
      await finish(db, row.id, 'sending', { state: 'failed', error_code: failure.code, error_detail: failure.message.slice(0, 500) });
      logger.warn({ outboxId, attempt, code: failure.code }, 'send failed');
      return;
    }
    const runAt = (deps.clock ?? systemClock).now() + delay;
    await db.transaction().execute(async (trx) => {
      await finish(trx, row.id, 'sending', {
        state: 'queued',
        send_after: runAt,
        error_code: failure.code,
        error_detail: failure.message.slice(0, 500),
      });
      await enqueueJob(trx, { name: SEND_JOB, payload: { outboxId }, runAt, dedupeKey: sendJobKey(outboxId, attempt) });
    });
    logger.info({ outboxId, attempt, code: failure.code, retryInMs: delay }, 'send failed before DATA: will retry');
  }
}

type Db = Kysely<Database> | Transaction<Database>;

/** Moves the row on only from the state this run put it in. */
async function finish(db: Db, id: string, from: OutboxMessagesTable['state'], set: Partial<OutboxMessagesTable>) {
  await db
    .updateTable('outbox_messages')
    .set({ ...set, updated_at: Date.now() })
    .where('id', '=', id)
    .where('state', '=', from)
    .execute();
}

/** auto: skip where the provider saves sent mail itself (Gmail, Microsoft 365); always/never as configured. */
async function sentCopyDecision(db: Db, mailbox: MailboxRow): Promise<'pending' | 'skipped'> {
  if (!mailbox.imap_host) return 'skipped';
  const { sentCopy } = await loadSignatureSettings(db, mailbox.id);
  if (sentCopy === 'never') return 'skipped';
  if (sentCopy === 'auto' && providerSavesSentMail(mailbox)) return 'skipped';
  return 'pending';
}

/**
 * APPENDs the exact bytes that were sent to the mailbox's Sent folder, so the
 * history lives on the provider too (Outlook, webmail, the next helpdesk). The
 * folder sync then finds it as the same message (same identity) and only adds
 * a location. Idempotent: a copy already there (found by Message-ID) is not appended twice.
 */
export async function runSentCopyJob(deps: OutboxWorkerDeps, outboxId: string): Promise<void> {
  const { db } = deps;
  const row = await db.selectFrom('outbox_messages').selectAll().where('id', '=', outboxId).executeTakeFirst();
  if (row?.sent_copy !== 'pending' || (row.state !== 'sent' && row.state !== 'bounced')) return;
  const mailbox = await findMailboxById(db, row.mailbox_id);
  if (!mailbox?.imap_host) return;
  const message = await db.selectFrom('messages').select('raw_sha256').where('id', '=', row.message_id).executeTakeFirstOrThrow();
  const raw = await deps.blobs.get(message.raw_sha256);
  const target = deps.hosts ? await resolveAllowedHost(deps.hosts, mailbox.imap_host) : undefined;
  const client = createImapClient(mailbox, deps.secrets, { connectionTimeout: 30_000, socketTimeout: 120_000 }, target);
  client.on('error', () => {});
  try {
    await client.connect();
    const path = await sentFolderPath(db, mailbox.id, client);
    const lock = await client.getMailboxLock(path);
    let present = false;
    try {
      const found = await client.search({ header: { 'message-id': row.message_id_header } }, { uid: true });
      present = Array.isArray(found) && found.length > 0;
    } finally {
      lock.release();
    }
    if (!present) await client.append(path, raw, ['\\Seen']);
    await db
      .updateTable('outbox_messages')
      .set({ sent_copy: 'done', sent_copy_detail: path, updated_at: Date.now() })
      .where('id', '=', outboxId)
      .execute();
  } catch (error) {
    const classified = classifyConnectionError(error);
    await db
      .updateTable('outbox_messages')
      .set({ sent_copy_detail: `${classified.code}: ${classified.message}`.slice(0, 500), updated_at: Date.now() })
      .where('id', '=', outboxId)
      .execute();
    throw error;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** The folder the sync knows as Sent, else the server's \Sent special-use folder, else "Sent". */
async function sentFolderPath(db: Db, mailboxId: string, client: ReturnType<typeof createImapClient>): Promise<string> {
  const known = await db
    .selectFrom('folders')
    .select('path')
    .where('mailbox_id', '=', mailboxId)
    .where('role', '=', 'sent')
    .executeTakeFirst();
  if (known) return known.path;
  const list = await client.list();
  return list.find((f) => f.specialUse === '\\Sent')?.path ?? 'Sent';
}
