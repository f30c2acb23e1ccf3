import type { SaveFaqAnswer } from '@pier/contracts';
import {
  FaqAnswerSchema,
  FaqDraftFromSentSchema,
  FaqFolderSchema,
  FaqLibrarySchema,
  FaqQuestionClustersSchema,
  FaqSuggestionsSchema,
  RenderedFaqSchema,
} from '@pier/contracts';
import { http } from '../../api/client';

const enc = encodeURIComponent;

export const faqKeys = {
  library: ['faq', 'library'] as const,
  questions: ['faq', 'questions'] as const,
  suggestions: (conversationId: string) => ['faq', 'suggestions', conversationId] as const,
};

export const faqApi = {
  library: () => http.get('/api/faq', import.meta.env.DEV && FaqLibrarySchema),
  createFolder: (name: string) => http.post('/api/faq/folders', { name }, import.meta.env.DEV && FaqFolderSchema),
  deleteFolder: (id: string) => http.delete(`/api/faq/folders/${enc(id)}`),
  createAnswer: (body: SaveFaqAnswer) => http.post('/api/faq/answers', body, import.meta.env.DEV && FaqAnswerSchema),
  updateAnswer: (id: string, body: SaveFaqAnswer) => http.put(`/api/faq/answers/${enc(id)}`, body, import.meta.env.DEV && FaqAnswerSchema),
  deleteAnswer: (id: string) => http.delete(`/api/faq/answers/${enc(id)}`),
  render: (id: string, body: { language?: string; mailboxId?: string; conversationId?: string; insert: boolean }) =>
    http.post(`/api/faq/answers/${enc(id)}/render`, body, import.meta.env.DEV && RenderedFaqSchema),
  preview: (bodyHtml: string) => http.post<{ html: string }>('/api/faq/preview', { bodyHtml }),
  suggestions: (conversationId: string) =>
    http.get(`/api/conversations/${enc(conversationId)}/faq-suggestions`, import.meta.env.DEV && FaqSuggestionsSchema),
  draftFromSent: (messageId: string) =>
    http.get(`/api/messages/${enc(messageId)}/faq-draft`, import.meta.env.DEV && FaqDraftFromSentSchema),
  questions: () => http.get('/api/faq/unanswered-questions', import.meta.env.DEV && FaqQuestionClustersSchema),
};
