import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { findMailboxById, type HostGuard, listSendingMailboxes } from '../mailboxes/index.js';
import { apiActorOf, type SecretBox } from '../security/index.js';
import { campaignCounts, findCampaign, listCampaigns, queueCampaign, setCampaignPaused } from './campaigns.js';
import { cancelCampaign } from './cancel.js';
import { clicksPerLink } from './clicks.js';
import { importListCsv } from './csv-import.js';
import { campaignReplies } from './feedback.js';
import { createSegmentList, findListById, listLists, listMembers, previewList, previewSegment } from './lists.js';
import { memberAdminRoutes } from './member-admin-routes.js';
import { memberRoutes } from './member-routes.js';
import { optInApiRoutes } from './opt-in-routes.js';
import { previewCampaign, sendTestMail } from './preview.js';
import { deleteSegment, updateSegment } from './segments.js';
import { signupApiRoutes } from './signup-routes.js';
import { suppressAddress } from './suppression.js';
import { pageSuppressions } from './suppression-admin.js';
import { DEFAULT_PROVIDER_LIMITS, listProviderLimits, setProviderLimits } from './throttle.js';

export type CampaignRouteDeps = {
  db: Kysely<Database>;
  secrets: SecretBox;
  hosts: HostGuard;
  clock?: Clock | undefined;
  unsubscribeKey: Buffer;
  publicUrl: () => Promise<string | undefined>;
};

const admins = ['super_admin', 'admin'] as const;
const readers = ['super_admin', 'admin', 'auditor'] as const;
const IdParams = z.object({ id: z.string().min(1).max(64) });
const Template = { subject: z.string().min(1).max(300), html: z.string().min(1).max(500_000), text: z.string().min(1).max(200_000) };
const Segment = z
  .object({
    countries: z.array(z.string().length(2)).max(300).optional(),
    companyDomains: z.array(z.string().min(1).max(253)).max(1000).optional(),
    tags: z.array(z.string().min(1).max(100)).max(100).optional(),
    owners: z.array(z.string().min(1).max(64)).max(200).optional(),
    companyTags: z.array(z.string().min(1).max(100)).max(100).optional(),
    companyOwners: z.array(z.string().min(1).max(64)).max(200).optional(),
    languages: z.array(z.string().min(2).max(8)).max(50).optional(),
    lastContactAfter: z.number().int().optional(),
    lastContactBefore: z.number().int().optional(),
    contactedWithinDays: z.number().int().min(1).max(36_500).optional(),
    quietForDays: z.number().int().min(1).max(36_500).optional(),
  })
  .strict();

