import { editDistanceWithin, hostOf, isFreeMailDomain, registrableDomainOf, skeleton, splitDomain, unicodeDomain } from '../domains.js';
import { signal } from '../reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from '../types.js';

/** Near-miss of a counterparty's name: honest companies do have similar names, so alone it warns. */
export const LOOKALIKE_WEIGHT = 55;
/** Near-miss of our own domain, or the real name in front of another domain: no honest reason. */
export const OWN_LOOKALIKE_WEIGHT = 70;
export const BRAND_SUBDOMAIN_WEIGHT = 70;
export const HOMOGLYPH_WEIGHT = 80;
export const NAME_CONTAINED_WEIGHT = 35;
export const PUNYCODE_WEIGHT = 15;

/** Labels this short have too many honest neighbours at edit distance 1 (abc.com / abd.com). */
const MIN_LABEL_FOR_DISTANCE_1 = 4;
const MIN_LABEL_FOR_DISTANCE_2 = 8;
const MIN_LABEL_CONTAINED = 5;

export type LookalikeResult = { signals: FraudSignal[]; imitated: string[] };

/**
 * A sender (or Reply-To) domain that imitates the team's own domain or a counterparty's:
 * one or two typing errors away, the same skeleton under UTS #39 (Cyrillic а for Latin a,
 * rn for m, 0 for o, incl. xn-- punycode), the same name under another ending (.com → .co),
 * or the real domain placed in front of another one (acme.com.pay-portal.net).
 * Established correspondents (the team has written to them) are not suspected: two real
 * companies can have similar names, and a mail the team answered already had its chance.
 */
export function lookalikeSignals(mail: FraudMail, history: FraudHistory): LookalikeResult {
  const signals: FraudSignal[] = [];
  const imitated = new Set<string>();
  const addresses = [mail.from?.address, ...mail.replyTo.map((r) => r.address)].filter((a): a is string => Boolean(a));
  const checked = new Set<string>();
  const own = new Set(history.ownDomains);
  const established = new Set(history.establishedDomains);
  const targets = [...new Set([...history.ownDomains, ...history.knownDomains])].filter((d) => !isFreeMailDomain(d));
  for (const address of addresses) {
    const host = hostOf(address);
    const domain = registrableDomainOf(address);
    if (!host || !domain || checked.has(host)) continue;
    checked.add(host);
    if (own.has(domain) || established.has(domain) || isFreeMailDomain(domain)) continue;
    const found = compareWithTargets(host, domain, targets, own);
    if (found) {
      signals.push(found.signal);
      imitated.add(found.target);
    } else if (domain.split('.').some((label) => label.startsWith('xn--'))) {
      signals.push(
        signal(
          'punycode_domain',
          PUNYCODE_WEIGHT,
          `The sender's domain ${unicodeDomain(domain)} is written with non-Latin look-alike letters (its real form is ${domain}).`,
          `发件域名 ${unicodeDomain(domain)} 使用了非拉丁字母（真实形式是 ${domain}），常用于伪装。`,
        ),
      );
    }
  }
  return { signals, imitated: [...imitated] };
}

function compareWithTargets(
  host: string,
  domain: string,
  targets: string[],
  own: ReadonlySet<string>,
): { signal: FraudSignal; target: string } | null {
  const sender = senderOf(host, domain);
  let best: { signal: FraudSignal; target: string } | null = null;
  for (const target of targets) {
    const found = compareWithTarget(sender, target, own);
    if (found && (!best || found.weight > best.signal.weight)) best = { signal: found, target };
  }
  return best;
}

export type Sender = { host: string; domain: string; label: string; suffix: string; shown: string; labelSkeleton: string };

export function senderOf(host: string, domain: string): Sender {
  const { label, suffix } = splitDomain(domain);
  return { host, domain, label, suffix, shown: unicodeDomain(domain), labelSkeleton: skeleton(unicodeDomain(label)) };
}

