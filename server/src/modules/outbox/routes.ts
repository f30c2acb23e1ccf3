import {
  ComposeContextSchema,
  ComposeModeSchema,
  DraftSchema,
  OutboxItemSchema,
  ResolveOutboxSchema,
  SaveDraftSchema,
  SavedReplySchema,
  SaveSavedReplySchema,
  SendPreferencesSchema,
  SendRequestSchema,
  SignatureSettingsSchema,
  UpdateSignatureSchema,
  UploadSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { conversationAccess } from '../conversations/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { requireAuth } from '../security/index.js';
import { type Actor, findParentMessage, requireMailboxReply } from './conversation-reads.js';
import { deleteDraft, findDraft, MAX_UPLOAD_BYTES, saveDraft, storeUpload } from './drafts.js';
import { cancelSend, composeContext, findOutboxForActor, type QueueDeps, queueSend, resolveSend, toOutboxItem } from './queue-send.js';
import {
  createSavedReply,
  deleteSavedReply,
  findSavedReply,
  listSavedReplies,
  loadSendPreferences,
  loadSignatureSettings,
  renderSignature,
  saveSendPreferences,
  saveSignatureSettings,
  saveWorkspaceUndoSeconds,
  templateValues,
  updateSavedReply,
} from './settings.js';
import { signatureLogoRoutes } from './signature-logo-routes.js';
import { renderTemplate } from './templates.js';

const Id = z.string().min(1).max(64);
const IdParams = z.object({ id: Id });
const admins = ['super_admin', 'admin'] as const;
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;

export const outboxRoutes: FastifyPluginAsyncZod<QueueDeps> = async (app, deps) => {
  const { db } = deps;
  const actorOf = (request: FastifyRequest): Actor => {
    const auth = requireAuth(request);
    return { user: auth.user, scope: auth.scope };
  };

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  await app.register(signatureLogoRoutes, deps);

  app.get(
    '/api/outbox/compose-context',
    {
      config: { access: {} },
      schema: {
        querystring: z.object({ conversationId: Id.optional(), mode: ComposeModeSchema.default('reply'), messageId: Id.optional() }),
        response: { 200: ComposeContextSchema },
      },
    },
    async (request) => composeContext(deps, actorOf(request), request.query),
  );

  app.post(
    '/api/outbox',
    {
      config: {
        access: { mailbox: { level: 'reply', idFrom: (request) => (request.body as { mailboxId?: string } | undefined)?.mailboxId } },
      },
      schema: { body: SendRequestSchema, response: { 202: OutboxItemSchema } },
    },
    async (request, reply) => reply.code(202).send(await queueSend(deps, actorOf(request), request.body)),
  );

  app.get(
    '/api/outbox/:id',
    { config: { access: {} }, schema: { params: IdParams, response: { 200: OutboxItemSchema } } },
    async (request) => toOutboxItem(await findOutboxForActor(db, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/outbox/:id/cancel',
    { config: { access: {} }, schema: { params: IdParams, response: { 200: DraftSchema } } },
    async (request) => cancelSend(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/outbox/:id/resolve',
    { config: { access: {} }, schema: { params: IdParams, body: ResolveOutboxSchema, response: { 200: OutboxItemSchema } } },
    async (request) => resolveSend(deps, actorOf(request), request.params.id, request.body.action, request.ip),
  );

  app.get(
    '/api/conversations/:id/outbox',
    { config: { access: {} }, schema: { params: IdParams, response: { 200: z.object({ items: z.array(OutboxItemSchema) }) } } },
    async (request) => {
      await conversationAccess(db, actorOf(request).scope, request.params.id, 'read');
      const rows = await db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('conversation_id', '=', request.params.id)
        .where('state', '!=', 'cancelled')
        .orderBy('created_at')
        .execute();
      return { items: rows.map(toOutboxItem) };
    },
  );

  app.post(
    '/api/outbox/uploads',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      config: { access: {} },
      schema: {
        querystring: z.object({
          filename: z.string().trim().min(1).max(255),
          mime: z.string().max(200).default('application/octet-stream'),
        }),
        response: { 201: UploadSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw new AppError('request.invalid', 415, 'send the file as application/octet-stream');
      const mime = /^[\w.+-]+\/[\w.+-]+$/.test(request.query.mime) ? request.query.mime : 'application/octet-stream';
      const upload = await storeUpload(db, deps.blobs, actorOf(request).user.id, { filename: request.query.filename, mime, content: body });
      return reply.code(201).send(upload);
    },
  );

  // Drafts: the composer saves as the agent types.
  app.post(
    '/api/drafts',
    { config: { access: {} }, schema: { body: SaveDraftSchema, response: { 200: DraftSchema } } },
    async (request) => {
      const actor = actorOf(request);
      if (request.body.conversationId) await conversationAccess(db, actor.scope, request.body.conversationId, 'reply');
      if (request.body.mailboxId) requireMailboxReply(actor, request.body.mailboxId);
      return saveDraft(db, actor.user.id, null, request.body);
    },
  );
  app.put(
    '/api/drafts/:id',
    { config: { access: {} }, schema: { params: IdParams, body: SaveDraftSchema, response: { 200: DraftSchema } } },
    async (request) => {
      const actor = actorOf(request);
      if (request.body.conversationId) await conversationAccess(db, actor.scope, request.body.conversationId, 'reply');
      if (request.body.mailboxId) requireMailboxReply(actor, request.body.mailboxId);
      return saveDraft(db, actor.user.id, request.params.id, request.body);
    },
  );
  app.get('/api/drafts/:id', { config: { access: {} }, schema: { params: IdParams, response: { 200: DraftSchema } } }, async (request) => {
    const draft = await findDraft(db, actorOf(request).user.id, { id: request.params.id });
    if (!draft) throw new AppError('outbox.not_found', 404, 'no such draft');
    return draft;
  });
  app.delete('/api/drafts/:id', { config: { access: {} }, schema: { params: IdParams } }, async (request, reply) => {
    // 404 for a draft that is not the caller's (as GET answers), rather than a 204 that deleted nothing.
    if (!(await deleteDraft(db, actorOf(request).user.id, request.params.id))) throw new AppError('outbox.not_found', 404, 'no such draft');
    return reply.code(204).send();
  });

  // Signatures (per mailbox) and the preview the composer shows.
  app.get(
    '/api/mailboxes/:id/signature',
    {
      config: { access: { mailbox: { level: 'reply', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, response: { 200: SignatureSettingsSchema } },
    },
    async (request) => loadSignatureSettings(db, request.params.id),
  );
  app.put(
    '/api/mailboxes/:id/signature',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, body: UpdateSignatureSchema, response: { 200: SignatureSettingsSchema } },
    },
    async (request) => {
      if (!(await findMailboxById(db, request.params.id))) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      return saveSignatureSettings(db, { ...request.body, mailboxId: request.params.id });
    },
  );
  app.get(
    '/api/mailboxes/:id/signature/preview',
    {
      config: { access: { mailbox: { level: 'reply', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, response: { 200: z.object({ html: z.string() }) } },
    },
    async (request) => {
      const mailbox = await findMailboxById(db, request.params.id);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      return { html: await renderSignature(db, actorOf(request).user, mailbox) };
    },
  );

  // Saved replies: everyone inserts them, admins curate them.
  app.get(
    '/api/saved-replies',
    { config: { access: {} }, schema: { response: { 200: z.object({ items: z.array(SavedReplySchema) }) } } },
    async () => ({ items: await listSavedReplies(db) }),
  );
  app.post(
    '/api/saved-replies',
    { config: { access: { roles: admins } }, schema: { body: SaveSavedReplySchema, response: { 201: SavedReplySchema } } },
    async (request, reply) => reply.code(201).send(await createSavedReply(db, actorOf(request).user.id, request.body)),
  );
  app.put(
    '/api/saved-replies/:id',
    {
      config: { access: { roles: admins } },
      schema: { params: IdParams, body: SaveSavedReplySchema, response: { 200: SavedReplySchema } },
    },
    async (request) => updateSavedReply(db, request.params.id, request.body),
  );
  app.delete('/api/saved-replies/:id', { config: { access: { roles: admins } }, schema: { params: IdParams } }, async (request, reply) => {
    await deleteSavedReply(db, request.params.id);
    return reply.code(204).send();
  });
  app.post(
    '/api/saved-replies/:id/render',
    {
      config: {
        access: { mailbox: { level: 'reply', idFrom: (request) => (request.body as { mailboxId?: string } | undefined)?.mailboxId } },
      },
      schema: {
        params: IdParams,
        body: z.object({ mailboxId: Id, conversationId: Id.optional(), messageId: Id.optional() }),
        response: { 200: z.object({ html: z.string() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const saved = await findSavedReply(db, request.params.id);
      const mailbox = await findMailboxById(db, request.body.mailboxId);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      let customer: { name: string | null; address: string } | null = null;
      if (request.body.conversationId) {
        await conversationAccess(db, actor.scope, request.body.conversationId, 'read');
        const parent = await findParentMessage(db, request.body.conversationId, request.body.messageId);
        if (parent?.direction === 'in' && parent.from) customer = parent.from;
      }
      return { html: renderTemplate(saved.body_html, await templateValues(db, { user: actor.user, mailbox, customer })) };
    },
  );

  // The agent's own sending preferences; the workspace default (admins).
  app.get('/api/outbox/preferences', { config: { access: {} }, schema: { response: { 200: SendPreferencesSchema } } }, async (request) =>
    loadSendPreferences(db, actorOf(request).user.id),
  );
  app.put(
    '/api/outbox/preferences',
    { config: { access: {} }, schema: { body: SendPreferencesSchema, response: { 200: SendPreferencesSchema } } },
    async (request) => saveSendPreferences(db, actorOf(request).user.id, request.body),
  );
  app.put(
    '/api/outbox/workspace-settings',
    { config: { access: { roles: admins } }, schema: { body: z.object({ undoSeconds: z.number().int().min(5).max(30) }) } },
    async (request, reply) => {
      await saveWorkspaceUndoSeconds(db, request.body.undoSeconds);
      return reply.code(204).send();
    },
  );
};
