import type { DeactivateRequest, Role, SuperAdminPolicy } from '@pier/contracts';
import {
  AccountLinkSchema,
  DeactivateResultSchema,
  LinkSendersSchema,
  OpenConversationsSchema,
  PublicUrlSettingSchema,
  SessionsRevokedSchema,
  SuperAdminPolicySchema,
  TeamListSchema,
  UserAdminListSchema,
} from '@pier/contracts';
import { http } from '../../../api/client';

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

/** The user administration API (server/src/modules/security/user-routes.ts). */
export const usersApi = {
  list: () => http.get('/api/users', import.meta.env.DEV && UserAdminListSchema),
  linkSenders: () => http.get('/api/users/link-senders', import.meta.env.DEV && LinkSendersSchema),
  invite: (body: { email: string; name: string; role: Role; viaMailboxId?: string }) =>
    http.post('/api/users/invitations', body, import.meta.env.DEV && AccountLinkSchema),
  changeRole: (id: string, role: Role) => http.patch(`${userPath(id)}/role`, { role }),
  resetTwoFactor: (id: string) => http.delete(`${userPath(id)}/two-factor`),
  passwordLink: (id: string, viaMailboxId: string | undefined) =>
    http.post(`${userPath(id)}/password-reset`, viaMailboxId ? { viaMailboxId } : undefined, import.meta.env.DEV && AccountLinkSchema),
  deactivate: (id: string, body: DeactivateRequest) =>
    http.post(`${userPath(id)}/deactivate`, body ?? {}, import.meta.env.DEV && DeactivateResultSchema),
  openConversations: (id: string) => http.get(`${userPath(id)}/open-conversations`, import.meta.env.DEV && OpenConversationsSchema),
  teams: () => http.get('/api/teams', import.meta.env.DEV && TeamListSchema),
  reactivate: (id: string) => http.post(`${userPath(id)}/reactivate`),
  revokeSessions: (id: string) => http.delete(`${userPath(id)}/sessions`, import.meta.env.DEV && SessionsRevokedSchema),
};

/** Where mailed links point (server/src/modules/security/public-url.ts). */
export const publicUrlApi = {
  load: () => http.get('/api/security/public-url', import.meta.env.DEV && PublicUrlSettingSchema),
  save: (publicUrl: string) => http.put('/api/security/public-url', { publicUrl }, import.meta.env.DEV && PublicUrlSettingSchema),
};

/** The workspace's limit on super admins (server/src/modules/security/super-admin-policy.ts). */
export const superAdminPolicyApi = {
  load: () => http.get('/api/security/super-admin-policy', import.meta.env.DEV && SuperAdminPolicySchema),
  save: (policy: SuperAdminPolicy) => http.put('/api/security/super-admin-policy', policy, import.meta.env.DEV && SuperAdminPolicySchema),
};

export const usersKeys = {
  list: ['settings', 'users'] as const,
  openConversations: (userId: string) => ['settings', 'users', userId, 'open'] as const,
  teams: ['settings', 'teams'] as const,
  linkSenders: ['settings', 'users', 'link-senders'] as const,
  superAdminPolicy: ['settings', 'super-admin-policy'] as const,
};
