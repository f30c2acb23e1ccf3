import { ConversationDetailSchema } from '@pier/contracts';
import { http } from '../../api/client';

export const conversationKeys = {
  detail: (id: string) => ['conversation', id] as const,
};

export const readingApi = {
  conversation: (id: string) => http.get(`/api/conversations/${encodeURIComponent(id)}`, import.meta.env.DEV && ConversationDetailSchema),
  /**
   * What the sanitised page hides, read from its headers with HEAD (the frame itself
   * is sandboxed and cannot tell the app): blocked remote images and quoted blocks.
   */
  htmlFacts: async (messageId: string): Promise<{ blockedImages: number; quotedBlocks: number }> => {
    const res = await fetch(messageHtmlUrl(messageId, { images: false, quoted: false }), { method: 'HEAD', credentials: 'same-origin' });
    if (!res.ok) return { blockedImages: 0, quotedBlocks: 0 };
    return {
      blockedImages: Number(res.headers.get('x-pier-blocked-images') ?? 0) || 0,
      quotedBlocks: Number(res.headers.get('x-pier-quoted-blocks') ?? 0) || 0,
    };
  },
  /** The original mail as text, at most `limit` bytes of it. */
  rawSource: async (messageId: string, limit: number): Promise<{ text: string; truncated: boolean }> => {
    const res = await fetch(messageRawUrl(messageId), { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(0, limit)), truncated: bytes.length > limit };
  },
};

export function messageHtmlUrl(messageId: string, options: { images: boolean; quoted: boolean }): string {
  const query = new URLSearchParams();
  if (options.images) query.set('images', '1');
  if (options.quoted) query.set('quoted', '1');
  const qs = query.toString();
  return `/api/messages/${encodeURIComponent(messageId)}/html${qs ? `?${qs}` : ''}`;
}

export function messageRawUrl(messageId: string, download = false): string {
  return `/api/messages/${encodeURIComponent(messageId)}/raw${download ? '?download=1' : ''}`;
}

export function attachmentUrl(attachmentId: string, inline = false): string {
  return `/api/attachments/${encodeURIComponent(attachmentId)}${inline ? '?inline=1' : ''}`;
}
