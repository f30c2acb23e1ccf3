import { Resolver } from 'node:dns/promises';
import type { DnsResolver } from 'mailauth';
import { splitMessage } from './message-identity.js';

/**
 * SPF, DKIM, DMARC and ARC verdicts of an incoming mail, for the fraud checks.
 * Mail received on Pier's own SMTP listener is verified by Pier (mailauth);
 * mail fetched over IMAP was received by the provider, whose
 * Authentication-Results header (RFC 8601) is read instead.
 */
export type AuthVerdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';
export type AuthResults = {
  source: 'pier' | 'provider';
  spf: AuthVerdict | null;
  dkim: AuthVerdict | null;
  dmarc: AuthVerdict | null;
  arc: AuthVerdict | null;
};

const VERDICTS = new Set<AuthVerdict>(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);
const verdict = (value: string | undefined): AuthVerdict | null => {
  const v = value?.toLowerCase();
  return v && VERDICTS.has(v as AuthVerdict) ? (v as AuthVerdict) : null;
};

/** A DNS resolver for mailauth; `servers` pins the DNS servers (tests point it at loopback). */
export function createDnsResolver(servers?: string[], timeoutMs = 5000): DnsResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers(servers);
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<unknown>;
}

export async function verifyInboundMail(
  raw: Buffer,
  envelope: { ip: string; helo: string | undefined; mailFrom: string | undefined },
  resolver: DnsResolver,
): Promise<AuthResults> {
  // Loaded on first use: the prepare workers import this file for readProviderAuthResults only,
  // and mailauth costs each of them ~30 MB resident (decision 0026).
  const { authenticate } = await import('mailauth');
  const result = await authenticate(raw, {
    ip: envelope.ip,
    helo: envelope.helo,
    sender: envelope.mailFrom,
    mta: 'pier',
    resolver,
    disableBimi: true,
  });
  // The best DKIM result counts: one valid signature is enough (RFC 6376 §6.1).
  const dkimResults = (result.dkim?.results ?? []).map((r) => verdict(r.status.result));
  const dkim = dkimResults.includes('pass') ? 'pass' : (dkimResults[0] ?? 'none');
  return {
    source: 'pier',
    spf: result.spf ? verdict(result.spf.status.result) : null,
    dkim,
    dmarc: result.dmarc ? verdict(result.dmarc.status.result) : null,
    arc: result.arc ? verdict(result.arc.status.result) : null,
  };
}

/**
 * Reads the provider's verdicts from the topmost Authentication-Results header:
 * the receiving server adds it on top, so lower ones may come from the sender
 * and are not to be trusted (RFC 8601 §5).
 */
export function readProviderAuthResults(raw: Buffer): AuthResults | null {
  const header = splitMessage(raw).headers.get('authentication-results')?.[0];
  if (!header) return null;
  const find = (method: string) => verdict(new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`, 'i').exec(header)?.[1]);
  return { source: 'provider', spf: find('spf'), dkim: find('dkim'), dmarc: find('dmarc'), arc: find('arc') };
}
