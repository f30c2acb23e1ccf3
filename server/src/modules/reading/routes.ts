import { ConversationDetailSchema } from '@pier/contracts';
import contentDisposition from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { requireAuth } from '../security/index.js';
import { type DetailSources, loadConversationDetail } from './conversation-detail.js';
import { PREVIEWABLE, readAttachment, readMessageHtml, readMessageRaw } from './message-content.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const HtmlQuery = z.object({ images: z.enum(['0', '1']).optional(), quoted: z.enum(['0', '1']).optional() });
const AttachmentQuery = z.object({ inline: z.enum(['0', '1']).optional() });
const RawQuery = z.object({ download: z.enum(['0', '1']).optional() });

/** Every signed-in role reads; which conversations is decided per mailbox inside (denial is a 404). */
const readAccess = { access: {} } as const;

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * The mail frame's policy, the third wall after the sanitiser and the iframe
 * sandbox: nothing runs, nothing submits, nothing loads but inline styles,
 * data: images and Pier's own attachments (plus https images once asked).
 */
export function mailFramePolicy(appOrigin: string, allowRemoteImages: boolean): string {
  const images = ['data:', `${appOrigin}/api/attachments/`, ...(allowRemoteImages ? ['https:'] : [])].join(' ');
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src ${images}`,
    'font-src data:',
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    // Same origin so the reading pane can measure the document's height; never together with allow-scripts.
    'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
  ].join('; ');
}

function noSniff(reply: FastifyReply) {
  return reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-cache');
}

export const readingRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; blobs: BlobStore; sources?: DetailSources }> = async (
  app,
  { db, blobs, sources },
) => {
  app.get(
    '/api/conversations/:id',
    { config: readAccess, schema: { params: IdParams, response: { 200: ConversationDetailSchema } } },
    async (request) => {
      const auth = requireAuth(request);
      return loadConversationDetail(db, {
        conversationId: request.params.id,
        reader: { userId: auth.user.id, scope: auth.scope },
        ...(sources ? { sources } : {}),
      });
    },
  );

  app.get(
    '/api/messages/:id/html',
    { config: readAccess, schema: { params: IdParams, querystring: HtmlQuery } },
    async (request, reply) => {
      const allowRemoteImages = request.query.images === '1';
      const { document, blockedImages, quotedBlocks } = await readMessageHtml(
        { db, blobs },
        // Quoted history is folded unless the reader asked for it (?quoted=1).
        { scope: requireAuth(request).scope, messageId: request.params.id, allowRemoteImages, hideQuoted: request.query.quoted !== '1' },
      );
      return (
        noSniff(reply)
          .header('content-security-policy', mailFramePolicy(origin(request), allowRemoteImages))
          .header('referrer-policy', 'no-referrer')
          // The reading pane asks with HEAD whether to offer "show images" / "show quoted text".
          .header('x-pier-blocked-images', String(blockedImages))
          .header('x-pier-quoted-blocks', String(quotedBlocks))
          .type('text/html; charset=utf-8')
          .send(document)
      );
    },
  );

  app.get('/api/messages/:id/raw', { config: readAccess, schema: { params: IdParams, querystring: RawQuery } }, async (request, reply) => {
    const { bytes } = await readMessageRaw({ db, blobs }, { scope: requireAuth(request).scope, messageId: request.params.id });
    noSniff(reply).header('content-security-policy', "default-src 'none'; frame-ancestors 'self'; sandbox");
    if (request.query.download === '1') {
      return reply
        .type('message/rfc822')
        .header('content-disposition', contentDisposition(`${request.params.id}.eml`))
        .send(bytes);
    }
    // "View source": the bytes as they arrived; 8-bit bodies in other charsets show as they are.
    return reply.type('text/plain; charset=utf-8').send(bytes);
  });

  app.get(
    '/api/attachments/:id',
    { config: readAccess, schema: { params: IdParams, querystring: AttachmentQuery } },
    async (request, reply) => {
      const { attachment, bytes } = await readAttachment(
        { db, blobs },
        { scope: requireAuth(request).scope, attachmentId: request.params.id },
      );
      const mime = attachment.mime.toLowerCase();
      // Only images and PDF open in the browser; everything else (HTML, SVG, scripts…) is a download with a neutral type.
      const inline = request.query.inline === '1' && PREVIEWABLE.has(mime);
      const policy =
        mime === 'application/pdf' ? "default-src 'none'; frame-ancestors 'self'" : "default-src 'none'; frame-ancestors 'self'; sandbox";
      return noSniff(reply)
        .header('content-security-policy', policy)
        .header('content-disposition', contentDisposition(attachment.filename || 'attachment', { type: inline ? 'inline' : 'attachment' }))
        .type(inline || PREVIEWABLE.has(mime) ? mime : 'application/octet-stream')
        .send(bytes);
    },
  );
};
