import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { BlobWriter } from '../storage/blob-store.js';

/**
 * Pier's own SMTP listener: a forwarding or MX target. It accepts mail only for
 * addresses of configured mailboxes (550 5.1.1 for anything else, so a sender
 * knows at once) and answers 250 only after the mail is durably stored; any
 * storage failure is a 451 so the sending server keeps the mail and retries.
 *
 * Memory stays bounded (issue 14: 10 concurrent 48 MB mails took 2.1 GB): at most
 * `maxConnections` clients at once (smtp-server answers the next one 421, and a
 * sending MTA retries later); a mail larger than `spool.thresholdBytes` streams into
 * the blob store while it is received instead of piling up in memory, and large
 * mails are stored one at a time (parsing needs the whole mail in memory).
 */
export type SmtpListenerOptions = {
  host: string;
  port: number;
  maxMessageBytes: number;
  /** Concurrent clients (default 20); the next one is answered 421. */
  maxConnections?: number;
  /** Where mail above the threshold goes while it is received (the blob store); without it, mail stays in memory. */
  spool?: { thresholdBytes: number; open(): BlobWriter; read(sha256: string): Promise<Buffer> } | undefined;
  /** PEM certificate chain and key: STARTTLS is offered only with them (RFC 3207). */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  logger: Logger;
  /** The mailbox id receiving mail for this address, or undefined to refuse it. */
  resolveRecipient(address: string): Promise<string | undefined>;
  store(mail: {
    /** The mail's bytes: in memory already, or read back from the blob it was spooled to. */
    read(): Promise<Buffer>;
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
  // Large mails are stored one after another: each needs its whole size in memory to parse and check.
  let largeMailTurn: Promise<unknown> = Promise.resolve();
  const oneLargeMailAtATime = <T>(run: () => Promise<T>): Promise<T> => {
    const result = largeMailTurn.then(run);
    largeMailTurn = result.catch(() => undefined);
    return result;
  };

  const server = new SMTPServer({
    name: 'pier.local',
    banner: 'Pier mail listener',
    authOptional: true,
    // An MX target: no AUTH. STARTTLS when a certificate is configured (PIER_SMTP_TLS_CERT/KEY):
    // opportunistic, as for any MX — a sender that does not ask for it still delivers in plain text.
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { secure: false, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' as const } : {}),
    size: options.maxMessageBytes,
    maxClients: options.maxConnections ?? 20,
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
      receive(stream, options.maxMessageBytes, options.spool)
        .then(async (received) => {
          if (received === undefined) {
            return callback(smtpError(552, `5.3.4 message exceeds the size limit of ${options.maxMessageBytes} bytes`));
          }
          const mailboxIds = new Set<string>();
          for (const rcpt of session.envelope.rcptTo) {
            const id = await options.resolveRecipient(rcpt.address);
            if (id) mailboxIds.add(id);
          }
          const mailFrom = session.envelope.mailFrom;
          const store = () =>
            options.store({
              read: received.read,
              mailboxIds: [...mailboxIds],
              envelope: { ip: session.remoteAddress, helo: session.hostNameAppearsAs, mailFrom: mailFrom ? mailFrom.address : undefined },
            });
          const stored = await (received.spooled ? oneLargeMailAtATime(store) : store());
          options.logger.info(
            {
              messageId: stored.messageId,
              bytes: received.size,
              spooled: received.spooled,
              recipients: mailboxIds.size,
              tls: session.secure,
            },
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

type Received = { size: number; spooled: boolean; read(): Promise<Buffer> };

/**
 * Reads the DATA stream: in memory up to the spool threshold, then into a blob writer (the
 * for-await loop waits for each write, so a fast sender cannot outrun the disk). Undefined
 * when the mail went over the limit (the rest is drained, not kept).
 */
async function receive(stream: SMTPServerDataStream, limit: number, spool: SmtpListenerOptions['spool']): Promise<Received | undefined> {
  const threshold = spool?.thresholdBytes ?? Number.POSITIVE_INFINITY;
  let chunks: Buffer[] = [];
  let size = 0;
  let writer: BlobWriter | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        chunks = [];
        await writer?.abort();
        writer = undefined;
        continue;
      }
      if (writer) {
        await writer.write(chunk);
      } else if (spool && size > threshold) {
        writer = spool.open();
        for (const earlier of chunks) await writer.write(earlier);
        chunks = [];
        await writer.write(chunk);
      } else {
        chunks.push(chunk);
      }
    }
  } catch (error) {
    await writer?.abort();
    throw error;
  }
  if (stream.sizeExceeded || size > limit) {
    await writer?.abort();
    return undefined;
  }
  if (!writer || !spool) {
    const raw = Buffer.concat(chunks);
    return { size, spooled: false, read: async () => raw };
  }
  // Durable in the blob store before anything points at it; the rows come with the 250.
  const blob = await writer.commit();
  return { size, spooled: true, read: () => spool.read(blob.sha256) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
