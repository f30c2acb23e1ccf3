import type { ConnectionErrorCode } from '@pier/contracts';

/**
 * Turns an IMAP (imapflow) or SMTP (nodemailer) failure into one of a few
 * codes a person can act on, with Pier's own words for it. The server's words
 * are read to classify, and kept in `serverText` for the log only: whatever
 * answers on a host an admin typed (a local service's banner, an internal web
 * page) must never come back in a response or a stored status.
 * Providers word their refusals differently: Tencent Exmail answers a login
 * with IMAP switched off as "LOGIN fail ... service is not open", NetEase with
 * "Unsafe Login"; those mean "turn IMAP on / use a client password", not "wrong password".
 */
export type ClassifiedError = { code: ConnectionErrorCode; message: string; serverText?: string };

const MESSAGES: Record<ConnectionErrorCode, string> = {
  'connection.auth_failed': 'the server refused the login',
  'connection.tls_failed': 'the secure connection could not be set up',
  'connection.unreachable': 'the server could not be reached',
  'connection.timeout': 'the server did not answer in time',
  'connection.imap_disabled': 'IMAP is turned off for this mailbox at the provider',
  'connection.protocol_error': 'the server answered in an unexpected way',
  'connection.no_settings': 'this mailbox has no IMAP/SMTP settings',
  'connection.oauth_revoked': 'the token endpoint refused to renew the access token',
  'connection.private_host': 'the server is on a private or reserved network (PIER_ALLOW_PRIVATE_HOSTS allows it)',
};

/** Pier's own sentence for a connection error code. */
export function connectionErrorMessage(code: ConnectionErrorCode): string {
  return MESSAGES[code];
}

const IMAP_DISABLED = /service is not open|not enabled|imap.*(disabled|closed)|未开启|未开通|服务.*关闭|unsafe login/i;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);
const TIMEOUT = new Set(['ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'SOCKET_TIMEOUT', 'ESOCKETTIMEDOUT']);

type ErrorLike = {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: unknown;
  responseText?: string;
  serverResponseCode?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  _err?: ErrorLike;
  cause?: ErrorLike;
};

export function classifyConnectionError(error: unknown): ClassifiedError {
  const classified = classify(error);
  return { ...classified, message: classified.message.slice(0, 500) };
}

function classify(error: unknown): ClassifiedError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const name = (e as { name?: string }).name;
  // A refused host and a failed XOAUTH2 token renewal (oauth-tokens.ts) carry their own code; their
  // message is Pier's (a standard OAuth error code at most).
  if ((name === 'OAuthRefreshError' || name === 'PrivateHostError') && typeof e.code === 'string' && e.code.startsWith('connection.')) {
    return { code: e.code as ConnectionErrorCode, message: e.message ?? MESSAGES[e.code as ConnectionErrorCode] };
  }
  const inner = e._err ?? e.cause;
  const codes = [e.code, inner?.code].filter((c): c is string => typeof c === 'string');
  const serverText = [e.responseText, typeof e.response === 'string' ? e.response : undefined, e.message, inner?.message]
    .filter((t): t is string => typeof t === 'string' && t.length > 0)
    .join(' — ');
  const as = (code: ConnectionErrorCode): ClassifiedError => ({ code, message: MESSAGES[code], serverText: serverText.slice(0, 500) });

  if (IMAP_DISABLED.test(serverText)) return as('connection.imap_disabled');
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED' || codes.includes('EAUTH') || e.responseCode === 535) {
    return as('connection.auth_failed');
  }
  if (
    e.tlsFailed ||
    codes.some(
      (c) =>
        c === 'ETLS' ||
        c.startsWith('ERR_SSL') ||
        c.startsWith('CERT_') ||
        c.includes('SELF_SIGNED') ||
        c === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
        c === 'EPROTO',
    )
  ) {
    return as('connection.tls_failed');
  }
  if (/wrong version number|ssl routines|certificate/i.test(serverText)) return as('connection.tls_failed');
  // nodemailer reports socket failures as ESOCKET/ECONNECTION with the system code only in the text.
  const systemCodes = [...codes, ...(serverText.match(/\bE[A-Z]{4,}\b/g) ?? [])];
  if (systemCodes.some((c) => TIMEOUT.has(c)) || /timed? ?out/i.test(serverText)) return as('connection.timeout');
  if (systemCodes.some((c) => UNREACHABLE.has(c)) || codes.includes('NoConnection')) return as('connection.unreachable');
  return as('connection.protocol_error');
}
