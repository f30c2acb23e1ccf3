import { z } from 'zod';
import { PrioritySchema } from './conversation-detail.js';
import { fraudLevels } from './fraud.js';
import { MailCategorySchema } from './mail-category.js';
import { TagNameSchema } from './triage.js';

/**
 * Rules (issue 15, decision 0032): ordered, global or per mailbox; each runs on a new
 * conversation, on every incoming message, or on a schedule ("open and unanswered after N working
 * hours"), checks its conditions (all or any) and acts at most once per conversation unless
 * `repeat` says otherwise.
 */
export const ruleTriggers = ['new-conversation', 'message', 'schedule'] as const;
export const RuleTriggerSchema = z.enum(ruleTriggers);
export type RuleTrigger = z.infer<typeof RuleTriggerSchema>;

/** Text fields of a mail a condition can look at. */
export const ruleTextFields = ['from', 'domain', 'display-name', 'to-cc', 'subject', 'body', 'subject-or-body'] as const;
const Id = z.string().min(1).max(64);
const Values = z.array(z.string().trim().min(1).max(200)).min(1).max(50);

export const RuleConditionSchema = z.discriminatedUnion('field', [
  z.object({
    field: z.enum(ruleTextFields),
    /** words: any of the words or phrases (case-insensitive, substring); is: equals one of them; regex: RE2 syntax. */
    op: z.enum(['words', 'is', 'regex']),
    values: Values,
  }),
  z.object({
    field: z.literal('language'),
    values: z
      .array(z.string().regex(/^[a-z]{2,3}$/))
      .min(1)
      .max(50),
  }),
  z.object({
    field: z.literal('country'),
    values: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .max(250),
  }),
  /** first: the sender never wrote to the workspace before this mail; known: they did. */
  z.object({ field: z.literal('contact'), value: z.enum(['first', 'known']) }),
  /** Any attachment when `types` is empty; else one whose MIME type or file extension is listed ("pdf", "image/*"). */
  z.object({ field: z.literal('attachment'), types: z.array(z.string().trim().toLowerCase().min(1).max(100)).max(30) }),
  z.object({ field: z.literal('fraud-level'), values: z.array(z.enum(fraudLevels)).min(1) }),
  z.object({ field: z.literal('category'), values: z.array(MailCategorySchema).min(1) }),
  z.object({ field: z.literal('business-hours'), value: z.enum(['inside', 'outside']) }),
  z.object({ field: z.literal('mailbox'), values: z.array(Id).min(1).max(100) }),
  z.object({ field: z.literal('tag'), values: z.array(TagNameSchema).min(1).max(20) }),
]);
export type RuleCondition = z.infer<typeof RuleConditionSchema>;

export const RuleActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tag'), tag: TagNameSchema }),
  z.object({ type: z.literal('assign'), assigneeId: Id.nullable().default(null), teamId: Id.nullable().default(null) }),
  z.object({ type: z.literal('priority'), priority: PrioritySchema }),
  z.object({ type: z.literal('status'), status: z.enum(['open', 'pending', 'closed']) }),
  /** Plain-text reply to the sender, through the outbox and the loop guard; {{customerName}}, {{mailboxName}} are filled in. */
  z.object({ type: z.literal('auto-reply'), template: z.string().trim().min(1).max(10_000) }),
  z.object({ type: z.literal('notify'), userIds: z.array(Id).min(1).max(50) }),
  z.object({ type: z.literal('spam') }),
  /** Through one of Pier's forwarding rules of the mailbox (audited target, loop guard, exactly once). */
  z.object({ type: z.literal('forward'), forwardingRuleId: Id }),
]);
export type RuleAction = z.infer<typeof RuleActionSchema>;

export const SaveRuleSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** null: every mailbox (admins only). */
    mailboxId: Id.nullable(),
    enabled: z.boolean().default(true),
    trigger: RuleTriggerSchema,
    /** schedule rules: open and unanswered after this many working hours (the mailbox's business hours). */
    afterWorkingHours: z.number().positive().max(10_000).nullable().default(null),
    match: z.enum(['all', 'any']).default('all'),
    conditions: z.array(RuleConditionSchema).max(30).default([]),
    actions: z.array(RuleActionSchema).min(1).max(20),
    /** Act again on later messages (or later unanswered stretches) of a conversation it already acted on. */
    repeat: z.boolean().default(false),
  })
  .refine((r) => (r.trigger === 'schedule') === (r.afterWorkingHours !== null), {
    message: 'afterWorkingHours is required for schedule rules, and only for them',
    path: ['afterWorkingHours'],
  });
export type SaveRule = z.input<typeof SaveRuleSchema>;

export const RuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  mailboxId: z.string().nullable(),
  enabled: z.boolean(),
  position: z.number().int(),
  trigger: RuleTriggerSchema,
  afterWorkingHours: z.number().nullable(),
  match: z.enum(['all', 'any']),
  conditions: z.array(RuleConditionSchema),
  actions: z.array(RuleActionSchema),
  repeat: z.boolean(),
  /** Whether the signed-in user may change it (admins: all; mailbox managers: their mailboxes' rules). */
  editable: z.boolean(),
  updatedAt: z.number().int(),
});
export type Rule = z.infer<typeof RuleSchema>;
export const RuleListSchema = z.object({ items: z.array(RuleSchema) });

export const ReorderRulesSchema = z.object({ ids: z.array(Id).min(1).max(1000) });
export const RuleEnabledSchema = z.object({ enabled: z.boolean() });

/** POST /api/rules/preview: which of the mailbox's last 100 mails the unsaved rule would have matched. */
export const RulePreviewRequestSchema = z.object({ mailboxId: Id, rule: SaveRuleSchema });
export const RulePreviewSchema = z.object({
  checked: z.number().int(),
  items: z.array(
    z.object({
      messageId: z.string(),
      conversationId: z.string(),
      subject: z.string(),
      from: z.string().nullable(),
      receivedAt: z.number().int(),
      matched: z.boolean(),
    }),
  ),
});
export type RulePreview = z.infer<typeof RulePreviewSchema>;
