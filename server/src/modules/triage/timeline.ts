import type { MailboxAccess, TimelineItem, TriageState } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { tagsOf } from './actions.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The notes and system events of a conversation, oldest first, for the
 * timeline of GET /api/conversations/:id (the caller has checked access and
 * merges them with the messages by `at`).
 */
export async function listNotesAndEvents(db: Db, conversationId: string): Promise<TimelineItem[]> {
  const [notes, events] = await Promise.all([
    db
      .selectFrom('conversation_notes')
      .leftJoin('users', 'users.id', 'conversation_notes.author_id')
      .select([
        'conversation_notes.id',
        'conversation_notes.body',
        'conversation_notes.mentions',
        'conversation_notes.created_at',
        'conversation_notes.author_id',
        'users.name as author_name',
      ])
      .where('conversation_notes.conversation_id', '=', conversationId)
      .execute(),
    db
      .selectFrom('conversation_events')
      .leftJoin('users', 'users.id', 'conversation_events.actor_id')
      .select([
        'conversation_events.id',
        'conversation_events.type',
        'conversation_events.data',
        'conversation_events.created_at',
        'conversation_events.actor_id',
        'users.name as actor_name',
      ])
      .where('conversation_events.conversation_id', '=', conversationId)
      .execute(),
  ]);
  const mentionIds = [...new Set(notes.flatMap((n) => parseIds(n.mentions)))];
  const names = new Map(
    mentionIds.length === 0
      ? []
      : (await db.selectFrom('users').select(['id', 'name']).where('id', 'in', mentionIds).execute()).map((u) => [u.id, u.name]),
  );
  const items: TimelineItem[] = [
    ...notes.map(
      (n): TimelineItem => ({
        kind: 'note',
        id: n.id,
        at: n.created_at,
        author: { id: n.author_id ?? '', name: n.author_name ?? '' },
        body: n.body,
        mentions: parseIds(n.mentions).map((id) => ({ id, name: names.get(id) ?? '' })),
      }),
    ),
    ...events.map(
      (e): TimelineItem => ({
        kind: 'event',
        id: e.id,
        at: e.created_at,
        actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? '' } : null,
        type: e.type,
        data: parseObject(e.data),
      }),
    ),
  ];
  // UUIDv7 ids break ties in creation order.
  return items.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/** Tags, team, assignee, status, snooze and whether `userId` follows: what the triage toolbar shows. */
export async function triageState(db: Db, conversationId: string, userId: string, access: MailboxAccess = 'reply'): Promise<TriageState> {
  const row = await db
    .selectFrom('conversations')
    .leftJoin('users', 'users.id', 'conversations.assignee_id')
    .leftJoin('teams', 'teams.id', 'conversations.team_id')
    .select([
      'conversations.status',
      'conversations.priority',
      'conversations.snoozed_until',
      'conversations.assignee_id',
      'users.name as assignee_name',
      'conversations.team_id',
      'teams.name as team_name',
    ])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!row) throw new AppError('conversation.not_found', 404, 'no such conversation');
  const [tags, following] = await Promise.all([
    tagsOf(db, [conversationId]),
    db
      .selectFrom('conversation_followers')
      .select('user_id')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  ]);
  return {
    status: row.status,
    priority: row.priority,
    snoozedUntil: row.snoozed_until,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    team: row.team_id ? { id: row.team_id, name: row.team_name ?? '' } : null,
    tags: tags.map((t) => t.name),
    following: Boolean(following),
    access: access === 'read' ? 'read' : 'reply',
  };
}

function parseIds(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
