import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { findMail, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { addTestImapMailbox } from '../support/workspace.js';

const password = 'a long enough password';
const INVITE_SUBJECT = 'You are invited to Pier';
const RESET_SUBJECT = 'Reset your Pier password';
/** Dovecot users of the bench: they read the mail Pier sends them in their real inbox. */
const invitee = 'buyer2@customer.test';
const agentAddress = 'bench@acme.test';

/**
 * Issue 18: without PIER_SYSTEM_MAILBOX an admin could only copy links. Now they choose a connected
 * mailbox to send through; the mail arrives from that mailbox, marked Auto-Submitted, and is audited.
 */
describe.each(engines)('invitations and reset links through a mailbox the admin chooses on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const user of [invitee, agentAddress]) await emptyMailboxes(user);
    database = await createTestDatabase(engine);
    // No system mailbox: links can be mailed only through a mailbox chosen per invitation or reset.
    pier = await startTestPier(database, { PIER_PUBLIC_URL: 'https://pier.acme.test', PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    ids.support = (await addTestImapMailbox(pier.workspace, 'support@acme.test')).id;
    ids.info = (await addTestImapMailbox(pier.workspace, 'info@acme.test')).id;
    // Receives on Pier's SMTP listener only: it cannot send.
    ids.listenerOnly = (await createMailbox(db, { address: 'orders@acme.test', displayName: 'Orders', purpose: 'sales' })).id;
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'super_admin' })).id;
    ids.agent = (await createAccount(db, { email: agentAddress, name: 'Zhang', password, role: 'agent' })).id;
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('lists the connected mailboxes that can send, and no system mailbox', async () => {
    const senders = await boss.get('/api/users/link-senders');
    expect(senders).toMatchObject({
      status: 200,
      body: {
        items: [
          { id: ids.info, address: 'info@acme.test', displayName: 'info@acme.test' },
          { id: ids.support, address: 'support@acme.test', displayName: 'support@acme.test' },
        ],
        systemMailbox: null,
      },
    });
  });

  it('refuses a mailbox that cannot send, with a message, before inviting anyone', async () => {
    const refused = await boss.post('/api/users/invitations', {
      email: invitee,
      name: 'Buyer',
      role: 'agent',
      viaMailboxId: ids.listenerOnly,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('viaMailboxId: not an active mailbox with SMTP settings');
    const unknown = await boss.post(`/api/users/${ids.agent}/password-reset`, { viaMailboxId: 'no-such-mailbox' });
    expect(unknown.status).toBe(400);
    const users = await pier.workspace.db.selectFrom('users').select('email').where('email', '=', invitee).execute();
    expect(users).toEqual([]);
  });

  it('without a chosen mailbox and no system mailbox, gives a link to copy and says why', async () => {
    const reset = await boss.post(`/api/users/${ids.agent}/password-reset`);
    expect(reset).toMatchObject({ status: 201, body: { emailed: false, notEmailedBecause: 'no_system_mailbox', emailedVia: null } });
  });

  it('mails the invitation through the chosen mailbox: it arrives from that address, Auto-Submitted, audited', async () => {
    const invite = await boss.post<{ link: string }>('/api/users/invitations', {
      email: invitee,
      name: 'Buyer',
      role: 'agent',
      viaMailboxId: ids.support,
    });
    expect(invite).toMatchObject({ status: 201, body: { emailed: true, notEmailedBecause: null, emailedVia: 'support@acme.test' } });
    const [mail] = await waitForMail(invitee, 'INBOX', INVITE_SUBJECT, 1, 30_000);
    expect(mail?.parsed.from?.value).toEqual([{ address: 'support@acme.test', name: 'Pier' }]);
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail?.parsed.text).toContain(invite.body.link);
    expect(invite.body.link).toMatch(/^https:\/\/pier\.acme\.test\/invitation#token=[\w-]{43}$/);

    const invited = await pier.workspace.db.selectFrom('users').select('id').where('email', '=', invitee).executeTakeFirstOrThrow();
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id', 'details'])
      .where('action', '=', 'user.account_link_mailed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: ids.boss, target_id: invited.id });
    // The audit names where it went and through which mailbox; never the link (it is a secret).
    expect(audit[0]?.details).not.toContain('token');
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({
      purpose: 'invite',
      to: invitee,
      mailbox: 'support@acme.test',
      chosen: true,
    });
  });

  it('mails an admin’s reset link through another chosen mailbox', async () => {
    const reset = await boss.post<{ link: string }>(`/api/users/${ids.agent}/password-reset`, { viaMailboxId: ids.info });
    expect(reset).toMatchObject({ status: 201, body: { emailed: true, emailedVia: 'info@acme.test' } });
    const [mail] = await waitForMail(agentAddress, 'INBOX', RESET_SUBJECT, 1, 30_000);
    expect(mail?.parsed.from?.value[0]?.address).toBe('info@acme.test');
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail?.parsed.text).toContain(reset.body.link);
    // The copy-only reset before it was never mailed.
    expect(await findMail(agentAddress, 'INBOX', RESET_SUBJECT)).toHaveLength(1);
  });
});
