import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which private (non-public) addresses Pier may connect to for a mailbox or a token endpoint
 * (PIER_ALLOW_PRIVATE_HOSTS): none by default, every one (`'all'`), or the listed IPs/CIDR ranges.
 */
export type PrivateHostAllowance = 'all' | readonly string[];

/** Answers whether a resolved address may be connected to. */
export type HostGuard = { allowPrivate: PrivateHostAllowance; isAllowed(address: string): boolean };

/** The mail host (or token endpoint) resolves to an address Pier may not connect to. */
export class PrivateHostError extends Error {
  readonly code = 'connection.private_host';
  constructor(readonly host: string) {
    super(`${host} is on a private or reserved network; an operator can allow it with PIER_ALLOW_PRIVATE_HOSTS`);
    this.name = 'PrivateHostError';
  }
}

export function createHostGuard(allowPrivate: PrivateHostAllowance): HostGuard {
  const listed = new BlockList();
  if (allowPrivate !== 'all') {
    for (const entry of allowPrivate) {
      const [address, bits] = entry.split('/');
      const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) listed.addAddress(address ?? '', family);
      else listed.addSubnet(address ?? '', Number(bits), family);
    }
  }
  return {
    allowPrivate,
    isAllowed(address: string) {
      if (!ipaddr.isValid(address)) return false;
      // ::ffff:127.0.0.1 is 127.0.0.1: judge the IPv4 address it carries.
      const parsed = ipaddr.process(address);
      if (parsed.range() === 'unicast') return true;
      if (allowPrivate === 'all') return true;
      return listed.check(parsed.toString(), parsed.kind() === 'ipv6' ? 'ipv6' : 'ipv4');
    },
  };
}

/**
 * Resolves a host once and returns the address to connect to, refusing it when any address it
 * resolves to is private or reserved (loopback, RFC 1918, link-local, unique-local, …) and not
 * allowed. Callers connect to the returned address, not to the name again, so a DNS answer that
 * changes between check and connect (rebinding) cannot redirect them; the name stays for TLS (SNI
 * and certificate check).
 */
export async function resolveAllowedHost(guard: HostGuard, host: string): Promise<{ address: string; servername: string | undefined }> {
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(literal)) {
    if (!guard.isAllowed(literal)) throw new PrivateHostError(host);
    return { address: literal, servername: undefined };
  }
  const addresses = await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0 || addresses.some((a) => !guard.isAllowed(a.address))) throw new PrivateHostError(host);
  // One address is connected to (no happy-eyeballs across families any more): IPv4 first, which
  // every mail server offers; a server only on IPv6 still gets its IPv6 address.
  const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
  return { address: chosen?.address ?? '', servername: host };
}

/** Whether a host name resolves to an address that is refused (unresolvable names are left to connect time). */
export async function isRefusedHost(guard: HostGuard, host: string): Promise<boolean> {
  try {
    await resolveAllowedHost(guard, host);
    return false;
  } catch (error) {
    return error instanceof PrivateHostError;
  }
}
