import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/ids.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/**
 * Settings → mailboxes counts each mailbox's open conversations up to a cap, as the sidebar does
 * (decision record 0014): an exact grouped count walked every open conversation on every page load.
 */
describe.each(engines)('open counts in the mailbox list on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, engine === 'postgres' ? { PIER_ROLE: 'web' } : {});
    await createAccount(pier.workspace.db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('counts exactly below the cap and stops at it', async () => {
    const { db } = pier.workspace;
    const sales = await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const info = await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' });
    const add = async (mailboxId: string, n: number, status: 'open' | 'closed') => {
      const ids = Array.from({ length: n }, () => newId());
      const now = Date.now();
      await db
        .insertInto('conversations')
        .values(
          ids.map((id, i) => ({
            id,
            subject: `Conversation ${i}`,
            status,
            assignee_id: null,
            priority: 'normal' as const,
            last_message_at: now - i,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await db
        .insertInto('conversation_mailboxes')
        .values(ids.map((id) => ({ conversation_id: id, mailbox_id: mailboxId })))
        .execute();
    };
    await add(sales.id, 150, 'open');
    await add(info.id, 3, 'open');
    await add(info.id, 5, 'closed');

    const boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    const res = await boss.get<{ items: { address: string; openCount: number; openCountCap: number }[] }>('/api/mailboxes');
    expect(res.status).toBe(200);
    expect(res.body.items.map((m) => [m.address, m.openCount, m.openCountCap])).toEqual([
      ['info@acme.test', 3, 100],
      ['sales@acme.test', 100, 100],
    ]);
    const detail = await boss.get<{ openCount: number; openCountCap: number }>(`/api/mailboxes/${sales.id}`);
    expect([detail.body.openCount, detail.body.openCountCap]).toEqual([100, 100]);
  });
});
