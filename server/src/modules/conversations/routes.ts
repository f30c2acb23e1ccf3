import { ConversationListQuerySchema, ConversationListSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { mailboxIdsWith, requireAuth } from '../security/index.js';
import { listConversations } from './conversations.js';

export const conversationRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; engine: Engine }> = async (app, { db, engine }) => {
  app.get(
    '/api/conversations',
    {
      config: {
        access: { mailbox: { level: 'read', idFrom: (request) => (request.query as { mailboxId?: string }).mailboxId } },
      },
      schema: { querystring: ConversationListQuerySchema, response: { 200: ConversationListSchema } },
    },
    async (request) => {
      const inScope = mailboxIdsWith(requireAuth(request).scope, 'read');
      const mailboxIds = request.query.mailboxId ? [request.query.mailboxId] : inScope;
      return listConversations(db, {
        mailboxIds,
        limit: request.query.limit,
        query: request.query.q,
        engine,
        cursor: request.query.cursor,
      });
    },
  );
};
