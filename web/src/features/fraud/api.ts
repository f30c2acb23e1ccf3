import type {
  ApprovalDecisionInput,
  ContactPhoneInput,
  FraudFlagClearInput,
  MailboxFraudSettings,
  PhoneConfirmationInput,
  TrustedPartyInput,
  TrustedPartyRevokeInput,
} from '@pier/contracts';
import {
  ContactPhoneSchema,
  ConversationContactListSchema,
  ConversationFraudSchema,
  FraudMarkersSchema,
  MailboxFraudSettingsSchema,
  PendingApprovalListSchema,
  PhoneConfirmationSchema,
  TrustedPartyListSchema,
  TrustedPartySchema,
} from '@pier/contracts';
import { http } from '../../api/client';

export type { ConversationContact } from '@pier/contracts';

const base = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;
const settingsPath = (mailboxId: string) => `/api/mailboxes/${encodeURIComponent(mailboxId)}/fraud-settings`;

export const fraudApi = {
  conversation: (conversationId: string) => http.get(`${base(conversationId)}/fraud`, import.meta.env.DEV && ConversationFraudSchema),
  recordCall: (conversationId: string, body: PhoneConfirmationInput) =>
    http.post(`${base(conversationId)}/phone-confirmations`, body, import.meta.env.DEV && PhoneConfirmationSchema),
  contacts: (conversationId: string) => http.get(`${base(conversationId)}/contacts`, import.meta.env.DEV && ConversationContactListSchema),
  setPhone: (contactId: string, body: ContactPhoneInput) =>
    http.put(`/api/contacts/${encodeURIComponent(contactId)}/phone`, body, import.meta.env.DEV && ContactPhoneSchema),
  approvals: (conversationId: string) => http.get(`${base(conversationId)}/approvals`, import.meta.env.DEV && PendingApprovalListSchema),
  decide: (outboxId: string, body: ApprovalDecisionInput) => http.post(`/api/outbox/${encodeURIComponent(outboxId)}/approval`, body),
  settings: (mailboxId: string) => http.get(settingsPath(mailboxId), import.meta.env.DEV && MailboxFraudSettingsSchema),
  markers: (conversationIds: string[]) =>
    http.get(`/api/fraud/markers?ids=${conversationIds.map(encodeURIComponent).join(',')}`, import.meta.env.DEV && FraudMarkersSchema),
  clearFlag: (conversationId: string, body: FraudFlagClearInput) =>
    http.post(`${base(conversationId)}/fraud/clear`, body, import.meta.env.DEV && ConversationFraudSchema),
  trustedParties: () => http.get('/api/fraud/trusted-parties', import.meta.env.DEV && TrustedPartyListSchema),
  markTrusted: (body: TrustedPartyInput) => http.post('/api/fraud/trusted-parties', body, import.meta.env.DEV && TrustedPartySchema),
  revokeTrust: (id: string, body: TrustedPartyRevokeInput) =>
    http.post(`/api/fraud/trusted-parties/${encodeURIComponent(id)}/revoke`, body),
  saveSettings: (mailboxId: string, body: MailboxFraudSettings) =>
    http.put(settingsPath(mailboxId), body, import.meta.env.DEV && MailboxFraudSettingsSchema),
};

export const fraudKeys = {
  conversation: (conversationId: string) => ['fraud', conversationId] as const,
  contacts: (conversationId: string) => ['fraud', conversationId, 'contacts'] as const,
  approvals: (conversationId: string) => ['fraud', conversationId, 'approvals'] as const,
  settings: (mailboxId: string) => ['fraud-settings', mailboxId] as const,
  /** Under 'fraud': a new or revoked mark refreshes the open fraud panels, which were judged again. */
  trustedParties: ['fraud', 'trusted-parties'] as const,
  /** Under 'conversations': a live update of the list refreshes the markers too. */
  markers: (conversationIds: string[]) => ['conversations', 'fraud-markers', conversationIds.join(',')] as const,
};
