import { escapeHtml } from '../outbox/index.js';
import type { SignupError } from './signup.js';
import { SIGNUP_LIMITS } from './signup.js';
import { messagePage, type PageContent, type PageLanguage } from './unsubscribe-page.js';

/**
 * The public sign-up pages (decision 0071) in the unsubscribe pages' card look, one language each
 * (?lang=, else the browser's): the form, the one "check your inbox" answer every accepted
 * submission gets, and the pages for a form that is off and for too many attempts. The list's name
 * (an internal label) is never shown; the sender is the marketing mailbox's display name.
 */
const strings = {
  en: {
    title: (sender: string) => (sender ? `Subscribe to ${sender}` : 'Subscribe'),
    intro: (sender: string) =>
      `Product news and trade updates${sender ? ` from ${sender}` : ''}, by email. Each mail has a link to unsubscribe.`,
    email: 'Email address',
    name: 'Name (optional)',
    language: 'Language of the mails (optional)',
    languageAny: 'Same as this page',
    button: 'Subscribe',
    honeypot: 'Leave this field empty',
    foot: 'We send you one mail with a link to confirm. Nothing is sent until you click it.',
    errorsTitle: 'Please check the form:',
    errors: {
      email_missing: 'Enter your email address.',
      email_invalid: 'Enter a valid email address, such as name@company.com.',
      email_too_long: `The email address has at most ${SIGNUP_LIMITS.email} characters.`,
      name_too_long: `The name has at most ${SIGNUP_LIMITS.name} characters.`,
      language_invalid: 'Choose a language from the list.',
    } satisfies Record<SignupError, string>,
    thanksTitle: 'Check your inbox',
    thanks:
      'If this address can receive our mails, a message with a confirmation link is on its way. Click the link to complete your subscription.',
    thanksFoot: 'Nothing arrived? Look in the spam folder. You can send the form again in a few hours.',
    unavailableTitle: 'Sign-up not available',
    unavailable: 'This sign-up form is not available.',
    limitedTitle: 'Too many attempts',
    limited: 'Too many sign-ups from here in a short time. Please try again in an hour.',
  },
  'zh-CN': {
    title: (sender: string) => (sender ? `订阅 ${sender} 的邮件` : '订阅邮件'),
    intro: (sender: string) => `通过邮件接收${sender ? ` ${sender} 的` : ''}产品资讯和行业动态。每封邮件都附有退订链接。`,
    email: '邮箱地址',
    name: '姓名（选填）',
    language: '邮件语言（选填）',
    languageAny: '与本页相同',
    button: '订阅',
    honeypot: '请勿填写此项',
    foot: '我们会向您发送一封确认邮件，点击其中的链接之前不会发送任何其他邮件。',
    errorsTitle: '请检查表单：',
    errors: {
      email_missing: '请输入邮箱地址。',
      email_invalid: '请输入有效的邮箱地址，例如 name@company.com。',
      email_too_long: `邮箱地址最多 ${SIGNUP_LIMITS.email} 个字符。`,
      name_too_long: `姓名最多 ${SIGNUP_LIMITS.name} 个字符。`,
      language_invalid: '请从列表中选择语言。',
    } satisfies Record<SignupError, string>,
    thanksTitle: '请查收邮件',
    thanks: '如果该地址可以接收我们的邮件，一封带有确认链接的邮件正在发送中。请点击链接完成订阅。',
    thanksFoot: '没有收到？请查看垃圾邮件文件夹。几小时后可以再次提交表单。',
    unavailableTitle: '无法订阅',
    unavailable: '此订阅表单目前不可用。',
    limitedTitle: '尝试次数过多',
    limited: '短时间内来自此处的订阅请求过多，请一小时后再试。',
  },
} as const;

/** The signup stylesheet's extra rules: fields, labels, errors and the honeypot out of sight. */
export const SIGNUP_CSS = `label{display:block;margin-top:14px;font-weight:500}
input,select{display:block;width:100%;height:36px;margin-top:4px;padding:0 10px;font:inherit;color:inherit;background:#fff;border:1px solid #c9ced8;border-radius:6px}
input:focus,select:focus{outline:none;border-color:#2f5bd3;box-shadow:0 0 0 3px rgb(47 91 211/.18)}
input[aria-invalid=true]{border-color:#c8372d}
.errors{margin-top:14px;padding:10px 12px;color:#8f261e;background:#fdf0ef;border:1px solid #f2c9c5;border-radius:6px}
.errors ul{margin:4px 0 0;padding-left:18px}
.intro{white-space:pre-line}
.hp{position:absolute;left:-5000px;width:1px;height:1px;overflow:hidden}
form button{margin-top:20px}
`;

