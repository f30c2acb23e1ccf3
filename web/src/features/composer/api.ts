import type {
  ComposeContext,
  ComposeMode,
  Draft,
  OutboxItem,
  SaveDraft,
  SavedReply,
  SendPreferences,
  SendRequest,
  SignatureSettings,
  Upload,
} from '@pier/contracts';
import { CSRF_COOKIE, CSRF_HEADER } from '@pier/contracts';
import { ApiRequestError, readCookie, request } from '../../api/client';

/** The sending API (server/src/modules/outbox/routes.ts). */
export const composerApi = {
  context: (params: { conversationId?: string | null; mode: ComposeMode; messageId?: string | null }) => {
    const query = new URLSearchParams({ mode: params.mode });
    if (params.conversationId) query.set('conversationId', params.conversationId);
    if (params.messageId) query.set('messageId', params.messageId);
    return request<ComposeContext>('GET', `/api/outbox/compose-context?${query}`);
  },
  send: (body: SendRequest) => request<OutboxItem>('POST', '/api/outbox', body),
  cancel: (id: string) => request<Draft>('POST', `/api/outbox/${encodeURIComponent(id)}/cancel`),
  resolve: (id: string, action: 'resend' | 'mark_sent') =>
    request<OutboxItem>('POST', `/api/outbox/${encodeURIComponent(id)}/resolve`, { action }),
  conversationOutbox: (conversationId: string) =>
    request<{ items: OutboxItem[] }>('GET', `/api/conversations/${encodeURIComponent(conversationId)}/outbox`),
  saveDraft: (id: string | null, body: SaveDraft) =>
    id ? request<Draft>('PUT', `/api/drafts/${encodeURIComponent(id)}`, body) : request<Draft>('POST', '/api/drafts', body),
  deleteDraft: (id: string) => request<void>('DELETE', `/api/drafts/${encodeURIComponent(id)}`),
  signaturePreview: (mailboxId: string) =>
    request<{ html: string }>('GET', `/api/mailboxes/${encodeURIComponent(mailboxId)}/signature/preview`),
  signature: (mailboxId: string) => request<SignatureSettings>('GET', `/api/mailboxes/${encodeURIComponent(mailboxId)}/signature`),
  saveSignature: (mailboxId: string, body: Omit<SignatureSettings, 'mailboxId'>) =>
    request<SignatureSettings>('PUT', `/api/mailboxes/${encodeURIComponent(mailboxId)}/signature`, body),
  savedReplies: () => request<{ items: SavedReply[] }>('GET', '/api/saved-replies'),
  createSavedReply: (body: { name: string; bodyHtml: string }) => request<SavedReply>('POST', '/api/saved-replies', body),
  updateSavedReply: (id: string, body: { name: string; bodyHtml: string }) =>
    request<SavedReply>('PUT', `/api/saved-replies/${encodeURIComponent(id)}`, body),
  deleteSavedReply: (id: string) => request<void>('DELETE', `/api/saved-replies/${encodeURIComponent(id)}`),
  renderSavedReply: (id: string, body: { mailboxId: string; conversationId?: string; messageId?: string }) =>
    request<{ html: string }>('POST', `/api/saved-replies/${encodeURIComponent(id)}/render`, body),
  preferences: () => request<SendPreferences>('GET', '/api/outbox/preferences'),
  savePreferences: (body: SendPreferences) => request<SendPreferences>('PUT', '/api/outbox/preferences', body),
  /** Files go up as raw bytes (no multipart parser on the server); name and type in the query. */
  upload: async (file: File): Promise<Upload> => {
    const query = new URLSearchParams({ filename: file.name, mime: file.type || 'application/octet-stream' });
    const csrf = readCookie(CSRF_COOKIE);
    const res = await fetch(`/api/outbox/uploads?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/octet-stream', accept: 'application/json', ...(csrf ? { [CSRF_HEADER]: csrf } : {}) },
      body: file,
    });
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | Upload | null;
    if (!res.ok) {
      const error = body && 'error' in body ? body.error : undefined;
      throw new ApiRequestError(res.status, error?.code ?? 'server.error', error?.message ?? res.statusText);
    }
    return body as Upload;
  },
};
