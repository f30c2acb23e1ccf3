import type { BusinessHours, SlaPolicy } from '@pier/contracts';
import { HolidayCalendarListSchema, MailboxOperationsSettingsSchema, OperationsReportSchema } from '@pier/contracts';
import { http } from '../../api/client';

const base = (mailboxId: string) => `/api/mailboxes/${encodeURIComponent(mailboxId)}`;

/** Business hours and SLA policies per mailbox, the holiday calendars, and the reports (decision 0033). */
export const operationsApi = {
  settings: (mailboxId: string) =>
    http.get(`${base(mailboxId)}/operations-settings`, import.meta.env.DEV && MailboxOperationsSettingsSchema),
  saveHours: (mailboxId: string, businessHours: BusinessHours) =>
    http.put(`${base(mailboxId)}/business-hours`, { businessHours }, import.meta.env.DEV && MailboxOperationsSettingsSchema),
  savePolicies: (mailboxId: string, policies: SlaPolicy[]) =>
    http.put(`${base(mailboxId)}/sla-policies`, { policies }, import.meta.env.DEV && MailboxOperationsSettingsSchema),
  calendars: () => http.get('/api/holiday-calendars', import.meta.env.DEV && HolidayCalendarListSchema),
  report: (q: { from: number; to: number; timeZone: string }) =>
    http.get(
      `/api/reports/operations?${new URLSearchParams({ from: String(q.from), to: String(q.to), timeZone: q.timeZone })}`,
      import.meta.env.DEV && OperationsReportSchema,
    ),
};

export const operationsKeys = {
  settings: (mailboxId: string) => ['operations', 'settings', mailboxId] as const,
  calendars: ['operations', 'calendars'] as const,
  report: (from: number, to: number, zone: string) => ['operations', 'report', from, to, zone] as const,
};
