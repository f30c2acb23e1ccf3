import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turnOnAutoReplyWithText } from '../../src/modules/auto-reply/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { findMail, mailDeliveredSoFar, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox } from '../support/workspace.js';

type TestPier = Awaited<ReturnType<typeof startTestPier>>;

const REPLY_TEXT =
  'Dear {{customer.name}}, thank you for writing to {{mailbox.name}}. We answer by {{expected_reply_time}}. Ref {{reference}}';
/** The jobs between a stored mail and its auto-reply: when none is left, Pier has decided on every mail it holds. */
const PIPELINE_JOBS = ['event:message.received', 'mail-facts.classify', 'event:message.classified', 'auto-reply.answer', 'outbox.send'];

/** Mail Pier holds whose subject contains the token, with what mail-facts stored. */
async function storedMail(pier: TestPier, token: string) {
  return pier.workspace.db
    .selectFrom('messages')
    .select(['id', 'direction', 'from_addr', 'subject', 'category', 'message_id_header'])
    .where('subject', 'like', `%${token}%`)
    .execute();
}

/** Waits until Pier has stored `count` incoming mails with the token, classified them, and run every job they caused. */
async function settled(pier: TestPier, token: string, count: number) {
  await waitFor(
    async () => {
      const incoming = (await storedMail(pier, token)).filter((m) => m.direction === 'in');
      if (incoming.length < count || incoming.some((m) => m.category === null)) return undefined;
      const pending = await pier.workspace.db
        .selectFrom('jobs')
        .select('id')
        .where('name', 'in', PIPELINE_JOBS)
        .where('state', '=', 'queued')
        .execute();
      return pending.length === 0 ? incoming : undefined;
    },
    `${count} classified mails "${token}" and no pending job`,
    60_000,
  );
}

async function autoReplies(pier: TestPier) {
  return pier.workspace.db
    .selectFrom('outbox_messages')
    .select(['id', 'state', 'envelope', 'conversation_id'])
    .where('automatic_kind', '=', 'auto-reply')
    .execute();
}

function dsn(token: string): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@customer.test>',
    'To: info@acme.test',
    `Subject: Undelivered Mail Returned to Sender ${token}`,
    `Message-ID: <dsn-${token}@customer.test>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your message could not be delivered to one or more recipients.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.test',
    '',
    'Final-Recipient: rfc822; nobody@customer.test',
    'Action: failed',
    'Status: 5.1.1',
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: <never-sent-${token}@acme.test>`,
    'From: info@acme.test',
    'To: nobody@customer.test',
    '',
    '--b1--',
    '',
  ].join('\r\n');
}

/**
 * Issue 15's auto-reply test over the real bench (decision 0031): two Pier installations (two
 * workspaces, each syncing its mailbox from Dovecot and sending through Postfix), both with
 * auto-replies on, write to each other; machine mail gets no answer; a customer gets exactly one
 * auto-reply per period.
 */
