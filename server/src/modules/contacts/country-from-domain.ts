import { domainToASCII } from 'node:url';

/**
 * ccTLDs that Google Search treats as generic because they are used worldwide (startups on
 * .io and .ai, .co as "company", .me, .tv…): they say nothing about where a company is.
 * https://developers.google.com/search/docs/specialty/international/managing-multi-regional-sites
 */
const GENERIC_CCTLDS = new Set([
  'ad',
  'ai',
  'as',
  'bz',
  'cc',
  'cd',
  'co',
  'dj',
  'fm',
  'io',
  'la',
  'me',
  'ms',
  'nu',
  'sc',
  'sr',
  'su',
  'tk',
  'tv',
  'ws',
]);

/** ccTLDs that differ from the ISO 3166-1 alpha-2 code, or are not a country at all (null). */
const EXCEPTIONS = new Map<string, string | null>([
  ['uk', 'GB'],
  ['eu', null],
  ['ac', null],
  ['tp', null],
  ['an', null],
  ['yu', null],
]);

/** Internationalised ccTLDs of the markets Pier's users trade with, by their ASCII (punycode) form. */
const IDN_CCTLDS = new Map<string, string>([
  ['xn--fiqs8s', 'CN'], // .中国
  ['xn--fiqz9s', 'CN'], // .中國
  ['xn--j6w193g', 'HK'], // .香港
  ['xn--mix891f', 'MO'], // .澳門
  ['xn--kprw13d', 'TW'], // .台湾
  ['xn--kpry57d', 'TW'], // .台灣
  ['xn--3e0b707e', 'KR'], // .한국
  ['xn--p1ai', 'RU'], // .рф
  ['xn--j1amh', 'UA'], // .укр
  ['xn--90a3ac', 'RS'], // .срб
  ['xn--o3cw4h', 'TH'], // .ไทย
  ['xn--mgbaam7a8h', 'AE'], // .امارات
  ['xn--mgberp4a5d4ar', 'SA'], // .السعودية
  ['xn--wgbh1c', 'EG'], // .مصر
  ['xn--h2brj9c', 'IN'], // .भारत
  ['xn--yfro4i67o', 'SG'], // .新加坡
  ['xn--clchc0ea0b2g2a9gcd', 'SG'], // .சிங்கப்பூர்
]);

/**
 * The ISO 3166-1 alpha-2 country of a domain's ccTLD (acme.com.cn → CN, acme.co.uk → GB), or
 * null for generic TLDs (.com, .net, .shop) and ccTLDs used as generic ones (.io, .co, .ai).
 * A hint, not a fact: a Chinese factory may well sell from a .com.
 */
export function countryFromDomain(domain: string): string | null {
  const name = domain
    .slice(domain.lastIndexOf('@') + 1)
    .trim()
    .replace(/\.$/, '')
    .toLowerCase();
  const tld = (domainToASCII(name) || name).split('.').pop() ?? '';
  const idn = IDN_CCTLDS.get(tld);
  if (idn) return idn;
  if (!/^[a-z]{2}$/.test(tld) || GENERIC_CCTLDS.has(tld)) return null;
  const exception = EXCEPTIONS.get(tld);
  return exception === undefined ? tld.toUpperCase() : exception;
}
