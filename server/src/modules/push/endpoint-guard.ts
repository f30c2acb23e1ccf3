import type { LookupAddress } from 'node:dns';
import https from 'node:https';
import { isIP } from 'node:net';
import { AppError } from '../../errors.js';
import { type HostGuard, PrivateHostError, resolveAllowedHost } from '../mailboxes/index.js';

/**
 * A push endpoint is a URL a browser (or anyone with a session) hands Pier, which Pier then POSTs
 * to: without a check it would be a way to make Pier call internal services. Only https endpoints
 * on public addresses (or those PIER_ALLOW_PRIVATE_HOSTS allows) are accepted and connected to.
 */
export async function checkPushEndpoint(guard: HostGuard, endpoint: string): Promise<void> {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' || url.username || url.password) {
    throw new AppError('push.endpoint_refused', 400, 'a push endpoint must be an https URL without credentials');
  }
  try {
    await resolveAllowedHost(guard, url.hostname);
  } catch (error) {
    if (error instanceof PrivateHostError) {
      throw new AppError('push.endpoint_refused', 400, `the push endpoint ${url.hostname} is on a private or reserved network`);
    }
    // An unresolvable name is left to send time (then it fails and is logged), like mail hosts.
  }
}

/**
 * The agent every push request goes through: it resolves the endpoint's host itself and connects
 * only to an allowed address, so a DNS answer that changed since the subscription cannot redirect it.
 */
export function guardedPushAgent(guard: HostGuard): https.Agent {
  return new https.Agent({
    keepAlive: false,
    lookup: (hostname, options, callback) => {
      resolveAllowedHost(guard, hostname).then(
        ({ address }) => {
          const family = isIP(address);
          if ((options as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, [{ address, family }]);
          else callback(null, address, family);
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    },
  });
}

/** An endpoint written as an IP literal is connected to without a lookup: judged here instead. */
export function isLiteralRefused(guard: HostGuard, endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 && !guard.isAllowed(host);
}