/** Lists, campaigns, the suppression list and the providers' caps: admins change them, auditors read them. */
export const campaignRoutes: FastifyPluginAsyncZod<CampaignRouteDeps> = async (app, deps) => {
  const { db } = deps;
  const now = () => (deps.clock ?? systemClock).now();
  // Double opt-in per list (decision 0059).
  await app.register(optInApiRoutes, { db, clock: deps.clock });
  // A list's members, paged and searched, and one added by hand (decision 0068).
  await app.register(memberRoutes, { db, clock: deps.clock });
  // The suppression list paged, a bounce lifted; a member edited or removed (decision 0072).
  await app.register(memberAdminRoutes, { db, clock: deps.clock });
  // A list's public sign-up form (decision 0071).
  await app.register(signupApiRoutes, { db, publicUrl: deps.publicUrl });

  app.get('/api/campaigns', { config: { access: { roles: readers } } }, async () => {
    const mailboxes = (await listSendingMailboxes(db)).filter((m) => m.purpose === 'marketing');
    return {
      campaigns: await listCampaigns(db),
      mailboxes: mailboxes.map((m) => ({ id: m.id, address: m.address, displayName: m.display_name })),
      lists: await listLists(db, now()),
    };
  });

  app.post(
    '/api/campaigns',
    {
      config: { access: { roles: admins } },
      schema: {
        body: z.object({
          mailboxId: z.string().min(1).max(64),
          listId: z.string().min(1).max(64),
          ...Template,
          ratePerMinute: z.number().int().min(1).max(10_000).optional(),
          sendAt: z.number().int().optional(),
          localTime: z.string().max(5).nullable().optional(),
          companyTimeZone: z.string().max(64).optional(),
          trackClicks: z.boolean().optional(),
        }),
      },
    },
    async (request) => {
      const mailbox = await findMailboxById(db, request.body.mailboxId);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      return queueCampaign(db, {
        ...request.body,
        mailbox,
        list: { id: request.body.listId },
        actorId: apiActorOf(request).actorId,
        now: now(),
      });
    },
  );

  app.get('/api/campaigns/:id', { config: { access: { roles: readers } }, schema: { params: IdParams } }, async (request) => {
    const campaign = await findCampaign(db, request.params.id);
    if (!campaign) throw new AppError('campaign.not_found', 404, 'no such campaign');
    return {
      id: campaign.id,
      subject: campaign.subject,
      mailboxId: campaign.mailbox_id,
      listId: campaign.list_id,
      ratePerMinute: campaign.rate_per_minute,
      sendAt: Number(campaign.send_at),
      localTime: campaign.local_time,
      trackClicks: campaign.track_clicks === 1,
      counts: await campaignCounts(db, campaign.id),
      replies: await campaignReplies(db, campaign.id),
    };
  });

  // Clicks per tracked link (decision 0060): null links when the campaign does not track clicks.
  app.get('/api/campaigns/:id/links', { config: { access: { roles: readers } }, schema: { params: IdParams } }, async (request) => {
    const campaign = await findCampaign(db, request.params.id);
    if (!campaign) throw new AppError('campaign.not_found', 404, 'no such campaign');
    return { campaign: campaign.id, links: await clicksPerLink(db, campaign) };
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/campaigns/:id/${action}`, { config: { access: { roles: admins } }, schema: { params: IdParams } }, async (request) => {
      await setCampaignPaused(db, request.params.id, action === 'pause', now());
      return campaignCounts(db, request.params.id);
    });
  }

  // Cancel (decision 0068): recipients not started are never sent; those already sent stay counted.
  app.post('/api/campaigns/:id/cancel', { config: { access: { roles: admins } }, schema: { params: IdParams } }, async (request) => {
    await cancelCampaign(db, { id: request.params.id, actor: apiActorOf(request), now: now() });
    return campaignCounts(db, request.params.id);
  });

  app.post(
    '/api/campaigns/preview',
    {
      config: { access: { roles: admins } },
      schema: { body: z.object({ listId: z.string().min(1).max(64), address: z.string().max(320).optional(), ...Template }) },
    },
    async (request) => {
      const list = await findListById(db, request.body.listId);
      if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
      const members = await listMembers(db, list, now());
      const member = request.body.address ? members.find((m) => m.address === request.body.address?.toLowerCase()) : members[0];
      if (!member) throw new AppError('campaign.no_member', 404, 'no such member in this list');
      return previewCampaign(deps, request.body, member);
    },
  );

  app.post(
    '/api/campaigns/test-send',
    {
      config: { access: { roles: admins } },
      schema: { body: z.object({ mailboxId: z.string().min(1).max(64), to: z.string().email().max(320), ...Template }) },
    },
    async (request) => {
      const mailbox = await findMailboxById(db, request.body.mailboxId);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      await sendTestMail(deps, mailbox, request.body, now());
      return { sent: true };
    },
  );

  app.get('/api/campaign-lists', { config: { access: { roles: readers } } }, async () => ({ lists: await listLists(db, now()) }));

  // Live count and first recipients of a segment being built; nothing is saved (a POST: auditors read saved lists' previews).
  app.post(
    '/api/campaign-lists/segment-preview',
    { config: { access: { roles: admins } }, schema: { body: z.object({ segment: Segment }) } },
    async (request) => previewSegment(db, request.body.segment, now()),
  );

  app.get('/api/campaign-lists/:id/preview', { config: { access: { roles: readers } }, schema: { params: IdParams } }, async (request) => {
    const list = await findListById(db, request.params.id);
    if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
    return previewList(db, list, now());
  });

  app.post(
    '/api/campaign-lists',
    { config: { access: { roles: admins } }, schema: { body: z.object({ name: z.string().min(1).max(120), segment: Segment }) } },
    async (request) => {
      const list = await createSegmentList(db, {
        name: request.body.name,
        segment: request.body.segment,
        actorId: apiActorOf(request).actorId,
        now: now(),
      });
      return { id: list.id };
    },
  );

  // Rename a segment and/or replace its rules (decision 0060); the answer is its audience now.
  app.patch(
    '/api/campaign-lists/:id',
    {
      config: { access: { roles: admins } },
      schema: {
        params: IdParams,
        body: z
          .object({ name: z.string().min(1).max(120).optional(), segment: Segment.optional() })
          .refine((b) => b.name !== undefined || b.segment !== undefined, 'a new name or new rules'),
      },
    },
    async (request) => {
      const list = await updateSegment(db, { id: request.params.id, ...request.body, actor: apiActorOf(request), now: now() });
      const { matching, suppressed, recipients } = await previewList(db, list, now());
      return { id: list.id, name: list.name, segment: JSON.parse(list.segment_json ?? '{}'), matching, suppressed, recipients };
    },
  );

  app.delete('/api/campaign-lists/:id', { config: { access: { roles: admins } }, schema: { params: IdParams } }, async (request) => {
    await deleteSegment(db, { id: request.params.id, actor: apiActorOf(request) });
    return { deleted: true };
  });

  app.post(
    '/api/campaign-lists/import',
    {
      config: { access: { roles: admins } },
      schema: {
        body: z.object({
          name: z.string().min(1).max(120),
          csv: z.string().min(1).max(900_000),
          consentSource: z.string().max(200).optional(),
          consentDate: z.string().max(40).optional(),
          /** Double opt-in for the list from this import on (decision 0059): the marketing mailbox its confirmations go from. */
          doubleOptInMailboxId: z.string().min(1).max(64).optional(),
        }),
      },
    },
    async (request) => importListCsv(db, { ...request.body, actorId: apiActorOf(request).actorId, now: now() }),
  );

  app.post(
    '/api/campaign-suppressions',
    { config: { access: { roles: admins } }, schema: { body: z.object({ address: z.string().email().max(320) }) } },
    async (request) => {
      await suppressAddress(db, {
        address: request.body.address,
        reason: 'manual',
        campaignId: null,
        detail: apiActorOf(request).actorId,
        now: now(),
      });
      return pageSuppressions(db, { offset: 0, limit: 50 });
    },
  );

  app.get('/api/campaign-limits', { config: { access: { roles: readers } } }, async () => ({ limits: await listProviderLimits(db) }));

  app.put(
    '/api/campaign-limits',
    {
      config: { access: { roles: admins } },
      schema: {
        body: z.object({
          preset: z.enum(Object.keys(DEFAULT_PROVIDER_LIMITS) as [string, ...string[]]),
          perMinute: z.number().int().min(1).max(10_000),
          perDay: z.number().int().min(1).max(1_000_000),
        }),
      },
    },
    async (request) => {
      await setProviderLimits(db, request.body.preset, { perMinute: request.body.perMinute, perDay: request.body.perDay }, now());
      return { limits: await listProviderLimits(db) };
    },
  );
};
