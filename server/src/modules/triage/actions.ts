import type { ConversationStatus, Priority } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { enqueueJob } from '../../jobs/queue.js';
import { conversationAccess, conversationMailboxIds, mergeConversationRows, updateWorkState } from '../conversations/index.js';
import { assertMayClose } from '../fraud/index.js';
import { notify } from '../notifications/index.js';
import { bestAccess, includesAccess, type MailboxScope } from '../security/index.js';
import { emitWebhookEvent } from '../webhooks/index.js';
import { scopeOfUser } from './access.js';
import { recordEvent } from './events.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Who acts: the signed-in user and what their session may see. */
export type Actor = { id: string; name: string; scope: MailboxScope };

export const WAKE_SNOOZED_JOB = 'triage.wake-snoozed';

async function loadConversation(db: Db, id: string) {
  const row = await db
    .selectFrom('conversations')
    .select(['id', 'subject', 'status', 'assignee_id', 'team_id', 'priority', 'snoozed_until', 'last_message_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('conversation.not_found', 404, 'no such conversation');
  return row;
}

/**
 * Assigns to an agent (who needs reply access to one of the conversation's
 * mailboxes; auditors never) and/or a team. The new assignee is notified
 * unless they assigned themselves.
 */
export async function assignConversation(
  db: Kysely<Database>,
  actor: Actor,
  conversationId: string,
  change: { assigneeId?: string | null | undefined; teamId?: string | null | undefined },
): Promise<void> {
  await conversationAccess(db, actor.scope, conversationId, 'reply');
  await db.transaction().execute((trx) => applyAssignment(trx, actor, conversationId, change, Date.now()));
}

/**
 * The assignment itself, in the caller's transaction: the one writer of assignee and team, so a
 * person's change and routing (mail groups, decision 0034) record the same events, notifications
 * and escalation reset. `by.id` null: Pier did it (routing), named `by.name` in the notification.
 */
export async function applyAssignment(
  trx: Transaction<Database>,
  by: { id: string | null; name: string; via?: 'routing' },
  conversationId: string,
  change: { assigneeId?: string | null | undefined; teamId?: string | null | undefined },
  now: number,
): Promise<void> {
  const conversation = await loadConversation(trx, conversationId);
  const via = by.via ? { via: by.via } : {};
  if (change.assigneeId !== undefined && change.assigneeId !== conversation.assignee_id) {
    if (change.assigneeId === null) {
      const previous = conversation.assignee_id ? await personName(trx, conversation.assignee_id) : null;
      await updateWorkState(trx, conversationId, { assignee_id: null }, { at: now });
      await recordEvent(trx, {
        conversationId,
        actorId: by.id,
        type: 'unassigned',
        data: { previous: previous ? { id: conversation.assignee_id, name: previous } : null, ...via },
      });
    } else {
      const assignee = await scopeOfUser(trx, change.assigneeId);
      const access = assignee ? bestAccess(assignee.scope, await conversationMailboxIds(trx, conversationId)) : undefined;
      if (!assignee || assignee.role === 'auditor' || !includesAccess(access, 'reply')) {
        throw new AppError('conversation.assignee_invalid', 400, 'the assignee needs reply access to one of the conversation’s mailboxes');
      }
      // Someone has it now: it leaves "unassigned too long".
      await updateWorkState(trx, conversationId, { assignee_id: change.assigneeId, escalated_at: null }, { at: now });
      await recordEvent(trx, {
        conversationId,
        actorId: by.id,
        type: 'assigned',
        data: { assignee: { id: change.assigneeId, name: assignee.name }, ...via },
      });
      if (change.assigneeId !== by.id) {
        await notify(trx, {
          userId: change.assigneeId,
          kind: 'assigned',
          data: { conversationId, subject: conversation.subject, by: { id: by.id, name: by.name }, ...via },
        });
      }
    }
  }
  if (change.teamId !== undefined && change.teamId !== conversation.team_id) {
    let team: { id: string; name: string } | null = null;
    if (change.teamId !== null) {
      team = (await trx.selectFrom('teams').select(['id', 'name']).where('id', '=', change.teamId).executeTakeFirst()) ?? null;
      if (!team) throw new AppError('team.not_found', 404, 'no such team');
    }
    await updateWorkState(trx, conversationId, { team_id: change.teamId }, { at: now });
    await recordEvent(trx, { conversationId, actorId: by.id, type: 'team', data: { team, ...via } });
  }
  const assigneeChanged = change.assigneeId !== undefined && change.assigneeId !== conversation.assignee_id;
  const teamChanged = change.teamId !== undefined && change.teamId !== conversation.team_id;
  if (assigneeChanged || teamChanged) {
    await emitWebhookEvent(trx, 'conversation.assigned', {
      conversationId,
      assigneeId: assigneeChanged ? (change.assigneeId ?? null) : conversation.assignee_id,
      teamId: teamChanged ? (change.teamId ?? null) : conversation.team_id,
      byUserId: by.id,
    });
  }
}

/** open / pending / closed, or snoozed until a time in the future (a job reopens it then). */
export async function setConversationStatus(
  db: Kysely<Database>,
  actor: Actor,
  conversationId: string,
  request: { status: ConversationStatus; snoozedUntil?: number | undefined },
): Promise<void> {
  await conversationAccess(db, actor.scope, conversationId, 'reply');
  const now = Date.now();
  if (request.status === 'snoozed' && (request.snoozedUntil === undefined || request.snoozedUntil <= now)) {
    throw new AppError('conversation.snooze_invalid', 400, 'snoozedUntil must be in the future');
  }
  // Fraud gate (ADR 0015): a flagged conversation closes only after a recorded phone call. Every
  // close (status menu, the `e` shortcut, a list's bulk action) comes through this function.
  if (request.status === 'closed') await assertMayClose(db, conversationId);
  await db.transaction().execute(async (trx) => {
    const conversation = await loadConversation(trx, conversationId);
    const until = request.status === 'snoozed' ? (request.snoozedUntil ?? null) : null;
    if (conversation.status === request.status && conversation.snoozed_until === until) return;
    await updateWorkState(trx, conversationId, { status: request.status, snoozed_until: until }, { at: now });
    if (until !== null) {
      await recordEvent(trx, { conversationId, actorId: actor.id, type: 'snoozed', data: { from: conversation.status, until } });
      // The minute schedule would find it too; this job makes the wake-up punctual.
      await enqueueJob(trx, {
        name: WAKE_SNOOZED_JOB,
        payload: null,
        runAt: until,
        dedupeKey: `${WAKE_SNOOZED_JOB}:${conversationId}:${until}`,
      });
    } else {
      await recordEvent(trx, {
        conversationId,
        actorId: actor.id,
        type: 'status',
        data: { from: conversation.status, to: request.status },
      });
    }
  });
}

/** Reopens every conversation whose snooze has ended; run by the worker every minute and at each snooze's end. */
export async function wakeSnoozedConversations(
  db: Kysely<Database>,
  now = Date.now(),
  onWoken?: (conversationId: string) => void,
): Promise<number> {
  const due = await db
    .selectFrom('conversations')
    .select(['id', 'subject', 'assignee_id'])
    .where('status', '=', 'snoozed')
    .where('snoozed_until', '<=', now)
    .limit(500)
    .execute();
  let woken = 0;
  for (const conversation of due) {
    await db.transaction().execute(async (trx) => {
      // Guarded on the state read above: a concurrent reopen or re-snooze wins.
      const woke = await updateWorkState(
        trx,
        conversation.id,
        { status: 'open', snoozed_until: null },
        { at: now, when: { status: 'snoozed', snoozedUntilAtMost: now } },
      );
      if (!woke) return;
      woken++;
      await recordEvent(trx, {
        conversationId: conversation.id,
        actorId: null,
        type: 'reopened',
        data: { from: 'snoozed', reason: 'snooze' },
      });
      if (conversation.assignee_id) {
        await notify(trx, {
          userId: conversation.assignee_id,
          kind: 'reopened',
          data: { conversationId: conversation.id, subject: conversation.subject, reason: 'snooze' },
        });
      }
    });
  }
  // After commit: the live channel tells open browsers.
  for (const conversation of due) onWoken?.(conversation.id);
  return woken;
}

export async function setConversationPriority(db: Kysely<Database>, actor: Actor, conversationId: string, priority: Priority) {
  await conversationAccess(db, actor.scope, conversationId, 'reply');
  await db.transaction().execute(async (trx) => {
    const conversation = await loadConversation(trx, conversationId);
    if (conversation.priority === priority) return;
    await updateWorkState(trx, conversationId, { priority });
    await recordEvent(trx, { conversationId, actorId: actor.id, type: 'priority', data: { from: conversation.priority, to: priority } });
  });
}

/** Adds and removes tags by name; a new name creates the tag. */
export async function changeConversationTags(
  db: Kysely<Database>,
  actor: Actor,
  conversationId: string,
  change: { add: string[]; remove: string[] },
) {
  await conversationAccess(db, actor.scope, conversationId, 'reply');
  await db.transaction().execute(async (trx) => {
    await loadConversation(trx, conversationId);
    const current = new Set((await tagsOf(trx, [conversationId])).map((t) => t.name));
    const now = Date.now();
    for (const name of new Set(change.add)) {
      if (current.has(name)) continue;
      await trx
        .insertInto('tags')
        .values({ id: newId(), name, created_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const tag = await trx.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow();
      await trx.insertInto('conversation_tags').values({ conversation_id: conversationId, tag_id: tag.id }).execute();
      await recordEvent(trx, { conversationId, actorId: actor.id, type: 'tagged', data: { tag: name } });
      current.add(name);
    }
    for (const name of new Set(change.remove)) {
      if (!current.has(name)) continue;
      const tag = await trx.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow();
      await trx.deleteFrom('conversation_tags').where('conversation_id', '=', conversationId).where('tag_id', '=', tag.id).execute();
      await recordEvent(trx, { conversationId, actorId: actor.id, type: 'untagged', data: { tag: name } });
    }
  });
}

export async function setFollowing(db: Kysely<Database>, actor: Actor, conversationId: string, following: boolean) {
  // Following only changes what the follower is told: read access is enough, auditors excepted by the guard.
  await conversationAccess(db, actor.scope, conversationId, 'read');
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('conversation_followers')
      .select('user_id')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', actor.id)
      .executeTakeFirst();
    if (Boolean(existing) === following) return;
    if (following) {
      await trx.insertInto('conversation_followers').values({ conversation_id: conversationId, user_id: actor.id }).execute();
    } else {
      await trx
        .deleteFrom('conversation_followers')
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', actor.id)
        .execute();
    }
    await recordEvent(trx, { conversationId, actorId: actor.id, type: following ? 'followed' : 'unfollowed', data: {} });
  });
}

/**
 * An internal note. Each mentioned user must be able to see the conversation
 * (read access to one of its mailboxes) and is notified in-app; followers are
 * told too. Notes never leave Pier.
 */
export async function addNote(
  db: Kysely<Database>,
  actor: Actor,
  conversationId: string,
  note: { body: string; mentions: string[] },
): Promise<string> {
  await conversationAccess(db, actor.scope, conversationId, 'reply');
  const mailboxIds = await conversationMailboxIds(db, conversationId);
  const mentions = [...new Set(note.mentions)];
  for (const userId of mentions) {
    const user = await scopeOfUser(db, userId);
    if (!user || !bestAccess(user.scope, mailboxIds)) {
      throw new AppError('note.mention_invalid', 400, 'a mentioned user cannot see this conversation');
    }
  }
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const conversation = await loadConversation(trx, conversationId);
    await trx
      .insertInto('conversation_notes')
      .values({
        id,
        conversation_id: conversationId,
        author_id: actor.id,
        body: note.body,
        mentions: JSON.stringify(mentions),
        created_at: Date.now(),
      })
      .execute();
    // A short excerpt, so two notes on the same conversation read differently in the bell's panel.
    const data = {
      conversationId,
      noteId: id,
      subject: conversation.subject,
      by: { id: actor.id, name: actor.name },
      excerpt: noteExcerpt(note.body),
    };
    for (const userId of mentions) {
      if (userId !== actor.id) await notify(trx, { userId, kind: 'mention', data });
    }
    const followers = await trx
      .selectFrom('conversation_followers')
      .select('user_id')
      .where('conversation_id', '=', conversationId)
      .execute();
    for (const { user_id } of followers) {
      if (user_id !== actor.id && !mentions.includes(user_id)) await notify(trx, { userId: user_id, kind: 'note', data });
    }
  });
  return id;
}

