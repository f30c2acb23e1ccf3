import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { ImapFlow } from 'imapflow';
import type { Kysely } from 'kysely';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { SecretBox } from '../security/index.js';
import { createImapClient } from './connections.js';
import { type HostGuard, PrivateHostError, resolveAllowedHost } from './host-guard.js';
import { type MailboxSecret, openMailboxSecret } from './mailboxes.js';

/** Renew this long before the expiry the token endpoint announced (clock skew, a slow sync start). */
const RENEW_AHEAD_MS = 5 * 60_000;
const REFRESH_TIMEOUT_MS = 20_000;
const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
];

/**
 * The provider refused or failed to renew the access token. `code` is what the mailbox status says:
 * `connection.oauth_revoked` for `invalid_grant` (the refresh token was revoked or expired: an admin
 * must reconnect the mailbox), otherwise a transient code retried with the usual backoff.
 */
export class OAuthRefreshError extends Error {
  constructor(
    readonly code: 'connection.oauth_revoked' | 'connection.unreachable' | 'connection.protocol_error' | 'connection.private_host',
    message: string,
  ) {
    super(message);
    this.name = 'OAuthRefreshError';
  }
}

export function canRefresh(secret: MailboxSecret): boolean {
  return Boolean(secret.refreshToken && secret.tokenEndpoint && secret.clientId);
}

/**
 * Makes sure an XOAUTH2 mailbox with a refresh token has a usable access token: renews it at the
 * token endpoint (RFC 6749 §6) when `force` is set (the server refused it), when its announced
 * expiry is near, or when no expiry is known and none was ever obtained. The new token (and a new
 * refresh token, when the provider rotates it) is sealed and saved; returns the row to connect with.
 * Other mailboxes come back unchanged.
 */
export async function ensureFreshAccessToken(
  db: Kysely<Database>,
  secrets: SecretBox,
  mailbox: MailboxRow,
  options: { force?: boolean; hosts?: HostGuard | undefined } = {},
): Promise<MailboxRow> {
  if (mailbox.auth_method !== 'xoauth2' || !mailbox.secret_enc) return mailbox;
  const secret = openMailboxSecret(mailbox, secrets);
  if (!canRefresh(secret)) return mailbox;
  const expiresAt = secret.accessTokenExpiresAt;
  const due = options.force || !secret.accessToken || (expiresAt !== undefined && expiresAt - Date.now() < RENEW_AHEAD_MS);
  if (!due) return mailbox;

  const renewed = await requestAccessToken(secret, options.hosts);
  const next: MailboxSecret = { ...secret, ...renewed };
  const secretEnc = secrets.seal(JSON.stringify(next));
  // A draft being tested before it is saved has no row to update.
  if (mailbox.id)
    await db.updateTable('mailboxes').set({ secret_enc: secretEnc, updated_at: Date.now() }).where('id', '=', mailbox.id).execute();
  return { ...mailbox, secret_enc: secretEnc };
}

async function requestAccessToken(
  secret: MailboxSecret,
  hosts: HostGuard | undefined,
): Promise<Pick<MailboxSecret, 'accessToken' | 'refreshToken' | 'accessTokenExpiresAt'>> {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: secret.refreshToken ?? '',
    client_id: secret.clientId ?? '',
  });
  if (secret.clientSecret) body.set('client_secret', secret.clientSecret);
  let answer: TokenAnswer;
  try {
    answer = await postTokenRequest(secret.tokenEndpoint ?? '', body.toString(), hosts);
  } catch (error) {
    if (error instanceof PrivateHostError) throw new OAuthRefreshError('connection.private_host', error.message);
    throw new OAuthRefreshError('connection.unreachable', 'the token endpoint could not be reached');
  }
  const payload = answer.payload;
  if (answer.status !== 200 || typeof payload.access_token !== 'string' || payload.access_token.length === 0) {
    // invalid_grant: revoked/expired refresh token; invalid_client: the app's credentials are wrong.
    // Neither heals by retrying: a person has to reconnect the mailbox. Only a standard error code
    // (RFC 6749 §5.2) or the status number is repeated, never the endpoint's own words.
    const error = OAUTH_ERRORS.find((code) => code === payload.error) ?? `HTTP ${answer.status}`;
    const revoked = error === 'invalid_grant' || error === 'invalid_client' || error === 'unauthorized_client';
    throw new OAuthRefreshError(revoked ? 'connection.oauth_revoked' : 'connection.protocol_error', `token refresh refused: ${error}`);
  }
  const expiresIn = Number(payload.expires_in);
  return {
    accessToken: payload.access_token,
    ...(typeof payload.refresh_token === 'string' && payload.refresh_token ? { refreshToken: payload.refresh_token } : {}),
    accessTokenExpiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
  };
}

