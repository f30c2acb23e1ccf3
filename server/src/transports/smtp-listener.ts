import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/**
 * Pier's own SMTP listener: a forwarding or MX target. It accepts mail only for
 * addresses of configured mailboxes (550 5.1.1 for anything else, so a sender
 * knows at once) and answers 250 only after the mail is durably stored; any
 * storage failure is a 451 so the sending server keeps the mail and retries.
 */
export type SmtpListenerOptions = {
  host: string;
  port: number;
  maxMessageBytes: number;
  /** PEM certificate chain and key: STARTTLS is offered only with them (RFC 3207). */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  logger: Logger;
  /** The mailbox id receiving mail for this address, or undefined to refuse it. */
  resolveRecipient(address: string): Promise<string | undefined>;
  store(mail: {
    raw: Buffer;
    mailboxIds: string[];
    envelope: { ip: string; helo: string | undefined; mailFrom: string | undefined };
  }): Promise<{ messageId: string }>;
};

export type SmtpListener = {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): { ok: boolean; port: number | null; detail?: string };
};

type SmtpError = Error & { responseCode?: number };

function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

export function createSmtpListener(options: SmtpListenerOptions): SmtpListener {
  let listeningPort: number | null = null;
  let lastError: string | undefined;

  const server = new SMTPServer({
    name: 'pier.local',
    banner: 'Pier mail listener',
    authOptional: true,
    // An MX target: no AUTH. STARTTLS when a certificate is configured (PIER_SMTP_TLS_CERT/KEY):
    // opportunistic, as for any MX — a sender that does not ask for it still delivers in plain text.
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { secure: false, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' as const } : {}),
    size: options.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      options
        .resolveRecipient(address.address)
        .then((mailboxId) =>
          mailboxId
            ? callback()
            : callback(smtpError(550, `5.1.1 <${address.address}>: recipient address rejected: not a mailbox of this Pier workspace`)),
        )
        .catch((error: unknown) => {
          options.logger.error({ err: errorMessage(error) }, 'smtp: recipient lookup failed');
          callback(smtpError(451, '4.3.0 temporary failure looking up the recipient, try again later'));
        });
    },
    onData(stream, session, callback) {
      readAll(stream, options.maxMessageBytes)
        .then(async (raw) => {
          if (raw === undefined) {
            return callback(smtpError(552, `5.3.4 message exceeds the size limit of ${options.maxMessageBytes} bytes`));
          }
          const mailboxIds = new Set<string>();
          for (const rcpt of session.envelope.rcptTo) {
            const id = await options.resolveRecipient(rcpt.address);
            if (id) mailboxIds.add(id);
          }
          const mailFrom = session.envelope.mailFrom;
          const stored = await options.store({
            raw,
            mailboxIds: [...mailboxIds],
            envelope: { ip: session.remoteAddress, helo: session.hostNameAppearsAs, mailFrom: mailFrom ? mailFrom.address : undefined },
          });
          options.logger.info(
            { messageId: stored.messageId, bytes: raw.length, recipients: mailboxIds.size, tls: session.secure },
            'smtp: mail stored',
          );
          callback(null, `2.0.0 stored as ${stored.messageId}`);
        })
        .catch((error: unknown) => {
          options.logger.error({ err: errorMessage(error) }, 'smtp: storing mail failed');
          callback(smtpError(451, '4.3.0 temporary failure storing the message, try again later'));
        });
    },
  });
  server.on('error', (error) => {
    lastError = errorMessage(error);
    options.logger.error({ err: lastError }, 'smtp listener error');
  });

  return {
    start: () =>
      new Promise((resolve, reject) => {
        const onError = (error: Error) =>
          reject(new Error(`SMTP listener cannot listen on ${options.host}:${options.port}: ${error.message}`));
        server.server.once('error', onError);
        server.listen(options.port, options.host, () => {
          server.server.off('error', onError);
          listeningPort = (server.server.address() as AddressInfo).port;
          resolve();
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (listeningPort === null) return resolve();
        listeningPort = null;
        server.close(() => resolve());
      }),
    status: () =>
      listeningPort === null ? { ok: false, port: null, detail: lastError ?? 'not listening' } : { ok: true, port: listeningPort },
  };
}

/** Reads the DATA stream; undefined when it went over the limit (the rest is drained, not kept). */
async function readAll(stream: SMTPServerDataStream, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (stream.sizeExceeded || size > limit) return undefined;
  return Buffer.concat(chunks);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
