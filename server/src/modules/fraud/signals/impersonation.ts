import { registrableDomainOf, skeleton, splitDomain } from '../domains.js';
import { quote, signal } from '../reasons.js';
import type { FraudMail, FraudSignal } from '../types.js';

/** A brand's name on someone else's domain: alone below warn (brands send through many domains). */
export const BRAND_NAME_WEIGHT = 25;
/** The brand's name on a domain built from it (paypal-secure.com): no honest reason. */
export const BRAND_LOOKALIKE_DOMAIN_WEIGHT = 45;
export const AUTHORITY_NAME_WEIGHT = 35;
export const MIXED_SCRIPT_WEIGHT = 35;
export const INVISIBLE_CHARACTERS_WEIGHT = 30;

/**
 * Names worth imitating, with the registrable-domain labels they really send from. Compared on
 * UTS #39 skeletons (domains.ts), so "PaypaI" and "Μicrosoft" (Greek M) match too.
 */
const BRANDS: Record<string, string[]> = {
  microsoft: [
    'microsoft',
    'microsoftonline',
    'office',
    'office365',
    'outlook',
    'live',
    'hotmail',
    'sharepoint',
    'sharepointonline',
    'onmicrosoft',
  ],
  'office 365': ['microsoft', 'office', 'office365', 'outlook'],
  outlook: ['microsoft', 'outlook', 'office'],
  onedrive: ['microsoft', 'onedrive', 'sharepoint', 'live'],
  sharepoint: ['microsoft', 'sharepoint'],
  paypal: ['paypal'],
  apple: ['apple', 'icloud'],
  icloud: ['apple', 'icloud'],
  amazon: ['amazon', 'amazonses', 'amazonaws'],
  netflix: ['netflix'],
  docusign: ['docusign', 'docusign.net'],
  adobe: ['adobe', 'adobesign', 'adobecc'],
  dropbox: ['dropbox', 'dropboxmail'],
  dhl: ['dhl'],
  fedex: ['fedex'],
  ups: ['ups'],
  maersk: ['maersk'],
  'wells fargo': ['wellsfargo'],
  chase: ['chase', 'jpmorgan', 'jpmchase'],
  'bank of america': ['bankofamerica', 'bofa'],
  citibank: ['citi', 'citibank'],
  hsbc: ['hsbc'],
  barclays: ['barclays'],
  santander: ['santander'],
  'western union': ['westernunion', 'wu'],
  moneygram: ['moneygram'],
  alibaba: ['alibaba', 'alibaba-inc', 'aliexpress'],
  'bank of china': ['boc', 'bankofchina'],
  icbc: ['icbc'],
  bradesco: ['bradesco'],
  itaú: ['itau'],
  caixa: ['caixa'],
  sparkasse: ['sparkasse'],
  'deutsche bank': ['db', 'deutsche-bank'],
};
/** Authorities that never write to a company about money from an ordinary mailbox. */
const AUTHORITIES = [
  'fbi',
  'federal bureau of investigation',
  'united nations',
  'imf',
  'international monetary fund',
  'world bank',
  'interpol',
  'irs',
  'hmrc',
  'internal revenue service',
  'federal reserve',
  'central bank',
  'ministry of finance',
];
/** Words a brand's own notification names add ("PayPal Service", "Microsoft account team"). */
const SERVICE_WORDS = new Set(
  'account accounts team service services support security billing notification notifications alert alerts online no-reply noreply info center centre customer care help desk helpdesk payments payment mail message messages inc ltd limited plc the via official department dept express bank banking card cards secure verification update id'.split(
    ' ',
  ),
);

/** The brand is the whole name, or the name adds only service words: "Chase Miller" is a person. */
function namesBrand(nameTokens: string, brand: string): boolean {
  const b = ` ${skeleton(brand)} `;
  if (!nameTokens.includes(b)) return false;
  return nameTokens.split('|').some((form) => {
    if (!form.includes(b)) return false;
    const rest = form.replace(b, ' ').trim().split(/\s+/).filter(Boolean);
    return rest.every((w) => SERVICE_WORDS.has(w.replace(/\.$/, '')) || /^\d+$/.test(w));
  });
}
const AUTHORITY_DOMAIN =
  /\.(?:gov|mil|int)(?:\.[a-z]{2})?$|\.gov\.[a-z]{2}$|(?:^|\.)(?:un|imf|worldbank|interpol|fbi|irs|hmrc)\.(?:org|gov|int)$/;

/** Tag characters, zero-width joiners/spaces, word joiner, soft hyphen, bidi controls. */
const INVISIBLE = /[\u{E0000}-\u{E007F}\u200B-\u200F\u2060-\u2064\u00AD\u202A-\u202E\u2066-\u2069\uFEFF\u180E]/u;
/** The joiner inside emoji sequences (family, flags) is ordinary. */
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;

