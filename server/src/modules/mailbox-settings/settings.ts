import { type BusinessHours, BusinessHoursSchema, defaultSlaPolicy, type SlaPolicy } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type Priority = SlaPolicy['priority'];

/** Asia/Shanghai, Monday to Friday 09:00–18:00, mainland China's calendar (with 调休). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * The hours of a mailbox that has none of its own. Pier keeps no workspace time zone yet, so the
 * default is mainland China's office week (the product's home market, PRODUCT.md).
 */
export function defaultBusinessHours(): BusinessHours {
  const day = [{ start: '09:00', end: '18:00' }];
  return {
    timeZone: DEFAULT_TIME_ZONE,
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
    holidayCalendar: { country: 'CN' },
    extraDaysOff: [],
    extraWorkingDays: [],
    shiftedWorkdayHoursAs: 'mon',
  };
}

/** The mailbox's stored business hours, or null when it has none (or the stored JSON no longer parses). */
export async function storedBusinessHours(db: Db, mailboxId: string): Promise<BusinessHours | null> {
  const row = await db.selectFrom('mailbox_business_hours').select('hours').where('mailbox_id', '=', mailboxId).executeTakeFirst();
  if (!row) return null;
  try {
    const parsed = BusinessHoursSchema.safeParse(JSON.parse(row.hours));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The hours every SLA, rule and auto-reply of the mailbox works under: its own, else the default. */
export async function businessHoursOfMailbox(db: Db, mailboxId: string): Promise<BusinessHours> {
  return (await storedBusinessHours(db, mailboxId)) ?? defaultBusinessHours();
}

/** Stores the mailbox's hours (already parsed with BusinessHoursSchema). */
export async function saveBusinessHours(
  db: Db,
  mailboxId: string,
  hours: BusinessHours,
  userId: string | null,
  now: number,
): Promise<void> {
  const value = JSON.stringify(hours);
  await db
    .insertInto('mailbox_business_hours')
    .values({ mailbox_id: mailboxId, hours: value, updated_by: userId, updated_at: now })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet({ hours: value, updated_by: userId, updated_at: now }))
    .execute();
}

/** An SLA policy in working minutes (what the SLA clock and auto-replies compute with). */
export interface SlaPolicyMinutes {
  priority: Priority;
  firstReplyMinutes: number;
  nextReplyMinutes: number | null;
  resolutionMinutes: number | null;
  /** true when the mailbox stores no policy for this priority. */
  isDefault: boolean;
}

function defaultPolicy(priority: Priority): SlaPolicyMinutes {
  return {
    priority,
    firstReplyMinutes: defaultSlaPolicy.firstReplyHours * 60,
    nextReplyMinutes: defaultSlaPolicy.nextReplyHours * 60,
    resolutionMinutes: null,
    isDefault: true,
  };
}

/** The mailbox's policy for a priority: stored, else 24 working hours to the first and each next reply. */
export async function slaPolicyOfMailbox(db: Db, mailboxId: string, priority: Priority): Promise<SlaPolicyMinutes> {
  const row = await db
    .selectFrom('sla_policies')
    .select(['first_reply_minutes', 'next_reply_minutes', 'resolution_minutes'])
    .where('mailbox_id', '=', mailboxId)
    .where('priority', '=', priority)
    .executeTakeFirst();
  if (!row) return defaultPolicy(priority);
  return {
    priority,
    firstReplyMinutes: Number(row.first_reply_minutes),
    nextReplyMinutes: row.next_reply_minutes === null ? null : Number(row.next_reply_minutes),
    resolutionMinutes: row.resolution_minutes === null ? null : Number(row.resolution_minutes),
    isDefault: false,
  };
}

/** Stores the given policies of a mailbox (other priorities keep theirs). */
export async function saveSlaPolicies(db: Db, mailboxId: string, policies: SlaPolicy[], userId: string | null, now: number): Promise<void> {
  for (const p of policies) {
    const values = {
      first_reply_minutes: Math.round(p.firstReplyHours * 60),
      next_reply_minutes: p.nextReplyHours === null ? null : Math.round(p.nextReplyHours * 60),
      resolution_minutes: p.resolutionHours === null ? null : Math.round(p.resolutionHours * 60),
      updated_by: userId,
      updated_at: now,
    };
    await db
      .insertInto('sla_policies')
      .values({ mailbox_id: mailboxId, priority: p.priority, ...values })
      .onConflict((oc) => oc.columns(['mailbox_id', 'priority']).doUpdateSet(values))
      .execute();
  }
}
