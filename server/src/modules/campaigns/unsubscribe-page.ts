import type { FastifyReply } from 'fastify';
import { escapeHtml } from '../outbox/index.js';

/**
 * The public unsubscribe pages (decision 0051, styled in 0058): one language per page, Chinese when
 * the reader's browser prefers it (Accept-Language), else English; the sign-in page's card look from
 * /unsubscribe.css (the CSP allows no inline style). Nothing shown but the sender's name and the
 * masked address.
 */
export type PageLanguage = 'en' | 'zh-CN';

/** The first of zh or en in the reader's Accept-Language, by quality; English when neither is named. */
export function pageLanguageOf(acceptLanguage: string | undefined): PageLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.q > 0 && (l.tag.startsWith('zh') || l.tag.startsWith('en')))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.startsWith('zh') ? 'zh-CN' : 'en';
}

const strings = {
  en: {
    confirmTitle: 'Unsubscribe',
    confirm: (sender: string, address: string) => `Stop the mails from <strong>${sender}</strong> to <strong>${address}</strong>?`,
    confirmHint: 'One click; nothing changes until you press the button.',
    button: 'Unsubscribe',
    doneTitle: 'Unsubscribed',
    done: (address: string) => `<strong>${address}</strong> is unsubscribed. You will get no more of these mails.`,
    invalidTitle: 'Link not valid',
    invalid: 'This unsubscribe link is not valid. If you keep getting mail, reply to it and ask to be removed.',
  },
  'zh-CN': {
    confirmTitle: '退订',
    confirm: (sender: string, address: string) => `停止 <strong>${sender}</strong> 向 <strong>${address}</strong> 发送邮件？`,
    confirmHint: '点一下即可退订；按下按钮之前不会有任何改变。',
    button: '退订',
    doneTitle: '已退订',
    done: (address: string) => `<strong>${address}</strong> 已退订，不会再收到此类邮件。`,
    invalidTitle: '链接无效',
    invalid: '此退订链接无效。如果仍然收到邮件，请直接回复并要求移除。',
  },
} as const;

/** `css`: stylesheets after /unsubscribe.css (the sign-up form's, decision 0071). */
export type PageContent = { lang: PageLanguage; title: string; body: string; css?: string[] };

/** A page asking for one POST (nothing changes until its button is pressed): title, lead (HTML), button, hint. */
export function formPage(
  lang: PageLanguage,
  page: { title: string; lead: string; action: string; buttonId: string; button: string; hint: string },
): PageContent {
  return {
    lang,
    title: page.title,
    body: `<h1>${page.title}</h1><p class="lead">${page.lead}</p>
<form method="post" action="${page.action}"><button type="submit" id="${page.buttonId}">${page.button}</button></form>
<p class="foot">${page.hint}</p>`,
  };
}

/** A page saying one thing: its title and a lead (HTML), the lead with `id` when given. */
export function messagePage(lang: PageLanguage, title: string, lead: string, id?: string): PageContent {
  return { lang, title, body: `<h1>${title}</h1><p class="lead"${id ? ` id="${id}"` : ''}>${lead}</p>` };
}

export function confirmPage(lang: PageLanguage, token: string, sender: string, masked: string): PageContent {
  const s = strings[lang];
  return formPage(lang, {
    title: s.confirmTitle,
    lead: s.confirm(escapeHtml(sender), escapeHtml(masked)),
    action: `/unsubscribe/${encodeURIComponent(token)}`,
    buttonId: 'unsubscribe',
    button: s.button,
    hint: s.confirmHint,
  });
}

export function donePage(lang: PageLanguage, masked: string): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.doneTitle, s.done(escapeHtml(masked)), 'done');
}

export function invalidPage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.invalidTitle, s.invalid);
}

/** Sends a public page: never cached, no referrer, not indexed, in one language. */
export function sendPage(reply: FastifyReply, status: number, content: PageContent) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('vary', 'Accept-Language')
    .header('content-language', content.lang)
    .send(pageHtml(content));
}

export function pageHtml(content: PageContent): string {
  return `<!doctype html><html lang="${content.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${content.title}</title><link rel="stylesheet" href="/unsubscribe.css">${(content.css ?? []).map((href) => `<link rel="stylesheet" href="${href}">`).join('')}</head><body><main class="card">${content.body}</main></body></html>`;
}

/** The sign-in card's look (web/src/ui/styles.css, .auth and .auth-card), standalone. */
export const UNSUBSCRIBE_CSS = `*{box-sizing:border-box;margin:0}
html,body{min-height:100%}
body{display:flex;justify-content:center;align-items:flex-start;padding:12vh 16px 48px;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Zen Hei","Helvetica Neue",Arial,sans-serif;color:#1c2230;background:radial-gradient(1200px 500px at 50% -180px,#e6ecfa 0%,rgb(230 236 250/0) 70%),#f5f6f8}
.card{width:100%;max-width:400px;padding:28px 28px 24px;background:#fff;border:1px solid #e2e5ea;border-radius:10px;box-shadow:0 1px 2px rgb(16 24 40/.04),0 4px 16px rgb(16 24 40/.06)}
h1{font-size:20px;font-weight:600;letter-spacing:-.01em;line-height:1.3}
.lead{margin-top:8px;color:#535c6c;overflow-wrap:anywhere}
.lead strong{color:#1c2230;font-weight:600}
form{margin-top:22px}
button{width:100%;height:38px;font:inherit;font-size:14px;font-weight:500;color:#fff;background:#2f5bd3;border:1px solid #2f5bd3;border-radius:6px;cursor:pointer}
button:hover{background:#274dba;border-color:#274dba}
button:active{background:#2143a3}
button:focus-visible{outline:none;box-shadow:0 0 0 3px rgb(47 91 211/.22)}
.foot{margin-top:18px;padding-top:14px;font-size:12px;color:#8a92a0;border-top:1px solid #e2e5ea}
`;
