import type { ComposeContext, Draft, OutboxItem, SendRequestSchema } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Engine } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { OutboxMessagesTable } from '../../db/tables/outbox.js';
import { AppError } from '../../errors.js';
import { cancelWaitingJob, enqueueJob } from '../../jobs/queue.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { recordAudit } from '../audit/index.js';
import {
  conversationAccess,
  type PierMessageIds,
  prepareMail,
  type RecordReopened,
  removeUnsentMessage,
  storePreparedMail,
  type TeamActivityCheck,
} from '../conversations/index.js';
import { checkOutgoingMail, requestApproval } from '../fraud/index.js';
import { findMailboxById, loadOwnAddresses } from '../mailboxes/index.js';
import { removeFromIndex } from '../search/index.js';
import { accessToMailbox, includesAccess } from '../security/index.js';
import { type Actor, changesSince, findParentMessage, type ParentMessage, replyRecipients, replySubject } from './conversation-reads.js';
import { deleteDraft, findDraft, findUploads, saveDraft } from './drafts.js';

import { buildOutgoingMime, htmlToPlainText, type OutgoingAttachment } from './mime.js';
import { insertOutboxMessage } from './outbox-row.js';
import { sanitizeOutgoingHtml } from './outgoing-html.js';

import { loadSendPreferences, renderSignatureForMail } from './settings.js';
import { escapeHtml, textToHtml } from './templates.js';

type SendRequest = z.output<typeof SendRequestSchema>;
/** `clock` sets the end of the undo window (tests move it instead of waiting). */
export type QueueDeps = {
  db: Kysely<Database>;
  engine: Engine;
  blobs: BlobStore;
  messageIds: PierMessageIds;
  recordReopened: RecordReopened;
  teamActivity: TeamActivityCheck;
  clock?: Clock;
};

export const SEND_JOB = 'outbox.send';
export const sendJobKey = (outboxId: string, round: number) => `${SEND_JOB}:${outboxId}:${round}`;

/** Public mailboxes the actor may send from (reply access and SMTP settings). */
export async function sendableMailboxes(db: Kysely<Database>, actor: Actor): Promise<MailboxRow[]> {
  const rows = await db.selectFrom('mailboxes').selectAll().where('smtp_host', 'is not', null).orderBy('address').execute();
  return rows.filter((m) => includesAccess(accessToMailbox(actor.scope, m.id), 'reply'));
}

/** Everything the composer needs when it opens; `seenAt` is the collision rule's reference point. */
export async function composeContext(
  deps: QueueDeps,
  actor: Actor,
  input: { conversationId?: string | undefined; mode: 'reply' | 'reply_all' | 'forward' | 'new'; messageId?: string | undefined },
): Promise<ComposeContext> {
  const seenAt = Date.now();
  const mailboxes = await sendableMailboxes(deps.db, actor);
  const prefs = await loadSendPreferences(deps.db, actor.user.id);
  let defaults: ComposeContext['defaults'] = null;
  let draft: Draft | null = null;
  if (input.conversationId) {
    const inConversation = (await conversationAccess(deps.db, actor.scope, input.conversationId, 'read')).mailboxIds;
    draft = await findDraft(deps.db, actor.user.id, { conversationId: input.conversationId });
    if (input.mode !== 'new') {
      const parent = await findParentMessage(deps.db, input.conversationId, input.messageId);
      const own = await loadOwnAddresses(deps.db);
      const recipients = parent ? replyRecipients(parent, input.mode, own) : { to: [], cc: [] };
      // Answer from the mailbox the customer wrote to, when the agent may send from it.
      const addressed = new Set([...(parent?.to ?? []), ...(parent?.cc ?? [])].map((a) => a.toLowerCase()));
      const sendable = mailboxes.filter((m) => inConversation.includes(m.id));
      const mailbox = sendable.find((m) => addressed.has(m.address.toLowerCase())) ?? sendable[0] ?? null;
      defaults = {
        mailboxId: mailbox?.id ?? null,
        replyToMessageId: parent?.id ?? null,
        to: recipients.to,
        cc: recipients.cc,
        subject: parent ? replySubject(parent.subject, input.mode) : '',
      };
    }
  }
  return {
    seenAt,
    mailboxes: mailboxes.map((m) => ({ id: m.id, address: m.address, displayName: m.display_name })),
    defaults,
    undoSeconds: prefs.undoSeconds,
    draft,
  };
}

/**
 * Queues a mail, exactly as it will leave: the raw MIME with its final
 * Message-ID is built and kept first, then one transaction stores the message
 * (threading, search, contacts), the outbox row and the send job, scheduled
 * after the undo window. Refuses with 409 when mail arrived in the
 * conversation since the composer opened (Help Scout's rule), unless forced.
 */
