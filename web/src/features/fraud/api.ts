import type {
  ApprovalDecisionInput,
  ContactPhone,
  ContactPhoneInput,
  ConversationFraud,
  MailboxFraudSettings,
  PendingApproval,
  PhoneConfirmation,
  PhoneConfirmationInput,
} from '@pier/contracts';
import { request } from '../../api/client';

const base = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;

export type ConversationContact = ContactPhone & { name: string | null };

export const fraudApi = {
  conversation: (conversationId: string) => request<ConversationFraud>('GET', `${base(conversationId)}/fraud`),
  recordCall: (conversationId: string, body: PhoneConfirmationInput) =>
    request<PhoneConfirmation>('POST', `${base(conversationId)}/phone-confirmations`, body),
  contacts: (conversationId: string) => request<{ items: ConversationContact[] }>('GET', `${base(conversationId)}/contacts`),
  setPhone: (contactId: string, body: ContactPhoneInput) =>
    request<ContactPhone>('PUT', `/api/contacts/${encodeURIComponent(contactId)}/phone`, body),
  approvals: (conversationId: string) => request<{ items: PendingApproval[] }>('GET', `${base(conversationId)}/approvals`),
  decide: (outboxId: string, body: ApprovalDecisionInput) =>
    request<void>('POST', `/api/outbox/${encodeURIComponent(outboxId)}/approval`, body),
  settings: (mailboxId: string) => request<MailboxFraudSettings>('GET', `/api/mailboxes/${encodeURIComponent(mailboxId)}/fraud-settings`),
  saveSettings: (mailboxId: string, body: MailboxFraudSettings) =>
    request<MailboxFraudSettings>('PUT', `/api/mailboxes/${encodeURIComponent(mailboxId)}/fraud-settings`, body),
};

export const fraudKeys = {
  conversation: (conversationId: string) => ['fraud', conversationId] as const,
  contacts: (conversationId: string) => ['fraud', conversationId, 'contacts'] as const,
  approvals: (conversationId: string) => ['fraud', conversationId, 'approvals'] as const,
  settings: (mailboxId: string) => ['fraud-settings', mailboxId] as const,
};
