import { z } from 'zod';
import { isKnownTimeZone } from './business-hours.js';

/** First-reply figures of one mailbox or team over a period (decision 0033). */
export const FirstReplyFiguresSchema = z.object({
  scope: z.enum(['mailbox', 'team']),
  id: z.string(),
  name: z.string(),
  /** Conversations started in the period whose first-reply outcome is known (answered, or overdue). */
  conversations: z.number().int(),
  met: z.number().int(),
  missed: z.number().int(),
  /** met / conversations; null without conversations. */
  compliance: z.number().nullable(),
  /** Working hours to the first reply (answered conversations; nearest-rank quantiles). */
  medianHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
});
export type FirstReplyFigures = z.infer<typeof FirstReplyFiguresSchema>;

/** GET /api/reports/operations — the reports screen: figures of the mailboxes the reader may read. */
export const OperationsReportQuerySchema = z
  .object({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(1),
    /** The zone of the day and hour buckets (the viewer's); IANA. */
    timeZone: z.string().min(1).max(64).refine(isKnownTimeZone, { message: 'unknown IANA time zone' }).default('Asia/Shanghai'),
  })
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] })
  .refine((q) => q.to - q.from <= 366 * 24 * 3_600_000, { message: 'a report covers at most a year', path: ['to'] });

const Count = z.object({ key: z.string(), label: z.string(), count: z.number().int() });

export const OperationsReportSchema = z.object({
  from: z.number(),
  to: z.number(),
  timeZone: z.string(),
  /** Incoming customer mail in the period. */
  volume: z.object({
    byMailbox: z.array(Count),
    byTeam: z.array(Count),
    byAgent: z.array(Count),
    /** Sender country (ISO code) as stored per message; key '' for unknown. */
    byCountry: z.array(Count),
    /** Local dates (YYYY-MM-DD) in `timeZone`, every day of the period. */
    byDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
  }),
  firstReply: z.object({
    overall: FirstReplyFiguresSchema,
    byMailbox: z.array(FirstReplyFiguresSchema),
    byTeam: z.array(FirstReplyFiguresSchema),
  }),
  /** Incoming mail per local weekday (0 = Monday) and hour (0–23). */
  busiestHours: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() })),
  /** Conversations not closed (open, pending, snoozed; not spam), by age since they started, at the report's end. */
  backlogByAge: z.array(z.object({ bucket: z.enum(['lt1d', '1to3d', '3to7d', '7to30d', 'gt30d']), count: z.number().int() })),
});
export type OperationsReport = z.infer<typeof OperationsReportSchema>;