type TokenAnswer = {
  status: number;
  payload: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; error?: unknown };
};

/**
 * POSTs the refresh request to the token endpoint at the address checked by the host guard (the
 * name still goes in Host and SNI); no redirect is followed and at most 64 KB of answer is read.
 */
async function postTokenRequest(endpoint: string, body: string, hosts: HostGuard | undefined): Promise<TokenAnswer> {
  const url = new URL(endpoint);
  const pinned = hosts ? await resolveAllowedHost(hosts, url.hostname) : undefined;
  const lookup: LookupFunction | undefined = pinned
    ? (_host, options, callback) => {
        const family = isIP(pinned.address);
        if (options.all) callback(null, [{ address: pinned.address, family }]);
        else callback(null, pinned.address, family);
      }
    : undefined;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: REFRESH_TIMEOUT_MS,
        ...(lookup ? { lookup } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 64 * 1024) request.destroy(new Error('token endpoint answer too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          let payload: TokenAnswer['payload'] = {};
          try {
            const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (typeof parsed === 'object' && parsed !== null) payload = parsed as TokenAnswer['payload'];
          } catch {
            // not JSON: no token, reported as a protocol error by the caller
          }
          resolve({ status: response.statusCode ?? 0, payload });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('token endpoint timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

function isAuthFailure(error: unknown): boolean {
  const e = error as { authenticationFailed?: boolean; serverResponseCode?: string } | null;
  return Boolean(e && (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED'));
}

/** The access token to sign in with now: renewed when due, or when `renew` (the server refused the last one). */
export function accessTokenSource(db: Kysely<Database>, secrets: SecretBox, mailbox: MailboxRow, hosts?: HostGuard) {
  let row = mailbox;
  return async (renew: boolean): Promise<string> => {
    row = await ensureFreshAccessToken(db, secrets, row, { force: renew && canRefresh(openMailboxSecret(row, secrets)), hosts });
    return openMailboxSecret(row, secrets).accessToken ?? '';
  };
}

/**
 * Connects an imapflow client for a mailbox. For XOAUTH2 with a refresh token, the access token is
 * renewed first when due, and once more when the server answers AUTHENTICATIONFAILED (a token
 * revoked or expired before its announced time). Returns the connected client and the row whose
 * token it used.
 */
export async function connectImap(
  db: Kysely<Database>,
  secrets: SecretBox,
  mailbox: MailboxRow,
  setup: { timeouts?: Parameters<typeof createImapClient>[2]; onError?: (error: unknown) => void; hosts?: HostGuard | undefined } = {},
): Promise<{ client: ImapFlow; mailbox: MailboxRow }> {
  const hosts = setup.hosts;
  let row = await ensureFreshAccessToken(db, secrets, mailbox, { hosts });
  const open = async () => {
    const target = hosts && row.imap_host ? await resolveAllowedHost(hosts, row.imap_host) : undefined;
    const client = createImapClient(row, secrets, setup.timeouts, target);
    client.on('error', setup.onError ?? (() => {}));
    try {
      await client.connect();
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  };
  try {
    return { client: await open(), mailbox: row };
  } catch (error) {
    if (!isAuthFailure(error) || row.auth_method !== 'xoauth2' || !canRefresh(openMailboxSecret(row, secrets))) throw error;
    row = await ensureFreshAccessToken(db, secrets, row, { force: true, hosts });
    return { client: await open(), mailbox: row };
  }
}
