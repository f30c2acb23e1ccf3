import { ConversationListQuerySchema, ConversationListSchema } from '@pier/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { dataVersionOf, type Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { mailboxIdsWith, requireAuth } from '../security/index.js';
import { listConversations } from './conversations.js';

/**
 * Answers of the list kept per node while the database is unchanged (decision record 0014):
 * a busy inbox asks for the same page again and again (refetches after pushes, several agents).
 * Keyed by user (their grants and "mine") and the query string; valid while `dataVersionOf(db)`
 * is what it was before the answer was computed, so a write on this node, or a commit by another
 * process this node has been told about (SQLite: the CLI; PostgreSQL: any node or CLI, through
 * NOTIFY), is never followed by an old list. No version (PostgreSQL while its LISTEN connection
 * is down): nothing is kept or served from the cache.
 */
const MAX_CACHED = 2_000;

export const conversationRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; engine: Engine }> = async (app, { db, engine }) => {
  const version = dataVersionOf(db);
  const cache = new Map<string, { version: string; json: Buffer }>();
  const inFlight = new Map<string, Promise<Buffer>>();
  app.get(
    '/api/conversations',
    {
      config: {
        access: { mailbox: { level: 'read', idFrom: (request) => (request.query as { mailboxId?: string }).mailboxId } },
      },
      schema: { querystring: ConversationListQuerySchema, response: { 200: ConversationListSchema } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const inScope = mailboxIdsWith(auth.scope, 'read');
      const key = `${auth.user.id}|${auth.user.role}|${inScope === 'all' ? 'all' : inScope.join(',')}|${request.url}`;
      const before = version?.();
      const hit = before !== undefined ? cache.get(key) : undefined;
      // The race: \`before\` is read before the computation starts, and the answer is kept only if the
      // version is still \`before\` afterwards. A version moves only after the write it stands for is
      // committed (and visible), so whatever moved it before \`before\` was read is in the answer, and
      // an answer computed across a move is never kept (or is kept under the old version, never served).
      if (hit && hit.version === before) return sendJson(reply, hit.json);
      const compute = async () => {
        const mailboxIds = request.query.mailboxId ? [request.query.mailboxId] : inScope;
        const { limit, q, view, tag, team, status, assignee, cursor, sort } = request.query;
        return listConversations(db, {
          mailboxIds,
          userId: auth.user.id,
          limit,
          query: q,
          view,
          tag,
          teamId: team,
          status,
          assignee,
          engine,
          cursor,
          sort,
        });
      };
      if (before === undefined) return compute();
      // One computation per key and version: after a write, the requests waiting for the same page
      // share it instead of each computing it (64 clients: one miss, not 64 in a row).
      const flight = `${before}|${key}`;
      let pending = inFlight.get(flight);
      if (!pending) {
        pending = compute()
          // The same checked shape the response schema would send, serialised and encoded once: a hit
          // sends these bytes as they are (a string was measured and UTF-8-encoded again on every
          // send, a third of a cached answer's CPU on PostgreSQL under load; decision 0076).
          .then((result) => Buffer.from(JSON.stringify(ConversationListSchema.parse(result))))
          .finally(() => inFlight.delete(flight));
        inFlight.set(flight, pending);
        const json = await pending;
        if (version?.() === before) {
          if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
          cache.set(key, { version: before, json });
        }
        return sendJson(reply, json);
      }
      const json = await pending;
      return sendJson(reply, json);
    },
  );
};

/** Fastify sends bytes with a JSON content type as they are (already serialised and checked above). */
function sendJson(reply: FastifyReply, json: Buffer) {
  return reply.type('application/json; charset=utf-8').send(json as never);
}
