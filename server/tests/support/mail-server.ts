import { ImapFlow } from 'imapflow';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { testEnv } from './env.js';

/** Helpers for the test Dovecot + Postfix started by scripts/test-env (users' password: PIER_TEST_MAIL_PASSWORD). */
export const mailServer = {
  host: '127.0.0.1',
  get imapPort() {
    return Number(testEnv('PIER_TEST_IMAP_PORT'));
  },
  get smtpPort() {
    return Number(testEnv('PIER_TEST_SMTP_PORT'));
  },
  get submissionPort() {
    return Number(testEnv('PIER_TEST_SUBMISSION_PORT'));
  },
  get password() {
    return testEnv('PIER_TEST_MAIL_PASSWORD');
  },
};

export async function withImap<T>(user: string, run: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: mailServer.host,
    port: mailServer.imapPort,
    secure: false,
    auth: { user, pass: mailServer.password },
    logger: false,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Empties INBOX, Sent and Junk of a test user, so a test starts from a known state. */
export async function emptyMailboxes(user: string): Promise<void> {
  await withImap(user, async (client) => {
    for (const path of ['INBOX', 'Sent', 'Junk']) {
      const lock = await client.getMailboxLock(path);
      try {
        const exists = client.mailbox ? client.mailbox.exists : 0;
        if (exists > 0) await client.messageDelete('1:*');
      } finally {
        lock.release();
      }
    }
  });
}

export async function appendMessages(user: string, path: string, raws: (string | Buffer)[], flags: string[] = []): Promise<void> {
  await withImap(user, async (client) => {
    for (const raw of raws) await client.append(path, raw, flags);
  });
}

/** Sends through Postfix (MX role), which delivers to Dovecot over LMTP. */
export async function deliver(mail: SendMailOptions): Promise<void> {
  const transport = nodemailer.createTransport({ host: mailServer.host, port: mailServer.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** Waits until the user's folder holds `count` messages (Postfix → LMTP delivery is asynchronous). */
export async function waitForCount(user: string, path: string, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await withImap(user, (client) => client.status(path, { messages: true }));
    if (status && (status.messages ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`${user}/${path} has ${status ? status.messages : '?'} messages, expected ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let counter = 0;
/** A small, realistic RFC 5322 message with a unique Message-ID. */
export function rawMail(options: {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  date?: Date;
}): string {
  const id = options.messageId ?? `<t${Date.now()}.${++counter}.${Math.random().toString(36).slice(2)}@customer.test>`;
  return [
    `Message-ID: ${id}`,
    `From: ${options.from ?? 'Maria Gonzalez <buyer@customer.test>'}`,
    `To: ${options.to ?? 'sales@acme.test'}`,
    ...(options.cc ? [`Cc: ${options.cc}`] : []),
    `Subject: ${options.subject ?? 'RFQ LED panels'}`,
    `Date: ${(options.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`, `References: ${options.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    options.body ?? 'Dear team, please quote 500 pcs. 请报价。',
    '',
  ].join('\r\n');
}
