import {
  AssignRequestSchema,
  ConversationIdParamsSchema,
  ConversationPeopleSchema,
  ConversationTriageSchema,
  CreateTeamRequestSchema,
  FollowRequestSchema,
  type MailboxAccess,
  MergeRequestSchema,
  MergeResultSchema,
  NoteRequestSchema,
  PriorityRequestSchema,
  StatusRequestSchema,
  TagsRequestSchema,
  TeamIdParamsSchema,
  TeamListSchema,
  TeamSchema,
  TriageStateSchema,
  UpdateTeamRequestSchema,
  ViewCountsSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { conversationAccess } from '../conversations/index.js';
import { apiActorOf, mailboxIdsWith, requireAuth } from '../security/index.js';
import {
  type Actor,
  addNote,
  assignConversation,
  changeConversationTags,
  mergeConversations,
  mergedInto,
  setConversationPriority,
  setConversationStatus,
  setFollowing,
} from './actions.js';
import { mailGroupRoutes } from './mail-group-routes.js';
import { conversationPeople } from './people.js';
import { createTeam, deleteTeam, listTeams, updateTeam } from './teams.js';
import { listNotesAndEvents, triageState } from './timeline.js';
import { viewCounts } from './views.js';

function actorOf(request: FastifyRequest): Actor {
  const auth = requireAuth(request);
  return { id: auth.user.id, name: auth.user.name, scope: auth.scope };
}

const NoteCreatedSchema = z.object({ id: z.string() });

/**
 * The triage API. Routes name a conversation, not a mailbox, so the guard
 * checks the session and role (auditors: read-only) and each handler checks
 * the conversation's mailboxes: no access is 404, changing needs 'reply'.
 */
export const triageRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  /** Called after a change commits (live updates to other browsers). */
  onChanged?: ((conversationId: string) => void) | undefined;
}> = async (app, { db, onChanged }) => {
  await app.register(mailGroupRoutes, { db });
  const params = ConversationIdParamsSchema;
  const changed = (id: string) => onChanged?.(id);

  app.get(
    '/api/conversations/:id/triage',
    { config: { access: {} }, schema: { params, response: { 200: ConversationTriageSchema } } },
    async (request) => {
      const actor = actorOf(request);
      let access: MailboxAccess;
      try {
        access = (await conversationAccess(db, actor.scope, request.params.id, 'read')).access;
      } catch (error) {
        // A merged conversation: say where it went, if the reader may see the target.
        const target = error instanceof AppError ? await mergedInto(db, request.params.id) : undefined;
        if (target && (await conversationAccess(db, actor.scope, target, 'read').catch(() => undefined))) {
          throw new AppError('conversation.not_found', 404, 'this conversation was merged', { mergedInto: target });
        }
        throw error;
      }
      const [state, timeline] = await Promise.all([
        triageState(db, request.params.id, actor.id, access),
        listNotesAndEvents(db, request.params.id),
      ]);
      return { state, timeline };
    },
  );

  app.get(
    '/api/conversations/:id/people',
    { config: { access: {} }, schema: { params, response: { 200: ConversationPeopleSchema } } },
    async (request) => {
      await conversationAccess(db, actorOf(request).scope, request.params.id, 'read');
      return conversationPeople(db, request.params.id);
    },
  );

  const stateAfter = async (request: FastifyRequest, id: string) => {
    changed(id);
    const actor = actorOf(request);
    return triageState(db, id, actor.id, (await conversationAccess(db, actor.scope, id, 'read')).access);
  };
  const stateResponse = { 200: TriageStateSchema };

  app.post(
    '/api/conversations/:id/assign',
    { config: { access: {} }, schema: { params, body: AssignRequestSchema, response: stateResponse } },
    async (request) => {
      await assignConversation(db, actorOf(request), request.params.id, request.body);
      return stateAfter(request, request.params.id);
    },
  );

  app.post(
    '/api/conversations/:id/status',
    { config: { access: {} }, schema: { params, body: StatusRequestSchema, response: stateResponse } },
    async (request) => {
      await setConversationStatus(db, actorOf(request), request.params.id, request.body);
      return stateAfter(request, request.params.id);
    },
  );

  app.post(
    '/api/conversations/:id/tags',
    { config: { access: {} }, schema: { params, body: TagsRequestSchema, response: stateResponse } },
    async (request) => {
      await changeConversationTags(db, actorOf(request), request.params.id, request.body);
      return stateAfter(request, request.params.id);
    },
  );

  app.post(
    '/api/conversations/:id/priority',
    { config: { access: {} }, schema: { params, body: PriorityRequestSchema, response: stateResponse } },
    async (request) => {
      await setConversationPriority(db, actorOf(request), request.params.id, request.body.priority);
      return stateAfter(request, request.params.id);
    },
  );

  app.post(
    '/api/conversations/:id/follow',
    { config: { access: {} }, schema: { params, body: FollowRequestSchema, response: stateResponse } },
    async (request) => {
      await setFollowing(db, actorOf(request), request.params.id, request.body.following);
      return stateAfter(request, request.params.id);
    },
  );

  app.post(
    '/api/conversations/:id/merge',
    { config: { access: {} }, schema: { params, body: MergeRequestSchema, response: { 200: MergeResultSchema } } },
    async (request) => {
      await mergeConversations(db, actorOf(request), request.params.id, request.body.intoId);
      changed(request.body.intoId);
      return { conversationId: request.body.intoId };
    },
  );

  app.post(
    '/api/conversations/:id/notes',
    { config: { access: {} }, schema: { params, body: NoteRequestSchema, response: { 201: NoteCreatedSchema } } },
    async (request, reply) => {
      const id = await addNote(db, actorOf(request), request.params.id, request.body);
      changed(request.params.id);
      return reply.code(201).send({ id });
    },
  );

  app.get('/api/views', { config: { access: {} }, schema: { response: { 200: ViewCountsSchema } } }, async (request) => {
    const auth = requireAuth(request);
    return viewCounts(db, { mailboxIds: mailboxIdsWith(auth.scope, 'read'), userId: auth.user.id });
  });

  app.get('/api/teams', { config: { access: {} }, schema: { response: { 200: TeamListSchema } } }, async () => ({
    items: await listTeams(db),
  }));

  app.post(
    '/api/teams',
    { config: { access: { roles: ['super_admin', 'admin'] } }, schema: { body: CreateTeamRequestSchema, response: { 201: TeamSchema } } },
    async (request, reply) => reply.code(201).send(await createTeam(db, request.body, apiActorOf(request))),
  );

  app.patch(
    '/api/teams/:teamId',
    {
      config: { access: { roles: ['super_admin', 'admin'] } },
      schema: { params: TeamIdParamsSchema, body: UpdateTeamRequestSchema, response: { 200: TeamSchema } },
    },
    async (request) => updateTeam(db, request.params.teamId, request.body, apiActorOf(request)),
  );

  app.delete(
    '/api/teams/:teamId',
    {
      config: { access: { roles: ['super_admin', 'admin'] } },
      schema: { params: TeamIdParamsSchema, response: { 200: z.object({ conversations: z.number().int() }) } },
    },
    async (request) => deleteTeam(db, request.params.teamId, apiActorOf(request)),
  );
};
