import type { MailboxAccess, TeamRouting } from '@pier/contracts';
import {
  MailboxAccessListSchema,
  MailboxRoutesSchema,
  TeamListSchema,
  TeamSchema,
  UserAdminListSchema,
  WhomToAskSchema,
} from '@pier/contracts';
import { http } from '../../../api/client';

export type TeamChange = {
  name?: string;
  memberIds?: string[];
  leadId?: string | null;
  routing?: TeamRouting;
  openCap?: number | null;
  escalateAfterHours?: number | null;
};

const mailboxPath = (id: string) => `/api/mailboxes/${encodeURIComponent(id)}`;
const teamPath = (id: string) => `/api/teams/${encodeURIComponent(id)}`;

/** Teams, mail groups and mailbox access (server: triage mail-group-routes.ts, mailboxes access-routes.ts). */
export const teamsApi = {
  list: () => http.get('/api/teams', import.meta.env.DEV && TeamListSchema),
  users: () => http.get('/api/users', import.meta.env.DEV && UserAdminListSchema),
  create: (name: string) => http.post('/api/teams', { name, memberIds: [] }, import.meta.env.DEV && TeamSchema),
  update: (id: string, change: TeamChange) => http.patch(teamPath(id), change, import.meta.env.DEV && TeamSchema),
  remove: (id: string) => http.delete(teamPath(id)),
  setAway: (id: string, userId: string, away: boolean) =>
    http.put(`${teamPath(id)}/away`, { userId, away }, import.meta.env.DEV && TeamSchema),
  access: (mailboxId: string) => http.get(`${mailboxPath(mailboxId)}/access`, import.meta.env.DEV && MailboxAccessListSchema),
  grant: (mailboxId: string, userId: string, access: MailboxAccess) =>
    http.put(`${mailboxPath(mailboxId)}/access/${encodeURIComponent(userId)}`, { access }),
  revoke: (mailboxId: string, userId: string) => http.delete(`${mailboxPath(mailboxId)}/access/${encodeURIComponent(userId)}`),
  grantTeam: (mailboxId: string, teamId: string, access: MailboxAccess) =>
    http.post(`${mailboxPath(mailboxId)}/access/teams`, { teamId, access }),
  revokeTeam: (mailboxId: string, teamId: string) => http.delete(`${mailboxPath(mailboxId)}/access/teams/${encodeURIComponent(teamId)}`),
  routes: () => http.get('/api/mailbox-routes', import.meta.env.DEV && MailboxRoutesSchema),
  setRoute: (mailboxId: string, teamId: string | null) => http.put(`${mailboxPath(mailboxId)}/route`, { teamId }),
  whomToAsk: () => http.get('/api/access/whom-to-ask', import.meta.env.DEV && WhomToAskSchema),
};

export const teamsKeys = {
  list: ['settings', 'teams'] as const,
  users: ['settings', 'users'] as const,
  routes: ['settings', 'mailbox-routes'] as const,
  access: (mailboxId: string) => ['settings', 'mailbox-access', mailboxId] as const,
};
