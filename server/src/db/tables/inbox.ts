import type { Generated } from 'kysely';

/**
 * Tables of the inbox domain (migration 0007_inbox): how a team works a
 * conversation. The conversations table itself (status, assignee, priority
 * from 0001) gains team_id, snoozed_until and spam here; see ConversationsTable.
 */
export interface InboxTables {
  conversation_events: ConversationEventsTable;
  conversation_notes: ConversationNotesTable;
  tags: TagsTable;
  conversation_tags: ConversationTagsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  conversation_followers: ConversationFollowersTable;
  conversation_merges: ConversationMergesTable;
  notifications: NotificationsTable;
  mailbox_routes: MailboxRoutesTable;
  conversation_routing: ConversationRoutingTable;
}

/** 0037: the team a mailbox hands its new conversations to (a mail group). */
export interface MailboxRoutesTable {
  mailbox_id: string;
  team_id: string;
}

/** 0037: one row per routed conversation: routed once, escalated once. */
export interface ConversationRoutingTable {
  conversation_id: string;
  mailbox_id: string;
  team_id: string | null;
  /** Who routing picked; null: left in the team's pool (manual, everyone away or at the cap). */
  assignee_id: string | null;
  routed_at: number;
  escalated_at: number | null;
}

/** A system event on a conversation's timeline ("assigned to Li Wei"), written with the change itself. */
export interface ConversationEventsTable {
  id: string;
  conversation_id: string;
  /** null when Pier did it (a snooze ending, a customer's reply reopening). */
  actor_id: string | null;
  /** assigned, unassigned, team, status, snoozed, reopened, tagged, untagged, priority, merged, followed, unfollowed */
  type: string;
  /** JSON object; names are stored alongside ids so the timeline still reads after a rename or deletion. */
  data: string;
  created_at: number;
}

export interface ConversationNotesTable {
  id: string;
  conversation_id: string;
  author_id: string | null;
  body: string;
  /** JSON array of user ids mentioned (validated against conversation access when written). */
  mentions: string;
  created_at: number;
}

export interface TagsTable {
  id: string;
  /** Lower-cased, trimmed: one tag per spelling. */
  name: string;
  created_at: number;
}

export interface ConversationTagsTable {
  conversation_id: string;
  tag_id: string;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: number;
  /** 0037: who is told when a conversation waits too long (decision 0034). */
  lead_id: Generated<string | null>;
  /** 0037: how new conversations of its mailboxes find an agent. */
  routing: Generated<'manual' | 'round_robin' | 'least_open'>;
  /** 0037: at most this many open conversations per agent from routing; null: no cap. */
  open_cap: Generated<number | null>;
  /** 0037: working hours a routed conversation may stay unassigned before the lead is told; null: never. */
  escalate_after_hours: Generated<number | null>;
  /** 0037: the member round-robin gave the last conversation to. */
  rr_cursor: Generated<string | null>;
  /** 0037: bumped first in every routing transaction: the row lock that serialises routing per team. */
  routing_seq: Generated<number>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  /** 0037: 1 while the member is away: routing skips them. */
  away: Generated<number>;
}

export interface ConversationFollowersTable {
  conversation_id: string;
  user_id: string;
}

/** Where a merged (and deleted) conversation went, so old links can follow it. */
export interface ConversationMergesTable {
  source_id: string;
  target_id: string;
  merged_by: string | null;
  merged_at: number;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  /** mention, assigned, reopened, login_alert, … */
  kind: string;
  /** JSON object, shaped by the kind. */
  data: string;
  created_at: number;
  read_at: number | null;
}

/** Columns 0007 adds to conversations (merged into ConversationsTable in schema.ts). */
export interface ConversationTriageColumns {
  team_id: string | null;
  snoozed_until: number | null;
  /** 1 when every copy of every message was seen only in a Spam folder: shown in the Spam view only. */
  spam: Generated<number>;
  /** 0037: when triage escalated it as unassigned too long (cleared when someone is assigned). */
  escalated_at: Generated<number | null>;
}
