import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { apiActorOf } from '../security/index.js';
import { findListById } from './lists.js';
import { addListMember, MEMBER_STATUSES, pageListMembers } from './members.js';

const admins = ['super_admin', 'admin'] as const;
const readers = ['super_admin', 'admin', 'auditor'] as const;
const IdParams = z.object({ id: z.string().min(1).max(64) });

async function staticList(db: Kysely<Database>, id: string) {
  const list = await findListById(db, id);
  if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
  if (list.kind !== 'static') throw new AppError('campaign.list_is_segment', 409, 'a segment has no members of its own');
  return list;
}

/**
 * A static list's members, paged and searched on the server with counts by status, and one contact
 * added by hand with its consent (decision 0068): admins add, auditors read, nobody else sees a member.
 */
export const memberRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock?: Clock | undefined }> = async (app, { db, clock }) => {
  const now = () => (clock ?? systemClock).now();

  app.get(
    '/api/campaign-lists/:id/members',
    {
      config: { access: { roles: readers } },
      schema: {
        params: IdParams,
        querystring: z.object({
          q: z.string().max(200).optional(),
          status: z.enum(MEMBER_STATUSES).optional(),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (request) => pageListMembers(db, await staticList(db, request.params.id), request.query, now()),
  );

  app.post(
    '/api/campaign-lists/:id/members',
    {
      config: { access: { roles: admins } },
      schema: {
        params: IdParams,
        body: z.object({
          address: z.string().trim().max(320).email(),
          name: z.string().max(200).nullable().optional(),
          company: z.string().max(200).nullable().optional(),
          country: z.string().max(2).nullable().optional(),
          timeZone: z.string().max(64).nullable().optional(),
          language: z.enum(['zh-CN', 'en']).optional(),
          consentSource: z.string().min(1).max(200),
          consentDate: z.string().min(4).max(40),
        }),
      },
    },
    async (request, reply) => {
      const list = await staticList(db, request.params.id);
      const added = await addListMember(db, { list, member: request.body, actor: apiActorOf(request), now: now() });
      return reply.code(201).send(added);
    },
  );
};