export type SignupPageInput = {
  lang: PageLanguage;
  action: string;
  sender: string;
  title: string | null;
  intro: string | null;
  values?: { email: string; name: string; language: string };
  errors?: SignupError[];
};

/** The form: email (required), name and language (optional), the honeypot, the page's language kept for the answer. */
export function signupFormPage(input: SignupPageInput): PageContent {
  const s = strings[input.lang];
  const values = input.values ?? { email: '', name: '', language: '' };
  const errors = input.errors ?? [];
  const title = escapeHtml(input.title || s.title(input.sender));
  const intro = escapeHtml(input.intro || s.intro(input.sender));
  const emailBad = errors.some((e) => e.startsWith('email'));
  const option = (value: string, label: string) =>
    `<option value="${value}"${values.language === value ? ' selected' : ''}>${label}</option>`;
  const errorBox =
    errors.length > 0
      ? `<div class="errors" role="alert" id="errors">${s.errorsTitle}<ul>${errors.map((e) => `<li>${s.errors[e]}</li>`).join('')}</ul></div>`
      : '';
  return {
    lang: input.lang,
    title,
    css: ['/subscribe.css'],
    body: `<h1>${title}</h1><p class="lead intro">${intro}</p>${errorBox}
<form method="post" action="${escapeHtml(input.action)}" accept-charset="UTF-8" novalidate>
<label for="email">${s.email}</label><input id="email" name="email" type="email" required maxlength="${SIGNUP_LIMITS.email}" autocomplete="email" value="${escapeHtml(values.email)}"${emailBad ? ' aria-invalid="true"' : ''}>
<label for="name">${s.name}</label><input id="name" name="name" type="text" maxlength="${SIGNUP_LIMITS.name}" autocomplete="name" value="${escapeHtml(values.name)}"${errors.includes('name_too_long') ? ' aria-invalid="true"' : ''}>
<label for="language">${s.language}</label><select id="language" name="language">${option('', s.languageAny)}${option('en', 'English')}${option('zh-CN', '中文')}</select>
<div class="hp" aria-hidden="true"><label for="url">${s.honeypot}</label><input id="url" name="url" type="text" tabindex="-1" autocomplete="off" value=""></div>
<input type="hidden" name="lang" value="${input.lang}">
<button type="submit" id="subscribe">${s.button}</button></form>
<p class="foot">${s.foot}</p>`,
  };
}

/** The one answer to an accepted submission, whatever the address's state: nothing tells them apart. */
export function signupThanksPage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  const page = messagePage(lang, s.thanksTitle, s.thanks, 'thanks');
  return { ...page, body: `${page.body}<p class="foot">${s.thanksFoot}</p>` };
}

export function signupUnavailablePage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.unavailableTitle, s.unavailable, 'unavailable');
}

export function signupLimitedPage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.limitedTitle, s.limited, 'limited');
}

/**
 * The HTML to paste on the company's website: a plain form POST to the public URL (no script, no
 * JSON, no CORS), opening Pier's answer page in a new tab. The honeypot is hidden by an inline style
 * (the website's stylesheet is not ours); labels in the chosen language.
 */
export function signupSnippet(url: string, lang: PageLanguage): string {
  const s = strings[lang];
  const u = escapeHtml(url);
  return `<form action="${u}" method="post" accept-charset="UTF-8" target="_blank">
  <label for="pier-email">${s.email}</label>
  <input id="pier-email" name="email" type="email" required maxlength="${SIGNUP_LIMITS.email}" autocomplete="email">
  <label for="pier-name">${s.name}</label>
  <input id="pier-name" name="name" type="text" maxlength="${SIGNUP_LIMITS.name}" autocomplete="name">
  <label for="pier-language">${s.language}</label>
  <select id="pier-language" name="language">
    <option value="">${s.languageAny}</option>
    <option value="en">English</option>
    <option value="zh-CN">中文</option>
  </select>
  <div style="position:absolute;left:-5000px" aria-hidden="true"><input name="url" type="text" tabindex="-1" autocomplete="off" value=""></div>
  <input type="hidden" name="lang" value="${lang}">
  <button type="submit">${s.button}</button>
</form>`;
}
