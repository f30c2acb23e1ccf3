import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { escapeHtml } from '../outbox/index.js';
import { maskAddress, recipientOfToken, unsubscribeByToken } from './unsubscribe.js';

/**
 * The one-click unsubscribe endpoint, outside /api: no sign-in, no CSRF token (a mail provider's
 * RFC 8058 POST carries neither), the signed per-recipient token is the only key. GET shows a
 * confirmation page with a button and changes nothing (link scanners fetch every link); POST
 * unsubscribes at once. A page tells nothing but the sender's name and the masked address; an
 * unknown or forged token gets the same 404 page whatever it names.
 */
export const unsubscribeRoutes: FastifyPluginAsync<{ db: Kysely<Database>; key: Buffer; clock?: Clock }> = async (
  app,
  { db, key, clock },
) => {
  // RFC 8058's body ("List-Unsubscribe=One-Click", form-encoded or multipart) means nothing beyond the URL.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, null));

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const recipient = await recipientOfToken(db, key, request.params.token);
    if (!recipient) return page(reply, 404, notFound);
    return page(reply, 200, confirmPage(request.params.token, maskAddress(recipient.address)));
  });

  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const via = request.headers['content-type']?.startsWith('multipart/') || !request.headers.referer ? 'one_click' : 'page';
    const done = await unsubscribeByToken(db, key, {
      token: request.params.token,
      via,
      ip: request.ip,
      now: (clock ?? systemClock).now(),
    });
    if (!done.ok || !done.address) return page(reply, 404, notFound);
    return page(reply, 200, donePage(maskAddress(done.address)));
  });
};

const notFound = {
  title: 'Link not valid · 链接无效',
  body: '<p lang="en">This unsubscribe link is not valid.</p><p lang="zh-CN">此退订链接无效。</p>',
};

function confirmPage(token: string, masked: string) {
  const address = escapeHtml(masked);
  return {
    title: 'Unsubscribe · 退订',
    body: `<p lang="en">Stop the newsletter to <strong>${address}</strong>?</p><p lang="zh-CN">停止向 <strong>${address}</strong> 发送邮件？</p>
<form method="post" action="/unsubscribe/${encodeURIComponent(token)}"><button type="submit" id="unsubscribe">Unsubscribe · 退订</button></form>`,
  };
}

function donePage(masked: string) {
  const address = escapeHtml(masked);
  return {
    title: 'Unsubscribed · 已退订',
    body: `<p lang="en" id="done"><strong>${address}</strong> is unsubscribed. You will get no more of these mails.</p><p lang="zh-CN">已退订：<strong>${address}</strong> 不会再收到此类邮件。</p>`,
  };
}

function page(reply: FastifyReply, status: number, content: { title: string; body: string }) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${content.title}</title></head><body><main>${content.body}</main></body></html>`,
    );
}
