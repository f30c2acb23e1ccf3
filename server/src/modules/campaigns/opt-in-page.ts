import { escapeHtml } from '../outbox/index.js';
import { formPage, messagePage, type PageContent, type PageLanguage } from './unsubscribe-page.js';

/**
 * The public double opt-in pages (decision 0059), in the unsubscribe pages' card look and one
 * language: the one the confirmation mail was written in (the member's), else the reader's browser.
 * They show the sender's name and the masked address, never the list's name (an internal label).
 */
const strings = {
  en: {
    confirmTitle: 'Confirm your subscription',
    confirm: (sender: string, address: string) =>
      `Do you want to receive mails from <strong>${sender}</strong> at <strong>${address}</strong>?`,
    confirmHint: 'Nothing is recorded until you press the button. If you did not ask for these mails, close this page.',
    button: 'Yes, subscribe me',
    doneTitle: 'Subscription confirmed',
    done: (sender: string, address: string) =>
      `Thank you. <strong>${address}</strong> will receive mails from <strong>${sender}</strong>. Each mail has a link to unsubscribe.`,
    expiredTitle: 'Link expired',
    expired: 'This confirmation link has expired. Reply to the mail it came in to ask for a new one.',
    invalidTitle: 'Link not valid',
    invalid: 'This confirmation link is not valid.',
    suppressedTitle: 'No mails will be sent',
    suppressed: 'This link confirms nothing: no mails will be sent to this address.',
  },
  'zh-CN': {
    confirmTitle: '确认订阅',
    confirm: (sender: string, address: string) => `是否同意 <strong>${sender}</strong> 向 <strong>${address}</strong> 发送邮件？`,
    confirmHint: '按下按钮之前不会记录任何内容。如果您没有申请订阅，请直接关闭此页面。',
    button: '是的，确认订阅',
    doneTitle: '订阅已确认',
    done: (sender: string, address: string) =>
      `谢谢！<strong>${address}</strong> 将收到 <strong>${sender}</strong> 的邮件。每封邮件都附有退订链接。`,
    expiredTitle: '链接已过期',
    expired: '此确认链接已过期。请回复原邮件，申请重新发送。',
    invalidTitle: '链接无效',
    invalid: '此确认链接无效。',
    suppressedTitle: '不会发送邮件',
    suppressed: '此链接不会确认任何订阅：不会向此地址发送邮件。',
  },
} as const;

export function optInConfirmPage(lang: PageLanguage, token: string, sender: string, masked: string): PageContent {
  const s = strings[lang];
  return formPage(lang, {
    title: s.confirmTitle,
    lead: s.confirm(escapeHtml(sender), escapeHtml(masked)),
    action: `/confirm-subscription/${encodeURIComponent(token)}`,
    buttonId: 'confirm',
    button: s.button,
    hint: s.confirmHint,
  });
}

export function optInDonePage(lang: PageLanguage, sender: string, masked: string): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.doneTitle, s.done(escapeHtml(sender), escapeHtml(masked)), 'confirmed');
}

export function optInExpiredPage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.expiredTitle, s.expired, 'expired');
}

export function optInInvalidPage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.invalidTitle, s.invalid, 'invalid');
}

/** The link of a suppressed address: it confirms nothing and says so, naming no sender, address or reason. */
export function optInSuppressedPage(lang: PageLanguage): PageContent {
  const s = strings[lang];
  return messagePage(lang, s.suppressedTitle, s.suppressed, 'suppressed');
}

/** The confirmation mail's subject, text and HTML in the member's language. */
export function optInMailContent(lang: PageLanguage, sender: string, url: string) {
  if (lang === 'zh-CN')
    return {
      subject: `请确认订阅 ${sender} 的邮件`,
      text: `您好！\n\n请点击下面的链接，确认您愿意接收 ${sender} 的邮件：\n\n${url}\n\n此链接 7 天内有效。如果您没有申请订阅，请忽略本邮件，您不会再收到任何邮件。\n`,
      html: mailHtml(
        'zh-CN',
        '请确认订阅',
        `请点击下面的按钮，确认您愿意接收 ${escapeHtml(sender)} 的邮件。`,
        '确认订阅',
        url,
        '此链接 7 天内有效。如果您没有申请订阅，请忽略本邮件，您不会再收到任何邮件。',
      ),
    };
  return {
    subject: `Please confirm your subscription to ${sender}`,
    text: `Hello,\n\nplease confirm that you want to receive mails from ${sender} by opening this link:\n\n${url}\n\nThe link works for 7 days. If you did not ask for these mails, ignore this one: you will get nothing more.\n`,
    html: mailHtml(
      'en',
      'Please confirm your subscription',
      `Please confirm that you want to receive mails from ${escapeHtml(sender)}.`,
      'Confirm subscription',
      url,
      'The link works for 7 days. If you did not ask for these mails, ignore this one: you will get nothing more.',
    ),
  };
}

function mailHtml(lang: PageLanguage, title: string, lead: string, button: string, url: string, foot: string): string {
  const href = escapeHtml(url);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body style="margin:0;padding:24px;background:#f5f6f8;font:14px/1.5 -apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',Arial,sans-serif;color:#1c2230">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center"><table role="presentation" width="100%" style="max-width:480px;background:#fff;border:1px solid #e2e5ea;border-radius:10px" cellpadding="0" cellspacing="0"><tr><td style="padding:28px">
<h1 style="margin:0 0 8px;font-size:20px;font-weight:600">${title}</h1>
<p style="margin:0 0 20px;color:#535c6c">${lead}</p>
<p style="margin:0 0 20px"><a href="${href}" target="_blank" rel="noopener" style="display:inline-block;padding:9px 18px;background:#2f5bd3;color:#fff;text-decoration:none;border-radius:6px;font-weight:500">${button}</a></p>
<p style="margin:0;font-size:12px;color:#8a92a0">${foot}</p>
</td></tr></table></td></tr></table></body></html>`;
}
