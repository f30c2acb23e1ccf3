import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { MailboxRow } from '../../db/schema.js';
import { type ConnectTarget, classifyConnectionError, type HostGuard, openMailboxSecret, resolveAllowedHost } from '../mailboxes/index.js';
import type { SecretBox } from '../security/index.js';

export type SmtpTimeouts = { connectionTimeout: number; socketTimeout: number };
export type Envelope = { from: string; to: string[] };
export type SmtpAccepted = { response: string; rejected: string[] };

/**
 * Why a send did not finish. `outcome` is what exactly-once hangs on:
 * - not_sent: the server never took the message (connect, TLS, AUTH, MAIL FROM,
 *   RCPT TO or DATA refused, or it answered the message itself with an error):
 *   a retry is safe;
 * - unknown: the message bytes had started to flow and no answer came (timeout,
 *   dropped connection); the server may have accepted it, so nobody may resend
 *   without a person deciding.
 * `permanent` (5xx, refused login) means retrying cannot help.
 */
export class SmtpSendError extends Error {
  constructor(
    readonly outcome: 'not_sent' | 'unknown',
    readonly code: string,
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'SmtpSendError';
  }
}

/**
 * One SMTP session that sends one raw message, using nodemailer's SMTP client
 * directly so we can tell "before DATA" from "after": the message is handed over
 * as a stream, and nodemailer only reads it after the server answered DATA with 354.
 */
export async function sendRawMail(
  mailbox: MailboxRow,
  secrets: SecretBox,
  envelope: Envelope,
  raw: Buffer,
  timeouts: SmtpTimeouts,
  /** XOAUTH2: the token to use, renewed when due and when the server refused it (nodemailer asks again with renew = true). */
  accessToken?: (renew: boolean) => Promise<string>,
  /** Which addresses the SMTP server may resolve to; the connection goes to the address checked. */
  hosts?: HostGuard,
): Promise<SmtpAccepted> {
  if (!mailbox.smtp_host || !mailbox.smtp_port || !mailbox.smtp_user) {
    throw new SmtpSendError('not_sent', 'outbox.no_smtp', true, `mailbox ${mailbox.address} has no SMTP settings`);
  }
  const secret = openMailboxSecret(mailbox, secrets);
  let target: ConnectTarget | undefined;
  try {
    target = hosts ? await resolveAllowedHost(hosts, mailbox.smtp_host) : undefined;
  } catch (error) {
    const { code, message } = classifyConnectionError(error);
    throw new SmtpSendError('not_sent', code, code === 'connection.private_host', message);
  }
  const connection = new SMTPConnection({
    host: target?.address ?? mailbox.smtp_host,
    ...(target?.servername ? { servername: target.servername } : {}),
    port: mailbox.smtp_port,
    secure: mailbox.smtp_tls === 'tls',
    requireTLS: mailbox.smtp_tls === 'starttls',
    ignoreTLS: mailbox.smtp_tls === 'none',
    connectionTimeout: timeouts.connectionTimeout,
    greetingTimeout: timeouts.connectionTimeout,
    socketTimeout: timeouts.socketTimeout,
  });
  let dataStarted = false;
  const failure = (error: unknown): SmtpSendError => {
    if (error instanceof SmtpSendError) return error;
    const e = error as { responseCode?: number; code?: string; command?: string };
    const classified = classifyConnectionError(error);
    // The relay's own reply ("550 5.1.1 no such user") is what the sender needs to fix the mail; the
    // relay is the mailbox's SMTP server, which the host guard checked before connecting.
    const detail = classified.serverText || classified.message;
    const answered = typeof e.responseCode === 'number' && e.responseCode >= 400;
    if (dataStarted && !answered) return new SmtpSendError('unknown', 'outbox.outcome_unknown', false, detail);
    if (dataStarted) {
      return new SmtpSendError('not_sent', 'outbox.message_refused', (e.responseCode ?? 0) >= 500, detail);
    }
    const permanent = (typeof e.responseCode === 'number' && e.responseCode >= 500) || classified.code === 'connection.auth_failed';
    const code =
      e.code === 'EENVELOPE' && typeof e.responseCode === 'number' && e.responseCode >= 500 ? 'outbox.recipients_refused' : classified.code;
    return new SmtpSendError('not_sent', code, permanent, detail);
  };
  // nodemailer reports connection-level failures (refused, timeouts, dropped sockets) as 'error'
  // events, not through the step's callback: every step races them.
  let failEvent: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_resolve, reject) => {
    failEvent = reject;
  });
  failed.catch(() => {});
  connection.on('error', (error) => failEvent(error));
  const step = <T>(run: (done: (err: unknown, value?: T) => void) => void) =>
    Promise.race([failed, new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))))]);
  try {
    await step<void>((done) => connection.connect(() => done(null)));
    const auth =
      mailbox.auth_method === 'xoauth2'
        ? {
            type: 'OAuth2' as const,
            user: mailbox.smtp_user,
            method: 'XOAUTH2',
            oauth2: {
              getToken: (renew: boolean, cb: (err: Error | null, token?: string) => void) => {
                if (!accessToken) return cb(null, secret.accessToken ?? '');
                accessToken(renew).then(
                  (token) => cb(null, token),
                  (error: Error) => cb(error),
                );
              },
              buildXOAuth2Token: (token: string) =>
                Buffer.from(`user=${mailbox.smtp_user}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64'),
            },
          }
        : { user: mailbox.smtp_user, pass: secret.password ?? '' };
    await step<void>((done) => connection.login(auth as Parameters<SMTPConnection['login']>[0], (err) => done(err ?? null)));
    const body = new Readable({
      read() {
        // nodemailer reads the message only once the server has said 354 to DATA.
        dataStarted = true;
        this.push(raw);
        this.push(null);
      },
    });
    const info = await step<SMTPConnection.SentMessageInfo>((done) => connection.send(envelope, body, (err, result) => done(err, result)));
    return { response: String(info.response ?? ''), rejected: (info.rejected ?? []).map(String) };
  } catch (error) {
    throw failure(error);
  } finally {
    try {
      connection.quit();
    } catch {
      connection.close();
    }
  }
}