/** A target's label, ending and skeleton; the look-alike index (lookalike-index.ts) and each mail read them, so they are kept. */
const targetParts = new Map<string, { label: string; suffix: string; skeleton: string; freeMail: boolean }>();
export type TargetParts = { label: string; suffix: string; skeleton: string; freeMail: boolean };
export function partsOf(target: string): TargetParts {
  let parts = targetParts.get(target);
  if (!parts) {
    const { label, suffix } = splitDomain(target);
    parts = { label, suffix, skeleton: label ? skeleton(unicodeDomain(label)) : '', freeMail: isFreeMailDomain(target) };
    if (targetParts.size >= 100_000) targetParts.clear();
    targetParts.set(target, parts);
  }
  return parts;
}

/** The strongest way the sender's host imitates `target`, or null. */
export function compareWithTarget(sender: Sender, target: string, own: ReadonlySet<string>, t = partsOf(target)): FraudSignal | null {
  const { host, domain, label, suffix, shown, labelSkeleton } = sender;
  if (target === domain) return null;
  if (!t.label) return null;
  let best: FraudSignal | null = null;
  const consider = (s: FraudSignal) => {
    if (!best || s.weight > best.weight) best = s;
  };
  const targetSkeleton = t.skeleton;
  const nearMissWeight = own.has(target) ? OWN_LOOKALIKE_WEIGHT : LOOKALIKE_WEIGHT;
  if (label === t.label && suffix !== t.suffix) {
    consider(
      signal(
        'tld_swap_domain',
        nearMissWeight,
        `The sender writes from ${shown}, but the real company is ${target}: same name, different ending.`,
        `发件域名是 ${shown}，而真实公司的域名是 ${target}：名字相同，后缀不同，是仿冒常用手法。`,
      ),
    );
  } else if (labelSkeleton === targetSkeleton && label !== t.label) {
    consider(
      signal(
        'homoglyph_domain',
        HOMOGLYPH_WEIGHT,
        `The sender's domain ${shown}${shown !== domain ? ` (${domain})` : ''} looks exactly like ${target} but uses different characters.`,
        `发件域名 ${shown}${shown !== domain ? `（${domain}）` : ''} 看起来与 ${target} 一模一样，但使用了不同的字符。`,
      ),
    );
  } else if (t.label.length >= MIN_LABEL_FOR_DISTANCE_1) {
    const distance = Math.min(editDistanceWithin(label, t.label, 2), editDistanceWithin(labelSkeleton, targetSkeleton, 2));
    if (distance === 1 || (distance === 2 && t.label.length >= MIN_LABEL_FOR_DISTANCE_2)) {
      consider(
        signal(
          'lookalike_domain',
          nearMissWeight,
          `The sender's domain ${shown} differs from the known domain ${target} by ${distance === 1 ? 'one character' : 'two characters'}.`,
          `发件域名 ${shown} 与已知域名 ${target} 只差 ${distance === 1 ? '一' : '两'} 个字符。`,
        ),
      );
    } else if (t.label.length >= MIN_LABEL_CONTAINED && label !== t.label && containsAsWord(label, t.label)) {
      consider(
        signal(
          'lookalike_domain',
          NAME_CONTAINED_WEIGHT,
          `The sender's domain ${shown} contains the name of the known domain ${target} but is a different domain.`,
          `发件域名 ${shown} 包含已知域名 ${target} 的名字，但并不是同一个域名。`,
        ),
      );
    }
  }
  // acme.com.pay-portal.net, acme-com.secure-mail.net: the real name in front of someone else's domain.
  const sub = host.slice(0, Math.max(0, host.length - domain.length - 1));
  if (sub && (sub.includes(target) || sub.split(/[.-]/).includes(t.label))) {
    consider(
      signal(
        'brand_in_subdomain',
        BRAND_SUBDOMAIN_WEIGHT,
        `The sender's address ends in ${host}: it only starts with "${t.label}", the mail really comes from the domain ${domain}, not ${target}.`,
        `发件地址的域名是 ${host}：只是以“${t.label}”开头，真正的域名是 ${domain}，不是 ${target}。`,
      ),
    );
  }
  return best as FraudSignal | null;
}

/** acme-trading vs acme, acmegroup vs acme: the known name at a word edge of a longer label. */
function containsAsWord(label: string, name: string): boolean {
  if (!label.includes(name)) return false;
  return label.startsWith(name) || label.endsWith(name) || label.includes(`-${name}`) || label.includes(`${name}-`);
}
