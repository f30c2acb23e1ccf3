import { SignatureLogoSchema } from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { findMailboxById } from '../mailboxes/index.js';
import { requireAuth } from '../security/index.js';
import type { QueueDeps } from './queue-send.js';
import { findSignatureLogo, MAX_LOGO_BYTES, removeSignatureLogo, saveSignatureLogo } from './signature-logo.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;
const admins = ['super_admin', 'admin'] as const;
/** Read up to this much, so a photo straight from a camera gets the clear "at most 200 kB" answer. */
const LOGO_BODY_LIMIT = 10 * MAX_LOGO_BYTES;

/**
 * A signature's logo: admins upload (raw bytes, like attachments) or remove it; whoever may write
 * from the mailbox loads it for the preview. Served from Pier, so `img-src 'self'` shows it.
 */
export const signatureLogoRoutes: FastifyPluginAsyncZod<QueueDeps> = async (app, deps) => {
  const { db } = deps;
  // The browser sends the file's own type; the bytes decide what it is (checkLogoImage).
  app.addContentTypeParser(/^image\/[\w.+-]+$/, { parseAs: 'buffer', bodyLimit: LOGO_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  app.put(
    '/api/mailboxes/:id/signature/logo',
    {
      bodyLimit: LOGO_BODY_LIMIT,
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, response: { 200: SignatureLogoSchema } },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('request.invalid', 415, 'send the image as its raw bytes');
      if (!(await findMailboxById(db, request.params.id))) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      const auth = requireAuth(request);
      return saveSignatureLogo(db, deps.blobs, { mailboxId: request.params.id, userId: auth.user.id, ip: request.ip, bytes: request.body });
    },
  );
  app.delete(
    '/api/mailboxes/:id/signature/logo',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: IdParams },
    },
    async (request, reply) => {
      await removeSignatureLogo(db, { mailboxId: request.params.id, userId: requireAuth(request).user.id, ip: request.ip });
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/mailboxes/:id/signature/logo',
    {
      config: { access: { mailbox: { level: 'reply', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, querystring: z.object({ v: z.string().max(64).optional() }) },
    },
    async (request, reply) => {
      const logo = await findSignatureLogo(db, request.params.id);
      if (!logo) throw new AppError('signature.logo_not_found', 404, 'this mailbox has no signature logo');
      return (
        reply
          .header('content-type', logo.mime)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'")
          // The URL names the version (?v=hash), so it may be kept; private: it needs a session.
          .header('cache-control', 'private, max-age=86400')
          .send(await deps.blobs.get(logo.sha256))
      );
    },
  );
};
