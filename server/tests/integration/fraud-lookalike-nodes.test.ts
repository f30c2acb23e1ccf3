import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { partiesJudgedWith } from '../../src/modules/fraud/history.js';
import { assessMail, fraudMailFromRaw, loadFraudHistory } from '../../src/modules/fraud/index.js';
import { markPartyTrusted } from '../../src/modules/fraud/trusted-parties.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { TEST_PASSWORD as password } from '../support/users.js';

let serial = 0;
const mail = (from: string) =>
  Buffer.from(
    [
      `From: ${from}`,
      'To: sales@hengda-lighting.com',
      `Subject: Order ${++serial}`,
      `Message-ID: <lookalike-nodes-${serial}@test>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, when do the lamps ship?',
      '',
    ].join('\r\n'),
  );

/**
 * The look-alike index of the companies is kept per node (decision 0065). A company that another
 * node (PostgreSQL: another pool on the same database; SQLite: another connection to the file, as
 * the CLI) adds must be in this node's next judgement, or a look-alike of it goes unflagged.
 */
describe.each(engines)('the look-alike companies across nodes on %s', (engine) => {
  let database: TestDatabase;
  let nodeA: Workspace;
  let nodeB: Workspace;
  let sales = '';
  let adminId = '';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    nodeA = await openWorkspace({ ...database, secretKey: undefined });
    nodeB = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(nodeA.db, { address: 'sales@hengda-lighting.com', displayName: 'Sales', purpose: 'sales' })).id;
    adminId = (await createAccount(nodeA.db, { email: 'boss@hengda-lighting.com', name: 'Boss', password, role: 'admin' })).id;
  });
  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
    await database?.drop();
  });

  it("sees a company added on the other node in the next mail's judgement", async () => {
    const impostor = await fraudMailFromRaw(mail('Anna <anna@acme-tradinq.de>'));
    // Node B judges first: its index is made while acme-trading.de is nobody.
    expect((await partiesJudgedWith(nodeB.db, impostor)).domains).not.toContain('acme-trading.de');
    const before = await loadFraudHistory(nodeB.db, impostor);
    expect(before.knownDomains).toEqual([]);
    expect(assessMail(impostor, before).signals.map((s) => s.code)).not.toContain('lookalike_domain');

    // Node A stores the real company's mail (the company row) and an admin vouches for it.
    await ingestMail(
      {
        ...nodeA,
        ctx: {
          engine: nodeA.engine,
          ownAddresses: new Set(['sales@hengda-lighting.com']),
          messageIds: nodeA.messageIds,
          recordReopened: nodeA.recordReopened,
          teamActivity: nodeA.teamActivity,
        },
      },
      { raw: mail('Anna <anna@acme-trading.de>'), mailboxIds: [sales], source: 'smtp' },
    );
    await markPartyTrusted(nodeA, { userId: adminId }, { kind: 'domain', value: 'acme-trading.de', reason: 'our distributor' });

    // Node B's next judgement compares with it at once: no wait, no restart.
    expect((await partiesJudgedWith(nodeB.db, impostor)).domains).toContain('acme-trading.de');
    const after = await loadFraudHistory(nodeB.db, impostor);
    expect(after.knownDomains).toEqual(['acme-trading.de']);
    const assessment = assessMail(impostor, after);
    expect(assessment.signals.map((s) => s.code)).toContain('lookalike_domain');
    expect(assessment.imitated).toEqual(['acme-trading.de']);
    // The real company's own mail is not its own look-alike.
    const real = await fraudMailFromRaw(mail('Anna <anna@acme-trading.de>'));
    expect(assessMail(real, await loadFraudHistory(nodeB.db, real)).imitated).toEqual([]);
  });
});
