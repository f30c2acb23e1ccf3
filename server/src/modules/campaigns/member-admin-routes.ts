import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { apiActorOf } from '../security/index.js';
import { findListById } from './lists.js';
import { removeListMember, updateListMember } from './member-edit.js';
import { liftSuppression, pageSuppressions, SUPPRESSION_REASONS } from './suppression-admin.js';

const admins = ['super_admin', 'admin'] as const;
const readers = ['super_admin', 'admin', 'auditor'] as const;
const MemberParams = z.object({ id: z.string().min(1).max(64), address: z.string().min(3).max(320) });
const Text = z.string().max(200).nullable().optional();

/**
 * The suppression list paged and searched, a bounce lifted with a note; one member edited or removed
 * (decision 0072). Admins change, auditors read; anyone else gets a 403 naming nothing.
 */
export const memberAdminRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock?: Clock | undefined }> = async (app, { db, clock }) => {
  const now = () => (clock ?? systemClock).now();

  app.get(
    '/api/campaign-suppressions',
    {
      config: { access: { roles: readers } },
      schema: {
        querystring: z.object({
          q: z.string().max(200).optional(),
          reason: z.enum(SUPPRESSION_REASONS).optional(),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (request) => pageSuppressions(db, request.query),
  );

  app.post(
    '/api/campaign-suppressions/lift',
    {
      config: { access: { roles: admins } },
      schema: { body: z.object({ address: z.string().trim().min(3).max(320), note: z.string().max(500) }) },
    },
    async (request) => liftSuppression(db, { ...request.body, actor: apiActorOf(request), now: now() }),
  );

  async function staticList(id: string) {
    const list = await findListById(db, id);
    if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
    if (list.kind !== 'static') throw new AppError('campaign.list_is_segment', 409, 'a segment has no members of its own');
    return list;
  }

  app.patch(
    '/api/campaign-lists/:id/members/:address',
    {
      config: { access: { roles: admins } },
      schema: {
        params: MemberParams,
        body: z
          .object({
            name: Text,
            company: Text,
            country: z.string().max(2).nullable().optional(),
            timeZone: z.string().max(64).nullable().optional(),
            language: z.enum(['zh-CN', 'en']).nullable().optional(),
          })
          .strict(),
      },
    },
    async (request) =>
      updateListMember(db, {
        list: await staticList(request.params.id),
        address: request.params.address,
        changes: request.body,
        actor: apiActorOf(request),
      }),
  );

  app.delete(
    '/api/campaign-lists/:id/members/:address',
    { config: { access: { roles: admins } }, schema: { params: MemberParams } },
    async (request) =>
      removeListMember(db, { list: await staticList(request.params.id), address: request.params.address, actor: apiActorOf(request) }),
  );
};
