import {
  FaqAnswerSchema,
  FaqDraftFromSentSchema,
  FaqFolderSchema,
  FaqLibrarySchema,
  FaqQuestionClustersSchema,
  FaqSuggestionsSchema,
  RenderedFaqSchema,
  RenderFaqSchema,
  SaveFaqAnswerSchema,
  SaveFaqFolderSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../outbox/index.js';
import { apiActorOf, requireAuth } from '../security/index.js';
import { unansweredQuestions } from './clusters.js';
import { checkSourceMessage, draftFromSent } from './from-sent.js';
import {
  createAnswer,
  createFolder,
  deleteAnswer,
  deleteFolder,
  findAnswer,
  listFolders,
  loadLibrary,
  renameFolder,
  updateAnswer,
} from './library.js';
import { previewText, renderAnswer } from './render.js';
import { suggestAnswers } from './suggest.js';

const Id = z.string().min(1).max(64);
const IdParams = z.object({ id: Id });
/** Auditors read the library; everyone else keeps it; only admins delete. */
const writers = ['super_admin', 'admin', 'agent'] as const;
const admins = ['super_admin', 'admin'] as const;

/** The FAQ library (decision 0050). Mailbox access is checked in the use cases: suggestions and clusters read only mail the agent may read. */
export const knowledgeRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock?: Clock | undefined }> = async (app, { db, clock }) => {
  const now = () => (clock ?? systemClock).now();
  const actorOf = (request: FastifyRequest): Actor => {
    const auth = requireAuth(request);
    return { user: auth.user, scope: auth.scope };
  };

  app.get('/api/faq', { config: { access: {} }, schema: { response: { 200: FaqLibrarySchema } } }, async () => loadLibrary(db));

  app.get(
    '/api/faq/folders',
    { config: { access: {} }, schema: { response: { 200: z.object({ items: z.array(FaqFolderSchema) }) } } },
    async () => ({ items: await listFolders(db) }),
  );
  app.post(
    '/api/faq/folders',
    { config: { access: { roles: writers } }, schema: { body: SaveFaqFolderSchema, response: { 201: FaqFolderSchema } } },
    async (request, reply) => reply.code(201).send(await createFolder(db, request.body)),
  );
  app.put(
    '/api/faq/folders/:id',
    { config: { access: { roles: writers } }, schema: { params: IdParams, body: SaveFaqFolderSchema } },
    async (request, reply) => {
      await renameFolder(db, request.params.id, request.body);
      return reply.code(204).send();
    },
  );
  app.delete('/api/faq/folders/:id', { config: { access: { roles: admins } }, schema: { params: IdParams } }, async (request, reply) => {
    await deleteFolder(db, request.params.id, apiActorOf(request));
    return reply.code(204).send();
  });

  app.get(
    '/api/faq/answers/:id',
    { config: { access: {} }, schema: { params: IdParams, response: { 200: FaqAnswerSchema } } },
    async (request) => findAnswer(db, request.params.id),
  );
  app.post(
    '/api/faq/answers',
    { config: { access: { roles: writers } }, schema: { body: SaveFaqAnswerSchema, response: { 201: FaqAnswerSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await checkSourceMessage(db, actor, request.body.sourceMessageId);
      return reply.code(201).send(await createAnswer(db, actor.user.id, request.body));
    },
  );
  app.put(
    '/api/faq/answers/:id',
    { config: { access: { roles: writers } }, schema: { params: IdParams, body: SaveFaqAnswerSchema, response: { 200: FaqAnswerSchema } } },
    async (request) => updateAnswer(db, request.params.id, actorOf(request).user.id, { ...request.body, sourceMessageId: undefined }),
  );
  app.delete('/api/faq/answers/:id', { config: { access: { roles: admins } }, schema: { params: IdParams } }, async (request, reply) => {
    await deleteAnswer(db, request.params.id, apiActorOf(request));
    return reply.code(204).send();
  });
  app.post(
    '/api/faq/answers/:id/render',
    { config: { access: {} }, schema: { params: IdParams, body: RenderFaqSchema, response: { 200: RenderedFaqSchema } } },
    async (request) => renderAnswer(db, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/faq/preview',
    {
      config: { access: { roles: writers } },
      schema: { body: z.object({ bodyHtml: z.string().max(100_000) }), response: { 200: z.object({ html: z.string() }) } },
    },
    async (request) => ({ html: await previewText(db, actorOf(request), request.body.bodyHtml) }),
  );
  app.get(
    '/api/conversations/:id/faq-suggestions',
    { config: { access: {} }, schema: { params: IdParams, response: { 200: FaqSuggestionsSchema } } },
    async (request) => suggestAnswers(db, actorOf(request), request.params.id, { now: now() }),
  );
  app.get(
    '/api/messages/:id/faq-draft',
    { config: { access: { roles: writers } }, schema: { params: IdParams, response: { 200: FaqDraftFromSentSchema } } },
    async (request) => draftFromSent(db, actorOf(request), request.params.id),
  );
  app.get(
    '/api/faq/unanswered-questions',
    {
      config: { access: {} },
      schema: {
        querystring: z.object({ days: z.coerce.number().int().min(7).max(365).default(90) }),
        response: { 200: FaqQuestionClustersSchema },
      },
    },
    async (request) => unansweredQuestions(db, actorOf(request), { now: now(), days: request.query.days }),
  );
};
