import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { createSmtpListener } from '../../src/transports/smtp-listener.js';
import { selfSignedCertificate } from '../support/certificates.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTxtDnsServer } from '../support/dns-server.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';
import { openTestWorkspace } from '../support/workspace.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

/** The EHLO answer of an SMTP server (its extensions), read over a plain socket. */
async function ehlo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let sent = false;
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (!sent && /^220 /m.test(text)) {
        sent = true;
        text = '';
        socket.write('EHLO client.test\r\n');
      } else if (sent && /^250 /m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

describe('STARTTLS on Pier’s SMTP listener', () => {
  it('is not offered without a certificate', async () => {
    const listener = createSmtpListener({
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 1024,
      logger: pino({ level: 'silent' }),
      resolveRecipient: async () => undefined,
      store: async () => ({ messageId: 'never' }),
    });
    await listener.start();
    try {
      const answer = await ehlo(listener.status().port as number);
      expect(answer).toMatch(/^250-/m);
      expect(answer).not.toMatch(/STARTTLS/);
    } finally {
      await listener.stop();
    }
  });
});

describe.each(engines)('STARTTLS on Pier’s SMTP listener, with SPF/DKIM/DMARC checked, on %s', (engine) => {
  const certificate = selfSignedCertificate();
  const dkim = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkimPublic = dkim.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  let dns: Awaited<ReturnType<typeof startTxtDnsServer>>;
  let database: TestDatabase;
  let pier: PierProcess;
  let ws: Workspace;

  beforeAll(async () => {
    dns = await startTxtDnsServer({
      'customer.test': ['v=spf1 ip4:127.0.0.1 -all'],
      'sel._domainkey.customer.test': [`v=DKIM1; k=rsa; p=${dkimPublic}`],
      '_dmarc.customer.test': ['v=DMARC1; p=reject'],
      // A domain that never sends from here: a mail claiming it must fail.
      'bank.test': ['v=spf1 -all'],
      '_dmarc.bank.test': ['v=DMARC1; p=reject'],
    });
    database = await createTestDatabase(engine);
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: 'sales@acme.test', name: 'ACME Sales', purpose: 'sales' }));
    pier = await startPierProcess(database, {
      PIER_SMTP_TLS_CERT: certificate.certPath,
      PIER_SMTP_TLS_KEY: certificate.keyPath,
      PIER_DNS_SERVERS: dns.server,
    });
    ws = await openTestWorkspace(database);
  });
  afterAll(async () => {
    await ws?.close();
    await pier?.stop();
    await database?.drop();
    await dns?.stop();
    rmSync(certificate.dir, { recursive: true, force: true });
  });

  /** Sends with STARTTLS required and the server's certificate verified against the self-signed one. */
  const sendOverTls = (mail: SendMailOptions, options: { dkim?: boolean } = {}) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: pier.smtpPort,
      secure: false,
      requireTLS: true,
      tls: { ca: [certificate.cert], servername: 'localhost' },
      ...(options.dkim
        ? {
            dkim: {
              domainName: 'customer.test',
              keySelector: 'sel',
              privateKey: dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
            },
          }
        : {}),
    });
    return transport.sendMail(mail).finally(() => transport.close());
  };
  const authResults = async (subject: string) => {
    const row = await ws.db.selectFrom('messages').select('auth_results').where('subject', '=', subject).executeTakeFirst();
    return row?.auth_results ? JSON.parse(row.auth_results) : undefined;
  };

  it('offers STARTTLS when PIER_SMTP_TLS_CERT and PIER_SMTP_TLS_KEY are set', async () => {
    expect(await ehlo(pier.smtpPort)).toMatch(/^250-STARTTLS/m);
  });

  it('stores a DKIM-signed mail received over STARTTLS, with SPF, DKIM and DMARC verified as pass', async () => {
    const info = await sendOverTls(
      {
        from: 'Maria Gonzalez <maria@customer.test>',
        to: 'sales@acme.test',
        subject: 'RFQ over TLS',
        text: 'Please quote 500 pcs. 请报价',
      },
      { dkim: true },
    );
    expect(info.response).toMatch(/^250 .*stored as/);
    expect(await authResults('RFQ over TLS')).toEqual({ source: 'pier', spf: 'pass', dkim: 'pass', dmarc: 'pass', arc: 'none' });
    expect(dns.queries).toEqual(
      expect.arrayContaining(['customer.test TXT', 'sel._domainkey.customer.test TXT', '_dmarc.customer.test TXT']),
    );
    // Pier logs before it answers 250, but its stdout pipe can reach this process after the SMTP reply.
    const logged = await waitFor(
      async () => /"tls":true[^\n]*smtp: mail stored/.exec(pier.output()) ?? undefined,
      'the "mail stored" log line',
    );
    expect(logged[0]).toContain('"tls":true');
  });

  it('records a forged sender as SPF and DMARC fail, also over TLS', async () => {
    await sendOverTls({
      from: 'Accounts <accounts@bank.test>',
      to: 'sales@acme.test',
      subject: 'New bank details',
      text: 'Pay to the new account.',
    });
    expect(await authResults('New bank details')).toMatchObject({ source: 'pier', spf: 'fail', dkim: 'none', dmarc: 'fail' });
  });
});
