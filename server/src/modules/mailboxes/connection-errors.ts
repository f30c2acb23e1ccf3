import type { ConnectionErrorCode } from '@pier/contracts';

/**
 * Turns an IMAP (imapflow) or SMTP (nodemailer) failure into one of a few
 * codes a person can act on, with the server's own words kept for the detail.
 * Providers word their refusals differently: Tencent Exmail answers a login
 * with IMAP switched off as "LOGIN fail ... service is not open", NetEase with
 * "Unsafe Login"; those mean "turn IMAP on / use a client password", not "wrong password".
 */
export type ClassifiedError = { code: ConnectionErrorCode; message: string };

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
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  // A refused or failed XOAUTH2 token renewal (oauth-tokens.ts) carries its own code.
  if ((e as { name?: string }).name === 'OAuthRefreshError' && typeof e.code === 'string' && e.code.startsWith('connection.')) {
    return { code: e.code as ConnectionErrorCode, message: (e.message ?? '').slice(0, 500) };
  }
  const inner = e._err ?? e.cause;
  const codes = [e.code, inner?.code].filter((c): c is string => typeof c === 'string');
  const serverText = [e.responseText, typeof e.response === 'string' ? e.response : undefined, e.message, inner?.message]
    .filter((t): t is string => typeof t === 'string' && t.length > 0)
    .join(' — ');
  const message = serverText.slice(0, 500) || 'unknown error';

  if (IMAP_DISABLED.test(serverText)) return { code: 'connection.imap_disabled', message };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED' || codes.includes('EAUTH') || e.responseCode === 535) {
    return { code: 'connection.auth_failed', message };
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
    return { code: 'connection.tls_failed', message };
  }
  if (/wrong version number|ssl routines|certificate/i.test(serverText)) return { code: 'connection.tls_failed', message };
  // nodemailer reports socket failures as ESOCKET/ECONNECTION with the system code only in the text.
  const systemCodes = [...codes, ...(serverText.match(/\bE[A-Z]{4,}\b/g) ?? [])];
  if (systemCodes.some((c) => TIMEOUT.has(c)) || /timed? ?out/i.test(serverText)) return { code: 'connection.timeout', message };
  if (systemCodes.some((c) => UNREACHABLE.has(c)) || codes.includes('NoConnection')) return { code: 'connection.unreachable', message };
  return { code: 'connection.protocol_error', message };
}
