import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import type { CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { apiActorOf } from '../security/index.js';
import { findListById } from './lists.js';
import { findListBySignupSlug, SIGNUP_LIMITS, type SignupForm, setSignupForm, signUpToList, signupSenderOf } from './signup.js';
import { SIGNUP_WINDOW_MS } from './signup-limits.js';
import { SIGNUP_CSS, signupFormPage, signupLimitedPage, signupSnippet, signupThanksPage, signupUnavailablePage } from './signup-page.js';
import { type PageLanguage, pageLanguageOf, sendPage } from './unsubscribe-page.js';

/** The page's language: the form's hidden `lang`, else ?lang=, else the reader's browser. */
function languageOf(request: FastifyRequest, posted?: string): PageLanguage {
  const chosen = posted ?? (request.query as { lang?: string } | undefined)?.lang;
  if (chosen === 'zh-CN' || chosen === 'en') return chosen;
  if (chosen?.toLowerCase().startsWith('zh')) return 'zh-CN';
  if (chosen?.toLowerCase().startsWith('en')) return 'en';
  return pageLanguageOf(request.headers['accept-language']);
}

const field = (body: Record<string, string>, name: string, max: number) => String(body[name] ?? '').slice(0, max);

/**
 * The public sign-up form (decision 0071), outside /api: no sign-in, no CSRF token (a website's
 * form posts here across origins, a plain urlencoded POST, no CORS). GET shows the form; POST answers
 * with the same "check your inbox" page for every accepted submission. A form that is off or unknown
 * gets one 404 page naming nothing.
 */
export const signupPublicRoutes: FastifyPluginAsync<{ db: Kysely<Database>; clock?: Clock | undefined }> = async (app, { db, clock }) => {
  const now = () => (clock ?? systemClock).now();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get('/subscribe.css', async (_request, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(SIGNUP_CSS),
  );

  app.get<{ Params: { slug: string } }>('/subscribe/:slug', async (request, reply) => {
    const lang = languageOf(request);
    const list = await findListBySignupSlug(db, request.params.slug);
    if (list?.signup_enabled !== 1) return sendPage(reply, 404, signupUnavailablePage(lang));
    return sendPage(reply, 200, signupFormPage({ lang, ...(await formTexts(db, list)) }));
  });

  app.post<{ Params: { slug: string }; Body: Record<string, string> | null }>('/subscribe/:slug', async (request, reply) => {
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const lang = languageOf(request, body.lang);
    const form: SignupForm = {
      email: field(body, 'email', SIGNUP_LIMITS.email + 1),
      name: field(body, 'name', SIGNUP_LIMITS.name + 1),
      language: field(body, 'language', 10),
      honeypot: field(body, 'url', 100),
    };
    const done = await signUpToList(db, {
      slug: request.params.slug,
      form,
      pageLanguage: lang,
      ip: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
      now: now(),
    });
    if (done.outcome === 'unavailable') return sendPage(reply, 404, signupUnavailablePage(lang));
    if (done.outcome === 'rate_limited') {
      reply.header('retry-after', String(SIGNUP_WINDOW_MS / 1000));
      return sendPage(reply, 429, signupLimitedPage(lang));
    }
    if (done.outcome === 'invalid') {
      const list = (await findListBySignupSlug(db, request.params.slug)) as CampaignListsTable;
      const page = signupFormPage({ lang, ...(await formTexts(db, list)), values: form, errors: done.errors });
      return sendPage(reply, 400, page);
    }
    return sendPage(reply, 200, signupThanksPage(lang));
  });
};

async function formTexts(db: Kysely<Database>, list: CampaignListsTable) {
  return {
    action: `/subscribe/${list.signup_slug}`,
    sender: await signupSenderOf(db, list),
    title: list.signup_title,
    intro: list.signup_intro,
  };
}

const admins = ['super_admin', 'admin'] as const;
const readers = ['super_admin', 'admin', 'auditor'] as const;
const IdParams = z.object({ id: z.string().min(1).max(64) });

/** The list's form as the settings page shows it: on or off, texts, the public URL and the snippets to paste. */
async function signupView(list: CampaignListsTable, publicUrl: string | undefined) {
  const url = publicUrl && list.signup_slug ? `${publicUrl.replace(/\/+$/, '')}/subscribe/${list.signup_slug}` : null;
  return {
    id: list.id,
    enabled: list.signup_enabled === 1,
    mailboxId: list.opt_in_mailbox_id,
    title: list.signup_title,
    intro: list.signup_intro,
    url,
    snippets: url ? { en: signupSnippet(url, 'en'), 'zh-CN': signupSnippet(url, 'zh-CN') } : null,
  };
}

/** Admins turn a list's form on or off and set its texts; auditors read it (decision 0071). */
export const signupApiRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  publicUrl: () => Promise<string | undefined>;
}> = async (app, { db, publicUrl }) => {
  app.get('/api/campaign-lists/:id/signup', { config: { access: { roles: readers } }, schema: { params: IdParams } }, async (request) => {
    const list = await findListById(db, request.params.id);
    if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
    return signupView(list, await publicUrl());
  });

  app.put(
    '/api/campaign-lists/:id/signup',
    {
      config: { access: { roles: admins } },
      schema: {
        params: IdParams,
        body: z.object({
          enabled: z.boolean(),
          mailboxId: z.string().min(1).max(64).nullable().optional(),
          title: z.string().max(SIGNUP_LIMITS.title).nullable().optional(),
          intro: z.string().max(SIGNUP_LIMITS.intro).nullable().optional(),
        }),
      },
    },
    async (request) => {
      const list = await setSignupForm(db, { listId: request.params.id, ...request.body, actor: apiActorOf(request) });
      return signupView(list, await publicUrl());
    },
  );
};
