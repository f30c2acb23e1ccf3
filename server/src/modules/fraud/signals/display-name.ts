import { isFreeMailDomain, registrableDomainOf } from '../domains.js';
import { signal } from '../reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from '../types.js';

export const DISPLAY_NAME_WEIGHT = 45;
export const DISPLAY_NAME_FREE_MAIL_WEIGHT = 55;
export const NAME_WITH_ADDRESS_WEIGHT = 35;

/** Role names many companies share; equal display names say nothing about who writes. */
const GENERIC_NAMES = new Set(
  [
    'sales',
    'info',
    'admin',
    'accounts',
    'accounting',
    'finance',
    'support',
    'customer service',
    'service',
    'export',
    'purchasing',
    'purchase',
    'office',
    'manager',
    'sales manager',
    'sales department',
    'no-reply',
    'noreply',
    '销售部',
    '财务部',
    '采购部',
    '客服',
    '外贸部',
  ].map(normaliseName),
);

export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/["'“”‘’]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Long enough to identify a person: two Latin words or four letters, or two CJK characters. */
export function isDistinctiveName(name: string): boolean {
  const n = normaliseName(name);
  if (GENERIC_NAMES.has(n) || n.includes('@')) return false;
  if (/\p{Script=Han}/u.test(n)) return [...n.replace(/\s/g, '')].length >= 2;
  return n.replace(/[^\p{L}]/gu, '').length >= 4;
}

/**
 * The display name of a known contact on an address that is not theirs: "Li Wei" <liwei.acme@gmail.com>
 * when Li Wei has always written from @acme.com. A colleague's new address at the same company is fine.
 * Also a display name that carries an address on another domain ("sales@acme.com" <x@y.net>).
 */
export function displayNameSignals(mail: FraudMail, history: FraudHistory): { signals: FraudSignal[]; imitated: string[] } {
  const from = mail.from;
  if (!from?.address || !from.name) return { signals: [], imitated: [] };
  const fromDomain = registrableDomainOf(from.address);
  // Our own team, or a company we correspond with: two real people may share a name.
  if (fromDomain && (history.ownDomains.includes(fromDomain) || history.establishedDomains.includes(fromDomain))) {
    return { signals: [], imitated: [] };
  }
  const signals: FraudSignal[] = [];
  const imitated = new Set<string>();
  const fromAddress = from.address.toLowerCase();
  if (isDistinctiveName(from.name)) {
    const others = history.contactsNamedLikeSender.filter(
      (c) => c.address.toLowerCase() !== fromAddress && registrableDomainOf(c.address) !== fromDomain,
    );
    const known = others[0];
    if (known) {
      const free = fromDomain !== null && isFreeMailDomain(fromDomain);
      const knownDomain = registrableDomainOf(known.address);
      if (knownDomain) imitated.add(knownDomain);
      signals.push(
        signal(
          'display_name_mismatch',
          free ? DISPLAY_NAME_FREE_MAIL_WEIGHT : DISPLAY_NAME_WEIGHT,
          `The name "${from.name}" belongs to the known contact ${known.address}, but this mail comes from ${from.address}${free ? ', a free-mail address' : ''}.`,
          `发件人名称“${from.name}”属于已知联系人 ${known.address}，但这封邮件来自 ${from.address}${free ? '（免费邮箱）' : ''}。`,
        ),
      );
    }
  }
  const embedded = /[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/.exec(from.name);
  if (embedded?.[0]) {
    const nameDomain = registrableDomainOf(embedded[0]);
    if (nameDomain && nameDomain !== fromDomain) {
      signals.push(
        signal(
          'display_name_address_mismatch',
          NAME_WITH_ADDRESS_WEIGHT,
          `The sender's name shows the address ${embedded[0]}, but the mail really comes from ${from.address}.`,
          `发件人名称显示的是 ${embedded[0]}，但邮件实际来自 ${from.address}。`,
        ),
      );
    }
  }
  return { signals, imitated: [...imitated] };
}
