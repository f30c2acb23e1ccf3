import { z } from 'zod';
import { PersonRefSchema, PrioritySchema, TimelineItemSchema } from './conversation-detail.js';
import { ConversationStatusSchema } from './conversations.js';

/**
 * Working a conversation: assignment, status and snooze, tags, priority, merge,
 * follow, internal notes with @mentions. Every change writes a system event
 * on the conversation's timeline in the same transaction.
 */
/** `automated`: open conversations of machine mail (bulk, auto-replies, bounces, notifications; decision 0031). */
export const conversationViews = ['unassigned', 'mine', 'open', 'pending', 'snoozed', 'closed', 'spam', 'automated', 'escalated'] as const;
export const ConversationViewSchema = z.enum(conversationViews);
export type ConversationView = z.infer<typeof ConversationViewSchema>;

export const TagNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[^\s,#][^,#]*$/u, { message: 'must not start with a space or contain , or #' });

export const TriageStateSchema = z.object({
  status: ConversationStatusSchema,
  priority: PrioritySchema,
  snoozedUntil: z.number().int().nullable(),
  assignee: PersonRefSchema.nullable(),
  team: PersonRefSchema.nullable(),
  tags: z.array(z.string()),
  following: z.boolean(),
  /** What the signed-in user may do here: 'reply' can act, 'read' only looks. */
  access: z.enum(['read', 'reply']),
});
export type TriageState = z.infer<typeof TriageStateSchema>;

/** GET /api/conversations/:id/triage — the state the toolbar shows, and the notes and events of the timeline. */
export const ConversationTriageSchema = z.object({
  state: TriageStateSchema,
  timeline: z.array(TimelineItemSchema),
});
export type ConversationTriage = z.infer<typeof ConversationTriageSchema>;

export const ConversationIdParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const AssignRequestSchema = z.object({
  /** An agent with reply access to one of the conversation's mailboxes; null unassigns. */
  assigneeId: z.string().min(1).max(64).nullable().optional(),
  /** A team; null removes the team. */
  teamId: z.string().min(1).max(64).nullable().optional(),
});
export type AssignRequest = z.infer<typeof AssignRequestSchema>;

export const StatusRequestSchema = z
  .object({
    status: ConversationStatusSchema,
    /** Required for 'snoozed': when it reopens by itself (epoch ms, in the future). */
    snoozedUntil: z.number().int().positive().optional(),
  })
  .refine((r) => r.status !== 'snoozed' || r.snoozedUntil !== undefined, {
    message: 'snoozedUntil is required to snooze',
    path: ['snoozedUntil'],
  });
export type StatusRequest = z.infer<typeof StatusRequestSchema>;

export const TagsRequestSchema = z.object({
  add: z.array(TagNameSchema).max(20).default([]),
  remove: z.array(TagNameSchema).max(20).default([]),
});
export type TagsRequest = z.input<typeof TagsRequestSchema>;

export const PriorityRequestSchema = z.object({ priority: PrioritySchema });
export const FollowRequestSchema = z.object({ following: z.boolean() });

/** Merges the conversation in the path into `intoId`: its messages, notes, events and mailboxes move there. */
export const MergeRequestSchema = z.object({ intoId: z.string().min(1).max(64) });
export const MergeResultSchema = z.object({ conversationId: z.string() });
export const NoteCreatedSchema = z.object({ id: z.string() });

export const NoteRequestSchema = z.object({
  body: z.string().trim().min(1).max(20_000),
  /** User ids @mentioned; each must have access to the conversation. */
  mentions: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type NoteRequest = z.input<typeof NoteRequestSchema>;

/** GET /api/conversations/:id/people — who can be assigned (reply access) or mentioned (any access), and the teams. */
export const ConversationPeopleSchema = z.object({
  assignable: z.array(PersonRefSchema.extend({ email: z.string() })),
  mentionable: z.array(PersonRefSchema.extend({ email: z.string() })),
  teams: z.array(PersonRefSchema),
});
export type ConversationPeople = z.infer<typeof ConversationPeopleSchema>;

/**
 * GET /api/views — counts for the sidebar, within the mailboxes the user may read. Counting
 * stops at `cap`: a count equal to it means "at least" (the UI shows 99+), so the sidebar
 * costs the same at 200,000 conversations as at 2,000.
 */
export const ViewCountsSchema = z.object({
  cap: z.number().int(),
  views: z.record(ConversationViewSchema, z.number().int()),
  mailboxes: z.array(z.object({ id: z.string(), open: z.number().int(), unassigned: z.number().int() })),
  /** Open conversations per tag. */
  tags: z.array(z.object({ name: z.string(), open: z.number().int() })),
  /** Open conversations per team. */
  teams: z.array(z.object({ id: z.string(), name: z.string(), open: z.number().int() })),
});
export type ViewCounts = z.infer<typeof ViewCountsSchema>;

/** How a team's mailboxes hand a new conversation to an agent (decision 0034). */
export const teamRoutingModes = ['manual', 'round_robin', 'least_open'] as const;
export const TeamRoutingSchema = z.enum(teamRoutingModes);
export type TeamRouting = z.infer<typeof TeamRoutingSchema>;

export const TeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  memberIds: z.array(z.string()),
  /** Members marked away: routing skips them. */
  awayIds: z.array(z.string()),
  /** Told when a routed conversation stays unassigned too long. */
  leadId: z.string().nullable(),
  routing: TeamRoutingSchema,
  /** Routing gives an agent at most this many open conversations; null: no cap. */
  openCap: z.number().int().nullable(),
  /** Working hours a routed conversation may wait unassigned before the lead is told; null: never. */
  escalateAfterHours: z.number().int().nullable(),
});
export const TeamListSchema = z.object({ items: z.array(TeamSchema) });
const teamSettings = {
  leadId: z.string().min(1).max(64).nullable(),
  routing: TeamRoutingSchema,
  openCap: z.number().int().min(1).max(10_000).nullable(),
  escalateAfterHours: z.number().int().min(1).max(1000).nullable(),
};
export const CreateTeamRequestSchema = z.object({
  name: z.string().trim().min(1).max(60),
  memberIds: z.array(z.string().min(1).max(64)).max(500).default([]),
  leadId: teamSettings.leadId.optional(),
  routing: teamSettings.routing.optional(),
  openCap: teamSettings.openCap.optional(),
  escalateAfterHours: teamSettings.escalateAfterHours.optional(),
});
/** Rename a team, set its members (the whole list), lead, routing, cap or escalation; each change is audited. */
export const UpdateTeamRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    memberIds: z.array(z.string().min(1).max(64)).max(500),
    ...teamSettings,
  })
  .partial()
  .refine((v) => Object.values(v).some((value) => value !== undefined), { message: 'nothing to change' });
/** PUT /api/teams/:teamId/away — marks one member away (routing skips them) or back. */
export const TeamAwayRequestSchema = z.object({ userId: z.string().min(1).max(64), away: z.boolean() });
export const TeamIdParamsSchema = z.object({ teamId: z.string().min(1).max(64) });
export type Team = z.infer<typeof TeamSchema>;

export const NotificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.number().int(),
  readAt: z.number().int().nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;
export const NotificationListSchema = z.object({ items: z.array(NotificationSchema), unread: z.number().int() });
export const NotificationListQuerySchema = z.object({
  unread: z.enum(['1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** Marks these notifications read; all of the user's when `ids` is absent. */
export const MarkNotificationsReadSchema = z.object({ ids: z.array(z.string().min(1).max(64)).max(500).optional() });
export const NotificationsMarkedSchema = z.object({ marked: z.number().int() });

export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;
export type Priority = z.infer<typeof PrioritySchema>;