/** A word mixing Latin with Cyrillic or Greek letters: a look-alike spelling ("Pаypal" with Cyrillic а). */
function mixedScriptWord(text: string): string | null {
  for (const word of text.normalize('NFC').split(/[\s"'<>()[\],.:;!?/|_-]+/)) {
    if (word.length < 3) continue;
    const latin = /\p{Script=Latin}/u.test(word);
    const other = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u.test(word);
    if (latin && other) return word;
  }
  return null;
}

/** Skeletons of the name as written and in lower case ("PaypaI" with a capital I, and "UNITED" whose I is not an l). */
const tokens = (text: string) =>
  [text, text.toLowerCase()]
    .map(
      (t) =>
        ` ${skeleton(t)
          .replace(/[^\p{L}\p{N}.]+/gu, ' ')
          .trim()} `,
    )
    .join('|');

/**
 * Display names and subjects that pass for a brand, bank or authority while the mail comes from
 * an unrelated domain, and the tricks that hide the spelling from filters: letters from other
 * scripts mixed into a Latin word, and invisible characters (Unicode tags, zero-width joiners).
 */
export function impersonationSignals(mail: FraudMail): FraudSignal[] {
  const signals: FraudSignal[] = [];
  const name = mail.from?.name ?? '';
  const domain = registrableDomainOf(mail.from?.address) ?? '';
  const label = domain ? splitDomain(domain).label : '';
  const nameTokens = tokens(name);
  if (name && !mail.bulk) {
    const brand = Object.entries(BRANDS).find(([b]) => namesBrand(nameTokens, b));
    if (brand && !brand[1].includes(label)) {
      // paypal-secure.com, microsoft365-billing.net: the name itself made into a domain.
      const built = brand[1].some((real) => real.length >= 4 && label.includes(real));
      signals.push(
        signal(
          'brand_impersonation',
          built ? BRAND_LOOKALIKE_DOMAIN_WEIGHT : BRAND_NAME_WEIGHT,
          built
            ? `The sender calls itself "${quote(name, 50)}" and writes from ${domain}, a domain made from the brand's name that is not ${brand[0]}'s.`
            : `The sender calls itself "${quote(name, 50)}" but writes from ${domain || 'no domain'}, which is not ${brand[0]}'s.`,
          built
            ? `发件人自称“${quote(name, 50)}”，邮件来自 ${domain}——用品牌名拼成、但并非 ${brand[0]} 的域名。`
            : `发件人自称“${quote(name, 50)}”，但邮件来自 ${domain || '无域名'}，并非 ${brand[0]} 的域名。`,
        ),
      );
    } else {
      const authority = AUTHORITIES.find((a) => nameTokens.includes(` ${skeleton(a)} `));
      const address = mail.from?.address?.toLowerCase() ?? '';
      if (authority && !AUTHORITY_DOMAIN.test(address.split('@')[1] ?? '')) {
        signals.push(
          signal(
            'authority_impersonation',
            AUTHORITY_NAME_WEIGHT,
            `The sender calls itself "${quote(name, 50)}", an authority, but writes from ${address || 'no address'}. Authorities do not write about money from such addresses.`,
            `发件人自称“${quote(name, 50)}”（政府或国际机构），但邮件来自 ${address || '无地址'}。真正的机构不会从这种地址谈钱。`,
          ),
        );
      }
    }
  }
  for (const [field, text, zhField] of [
    ['name', name, '发件人名称'],
    ['subject', mail.subject, '主题'],
  ] as const) {
    const mixed = mixedScriptWord(text);
    if (mixed) {
      signals.push(
        signal(
          'mixed_script_text',
          MIXED_SCRIPT_WEIGHT,
          `The sender's ${field} writes "${quote(mixed, 30)}" with letters from different alphabets that look alike: a disguise that slips past filters.`,
          `${zhField}中的“${quote(mixed, 30)}”混用了外形相似的不同字母表字符：这是躲避过滤的伪装。`,
        ),
      );
      break;
    }
  }
  for (const [field, text, zhField] of [
    ['name', name, '发件人名称'],
    ['subject', mail.subject, '主题'],
  ] as const) {
    if (INVISIBLE.test(text.replace(EMOJI_ZWJ, ''))) {
      signals.push(
        signal(
          'invisible_characters',
          INVISIBLE_CHARACTERS_WEIGHT,
          `The sender's ${field} contains invisible characters (zero-width or Unicode tag characters) that hide its real spelling from filters.`,
          `${zhField}中含有不可见字符（零宽字符或 Unicode 标签字符），用来向过滤器隐藏真实拼写。`,
        ),
      );
      break;
    }
  }
  return signals;
}
