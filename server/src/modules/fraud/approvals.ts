import type { PendingApproval } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database, UserRow } from '../../db/schema.js';
import type { OutboxMessagesTable } from '../../db/tables/outbox.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { notify } from '../notifications/index.js';
import { accessToMailbox, includesAccess, type MailboxScope, mailboxScopeFor } from '../security/index.js';
import type { ApprovalReason } from './gates.js';

type Db = Kysely<Database> | Transaction<Database>;
type Actor = { user: Pick<UserRow, 'id' | 'name' | 'role'>; scope: MailboxScope };

/** The outbox schedules or rejects the held mail (passed in: the outbox depends on fraud, not the other way round). */
export type SettleAwaitingApproval = (
  trx: Transaction<Database>,
  input: { outboxId: string; approved: boolean; at: number },
) => Promise<boolean>;

/** Who may approve: active, not an auditor, reply (or manage) access to the mailbox, and not the author. */
export async function approversOf(db: Db, mailboxId: string, authorId: string): Promise<{ id: string; name: string }[]> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('status', '=', 'active')
    .where('id', '!=', authorId)
    .execute();
  const grants = await db.selectFrom('mailbox_access').select(['user_id', 'access']).where('mailbox_id', '=', mailboxId).execute();
  const grantOf = new Map(grants.map((g) => [g.user_id, g.access]));
  return users
    .filter((u) => {
      if (u.role === 'auditor') return false;
      const grant = grantOf.get(u.id);
      const scope = mailboxScopeFor(u.role, new Map(grant ? [[mailboxId, grant]] : []));
      return includesAccess(accessToMailbox(scope, mailboxId), 'reply');
    })
    .map((u) => ({ id: u.id, name: u.name }));
}

/**
 * In queueSend's transaction, for a mail that waits for a second approver: every possible approver
 * gets an in-app notification, and the audit log records the request. No send job exists yet.
 */
export async function requestApproval(
  trx: Transaction<Database>,
  input: { outbox: OutboxMessagesTable; subject: string; author: Pick<UserRow, 'id' | 'name'> },
): Promise<void> {
  const reasons = JSON.parse(input.outbox.approval_reasons ?? '[]') as ApprovalReason[];
  for (const approver of await approversOf(trx, input.outbox.mailbox_id, input.author.id)) {
    await notify(trx, {
      userId: approver.id,
      kind: 'approval_requested',
      data: {
        conversationId: input.outbox.conversation_id,
        outboxId: input.outbox.id,
        subject: input.subject,
        reasons,
        by: { id: input.author.id, name: input.author.name },
      },
    });
  }
  await recordAudit(trx, {
    actorId: input.author.id,
    action: 'outbox.approval_requested',
    targetType: 'outbox',
    targetId: input.outbox.id,
    mailboxId: input.outbox.mailbox_id,
    details: { reasons, conversationId: input.outbox.conversation_id },
  });
}

/**
 * A colleague approves (the mail is scheduled to leave now) or rejects (it never leaves). The
 * author cannot decide on their own mail; the state change is conditional, so two approvers
 * clicking at once decide once.
 */
export async function decideApproval(
  db: Kysely<Database>,
  actor: Actor,
  input: { outboxId: string; decision: 'approve' | 'reject'; note: string | null; ip: string | null },
  settle: SettleAwaitingApproval,
): Promise<void> {
  const row = await db.selectFrom('outbox_messages').selectAll().where('id', '=', input.outboxId).executeTakeFirst();
  if (!row || !includesAccess(accessToMailbox(actor.scope, row.mailbox_id), 'read')) {
    throw new AppError('outbox.not_found', 404, 'no such outgoing mail');
  }
  if (!includesAccess(accessToMailbox(actor.scope, row.mailbox_id), 'reply')) {
    throw new AppError('auth.forbidden', 403, 'approving needs reply access to the mailbox');
  }
  if (row.created_by === actor.user.id) {
    throw new AppError('fraud.approver_is_author', 403, 'a second approver must be someone other than the author');
  }
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const approved = input.decision === 'approve';
    if (!(await settle(trx, { outboxId: row.id, approved, at: now })))
      throw new AppError('outbox.invalid_state', 409, 'this mail is not waiting for approval');
    await trx
      .insertInto('outbox_approvals')
      .values({
        id: newId(),
        outbox_id: row.id,
        decision: approved ? 'approved' : 'rejected',
        decided_by: actor.user.id,
        note: input.note,
        created_at: now,
      })
      .execute();
    await recordAudit(trx, {
      actorId: actor.user.id,
      action: approved ? 'outbox.approved' : 'outbox.rejected',
      targetType: 'outbox',
      targetId: row.id,
      mailboxId: row.mailbox_id,
      ip: input.ip,
      details: { conversationId: row.conversation_id, author: row.created_by, ...(input.note ? { note: input.note } : {}) },
    });
    await notify(trx, {
      userId: row.created_by,
      kind: approved ? 'approval_granted' : 'approval_rejected',
      data: { conversationId: row.conversation_id, outboxId: row.id, by: { id: actor.user.id, name: actor.user.name } },
    });
  });
}

/** The conversation's outgoing mail that needed a second approver, newest last, as the reading pane shows it. */
export async function conversationApprovals(db: Db, actor: Actor, conversationId: string): Promise<PendingApproval[]> {
  const rows = await db
    .selectFrom('outbox_messages as o')
    .innerJoin('messages as m', 'm.id', 'o.message_id')
    .innerJoin('users as author', 'author.id', 'o.created_by')
    .leftJoin('outbox_approvals as a', 'a.outbox_id', 'o.id')
    .leftJoin('users as decider', 'decider.id', 'a.decided_by')
    .where('o.conversation_id', '=', conversationId)
    .where('o.approval_reasons', 'is not', null)
    .where('o.state', '!=', 'cancelled')
    .select([
      'o.id',
      'o.message_id',
      'o.mailbox_id',
      'o.state',
      'o.approval_reasons',
      'o.created_by',
      'o.created_at',
      'm.subject',
      'm.to_addrs',
      'author.name as author_name',
      'a.decision',
      'a.note',
      'a.created_at as decided_at',
      'decider.id as decider_id',
      'decider.name as decider_name',
    ])
    .orderBy('o.created_at')
    .execute();
  return rows
    .filter((r) => includesAccess(accessToMailbox(actor.scope, r.mailbox_id), 'read'))
    .map((r) => ({
      outboxId: r.id,
      messageId: r.message_id,
      state: r.state,
      subject: r.subject,
      to: parseList(r.to_addrs),
      reasons: JSON.parse(r.approval_reasons ?? '[]') as ApprovalReason[],
      author: { id: r.created_by, name: r.author_name },
      createdAt: Number(r.created_at),
      mine: r.created_by === actor.user.id,
      canDecide:
        r.state === 'awaiting_approval' &&
        r.created_by !== actor.user.id &&
        actor.user.role !== 'auditor' &&
        includesAccess(accessToMailbox(actor.scope, r.mailbox_id), 'reply'),
      decision:
        r.decision && r.decider_id && r.decided_at !== null
          ? { decision: r.decision, by: { id: r.decider_id, name: r.decider_name ?? '' }, at: Number(r.decided_at), note: r.note }
          : null,
    }));
}

function parseList(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
