import { z } from 'zod';
import { BusinessHoursSchema } from './business-hours.js';
import { PrioritySchema } from './conversation-detail.js';

/**
 * A mailbox's SLA policy for one conversation priority, in working hours under the mailbox's
 * business hours (decision 0033). `nextReplyHours`/`resolutionHours` null: no target of that kind.
 */
const WorkingHoursTargetSchema = z
  .number()
  .positive('a target is more than 0 working hours')
  .max(24 * 365, 'a target is at most 8760 working hours')
  .refine((h) => Number.isInteger(h * 60), { message: 'a target is a whole number of minutes' });

export const SlaPolicySchema = z.object({
  priority: PrioritySchema,
  firstReplyHours: WorkingHoursTargetSchema,
  nextReplyHours: WorkingHoursTargetSchema.nullable(),
  resolutionHours: WorkingHoursTargetSchema.nullable(),
});
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

/** The SLA defaults when a mailbox has no policy for a priority (issue 15: 24 working hours). */
export const defaultSlaPolicy = { firstReplyHours: 24, nextReplyHours: 24, resolutionHours: null } as const;

/** GET /api/mailboxes/:id/settings/operations — the mailbox's business hours and SLA policies. */
export const MailboxOperationsSettingsSchema = z.object({
  mailboxId: z.string(),
  businessHours: BusinessHoursSchema,
  /** true when the mailbox has no hours of its own and shows the default. */
  businessHoursIsDefault: z.boolean(),
  /** One per priority (low, normal, high, urgent); `isDefault` when the mailbox has none stored. */
  slaPolicies: z.array(SlaPolicySchema.extend({ isDefault: z.boolean() })),
  /**
   * For a calendar with official shifted working days (CN): the last year the data covers, so the
   * screen can warn before it runs out; null for other calendars.
   */
  calendarCoveredUntil: z.number().int().nullable(),
});
export type MailboxOperationsSettings = z.infer<typeof MailboxOperationsSettingsSchema>;

/** PUT …/business-hours */
export const PutBusinessHoursRequestSchema = z.object({ businessHours: BusinessHoursSchema });
/** PUT …/sla-policies: the policies to store (priorities left out keep theirs). */
export const PutSlaPoliciesRequestSchema = z.object({ policies: z.array(SlaPolicySchema).min(1).max(4) });
