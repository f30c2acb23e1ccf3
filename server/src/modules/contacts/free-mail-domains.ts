/**
 * Providers where anyone can open a mailbox. An address there says nothing about the company
 * behind it, so it must not create or join a company: otherwise every qq.com buyer becomes one
 * "company", and a fraudster's fresh gmail.com sits beside a real customer's colleagues. The
 * Chinese providers matter most here: small exporters and their buyers commonly do business
 * from qq.com, 163.com or foxmail.com for years.
 *
 * Matched against the registrable domain (vip.163.com → 163.com, vip.qq.com → qq.com).
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  '188.com',
  '163.net',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sina.com.cn',
  'sohu.com',
  'tom.com',
  '21cn.com',
  'aliyun.com',
  '139.com',
  '189.cn',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'ymail.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'web.de',
  'mail.ru',
  'mail.com',
  'protonmail.com',
  'protonmail.ch',
  'proton.me',
  'pm.me',
  'zoho.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  'rediffmail.com',
  'libero.it',
  'orange.fr',
  'free.fr',
  'laposte.net',
  't-online.de',
  'bol.com.br',
  'uol.com.br',
  'terra.com.br',
]);

/**
 * Providers that run the same free service under many country domains (hotmail.co.uk,
 * yahoo.co.jp, gmx.de, yandex.ru…): matched on the name before the public suffix.
 */
export const FREE_MAIL_BASE_NAMES: ReadonlySet<string> = new Set(['hotmail', 'outlook', 'yahoo', 'gmx', 'yandex']);
