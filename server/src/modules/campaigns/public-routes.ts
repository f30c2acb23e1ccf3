import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { findMailboxById } from '../mailboxes/index.js';
import { recordClick, verifyClickToken } from './clicks.js';
import { optInPublicRoutes } from './opt-in-routes.js';
import { maskAddress, recipientOfToken, unsubscribeByToken } from './unsubscribe.js';
import { confirmPage, donePage, invalidPage, pageLanguageOf, sendPage, UNSUBSCRIBE_CSS } from './unsubscribe-page.js';

/**
 * The one-click unsubscribe endpoint, outside /api: no sign-in, no CSRF token (a mail provider's
 * RFC 8058 POST carries neither), the signed per-recipient token is the only key. GET shows a
 * confirmation page with a button and changes nothing (link scanners fetch every link); POST
 * unsubscribes at once. A page tells nothing but the sender's name and the masked address; an
 * unknown or forged token gets the same 404 page whatever it names (in the reader's language).
 */
export const unsubscribeRoutes: FastifyPluginAsync<{ db: Kysely<Database>; key: Buffer; clock?: Clock }> = async (
  app,
  { db, key, clock },
) => {
  // RFC 8058's body ("List-Unsubscribe=One-Click", form-encoded or multipart) means nothing beyond the URL.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, null));

  // A tracked link (decision 0058): counted, then on to the URL the signature vouches for.
  // The token in the query: it carries the URL, longer than a path parameter may be (Fastify's maxParamLength).
  app.get<{ Querystring: { t?: string } }>('/c', async (request, reply) => {
    const click = verifyClickToken(key, String(request.query.t ?? ''));
    if (!click)
      return reply.status(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Link not valid · 链接无效');
    await recordClick(db, { recipientId: click.recipientId, url: click.url, now: (clock ?? systemClock).now() });
    return reply.status(302).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(click.url);
  });

  // The double opt-in confirmation link (decision 0059): same body parser, same stylesheet.
  await app.register(optInPublicRoutes, { db, key, clock });

  app.get('/unsubscribe.css', async (_request, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(UNSUBSCRIBE_CSS),
  );

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const lang = pageLanguageOf(request.headers['accept-language']);
    const recipient = await recipientOfToken(db, key, request.params.token);
    if (!recipient) return sendPage(reply, 404, invalidPage(lang));
    const mailbox = await findMailboxById(db, recipient.mailbox_id);
    const sender = mailbox?.display_name || mailbox?.address || '';
    return sendPage(reply, 200, confirmPage(lang, request.params.token, sender, maskAddress(recipient.address)));
  });

  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const lang = pageLanguageOf(request.headers['accept-language']);
    const via = request.headers['content-type']?.startsWith('multipart/') || !request.headers.referer ? 'one_click' : 'page';
    const done = await unsubscribeByToken(db, key, {
      token: request.params.token,
      via,
      ip: request.ip,
      now: (clock ?? systemClock).now(),
    });
    if (!done.ok || !done.address) return sendPage(reply, 404, invalidPage(lang));
    return sendPage(reply, 200, donePage(lang, maskAddress(done.address)));
  });
};
