import type { ComposeMode, SaveDraft, SendPreferences, SendRequest, UpdateSignature } from '@pier/contracts';
import {
  ComposeContextSchema,
  DraftSchema,
  OutboxItemListSchema,
  OutboxItemSchema,
  RenderedHtmlSchema,
  SavedReplyListSchema,
  SavedReplySchema,
  SendPreferencesSchema,
  SignatureLogoSchema,
  SignatureSettingsSchema,
  UploadSchema,
} from '@pier/contracts';
import { http } from '../../api/client';

/** The sending API (server/src/modules/outbox/routes.ts). */
export const composerApi = {
  context: (params: { conversationId?: string | null; mode: ComposeMode; messageId?: string | null }) => {
    const query = new URLSearchParams({ mode: params.mode });
    if (params.conversationId) query.set('conversationId', params.conversationId);
    if (params.messageId) query.set('messageId', params.messageId);
    return http.get(`/api/outbox/compose-context?${query}`, import.meta.env.DEV && ComposeContextSchema);
  },
  send: (body: SendRequest) => http.post('/api/outbox', body, import.meta.env.DEV && OutboxItemSchema),
  cancel: (id: string) => http.post(`/api/outbox/${encodeURIComponent(id)}/cancel`, undefined, import.meta.env.DEV && DraftSchema),
  resolve: (id: string, action: 'resend' | 'mark_sent') =>
    http.post(`/api/outbox/${encodeURIComponent(id)}/resolve`, { action }, import.meta.env.DEV && OutboxItemSchema),
  conversationOutbox: (conversationId: string) =>
    http.get(`/api/conversations/${encodeURIComponent(conversationId)}/outbox`, import.meta.env.DEV && OutboxItemListSchema),
  saveDraft: (id: string | null, body: SaveDraft) =>
    id
      ? http.put(`/api/drafts/${encodeURIComponent(id)}`, body, import.meta.env.DEV && DraftSchema)
      : http.post('/api/drafts', body, import.meta.env.DEV && DraftSchema),
  deleteDraft: (id: string) => http.delete(`/api/drafts/${encodeURIComponent(id)}`),
  signaturePreview: (mailboxId: string) =>
    http.get(`/api/mailboxes/${encodeURIComponent(mailboxId)}/signature/preview`, import.meta.env.DEV && RenderedHtmlSchema),
  signature: (mailboxId: string) =>
    http.get(`/api/mailboxes/${encodeURIComponent(mailboxId)}/signature`, import.meta.env.DEV && SignatureSettingsSchema),
  saveSignature: (mailboxId: string, body: UpdateSignature) =>
    http.put(`/api/mailboxes/${encodeURIComponent(mailboxId)}/signature`, body, import.meta.env.DEV && SignatureSettingsSchema),
  /** The logo goes up as raw bytes; the server decides from the bytes what it is. */
  uploadLogo: (mailboxId: string, file: File) =>
    http.put(`/api/mailboxes/${encodeURIComponent(mailboxId)}/signature/logo`, file, import.meta.env.DEV && SignatureLogoSchema),
  removeLogo: (mailboxId: string) => http.delete(`/api/mailboxes/${encodeURIComponent(mailboxId)}/signature/logo`),
  savedReplies: () => http.get('/api/saved-replies', import.meta.env.DEV && SavedReplyListSchema),
  createSavedReply: (body: { name: string; bodyHtml: string }) =>
    http.post('/api/saved-replies', body, import.meta.env.DEV && SavedReplySchema),
  updateSavedReply: (id: string, body: { name: string; bodyHtml: string }) =>
    http.put(`/api/saved-replies/${encodeURIComponent(id)}`, body, import.meta.env.DEV && SavedReplySchema),
  deleteSavedReply: (id: string) => http.delete(`/api/saved-replies/${encodeURIComponent(id)}`),
  renderSavedReply: (id: string, body: { mailboxId: string; conversationId?: string; messageId?: string }) =>
    http.post(`/api/saved-replies/${encodeURIComponent(id)}/render`, body, import.meta.env.DEV && RenderedHtmlSchema),
  preferences: () => http.get('/api/outbox/preferences', import.meta.env.DEV && SendPreferencesSchema),
  savePreferences: (body: SendPreferences) => http.put('/api/outbox/preferences', body, import.meta.env.DEV && SendPreferencesSchema),
  /** Files go up as raw bytes (no multipart parser on the server); name and type in the query. */
  upload: (file: File) => {
    const query = new URLSearchParams({ filename: file.name, mime: file.type || 'application/octet-stream' });
    return http.post(`/api/outbox/uploads?${query}`, file, import.meta.env.DEV && UploadSchema);
  },
};
