// The signature's logo reaches the customer inside the mail: Postfix submission, then Dovecot IMAP.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueSend, runSendJob } from '../../src/modules/outbox/index.js';
import { saveSignatureSettings } from '../../src/modules/outbox/settings.js';
import { saveSignatureLogo } from '../../src/modules/outbox/signature-logo.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makePng } from '../support/images.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { createAgent, waitForMail } from '../support/outbox.js';
import { addTestImapMailbox, openTestWorkspace, quietLogger } from '../support/workspace.js';

const customer = 'buyer@customer.test';

describe.each(engines)('signature logo in sent mail on %s', (engine) => {
  let database: TestDatabase;
  let ws: Awaited<ReturnType<typeof openTestWorkspace>>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    await emptyMailboxes(customer);
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('carries the logo as an inline part whose Content-ID the HTML names, and a plain text without a dangling separator', async () => {
    const sales = await addTestImapMailbox(ws, 'sales@acme.test');
    const { user, actor } = await createAgent(ws, sales, `logo.${engine}@acme.test`, 'Li Wei');
    const png = makePng(300, 90, { rgb: [0xd9, 0x2d, 0x20] });
    await saveSignatureLogo(ws.db, ws.blobs, { mailboxId: sales.id, userId: user.id, ip: null, bytes: png });
    await saveSignatureSettings(ws.db, {
      mailboxId: sales.id,
      signatureHtml: '<p>--<br><strong>{{agent.name}}</strong><br>{{company.logo}} | {{company.name}}</p>',
      companyName: 'Acme Tools Co., Ltd.',
      website: '',
      phone: '',
      sentCopy: 'never',
    });
    const subject = `Logo ${engine} ${Date.now().toString(36)}`;
    const deps = { ...ws, clock: ws.clock };
    const item = await queueSend(deps, actor, {
      mailboxId: sales.id,
      mode: 'new',
      to: [customer],
      cc: [],
      bcc: [],
      subject,
      html: '<p>Dear Maria, our catalogue follows.</p>',
      uploadIds: [],
      force: false,
    });
    await ws.db
      .updateTable('outbox_messages')
      .set({ send_after: Date.now() - 1 })
      .where('id', '=', item.id)
      .execute();
    await runSendJob({ db: ws.db, blobs: ws.blobs, secrets: ws.secrets, logger: quietLogger, clock: ws.clock }, item.id);

    const [received] = await waitForMail(customer, 'INBOX', subject);
    const raw = received?.raw.toString('latin1') ?? '';
    expect(raw).toMatch(/Content-Type: multipart\/related/i);
    const logo = received?.parsed.attachments.find((a) => a.related);
    expect(logo?.contentType).toBe('image/png');
    expect(logo?.contentDisposition).toBe('inline');
    expect(Buffer.compare(logo?.content ?? Buffer.alloc(0), png)).toBe(0);
    const cid = logo?.cid ?? '';
    expect(cid).toMatch(/^signature-logo\.[0-9a-f]{16}@acme\.test$/);
    expect(raw).toContain(`Content-ID: <${cid}>`);
    // As the recipient's client reads it: the HTML names the part (mailparser would inline it as data: by default).
    const html = (await simpleParser(received?.raw ?? Buffer.alloc(0), { keepCidLinks: true })).html;
    expect(html).toContain(`src="cid:${cid}" alt="Acme Tools Co., Ltd." width="200" height="60"> | Acme Tools Co., Ltd.`);
    // The plain text has no picture, so no separator before the company's name either.
    const text = received?.parsed.text ?? '';
    expect(text).toContain('Li Wei\nAcme Tools Co., Ltd.');
    expect(text).not.toContain('|');
  });
});