/**
 * Merges `sourceId` into `intoId`: messages, notes, events, mailboxes, tags and
 * followers move; the source is deleted and remembered in conversation_merges so
 * its old links can follow. The user needs reply access to both.
 */
export async function mergeConversations(db: Kysely<Database>, actor: Actor, sourceId: string, intoId: string): Promise<void> {
  if (sourceId === intoId) throw new AppError('conversation.merge_invalid', 400, 'a conversation cannot be merged into itself');
  await conversationAccess(db, actor.scope, sourceId, 'reply');
  await conversationAccess(db, actor.scope, intoId, 'reply');
  await db.transaction().execute(async (trx) => {
    const source = await loadConversation(trx, sourceId);
    const target = await loadConversation(trx, intoId);
    const now = Date.now();
    // Rows of the source not already on the target move; the rest go with the source's cascade.
    await trx
      .updateTable('conversation_tags')
      .set({ conversation_id: intoId })
      .where('conversation_id', '=', sourceId)
      .where('tag_id', 'not in', trx.selectFrom('conversation_tags').select('tag_id').where('conversation_id', '=', intoId))
      .execute();
    await trx
      .updateTable('conversation_followers')
      .set({ conversation_id: intoId })
      .where('conversation_id', '=', sourceId)
      .where('user_id', 'not in', trx.selectFrom('conversation_followers').select('user_id').where('conversation_id', '=', intoId))
      .execute();
    await trx.updateTable('conversation_notes').set({ conversation_id: intoId }).where('conversation_id', '=', sourceId).execute();
    await trx.updateTable('conversation_events').set({ conversation_id: intoId }).where('conversation_id', '=', sourceId).execute();
    await trx.updateTable('conversation_merges').set({ target_id: intoId }).where('target_id', '=', sourceId).execute();
    await trx
      .insertInto('conversation_merges')
      .values({ source_id: sourceId, target_id: intoId, merged_by: actor.id, merged_at: now })
      .execute();
    // The mail side (messages, mailboxes, the rows themselves) belongs to the conversations module.
    await mergeConversationRows(trx, {
      sourceId,
      intoId,
      lastMessageAt: Math.max(source.last_message_at, target.last_message_at),
      assigneeId: target.assignee_id ?? source.assignee_id,
      teamId: target.team_id ?? source.team_id,
    });
    await recordEvent(trx, {
      conversationId: intoId,
      actorId: actor.id,
      type: 'merged',
      data: { from: { id: sourceId, subject: source.subject } },
    });
  });
}

/** Where a merged conversation went (following merges of merges), or undefined. */
export async function mergedInto(db: Db, conversationId: string): Promise<string | undefined> {
  const row = await db.selectFrom('conversation_merges').select('target_id').where('source_id', '=', conversationId).executeTakeFirst();
  return row?.target_id;
}

export async function tagsOf(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('conversation_tags')
    .innerJoin('tags', 'tags.id', 'conversation_tags.tag_id')
    .select(['conversation_tags.conversation_id', 'tags.name'])
    .where('conversation_tags.conversation_id', 'in', conversationIds)
    .orderBy('tags.name')
    .execute();
}

async function personName(db: Db, userId: string): Promise<string | null> {
  return (await db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst())?.name ?? null;
}

const EXCERPT_CHARS = 120;

/** The note's first words on one line, at most EXCERPT_CHARS characters (code points), "…" when cut. */
export function noteExcerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= EXCERPT_CHARS
    ? line
    : `${chars
        .slice(0, EXCERPT_CHARS - 1)
        .join('')
        .trimEnd()}…`;
}
