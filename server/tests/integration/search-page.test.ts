import type { ConversationSummary } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { signedInClients, startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/**
 * The search box's page (decision 0067): hits are fetched one page's worth first and the rest of
 * the budget (2 × limit) only when their conversations do not fill the page; the page finds the
 * hits' conversations and every line's details (mailboxes, tags, assignee) in one statement. What
 * an agent gets back never holds a conversation of a mailbox they cannot read, however the hits
 * fall: newest in another mailbox, a thread that takes the first batch, mail arriving later.
 */
describe.each(engines)('the search page on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const box: Record<'sales' | 'accounting', string> = { sales: '', accounting: '' };
  let as: Record<'admin' | 'agent', ApiClient>;
  let agentId = '';
  const t0 = Date.UTC(2026, 0, 5, 9);

  async function deliver(
    mail: { id: string; subject: string; text: string; replyTo?: string; minutes: number },
    mailboxes: (keyof typeof box)[],
  ) {
    const { db, blobs, engine: e, messageIds, recordReopened, teamActivity } = pier.workspace;
    const ctx = { engine: e, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
    const headers = [
      'From: Buyer <buyer@customer.test>',
      `To: ${mailboxes.map((m) => `${m}@acme.test`).join(', ')}`,
      `Subject: ${mail.subject}`,
      `Message-ID: <${mail.id}@customer.test>`,
      ...(mail.replyTo ? [`In-Reply-To: <${mail.replyTo}@customer.test>`, `References: <${mail.replyTo}@customer.test>`] : []),
      'Content-Type: text/plain; charset=utf-8',
    ];
    await ingestMail(
      { db, blobs, ctx },
      {
        raw: Buffer.from(`${headers.join('\r\n')}\r\n\r\n${mail.text}\r\n`),
        mailboxIds: mailboxes.map((m) => box[m]),
        source: 'imap',
        receivedAt: t0 + mail.minutes * 60_000,
      },
    );
  }
  const search = async (client: ApiClient, query: string, limit: number) => {
    const response = await client.get<{ items: ConversationSummary[] }>(`/api/conversations?q=${encodeURIComponent(query)}&limit=${limit}`);
    expect(response.status).toBe(200);
    return { items: response.body.items, text: JSON.stringify(response.body) };
  };
  const subjects = (items: ConversationSummary[]) => items.map((c) => c.subject);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    agentId = (await createAccount(db, { email: 'agent@acme.test', name: 'Zhang', password, role: 'agent' })).id;
    for (const key of ['sales', 'accounting'] as const)
      box[key] = (await createMailbox(db, { address: `${key}@acme.test`, displayName: key, purpose: key })).id;
    await grantMailboxAccess(db, agentId, box.sales, 'reply');

    // Every mail says "zebra". A thread of three in sales@ holds the newest hits the agent may see.
    await deliver({ id: 'a1', subject: 'Thread A', text: 'zebra crossing one', minutes: 10 }, ['sales']);
    await deliver({ id: 'a2', subject: 'Re: Thread A', text: 'zebra crossing two', replyTo: 'a1', minutes: 11 }, ['sales']);
    await deliver({ id: 'a3', subject: 'Re: Thread A', text: 'zebra crossing three', replyTo: 'a2', minutes: 12 }, ['sales']);
    await deliver({ id: 'b', subject: 'Quote B', text: 'zebra pattern fabric', minutes: 5 }, ['sales']);
    await deliver({ id: 'c', subject: 'Quote C', text: 'zebra blinds', minutes: 4 }, ['sales']);
    // One mail to both mailboxes: one conversation in both queues, readable by the agent through sales@.
    await deliver({ id: 'y', subject: 'Shared Y', text: 'zebra shared order', minutes: 3 }, ['sales', 'accounting']);
    // Newest of all, accounting@ only.
    await deliver({ id: 'x', subject: 'Secret X', text: 'zebra iban-7781 confidential', minutes: 20 }, ['accounting']);

    as = await signedInClients(pier, { admin: 'boss@acme.test', agent: 'agent@acme.test' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('fills the page when one thread takes the first batch of hits', async () => {
    // limit 2: the first two hits (a3, a2) are one conversation; the second batch brings a1 and b.
    expect(subjects((await search(as.agent, 'zebra', 2)).items)).toEqual(['Thread A', 'Quote B']);
    // limit 3: a3, a2, a1 are one conversation; then b, c, y.
    expect(subjects((await search(as.agent, 'zebra', 3)).items)).toEqual(['Thread A', 'Quote B', 'Quote C']);
    expect(subjects((await search(as.agent, 'zebra', 50)).items)).toEqual(['Thread A', 'Quote B', 'Quote C', 'Shared Y']);
  });

  it('never returns a conversation of a mailbox the agent cannot read, nor anything of it', async () => {
    for (const limit of [1, 2, 3, 50]) {
      const { items, text } = await search(as.agent, 'zebra', limit);
      expect(items.length).toBe(Math.min(limit, 4));
      expect(text).not.toContain('Secret X');
      expect(text).not.toContain('iban-7781');
      for (const item of items) expect(item.mailboxIds).toContain(box.sales);
    }
    expect((await search(as.agent, 'iban-7781', 50)).items).toEqual([]);
    // The admin reads both: the accounting@ conversation is the newest hit.
    expect(subjects((await search(as.admin, 'zebra', 2)).items)).toEqual(['Secret X', 'Thread A']);
  });

  it('keeps mail arriving later in another mailbox out of the agent’s page', async () => {
    await deliver({ id: 'z', subject: 'Secret Z', text: 'zebra later-4471 wire', minutes: 30 }, ['accounting']);
    for (const limit of [1, 2, 50]) {
      const { text } = await search(as.agent, 'zebra', limit);
      expect(text).not.toContain('Secret Z');
      expect(text).not.toContain('later-4471');
    }
    expect(subjects((await search(as.agent, 'zebra', 50)).items)).toEqual(['Thread A', 'Quote B', 'Quote C', 'Shared Y']);
    expect(subjects((await search(as.admin, 'zebra', 1)).items)).toEqual(['Secret Z']);
  });

  it('shows each line’s mailboxes, tags (by name) and assignee from the one page statement', async () => {
    const [thread] = (await search(as.agent, 'crossing', 1)).items;
    expect(thread?.subject).toBe('Thread A');
    const id = thread?.id ?? '';
    expect((await as.agent.post(`/api/conversations/${id}/tags`, { add: ['urgent', 'export'] })).status).toBe(200);
    expect((await as.agent.post(`/api/conversations/${id}/assign`, { assigneeId: agentId })).status).toBe(200);
    const [line] = (await search(as.agent, 'crossing', 1)).items;
    expect(line).toMatchObject({
      id,
      mailboxIds: [box.sales],
      tags: ['export', 'urgent'],
      assignee: { id: agentId, name: 'Zhang' },
    });
    // The plain list reads the same statement.
    const list = (await as.agent.get<{ items: ConversationSummary[] }>('/api/conversations?limit=50')).body.items;
    expect(list.find((c) => c.id === id)).toEqual(line);
  });
});
