import { domainToASCII } from 'node:url';
import { getDomain, parse } from 'tldts';
import { FREE_MAIL_BASE_NAMES, FREE_MAIL_DOMAINS } from './free-mail-domains.js';

/**
 * The company an address belongs to, as its registrable domain (sales@mail.acme.com.cn →
 * acme.com.cn, from the Public Suffix List through tldts, its private section included), or null for free-mail providers
 * and anything that is not an address on a domain (IP literals, localhost, garbage).
 *
 * The domain is kept in its ASCII form: an xn-- label stays as it is, and a Unicode one is
 * converted to it (mailparser hands out Unicode domains), so one company has one key and a
 * look-alike in another script cannot share it.
 */
export function companyDomainFor(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const ascii = domainToASCII(
    address
      .slice(at + 1)
      .trim()
      .replace(/\.$/, '')
      .toLowerCase(),
  );
  if (!ascii) return null;
  // The private section counts: rus-trade-import.ru.com is that company, not "ru.com" (CentralNic).
  const domain = getDomain(ascii, { allowPrivateDomains: true });
  if (!domain) return null;
  const baseName = parse(domain, { allowPrivateDomains: true }).domainWithoutSuffix;
  if (FREE_MAIL_DOMAINS.has(domain) || (baseName && FREE_MAIL_BASE_NAMES.has(baseName))) return null;
  return domain;
}
