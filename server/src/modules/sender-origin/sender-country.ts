import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { parse as parseDomain } from 'tldts';
import type { Countries } from 'world-countries';
import { countryOf } from '../security/index.js';

export type CountrySource = 'cctld' | 'received-ip' | 'signature-phone';

export interface SenderCountry {
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country: string;
  source: CountrySource;
  /** The domain suffix, IP address or phone number that gave it. */
  evidence: string;
}

export interface SenderFacts {
  /** The From address's domain, e.g. "buyer.com.br". */
  fromDomain: string | null;
  /** Received header values, topmost (newest, added by the receiving side) first. */
  receivedChain?: readonly string[];
  /** Hosts of the receiving side (the mailbox's provider, Pier's relays), as domain suffixes to skip. */
  receivingHosts?: readonly string[];
  /** The signature (or the whole text) of the sender's message. */
  signatureText?: string | null;
}

/**
 * Country codes registered as countries but sold worldwide as generic names (Google treats the
 * first row as generic for geotargeting; the second row is the same in practice). A second-level
 * registry under them (com.co, com.ai) is national again and counts.
 */
const genericCountryTlds = new Set([
  ...['ad', 'as', 'bz', 'cc', 'cd', 'co', 'dj', 'fm', 'io', 'la', 'me', 'ms', 'nu', 'sc', 'sr', 'su', 'tk', 'tv', 'ws'],
  ...['ai', 'gg', 'to', 'sh', 'vc', 'ly', 'app'],
]);

/**
 * Global mail providers: a hop from their servers says where their data centre is, not where
 * the sender is, so the walk goes on below it (and usually finds only the provider's own hops).
 */
// biome-ignore format: a word list reads better packed
const globalProviderHosts = [
  'google.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'office365.com', 'yahoo.com', 'yahoodns.net', 'icloud.com',
  'me.com', 'amazonses.com', 'sendgrid.net', 'mailgun.org', 'mailgun.net', 'mcsv.net', 'mcdlv.net', 'mandrillapp.com',
  'sparkpostmail.com', 'mtasv.net', 'zoho.com', 'zohomail.com', 'protonmail.ch', 'proton.me', 'messagingengine.com',
];

let countryByTld: Map<string, string> | undefined;

function countryOfTld(tld: string): string | null {
  countryByTld ??= new Map(
    (createRequire(import.meta.url)('world-countries') as Countries)
      .filter((c) => c.tld[0] && /^\.[a-z]{2}$/.test(c.tld[0]))
      .map((c) => [(c.tld[0] as string).slice(1), c.cca2]),
  );
  return countryByTld.get(tld) ?? null;
}

/** Sender country from the ccTLD, then the first external Received hop, then signature phone numbers. */
export function senderCountry(facts: SenderFacts): SenderCountry | null {
  return (
    countryFromDomain(facts.fromDomain) ??
    countryFromReceived(facts.receivedChain ?? [], facts.receivingHosts ?? []) ??
    countryFromPhones(facts.signatureText ?? null)
  );
}

export function countryFromDomain(domain: string | null): SenderCountry | null {
  if (!domain) return null;
  const suffix = parseDomain(domain.toLowerCase()).publicSuffix;
  if (!suffix) return null;
  const labels = suffix.split('.');
  const tld = labels.at(-1) as string;
  if (labels.length === 1 && genericCountryTlds.has(tld)) return null;
  const country = countryOfTld(tld);
  return country ? { country, source: 'cctld', evidence: `.${suffix}` } : null;
}

interface Hop {
  hosts: string[];
  ips: string[];
}

/** The hosts and IP addresses named in a Received header's "from" clause. */
function hopOf(received: string): Hop {
  const fromClause = /^\s*from\s+([\s\S]*?)(\sby\s|;|$)/i.exec(received)?.[1] ?? '';
  const ips = [...fromClause.matchAll(/\[(?:IPv6:)?([0-9a-fA-F:.]+)\]|\(([0-9a-fA-F:.]{7,})\)/g)]
    .map((m) => (m[1] ?? m[2]) as string)
    .filter((ip) => isIP(ip) !== 0);
  const hosts = [...fromClause.matchAll(/[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?/gi)].map((m) => m[0].toLowerCase().replace(/\.$/, ''));
  return { hosts: hosts.filter((h) => isIP(h) === 0), ips };
}

/** Addresses that never identify a sender: loopback, private, shared (CGNAT), link-local, unique-local. */
const internalAddresses = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  internalAddresses.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  internalAddresses.addSubnet(net, bits, 'ipv6');

function isInternalAddress(ip: string): boolean {
  const v4 = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  return isIP(v4) === 4 ? internalAddresses.check(v4, 'ipv4') : internalAddresses.check(ip, 'ipv6');
}

const endsWithAny = (host: string, suffixes: readonly string[]) => suffixes.some((s) => host === s || host.endsWith(`.${s}`));

/**
 * Walks the chain from the receiving side down: hops from the receiving side's own hosts or a
 * global provider are skipped, as are internal addresses; the first other hop with a public
 * address is the sender's server as the hop above it recorded it, and its country (or none, when
 * the address is not in the database) is the answer. Headers below that one are written by the
 * sender's side and could be forged, so the walk stops there.
 */
export function countryFromReceived(chain: readonly string[], receivingHosts: readonly string[]): SenderCountry | null {
  for (const received of chain) {
    const hop = hopOf(received);
    if (hop.ips.length === 0) continue;
    if (hop.hosts.some((h) => endsWithAny(h, receivingHosts) || endsWithAny(h, globalProviderHosts))) continue;
    const ip = hop.ips.find((a) => !isInternalAddress(a));
    if (!ip) continue;
    const country = countryOf(ip);
    return country ? { country, source: 'received-ip', evidence: ip } : null;
  }
  return null;
}

/** The country of the first phone number written with its country code (national numbers say nothing alone). */
export function countryFromPhones(text: string | null): SenderCountry | null {
  if (!text) return null;
  for (const found of findPhoneNumbersInText(text.slice(0, 5000))) {
    if (found.number.country && found.number.isValid())
      return { country: found.number.country, source: 'signature-phone', evidence: found.number.number };
  }
  return null;
}
