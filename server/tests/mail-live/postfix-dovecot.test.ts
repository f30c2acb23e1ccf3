// Live test against the real Postfix + Dovecot of the test bench (scripts/test-env/test-env.sh).
// The test runner exports the PIER_TEST_* variables from the bench's env file:
//   bash scripts/test-env/test-env.sh start        # last line: env: <path>
//   set -a; source <path>; npx vitest run server/tests/mail-live/postfix-dovecot.test.ts
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

interface MailBench {
  host: string;
  smtpPort: number;
  imapPort: number;
  password: string;
}

function readBench(): MailBench {
  const env = process.env;
  if (!env.PIER_TEST_IMAP_PORT) {
    throw new Error(
      'PIER_TEST_IMAP_PORT is not set: the live mail tests need the test bench. Run ' +
        '`bash scripts/test-env/test-env.sh start`, then `set -a; source <the env file it prints>` before vitest.',
    );
  }
  const port = (name: string): number => {
    const n = Number(env[name]);
    if (!Number.isInteger(n) || n <= 0) {
      throw new Error(`${name} must be a port number, got ${JSON.stringify(env[name])}`);
    }
    return n;
  };
  return {
    host: env.PIER_TEST_MAIL_HOST || '127.0.0.1',
    smtpPort: port('PIER_TEST_SMTP_PORT'),
    imapPort: port('PIER_TEST_IMAP_PORT'),
    password: env.PIER_TEST_MAIL_PASSWORD || 'secret',
  };
}

/** Polls the mailbox until a message whose subject contains `token` arrives; returns its raw source. */
async function waitForMessageSource(bench: MailBench, user: string, token: string, timeoutMs: number): Promise<Buffer> {
  const client = new ImapFlow({
    host: bench.host,
    port: bench.imapPort,
    secure: false,
    auth: { user, pass: bench.password },
    logger: false,
  });
  await client.connect();
  try {
    await client.mailboxOpen('INBOX');
    return await waitFor(
      async () => {
        await client.noop(); // lets Dovecot report mail that arrived since the last command
        const uids = await client.search({ subject: token }, { uid: true });
        const uid = uids ? uids[uids.length - 1] : undefined;
        if (uid === undefined) return undefined;
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        const source = msg ? msg.source : undefined;
        if (!source) throw new Error(`message uid ${uid} matched but FETCH returned no source`);
        return source;
      },
      `a message with subject containing ${token} in ${user} INBOX`,
      timeoutMs,
    );
  } finally {
    await client.logout().catch(() => client.close());
  }
}

describe('Postfix + Dovecot test bench', () => {
  let bench: MailBench;

  beforeAll(() => {
    bench = readBench();
  });

  it('a mail sent through Postfix to sales@acme.test can be read back over IMAP', async () => {
    const token = `rfq-${randomBytes(6).toString('hex')}`;
    const subject = `询价 RFQ ${token}`;
    const body = `您好，请报价 500 件钨钢刀，FOB 宁波。\nDear sales, please quote 500 pcs of tungsten steel cutters.\nref ${token}\n`;

    const transport = nodemailer.createTransport({
      host: bench.host,
      port: bench.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    const info = await transport.sendMail({
      from: 'Buyer <buyer@customer.test>',
      to: 'sales@acme.test',
      subject,
      text: body,
    });
    transport.close();
    expect(info.accepted).toEqual(['sales@acme.test']);

    const source = await waitForMessageSource(bench, 'sales@acme.test', token, 10_000);
    const parsed = await simpleParser(source);

    expect(parsed.subject).toBe(subject);
    expect(parsed.text?.trim()).toBe(body.trim());
    expect(parsed.from?.value[0]?.address).toBe('buyer@customer.test');
    expect(parsed.messageId).toBe(info.messageId);
    // Delivered by Postfix over LMTP into Dovecot, not appended: Dovecot's LMTP adds Delivered-To.
    expect(source.toString('utf8')).toMatch(/^Delivered-To: sales@acme\.test\r?$/m);
  }, 20_000);
});
