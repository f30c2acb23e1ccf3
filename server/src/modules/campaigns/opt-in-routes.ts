import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { apiActorOf } from '../security/index.js';
import { confirmOptIn, memberOfOptInToken, resendConfirmation, setDoubleOptIn } from './opt-in.js';
import { optInConfirmPage, optInDonePage, optInExpiredPage, optInInvalidPage, optInSuppressedPage } from './opt-in-page.js';
import { maskAddress } from './unsubscribe.js';
import { type PageLanguage, pageLanguageOf, sendPage } from './unsubscribe-page.js';

/**
 * The public confirmation link of double opt-in (decision 0059), registered inside the unsubscribe
 * routes (their form-body parser, their stylesheet): no sign-in, the signed token is the only key.
 * GET shows a page with a button and changes nothing (mail scanners open every link); POST, the
 * button, confirms. Shown: the sender's name and the masked address on a valid token; one 404 page
 * for every forged or unknown token, a 410 page for an expired one, neither naming anything. The link
 * of a suppressed address confirms nothing and its page says only that no mails will be sent.
 */
export const optInPublicRoutes: FastifyPluginAsync<{ db: Kysely<Database>; key: Buffer; clock?: Clock | undefined }> = async (
  app,
  { db, key, clock },
) => {
  const now = () => (clock ?? systemClock).now();
  // The member's language (the one its mail was written in), else the reader's browser.
  const langOf = (member: { opt_in_language: PageLanguage | null } | null, header: string | undefined): PageLanguage =>
    member?.opt_in_language ?? pageLanguageOf(header);

  app.get<{ Params: { token: string } }>('/confirm-subscription/:token', async (request, reply) => {
    const member = await memberOfOptInToken(db, key, request.params.token, now());
    const lang = langOf(member, request.headers['accept-language']);
    if (!member) return sendPage(reply, 404, optInInvalidPage(lang));
    if (member.suppressed) return sendPage(reply, 200, optInSuppressedPage(lang));
    const masked = maskAddress(member.address);
    if (member.opt_in_state === 'confirmed') return sendPage(reply, 200, optInDonePage(lang, member.sender, masked));
    if (member.expired) return sendPage(reply, 410, optInExpiredPage(lang));
    return sendPage(reply, 200, optInConfirmPage(lang, request.params.token, member.sender, masked));
  });

  app.post<{ Params: { token: string } }>('/confirm-subscription/:token', async (request, reply) => {
    const done = await confirmOptIn(db, key, {
      token: request.params.token,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      now: now(),
    });
    if (done.outcome === 'invalid') return sendPage(reply, 404, optInInvalidPage(pageLanguageOf(request.headers['accept-language'])));
    const lang = langOf({ opt_in_language: done.language }, request.headers['accept-language']);
    if (done.outcome === 'suppressed') return sendPage(reply, 200, optInSuppressedPage(lang));
    if (done.outcome === 'expired') return sendPage(reply, 410, optInExpiredPage(lang));
    return sendPage(reply, 200, optInDonePage(lang, done.sender, maskAddress(done.address)));
  });
};

const admins = ['super_admin', 'admin'] as const;
const IdParams = z.object({ id: z.string().min(1).max(64) });

/** The list's double opt-in setting and resending confirmation mails (the members' view: member-routes.ts). */
export const optInApiRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock?: Clock | undefined }> = async (app, { db, clock }) => {
  const now = () => (clock ?? systemClock).now();

  app.put(
    '/api/campaign-lists/:id/double-opt-in',
    {
      config: { access: { roles: admins } },
      schema: {
        params: IdParams,
        body: z.object({ enabled: z.boolean(), mailboxId: z.string().min(1).max(64).nullable().optional() }),
      },
    },
    async (request) => {
      const list = await setDoubleOptIn(db, {
        listId: request.params.id,
        enabled: request.body.enabled,
        mailboxId: request.body.mailboxId,
        actor: apiActorOf(request),
        now: now(),
      });
      return { id: list.id, doubleOptIn: list.double_opt_in === 1, optInMailboxId: list.opt_in_mailbox_id };
    },
  );

  app.post(
    '/api/campaign-lists/:id/opt-in/resend',
    {
      config: { access: { roles: admins } },
      schema: { params: IdParams, body: z.object({ address: z.string().email().max(320).optional() }) },
    },
    async (request) =>
      resendConfirmation(db, { listId: request.params.id, address: request.body.address, actor: apiActorOf(request), now: now() }),
  );
};
