import {
  type BusinessHours,
  HolidayCalendarListSchema,
  type MailboxOperationsSettings,
  MailboxOperationsSettingsSchema,
  PutBusinessHoursRequestSchema,
  PutSlaPoliciesRequestSchema,
  priorities,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { isKnownHolidayCalendar, officialCalendarCoverage } from '../business-hours/index.js';
import { requireAuth } from '../security/index.js';
import { holidayCalendarList } from './calendars.js';
import { defaultBusinessHours, saveBusinessHours, saveSlaPolicies, slaPolicyOfMailbox, storedBusinessHours } from './settings.js';

const ParamsSchema = z.object({ id: z.string().min(1).max(100) });
const admins = ['super_admin', 'admin'] as const;
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;
const hoursOf = (minutes: number | null) => (minutes === null ? null : minutes / 60);

/** Called in the transaction of a change to a mailbox's hours or policies (compose queues the SLA recompute). */
export type OnOperationsSettingsChanged = (trx: Transaction<Database>, mailboxId: string) => Promise<void>;

export async function mailboxOperationsSettings(db: Kysely<Database>, mailboxId: string): Promise<MailboxOperationsSettings> {
  const stored = await storedBusinessHours(db, mailboxId);
  const hours = stored ?? defaultBusinessHours();
  const policies = await Promise.all(priorities.map((p) => slaPolicyOfMailbox(db, mailboxId, p)));
  return {
    mailboxId,
    businessHours: hours,
    businessHoursIsDefault: stored === null,
    slaPolicies: policies.map((p) => ({
      priority: p.priority,
      firstReplyHours: p.firstReplyMinutes / 60,
      nextReplyHours: hoursOf(p.nextReplyMinutes),
      resolutionHours: hoursOf(p.resolutionMinutes),
      isDefault: p.isDefault,
    })),
    calendarCoveredUntil: hours.holidayCalendar ? (officialCalendarCoverage(hours.holidayCalendar)?.lastYear ?? null) : null,
  };
}

function assertKnownCalendar(hours: BusinessHours): void {
  if (hours.holidayCalendar && !isKnownHolidayCalendar(hours.holidayCalendar)) {
    const { country, region } = hours.holidayCalendar;
    throw new AppError('mailbox.holiday_calendar_unknown', 400, `no holiday calendar for ${country}${region ? `-${region}` : ''}`);
  }
}

export const mailboxSettingsRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; onChanged: OnOperationsSettingsChanged }> = async (
  app,
  { db, onChanged },
) => {
  app.get('/api/holiday-calendars', { config: { access: {} }, schema: { response: { 200: HolidayCalendarListSchema } } }, async () =>
    holidayCalendarList(),
  );
  app.get(
    '/api/mailboxes/:id/operations-settings',
    {
      config: { access: { mailbox: { level: 'read', idFrom: mailboxFromParams } } },
      schema: { params: ParamsSchema, response: { 200: MailboxOperationsSettingsSchema } },
    },
    async (request) => mailboxOperationsSettings(db, request.params.id),
  );
  app.put(
    '/api/mailboxes/:id/business-hours',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: ParamsSchema, body: PutBusinessHoursRequestSchema, response: { 200: MailboxOperationsSettingsSchema } },
    },
    async (request) => {
      const auth = requireAuth(request);
      const mailboxId = request.params.id;
      const hours = request.body.businessHours;
      assertKnownCalendar(hours);
      const before = await storedBusinessHours(db, mailboxId);
      await db.transaction().execute(async (trx) => {
        await saveBusinessHours(trx, mailboxId, hours, auth.user.id, Date.now());
        await recordAudit(trx, {
          actorId: auth.user.id,
          action: 'mailbox.business_hours_changed',
          targetType: 'mailbox',
          targetId: mailboxId,
          mailboxId,
          ip: request.ip,
          details: { from: before, to: hours },
        });
        await onChanged(trx, mailboxId);
      });
      return mailboxOperationsSettings(db, mailboxId);
    },
  );
  app.put(
    '/api/mailboxes/:id/sla-policies',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: ParamsSchema, body: PutSlaPoliciesRequestSchema, response: { 200: MailboxOperationsSettingsSchema } },
    },
    async (request) => {
      const auth = requireAuth(request);
      const mailboxId = request.params.id;
      const { policies } = request.body;
      if (new Set(policies.map((p) => p.priority)).size !== policies.length) {
        throw new AppError('mailbox.sla_policy_duplicate', 400, 'each priority at most once');
      }
      await db.transaction().execute(async (trx) => {
        await saveSlaPolicies(trx, mailboxId, policies, auth.user.id, Date.now());
        await recordAudit(trx, {
          actorId: auth.user.id,
          action: 'mailbox.sla_policy_changed',
          targetType: 'mailbox',
          targetId: mailboxId,
          mailboxId,
          ip: request.ip,
          details: { policies },
        });
        await onChanged(trx, mailboxId);
      });
      return mailboxOperationsSettings(db, mailboxId);
    },
  );
};