export async function queueSend(deps: QueueDeps, actor: Actor, request: SendRequest): Promise<OutboxItem> {
  const { db, blobs } = deps;
  const mailbox = await findMailboxById(db, request.mailboxId);
  if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  if (!mailbox.smtp_host) throw new AppError('outbox.no_smtp', 400, 'this mailbox has no SMTP settings');
  if (request.mode !== 'new' && !request.conversationId) {
    throw new AppError('request.invalid', 400, 'conversationId is required to reply or forward');
  }
  let parent: ParentMessage | null = null;
  if (request.conversationId) {
    await conversationAccess(db, actor.scope, request.conversationId, 'reply');
    if (request.mode !== 'new') parent = await findParentMessage(db, request.conversationId, request.replyToMessageId);
  }
  const body = await sanitizeOutgoingHtml(request.html);
  // A forward may go without a word of its own (the forwarded mail is the content), so may a bare attachment.
  if (!body.hasContent && request.uploadIds.length === 0 && request.mode !== 'forward') {
    throw new AppError('outbox.empty_body', 400, 'the mail has no text');
  }
  const uploads = await findUploads(db, actor.user.id, request.uploadIds);
  if (uploads.length !== request.uploadIds.length) throw new AppError('outbox.not_found', 404, 'an attachment upload is missing');
  const attachments: OutgoingAttachment[] = [];
  for (const u of uploads) attachments.push({ filename: u.filename, contentType: u.mime, content: await blobs.get(u.sha256) });
  if (request.mode === 'forward' && parent) attachments.push(...(await parentAttachments(deps, parent.id)));
  // Fraud gates (ADR 0015), on what the agent wrote (not the quote) and the attachment names:
  // 409 when payment details go into a flagged conversation without a phone confirmation; the
  // reasons a second approver must approve this mail first (it then waits, unsent).
  const approvalReasons = await checkOutgoingMail(db, {
    mailboxId: mailbox.id,
    conversationId: request.conversationId ?? null,
    text: htmlToPlainText(body.html),
    attachmentNames: attachments.map((a) => a.filename),
  });

  // The signature template is an admin's HTML: it goes through the same wall.
  const signature = await renderSignatureForMail(db, blobs, actor.user, mailbox);
  const contentIds = signature.inline.map((image) => image.contentId);
  const quote = parent ? quoteOf(parent, request.mode) : '';
  const html = [body.html, (await sanitizeOutgoingHtml(signature.html, contentIds)).html, quote].join('');
  const htmlForText = [body.html, (await sanitizeOutgoingHtml(signature.htmlForText)).html, quote].join('');
  const conversationId = request.conversationId ?? newId();
  const domain = mailbox.address.split('@')[1] ?? 'localhost';
  const messageIdHeader = deps.messageIds.create(conversationId, domain);
  const references = parent ? threadReferences(parent) : [];
  const now = Date.now();
  const raw = await buildOutgoingMime({
    from: { name: mailbox.display_name, address: mailbox.address },
    // Answers go to the shared mailbox, whoever of the team wrote.
    replyTo: mailbox.address,
    to: request.to,
    cc: request.cc,
    subject: request.subject,
    html,
    htmlForText,
    messageId: messageIdHeader,
    inReplyTo: parent?.messageIdHeader ?? null,
    references,
    attachments,
    inlineImages: signature.inline,
    date: new Date(now),
  });
  const prepared = await prepareMail(blobs, raw);
  const prefs = await loadSendPreferences(db, actor.user.id);
  const sendAfter = (deps.clock ?? systemClock).now() + prefs.undoSeconds * 1000;
  const envelope = { from: mailbox.address, to: [...new Set([...request.to, ...request.cc, ...request.bcc])] };
  const draftJson = JSON.stringify({
    conversationId: request.conversationId ?? null,
    mailboxId: request.mailboxId,
    mode: request.mode,
    replyToMessageId: request.replyToMessageId ?? parent?.id ?? null,
    to: request.to,
    cc: request.cc,
    bcc: request.bcc,
    subject: request.subject,
    html: request.html,
    uploadIds: request.uploadIds,
  });

  const row = await db.transaction().execute(async (trx) => {
    if (request.conversationId && request.seenAt !== undefined && !request.force) {
      const changes = await changesSince(trx, request.conversationId, request.seenAt);
      if (changes.length > 0) {
        throw new AppError('outbox.collision', 409, 'the conversation changed after you started writing', { changes });
      }
    }
    // The mail goes into the conversation its Message-ID names (a new mail starts it), as the agent chose.
    const ctx = {
      engine: deps.engine,
      ownAddresses: await loadOwnAddresses(trx),
      messageIds: deps.messageIds,
      recordReopened: deps.recordReopened,
      teamActivity: deps.teamActivity,
    };
    const stored = await storePreparedMail(
      trx,
      ctx,
      prepared,
      { mailboxId: mailbox.id, source: 'smtp', direction: 'out', receivedAt: now },
      conversationId,
    );
    const outbox = await insertOutboxMessage(trx, {
      message_id: stored.messageId,
      message_id_header: messageIdHeader,
      conversation_id: stored.conversationId,
      mailbox_id: mailbox.id,
      created_by: actor.user.id,
      state: approvalReasons.length > 0 ? 'awaiting_approval' : 'scheduled',
      send_after: sendAfter,
      envelope,
      draft_json: draftJson,
      approval_reasons: approvalReasons.length > 0 ? JSON.stringify(approvalReasons) : null,
      now,
    });
    if (outbox.state === 'awaiting_approval') {
      await requestApproval(trx, { outbox, subject: request.subject, author: actor.user });
    } else {
      await enqueueJob(trx, { name: SEND_JOB, payload: { outboxId: outbox.id }, runAt: sendAfter, dedupeKey: sendJobKey(outbox.id, 0) });
    }
    if (request.draftId) await deleteDraft(trx, actor.user.id, request.draftId);
    if (request.conversationId) {
      await trx
        .deleteFrom('outbox_drafts')
        .where('user_id', '=', actor.user.id)
        .where('conversation_id', '=', request.conversationId)
        .execute();
    }
    return outbox;
  });
  return toOutboxItem(row);
}