describe.each(engines)('auto-replies through Postfix and Dovecot on %s', (engine) => {
  const databases: TestDatabase[] = [];
  let acme: TestPier;
  let customer: TestPier;

  beforeAll(async () => {
    for (const user of ['info@acme.test', 'buyer@customer.test', 'buyer2@customer.test']) await emptyMailboxes(user);
    databases.push(await createTestDatabase(engine), await createTestDatabase(engine));
    acme = await startTestPier(databases[0] as TestDatabase);
    customer = await startTestPier(databases[1] as TestDatabase);
    const info = await addTestImapMailbox(acme.workspace, 'info@acme.test');
    const buyer = await addTestImapMailbox(customer.workspace, 'buyer@customer.test');
    await turnOnAutoReplyWithText(acme.workspace.db, { mailboxId: info.id, text: REPLY_TEXT, actorId: null, now: acme.clock.now() });
    await turnOnAutoReplyWithText(customer.workspace.db, {
      mailboxId: buyer.id,
      text: REPLY_TEXT,
      actorId: null,
      now: customer.clock.now(),
    });
    await acme.workspace.db.updateTable('mailboxes').set({ display_name: 'ACME Info' }).where('id', '=', info.id).execute();
  });
  afterAll(async () => {
    await acme?.stop();
    await customer?.stop();
    for (const database of databases) await database.drop();
  });

  it('lets two Pier mailboxes with auto-replies writing to each other exchange one auto-reply each, no more', async () => {
    const token = `Ping${Date.now().toString(36)}`;
    await deliver({
      from: 'Buyer <buyer@customer.test>',
      to: 'info@acme.test',
      subject: `Samples ${token} from the buyer`,
      text: 'Please send samples.',
    });
    await deliver({
      from: 'ACME Info <info@acme.test>',
      to: 'buyer@customer.test',
      subject: `Catalogue ${token} from ACME`,
      text: 'Our new catalogue.',
    });
    // Each side answers the other's mail once; each answer reaches the other side, which stays silent.
    const toBuyer = await waitForMail('buyer@customer.test', 'INBOX', token, 2, 60_000);
    const toInfo = await waitForMail('info@acme.test', 'INBOX', token, 2, 60_000);
    await settled(acme, token, 2);
    await settled(customer, token, 2);
    await mailDeliveredSoFar('buyer@customer.test');
    await mailDeliveredSoFar('info@acme.test');

    expect(await autoReplies(acme)).toHaveLength(1);
    expect(await autoReplies(customer)).toHaveLength(1);
    expect(await findMail('buyer@customer.test', 'INBOX', token)).toHaveLength(2);
    expect(await findMail('info@acme.test', 'INBOX', token)).toHaveLength(2);
    const acmeAnswer = toBuyer.find((m) => m.parsed.subject?.startsWith('Re:'));
    expect(acmeAnswer?.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(acmeAnswer?.parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(acmeAnswer?.parsed.text).toContain('Dear Buyer, thank you for writing to ACME Info. We answer by');
    // Each side filed the other's auto-reply as machine mail.
    const inAcme = (await storedMail(acme, token)).filter((m) => m.direction === 'in');
    expect(inAcme.map((m) => m.category).sort()).toEqual(['auto-reply', 'person']);
    expect(toInfo.filter((m) => m.parsed.headers.get('auto-submitted') === 'auto-replied')).toHaveLength(1);
  }, 150_000);

  it('answers a customer’s first mail exactly once, nothing within the period, and never a newsletter, an out-of-office reply or a bounce', async () => {
    const token = `Cust${Date.now().toString(36)}`;
    await deliver({
      from: 'Shop News <news@customer.test>',
      to: 'info@acme.test',
      subject: `December deals ${token}`,
      text: 'Our best offers.',
      headers: { 'List-Unsubscribe': '<mailto:unsubscribe@customer.test>', Precedence: 'bulk' },
    });
    await deliver({
      from: 'Li Wei <buyer2@customer.test>',
      to: 'info@acme.test',
      subject: `Automatic reply: Your offer ${token}`,
      text: 'I am out of the office until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await deliver({ envelope: { from: '', to: 'info@acme.test' }, raw: dsn(token) });
    await deliver({
      from: 'Li Wei <buyer2@customer.test>',
      to: 'info@acme.test',
      subject: `Inquiry LED panels ${token}`,
      text: 'Please quote 2000 pcs.',
    });
    await settled(acme, token, 4);
    const [answer] = await waitForMail('buyer2@customer.test', 'INBOX', token, 1, 60_000);
    expect(answer?.parsed.subject).toBe(`Re: Inquiry LED panels ${token}`);
    expect(answer?.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(answer?.parsed.headers.get('x-auto-response-suppress')).toBe('All');
    const stored = await storedMail(acme, token);
    const inquiry = stored.find((m) => m.subject === `Inquiry LED panels ${token}`);
    expect(answer?.parsed.inReplyTo).toBe(inquiry?.message_id_header);

    // The same customer again within the period: nothing.
    await deliver({
      from: 'Li Wei <buyer2@customer.test>',
      to: 'info@acme.test',
      subject: `Second question ${token}`,
      text: 'And the price for 5000?',
    });
    await settled(acme, token, 5);
    await mailDeliveredSoFar('buyer2@customer.test');
    expect(await findMail('buyer2@customer.test', 'INBOX', token)).toHaveLength(1);

    const categories = Object.fromEntries(
      (await storedMail(acme, token)).filter((m) => m.direction === 'in').map((m) => [m.subject.replace(` ${token}`, ''), m.category]),
    );
    expect(categories).toEqual({
      'December deals': 'bulk',
      'Automatic reply: Your offer': 'auto-reply',
      'Undelivered Mail Returned to Sender': 'bounce',
      'Inquiry LED panels': 'person',
      'Second question': 'person',
    });
    // Machine senders are no customers: no contact for the newsletter or the mail system.
    const contacts = await acme.workspace.db
      .selectFrom('contacts')
      .select('address')
      .where('address', 'in', ['news@customer.test', 'mailer-daemon@customer.test'])
      .execute();
    expect(contacts).toEqual([]);
    // The machine mail waits in its own view, not in Unassigned.
    const conversations = await acme.workspace.db
      .selectFrom('conversations')
      .select(['subject', 'category'])
      .where('subject', 'like', `%${token}%`)
      .execute();
    expect(
      conversations
        .filter((c) => c.category !== 'person')
        .map((c) => c.category)
        .sort(),
    ).toEqual(['auto-reply', 'bounce', 'bulk']);
  }, 150_000);
});
