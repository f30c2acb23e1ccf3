import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { assessPendingMessages, clearFraudFlag, fraudMailFromRaw, loadFraudHistory } from '../../src/modules/fraud/index.js';
import { markPartyTrusted, revokeTrustedParty } from '../../src/modules/fraud/trusted-parties.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const DAY = 24 * 3600_000;
const START = Date.UTC(2026, 0, 5, 9);
let serial = 0;

function mail(from: string, to: string, options: { subject?: string; date?: number } = {}): Buffer {
  serial++;
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${to}`,
      `Subject: ${options.subject ?? `Order status ${serial}`}`,
      `Message-ID: <trust-${serial}@test>`,
      `Date: ${new Date(options.date ?? START).toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, could you tell us when the lamps ship? Thanks.',
      '',
    ].join('\r\n'),
  );
}

/**
 * Trust is read per party (decision 0065): only the companies and addresses a mail is judged
 * with, from their contacts' mail. These are the ways evidence changes after the fact: a flag
 * cleared later, a mark revoked, the team's own Sent folder imported, and the mail being judged,
 * which never counts for itself.
 */
describe.each(engines)('trust of the parties a mail is judged with on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales = '';
  let adminId = '';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@hengda-lighting.com', displayName: 'Sales', purpose: 'sales' })).id;
    adminId = (await createAccount(ws.db, { email: 'boss@hengda-lighting.com', name: 'Boss', password, role: 'admin' })).id;
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  const deps = () => ({
    ...ws,
    ctx: {
      engine: ws.engine,
      ownAddresses: new Set(['sales@hengda-lighting.com']),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    },
  });
  const receive = async (raw: Buffer, receivedAt: number) => {
    const stored = await ingestMail(deps(), { raw, mailboxIds: [sales], source: 'smtp', receivedAt });
    await assessPendingMessages(ws);
    return stored;
  };
  const judged = async (raw: Buffer, messageId?: string) =>
    loadFraudHistory(ws.db, await fraudMailFromRaw(raw), messageId ? { messageId } : {});
  const levelOf = async (messageId: string) =>
    (await ws.db.selectFrom('fraud_assessments').select('level').where('message_id', '=', messageId).executeTakeFirstOrThrow()).level;

  it('counts a flagged mail once a person clears it, and keeps counting it after the mark is revoked', async () => {
    // Claims our own address in its display name: flagged (warn), so it is no evidence yet.
    const first = mail('"sales@hengda-lighting.com" <ops@steady-freight.com>', 'sales@hengda-lighting.com', { date: START });
    const a = await receive(first, START);
    expect(await levelOf(a.messageId)).not.toBe('none');
    await receive(mail('Ops <ops@steady-freight.com>', 'sales@hengda-lighting.com'), START + 7 * DAY);
    await receive(mail('Ops <ops@steady-freight.com>', 'sales@hengda-lighting.com'), START + 15 * DAY);
    const next = mail('Ops <ops@steady-freight.com>', 'sales@hengda-lighting.com');
    // Two clean mails only: not known yet.
    expect((await judged(next)).senderTrusted).toBe(false);

    await clearFraudFlag(ws, { conversationId: a.conversationId, messageId: a.messageId, userId: adminId, reason: 'called them' });
    const vouched = await judged(next);
    expect(vouched).toMatchObject({ senderTrusted: true, establishedDomains: ['steady-freight.com'] });

    // The mark the clearing gave goes; the cleared mail stays clean: three over fifteen days.
    const mark = await ws.db
      .selectFrom('fraud_trusted_parties')
      .where('value', '=', 'steady-freight.com')
      .select('id')
      .executeTakeFirstOrThrow();
    await revokeTrustedParty(ws, { userId: adminId }, { id: mark.id, reason: 'mark was too broad' });
    const known = await judged(next);
    expect(known.senderTrusted).toBe(true);
    expect(known.knownDomains).toContain('steady-freight.com');
    expect(known.establishedDomains).toEqual([]);
  });

  it('forgets an admin mark once it is revoked', async () => {
    const raw = mail('Chen <chen@new-buyer.cn>', 'sales@hengda-lighting.com');
    expect((await judged(raw)).senderTrusted).toBe(false);
    const { id } = await markPartyTrusted(ws, { userId: adminId }, { kind: 'domain', value: 'new-buyer.cn', reason: 'met at the fair' });
    expect(await judged(raw)).toMatchObject({ senderTrusted: true, knownDomains: ['new-buyer.cn'], establishedDomains: ['new-buyer.cn'] });
    await revokeTrustedParty(ws, { userId: adminId }, { id, reason: 'wrong company' });
    expect(await judged(raw)).toMatchObject({ senderTrusted: false, knownDomains: [], establishedDomains: [] });
  });

  it('trusts a party the team wrote to from its Sent folder, a free-mail address one at a time', async () => {
    for (const to of ['Li Wei <buyer@far-east-imports.com>', 'li.wei.trade@gmail.com']) {
      const stored = await ingestMail(deps(), {
        raw: mail('Sales <sales@hengda-lighting.com>', to, { date: START + 20 * DAY }),
        mailboxIds: [sales],
        source: 'import',
      });
      expect(await ws.db.selectFrom('messages').select('direction').where('id', '=', stored.messageId).executeTakeFirst()).toEqual({
        direction: 'out',
      });
    }
    // A colleague at the same company is known; on free mail only the one address is.
    expect((await judged(mail('Zhang <zhang@far-east-imports.com>', 'sales@hengda-lighting.com'))).senderTrusted).toBe(true);
    expect((await judged(mail('Li Wei <li.wei.trade@gmail.com>', 'sales@hengda-lighting.com'))).senderTrusted).toBe(true);
    expect((await judged(mail('Li Wei <li.wei.other@gmail.com>', 'sales@hengda-lighting.com'))).senderTrusted).toBe(false);
    // Its look-alike is judged against it: the candidate is found among the companies.
    const lookalike = await judged(mail('Zhang <zhang@far-east-imp0rts.com>', 'sales@hengda-lighting.com'));
    expect(lookalike.senderTrusted).toBe(false);
    expect(lookalike.knownDomains).toEqual(['far-east-imports.com']);
  });

  it('finds a known contact whose name is Cyrillic when a stranger takes that name (SQLite lower() folds only A–Z)', async () => {
    await ingestMail(deps(), {
      raw: mail('Sales <sales@hengda-lighting.com>', 'Иван Петров <ivan@rus-lamps.ru>', { date: START + 30 * DAY }),
      mailboxIds: [sales],
      source: 'import',
    });
    const impostor = await judged(mail('Иван Петров <ivan.petrov.lamps@gmail.com>', 'sales@hengda-lighting.com'));
    expect(impostor.contactsNamedLikeSender).toEqual([{ name: 'Иван Петров', address: 'ivan@rus-lamps.ru' }]);
  });

  it('never lets the mail being judged count for itself', async () => {
    const at = START + 30 * DAY;
    await receive(mail('Mei <mei@quiet-supplier.com>', 'sales@hengda-lighting.com'), at);
    await receive(mail('Mei <mei@quiet-supplier.com>', 'sales@hengda-lighting.com'), at + 10 * DAY);
    const third = mail('Mei <mei@quiet-supplier.com>', 'sales@hengda-lighting.com');
    const stored = await receive(third, at + 20 * DAY);
    expect(await levelOf(stored.messageId)).toBe('none');
    // Three clean mails over twenty days: known to any other mail, but not to the third itself.
    expect((await judged(mail('Mei <mei@quiet-supplier.com>', 'sales@hengda-lighting.com'))).senderTrusted).toBe(true);
    expect((await judged(third, stored.messageId)).senderTrusted).toBe(false);
  });
});