/**
 * Undo send: while the mail is still in its undo window, it is removed as if
 * never written (message, search entry, a conversation it alone started) and
 * comes back as the agent's draft. Once the worker has taken it, it is too late.
 */
export async function cancelSend(deps: QueueDeps, actor: Actor, outboxId: string): Promise<Draft> {
  const { db } = deps;
  const draftInput = await db.transaction().execute(async (trx) => {
    // Only its writer undoes a mail, and only while they still may write in its mailbox: access
    // taken away after the mail was queued takes the undo away too.
    const row = await findOutboxForActor(trx, actor, outboxId, 'reply');
    if (row.created_by !== actor.user.id) throw new AppError('outbox.not_found', 404, 'no such outgoing mail');
    // Conditional on the state: the worker's claim makes the same check, so exactly one of the two wins.
    const claimed = await trx
      .updateTable('outbox_messages')
      .set({ state: 'cancelled', updated_at: Date.now() })
      .where('id', '=', outboxId)
      .where('state', 'in', ['scheduled', 'awaiting_approval'])
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new AppError('outbox.not_cancellable', 409, 'this mail is already on its way');
    await cancelWaitingJob(trx, sendJobKey(outboxId, 0));
    await removeFromIndex(trx, deps.engine, row.message_id);
    await removeUnsentMessage(trx, row.message_id, row.conversation_id);
    return JSON.parse(row.draft_json) as Parameters<typeof saveDraft>[3];
  });
  return saveDraft(db, actor.user.id, null, draftInput);
}

/**
 * The agent's decision on an uncertain (or failed) send: send again with the same Message-ID, or record it as
 * sent. A decision on an uncertain send is audited (who, which mail, what they chose) with the change.
 */
export async function resolveSend(
  deps: QueueDeps,
  actor: Actor,
  outboxId: string,
  action: 'resend' | 'mark_sent',
  ip: string | null = null,
): Promise<OutboxItem> {
  const { db } = deps;
  const row = await findOutboxForActor(db, actor, outboxId, 'reply');
  const allowed = action === 'resend' ? ['uncertain', 'failed'] : ['uncertain'];
  if (!allowed.includes(row.state)) throw new AppError('outbox.invalid_state', 409, `cannot ${action} a mail that is ${row.state}`);
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('outbox_messages')
      .set(
        action === 'resend'
          ? { state: 'queued', send_after: now, error_code: null, error_detail: null, updated_at: now }
          : { state: 'sent', sent_at: now, error_code: null, error_detail: null, updated_at: now },
      )
      .where('id', '=', outboxId)
      .where('state', '=', row.state)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('outbox.invalid_state', 409, 'the mail changed meanwhile');
    if (row.state === 'uncertain') {
      await recordAudit(trx, {
        actorId: actor.user.id,
        action: action === 'resend' ? 'outbox.uncertain_resent' : 'outbox.uncertain_marked_sent',
        targetType: 'outbox_message',
        targetId: outboxId,
        mailboxId: row.mailbox_id,
        ip,
        details: { messageId: row.message_id, conversationId: row.conversation_id, errorCode: row.error_code, attempts: row.attempts },
      });
    }
    if (action === 'resend') {
      await enqueueJob(trx, { name: SEND_JOB, payload: { outboxId }, dedupeKey: sendJobKey(outboxId, row.attempts + 1000) });
    } else {
      await enqueueJob(trx, { name: SENT_COPY_JOB, payload: { outboxId }, dedupeKey: `${SENT_COPY_JOB}:${outboxId}` });
    }
  });
  return toOutboxItem(await findOutboxForActor(db, actor, outboxId));
}

