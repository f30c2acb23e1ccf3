import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { messageAccess } from '../conversations/index.js';
import type { MailboxScope } from '../security/index.js';
import { selectAttachment, selectAttachments, selectMessageSource } from './reading-queries.js';
import { type InlineImage, mailDocument, sanitizeMailHtml } from './sanitize-html.js';

type Db = Kysely<Database>;

/** Images a browser renders without running anything (SVG can carry script: it is only ever downloaded). */
export const PREVIEWABLE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);
export const PREVIEWABLE = new Set([...PREVIEWABLE_IMAGES, 'application/pdf']);

// Inline (cid:) images travel inside the sanitised page as data: URLs, so the
// sandboxed frame (an opaque origin, no cookies) needs no further request.
const INLINE_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const INLINE_TOTAL_MAX_BYTES = 8 * 1024 * 1024;

async function requireReadableMessage(db: Db, scope: MailboxScope, messageId: string) {
  await messageAccess(db, scope, messageId, 'read');
  const message = await selectMessageSource(db, messageId);
  if (!message) throw new AppError('message.not_found', 404, 'no such message');
  return message;
}

export async function readMessageHtml(
  deps: { db: Db; blobs: BlobStore },
  input: { scope: MailboxScope; messageId: string; allowRemoteImages: boolean; hideQuoted: boolean },
): Promise<{ document: string; blockedImages: number; quotedBlocks: number }> {
  const message = await requireReadableMessage(deps.db, input.scope, input.messageId);
  const html = message.html ?? '';
  const inlineImages = new Map<string, InlineImage>();
  let budget = INLINE_TOTAL_MAX_BYTES;
  for (const a of await selectAttachments(deps.db, [message.id])) {
    if (!a.content_id || !PREVIEWABLE_IMAGES.has(a.mime.toLowerCase())) continue;
    const key = a.content_id.replace(/^<|>$/g, '').toLowerCase();
    if (!html.toLowerCase().includes(`cid:${key}`)) continue;
    let dataUrl: string | null = null;
    if (a.size <= INLINE_IMAGE_MAX_BYTES && a.size <= budget) {
      budget -= a.size;
      dataUrl = `data:${a.mime.toLowerCase()};base64,${(await deps.blobs.get(a.sha256)).toString('base64')}`;
    }
    inlineImages.set(key, { contentId: key, mime: a.mime, dataUrl, url: `/api/attachments/${a.id}?inline=1` });
  }
  const clean = await sanitizeMailHtml(html, { allowRemoteImages: input.allowRemoteImages, inlineImages, hideQuoted: input.hideQuoted });
  return { document: mailDocument(clean.html), blockedImages: clean.blockedImages, quotedBlocks: clean.quotedBlocks };
}

export async function readMessageRaw(deps: { db: Db; blobs: BlobStore }, input: { scope: MailboxScope; messageId: string }) {
  const message = await requireReadableMessage(deps.db, input.scope, input.messageId);
  return { bytes: await deps.blobs.get(message.raw_sha256), subject: message.subject };
}

export async function readAttachment(deps: { db: Db; blobs: BlobStore }, input: { scope: MailboxScope; attachmentId: string }) {
  const attachment = await selectAttachment(deps.db, input.attachmentId);
  if (!attachment) throw new AppError('attachment.not_found', 404, 'no such attachment');
  await messageAccess(deps.db, input.scope, attachment.message_id, 'read', 'attachment.not_found');
  return { attachment, bytes: await deps.blobs.get(attachment.sha256) };
}
