import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { accessTokenSource, findMailboxByAddress, openMailboxSecret, testMailboxConnection } from '../../src/modules/mailboxes/index.js';
import { sendRawMail } from '../../src/modules/outbox/index.js';
import { syncMailboxOnce } from '../../src/modules/sync/index.js';
import { addMailboxWithCli } from '../support/cli-mailbox.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { appendMessages, emptyMailboxes, rawMail } from '../support/mail-server.js';
import { type OAuthServer, startOAuthServer } from '../support/oauth-server.js';
import { openTestWorkspace, quietLogger } from '../support/workspace.js';

/**
 * XOAUTH2 against the test Dovecot, whose oauth2 passdb asks a loopback OAuth server (RFC 7662
 * introspection) whether each bearer token is active: a real login, a real expiry, a real refresh.
 */
describe('XOAUTH2 mailbox with token refresh, against Dovecot', () => {
  const address = 'sales@acme.test';
  let database: TestDatabase;
  let ws: Workspace;
  let oauth: OAuthServer;
  let grant: { refreshToken: string; accessToken: string };

  beforeAll(async () => {
    oauth = await startOAuthServer();
    database = await createTestDatabase('sqlite');
    await emptyMailboxes(address);
    grant = oauth.grant(address);
    // Added the way a script adds it: tokens and the client secret on standard input.
    await addMailboxWithCli(database, {
      address,
      name: 'ACME Sales',
      testBench: {},
      xoauth2: { ...grant, clientId: 'pier-test-client', clientSecret: 'pier-test-secret', tokenEndpoint: oauth.tokenEndpoint },
    });
    ws = await openTestWorkspace(database);
  }, 60_000);
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
    await oauth?.stop();
  });
  beforeEach(() => {
    oauth.refreshes.length = 0;
    oauth.introspections.length = 0;
  });

  const mailbox = async () => {
    const row = await findMailboxByAddress(ws.db, address);
    if (!row) throw new Error('mailbox gone');
    return row;
  };
  const sync = async () => syncMailboxOnce({ ...ws, logger: quietLogger }, await mailbox());
  const storedToken = async () => openMailboxSecret(await mailbox(), ws.secrets);

  it('syncs with the access token it was given, without refreshing it', async () => {
    await appendMessages(address, 'INBOX', [rawMail({ subject: 'first over XOAUTH2' })]);
    const report = await sync();
    expect(report).toMatchObject({ ok: true });
    expect(report.folders.find((f) => f.path === 'INBOX')).toMatchObject({ stored: 1 });
    expect(oauth.introspections).toContain(grant.accessToken);
    expect(oauth.refreshes).toEqual([]);
    // Sealed at rest: the row holds no token in clear.
    expect((await mailbox()).secret_enc).not.toContain(grant.refreshToken);
  });

  it('refreshes a token the server refuses (expired), saves the new one and goes on syncing', async () => {
    oauth.expire(grant.accessToken);
    await appendMessages(address, 'INBOX', [rawMail({ subject: 'after the token expired' })]);
    const report = await sync();
    expect(report).toMatchObject({ ok: true });
    expect(report.folders.find((f) => f.path === 'INBOX')).toMatchObject({ stored: 1 });
    expect(oauth.refreshes).toEqual([{ refreshToken: grant.refreshToken, clientId: 'pier-test-client' }]);
    const saved = await storedToken();
    expect(saved.accessToken).not.toBe(grant.accessToken);
    expect(saved.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect((await mailbox()).status_detail).toBeNull();
    // The saved token is used as is next time: no further refresh.
    oauth.refreshes.length = 0;
    expect(await sync()).toMatchObject({ ok: true });
    expect(oauth.refreshes).toEqual([]);
  });

  it('refreshes ahead of the announced expiry, before the server has to refuse the token', async () => {
    const row = await mailbox();
    const secret = openMailboxSecret(row, ws.secrets);
    const old = secret.accessToken;
    await ws.db
      .updateTable('mailboxes')
      .set({ secret_enc: ws.secrets.seal(JSON.stringify({ ...secret, accessTokenExpiresAt: Date.now() + 60_000 })) })
      .where('id', '=', row.id)
      .execute();
    expect(await sync()).toMatchObject({ ok: true });
    expect(oauth.refreshes).toHaveLength(1);
    // The old (still active) token was never offered to the server.
    expect(oauth.introspections).not.toContain(old);
    expect((await storedToken()).accessToken).not.toBe(old);
  });

  it('sends over Postfix submission with XOAUTH2 (Dovecot SASL), renewing a refused token; the connection test passes', async () => {
    const row = await mailbox();
    const before = (await storedToken()).accessToken ?? '';
    oauth.expire(before);
    const raw = Buffer.from(rawMail({ subject: 'sent with XOAUTH2', from: address, to: 'buyer@customer.test' }));
    const accepted = await sendRawMail(
      row,
      ws.secrets,
      { from: address, to: ['buyer@customer.test'] },
      raw,
      { connectionTimeout: 20_000, socketTimeout: 20_000 },
      accessTokenSource(ws.db, ws.secrets, row),
    );
    expect(accepted.response).toMatch(/^250/);
    expect(oauth.refreshes).toHaveLength(1);
    expect((await storedToken()).accessToken).not.toBe(before);
    const tested = await testMailboxConnection(await mailbox(), ws.secrets, 20_000, ws.db);
    expect(tested).toMatchObject({ ok: true, imap: { ok: true }, smtp: { ok: true } });
  });

  it('renews a token the servers refuse during "Test connection" once, and passes', async () => {
    const before = (await storedToken()).accessToken ?? '';
    oauth.expire(before);
    const tested = await testMailboxConnection(await mailbox(), ws.secrets, 20_000, ws.db);
    expect(tested).toMatchObject({ ok: true, imap: { ok: true }, smtp: { ok: true } });
    expect(oauth.refreshes).toHaveLength(1);
    expect((await storedToken()).accessToken).not.toBe(before);
  });

  it('says "reconnect this mailbox" when the provider refuses the refresh (invalid_grant), and stores nothing', async () => {
    oauth.revoke(grant.refreshToken);
    const current = (await storedToken()).accessToken ?? '';
    oauth.expire(current);
    await appendMessages(address, 'INBOX', [rawMail({ subject: 'never fetched' })]);
    const report = await sync();
    expect(report).toMatchObject({ ok: false, error: { code: 'connection.oauth_revoked' } });
    expect((await mailbox()).status_detail).toMatch(/^connection\.oauth_revoked: token refresh refused: invalid_grant/);
    const subjects = (await ws.db.selectFrom('messages').select('subject').execute()).map((m) => m.subject);
    expect(subjects).not.toContain('never fetched');
  });
});
