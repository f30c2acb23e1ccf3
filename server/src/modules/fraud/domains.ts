import { domainToASCII, domainToUnicode } from 'node:url';
import { parse } from 'tldts';
import unhomoglyph from 'unhomoglyph';
import { FREE_MAIL_BASE_NAMES, FREE_MAIL_DOMAINS } from '../contacts/free-mail-domains.js';

// The Public Suffix List's private section counts, as for company domains (contacts/company-domain.ts):
// shop.github.io and rus-trade.ru.com are parties of their own, not github.io or ru.com.
const PSL = { allowPrivateDomains: true } as const;

/** The host part of an address in ASCII (xn-- for IDN), lower case; null when there is none. */
export function hostOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const host = domainToASCII(
    address
      .slice(at + 1)
      .trim()
      .replace(/\.$/, '')
      .toLowerCase(),
  );
  return host || null;
}

/** Registrable domain (Public Suffix List, private section included) of an address, free-mail included, ASCII form. */
export function registrableDomainOf(address: string | null | undefined): string | null {
  const host = hostOf(address);
  return host ? (parse(host, PSL).domain ?? null) : null;
}

export function isFreeMailDomain(domain: string): boolean {
  const base = parse(domain, PSL).domainWithoutSuffix;
  return FREE_MAIL_DOMAINS.has(domain) || (base !== null && base !== undefined && FREE_MAIL_BASE_NAMES.has(base));
}

/** The parts of a registrable domain: `acme` and `com.cn` for acme.com.cn. */
export function splitDomain(domain: string): { label: string; suffix: string } {
  const parsed = parse(domain, PSL);
  return { label: parsed.domainWithoutSuffix ?? domain, suffix: parsed.publicSuffix ?? '' };
}

/** Unicode form of an ASCII domain (xn-- decoded), for display and skeletons. */
export function unicodeDomain(domain: string): string {
  return domainToUnicode(domain) || domain;
}

/**
 * UTS #39 skeleton: NFD, map each character to its confusable prototype (Unicode's
 * confusables.txt, shipped in the unhomoglyph package), NFD again. Domains are
 * case-insensitive, so the result is lower-cased and mapped once more (paypa1 → paypal, g00gle → google).
 */
export function skeleton(text: string): string {
  const once = unhomoglyph(text.normalize('NFD')).normalize('NFD');
  return unhomoglyph(once.toLowerCase().normalize('NFD')).normalize('NFD').toLowerCase();
}

/** Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * editDistance when it is at most `max`, else `max + 1`: only the band |i − j| ≤ max is computed and
 * it stops at the first row whose every cell is over `max` (a row's minimum never falls). The
 * look-alike check compares a mail with every company domain (decision 0065), so this stays cheap.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  const m = b.length;
  let before = new Int32Array(m + 1).fill(over);
  let previous = new Int32Array(m + 1);
  let current = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    current.fill(over);
    current[0] = Math.min(i, over);
    let rowMin = current[0] as number;
    for (let j = Math.max(1, i - max); j <= Math.min(m, i + max); j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] as number) + 1);
      current[j] = Math.min(best, over);
      rowMin = Math.min(rowMin, current[j] as number);
    }
    if (rowMin > max) return over;
    [before, previous, current] = [previous, current, before];
  }
  return previous[m] as number;
}
