import type { ConversationFraud, PhoneConfirmation, PhoneConfirmationInput } from '@pier/contracts';
import { request } from '../../api/client';

const base = (conversationId: string) => `/api/conversations/${encodeURIComponent(conversationId)}`;

export const fraudApi = {
  conversation: (conversationId: string) => request<ConversationFraud>('GET', `${base(conversationId)}/fraud`),
  recordCall: (conversationId: string, body: PhoneConfirmationInput) =>
    request<PhoneConfirmation>('POST', `${base(conversationId)}/phone-confirmations`, body),
};

export const fraudKeys = {
  conversation: (conversationId: string) => ['fraud', conversationId] as const,
};
