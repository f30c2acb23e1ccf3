import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { splitMessage } from '../../src/modules/conversations/index.js';
import { type AutomaticSendRequest, decideAutomaticSend, type LoopGuardDeps } from '../../src/modules/loop-guard/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount, createSecurityMailer } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

const headersOf = (lines: string[]) => splitMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\nhello\r\n`)).headers;
const personMail = headersOf(['From: buyer@customer.test', 'To: sales@acme.test', 'Subject: hello']);
const HOUR = 60 * 60_000;

/**
 * The loop guard on both engines, with its clock injected: the rate limits are counted in the
 * database (a new guard over the same database, as after a restart, sees the same counts), a
 * window that has passed lets mail through again, and admins hear once per rule and period.
 */
describe.each(engines)('loop guard on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let salesId = '';
  let clock = Date.UTC(2026, 11, 7, 9, 0, 0);
  let trigger = 0;
  const guard = (): LoopGuardDeps => ({ db: ws.db, mailer: createSecurityMailer(ws.secrets, 'info@acme.test'), now: () => clock });
  const request = (over: Partial<AutomaticSendRequest> = {}): AutomaticSendRequest => ({
    kind: 'forward',
    ruleId: 'rule-a',
    ruleName: 'Copy to the boss',
    mailboxId: salesId,
    correspondent: 'Buyer@Customer.test',
    recipient: 'boss@home.test',
    conversationId: null,
    triggerId: `m${++trigger}`,
    incomingHeaders: personMail,
    ...over,
  });
  const alerts = async () => ({
    inApp: await ws.db.selectFrom('notifications').select(['data']).where('kind', '=', 'automatic_send.stopped').execute(),
    mails: await ws.db.selectFrom('jobs').select('id').where('name', '=', 'security.send-mail').execute(),
  });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    salesId = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    await createAccount(ws.db, { email: 'boss@acme.test', name: 'Boss', password: 'a long enough password', role: 'super_admin' });
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('lets ten automatic mails per correspondent and hour through, refuses the eleventh, and alerts the admins once', async () => {
    const decisions = [];
    for (let i = 0; i < 12; i++) {
      decisions.push(await decideAutomaticSend(guard(), request()));
      clock += 60_000;
    }
    expect(decisions.slice(0, 10).every((d) => d.send)).toBe(true);
    expect(decisions[0]?.headers).toEqual({ 'Auto-Submitted': 'auto-forwarded', 'X-Loop': 'sales@acme.test' });
    expect(decisions.slice(10)).toEqual([
      { send: false, reason: 'correspondent_rate' },
      { send: false, reason: 'correspondent_rate' },
    ]);
    const { inApp, mails } = await alerts();
    expect(inApp).toHaveLength(1);
    expect(JSON.parse(inApp[0]?.data ?? '{}')).toMatchObject({
      reason: 'correspondent_rate',
      mailbox: 'sales@acme.test',
      target: 'boss@home.test',
      address: 'buyer@customer.test',
    });
    expect(mails).toHaveLength(1);
  });

  it('answers a repeated decision for the same incoming mail as the first time, without counting it again', async () => {
    const again = await decideAutomaticSend(guard(), request({ triggerId: 'm1' }));
    expect(again.send).toBe(true);
    const counted = await ws.db.selectFrom('automatic_sends').select('id').where('trigger_id', '=', 'm1').execute();
    expect(counted).toHaveLength(1);
  });

  it('lets the correspondent through again once the window has passed', async () => {
    clock += HOUR;
    expect(await decideAutomaticSend(guard(), request())).toMatchObject({ send: true });
  });

  it('caps one rule across correspondents and alerts again only in a new period', async () => {
    const limited = { ...guard(), limits: { perRule: 3 } };
    clock += 2 * HOUR;
    const decisions = [];
    for (const who of ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test']) {
      decisions.push(await decideAutomaticSend(limited, request({ ruleId: 'rule-b', correspondent: who })));
    }
    expect(decisions.map((d) => d.reason)).toEqual([null, null, null, 'rule_rate', 'rule_rate']);
    expect((await alerts()).inApp).toHaveLength(2);
  });

  it('never answers machine mail, and alerts when a mail names one of our mailboxes in X-Loop', async () => {
    clock += 2 * HOUR;
    const autoReply = headersOf(['From: buyer@customer.test', 'Auto-Submitted: auto-replied', 'Subject: Out of office']);
    expect(await decideAutomaticSend(guard(), request({ ruleId: 'rule-c', incomingHeaders: autoReply }))).toEqual({
      send: false,
      reason: 'auto_submitted',
    });
    // An ordinary machine mail is not news to the admins.
    expect((await alerts()).inApp).toHaveLength(2);
    const bounce = headersOf(['From: buyer@customer.test', 'Return-Path: <>']);
    expect((await decideAutomaticSend(guard(), request({ ruleId: 'rule-c', incomingHeaders: bounce }))).reason).toBe('empty_return_path');
    const postmaster = await decideAutomaticSend(guard(), request({ ruleId: 'rule-c', correspondent: 'postmaster@customer.test' }));
    expect(postmaster.reason).toBe('system_sender');
    const looped = headersOf(['From: buyer@customer.test', 'X-Loop: sales@acme.test', 'Subject: Re: hello']);
    expect((await decideAutomaticSend(guard(), request({ ruleId: 'rule-c', incomingHeaders: looped }))).reason).toBe('x_loop');
    expect((await alerts()).inApp).toHaveLength(3);
  });

  // Two worker nodes decide at once (decision 0070's serial group only orders one worker's jobs). On
  // PostgreSQL a second workspace is the second node (its own connections); SQLite is one process.
  it('lets no more than the limits through when two nodes decide at once', async () => {
    clock += 2 * HOUR;
    const other = engine === 'postgres' ? await openWorkspace({ ...database, secretKey: undefined }) : ws;
    try {
      const nodes = [guard(), { ...guard(), db: other.db }].map((deps) => ({ ...deps, limits: { perRule: 4, perCorrespondent: 3 } }));
      const race = (requests: AutomaticSendRequest[]) =>
        Promise.all(requests.map((r, i) => decideAutomaticSend(nodes[i % 2] as LoopGuardDeps, r)));
      const oneSender = await race(Array.from({ length: 12 }, () => request({ ruleId: 'rule-d', correspondent: 'busy@x.test' })));
      expect(oneSender.filter((d) => d.send)).toHaveLength(3);
      const manySenders = await race(Array.from({ length: 12 }, (_, i) => request({ ruleId: 'rule-e', correspondent: `s${i}@x.test` })));
      expect(manySenders.filter((d) => d.send)).toHaveLength(4);
      const counted = await ws.db.selectFrom('automatic_sends').select('rule_id').where('rule_id', 'in', ['rule-d', 'rule-e']).execute();
      expect(counted).toHaveLength(7);
    } finally {
      if (other !== ws) await other.close();
    }
  });
});