export const SENT_COPY_JOB = 'outbox.sent-copy';

/**
 * An outgoing mail as the actor may use it, by the role rules of decision 0003: whoever may read
 * its mailbox sees it (auditors and read-only agents too, like the conversation's outbox list);
 * changing it (undo, resend) needs reply access NOW. No read access is 404 (nothing revealed),
 * read without reply is 403.
 */
export async function findOutboxForActor(
  db: Kysely<Database> | Transaction<Database>,
  actor: Actor,
  outboxId: string,
  level: 'read' | 'reply' = 'read',
) {
  const row = await db.selectFrom('outbox_messages').selectAll().where('id', '=', outboxId).executeTakeFirst();
  const access = row ? accessToMailbox(actor.scope, row.mailbox_id) : undefined;
  if (!row || !includesAccess(access, 'read')) {
    throw new AppError('outbox.not_found', 404, 'no such outgoing mail');
  }
  if (level === 'reply' && !includesAccess(access, 'reply')) {
    throw new AppError('auth.forbidden', 403, 'changing outgoing mail needs reply access to its mailbox');
  }
  return row;
}

export function toOutboxItem(row: OutboxMessagesTable): OutboxItem {
  return {
    id: row.id,
    messageId: row.message_id,
    conversationId: row.conversation_id,
    mailboxId: row.mailbox_id,
    state: row.state === 'cancelled' ? 'draft' : row.state,
    sendAfter: Number(row.send_after),
    attempts: row.attempts,
    errorCode: row.error_code,
    errorDetail: row.error_detail,
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
    rejected: JSON.parse(row.rejected) as string[],
    sentCopy: row.sent_copy,
  };
}

/** RFC 5322 §3.6.4: the parent's References (or its In-Reply-To) followed by its own Message-ID. */
export function threadReferences(parent: Pick<ParentMessage, 'references' | 'inReplyTo' | 'messageIdHeader'>): string[] {
  const base = parent.references.length > 0 ? parent.references : parent.inReplyTo ? [parent.inReplyTo] : [];
  return [...new Set([...base, ...(parent.messageIdHeader ? [parent.messageIdHeader] : [])])];
}

function quoteOf(parent: ParentMessage, mode: SendRequest['mode']): string {
  const who = parent.from ? escapeHtml(parent.from.name ? `${parent.from.name} <${parent.from.address}>` : parent.from.address) : '';
  const when = new Date(parent.at).toUTCString();
  if (mode === 'forward') {
    return [
      '<br><div class="pier-forward">---------- Forwarded message ----------<br>',
      `From: ${who}<br>Date: ${escapeHtml(when)}<br>Subject: ${escapeHtml(parent.subject)}<br>`,
      `To: ${escapeHtml(parent.to.join(', '))}<br><br>`,
      `${textToHtml(parent.text)}</div>`,
    ].join('');
  }
  return `<br><div class="pier-quote">${escapeHtml(when)}, ${who}:<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${textToHtml(parent.text)}</blockquote></div>`;
}

async function parentAttachments(deps: QueueDeps, messageId: string): Promise<OutgoingAttachment[]> {
  const rows = await deps.db
    .selectFrom('attachments')
    .select(['sha256', 'filename', 'mime'])
    .where('message_id', '=', messageId)
    .where('is_inline', '=', 0)
    .orderBy('position')
    .execute();
  const list: OutgoingAttachment[] = [];
  for (const r of rows) list.push({ filename: r.filename, contentType: r.mime, content: await deps.blobs.get(r.sha256) });
  return list;
}

/** Delivery state per stored message, for the conversation timeline (reading pane). */
export async function deliveryStates(db: Kysely<Database> | Transaction<Database>, messageIds: string[]) {
  if (messageIds.length === 0) return new Map<string, { state: OutboxItem['state']; error: string | null; outboxId: string }>();
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['id', 'message_id', 'state', 'error_code', 'bounce_detail'])
    .where('message_id', 'in', messageIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.message_id,
      { state: r.state === 'cancelled' ? ('draft' as const) : r.state, error: r.error_code ?? r.bounce_detail, outboxId: r.id },
    ]),
  );
}
