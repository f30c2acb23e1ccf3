import http from 'node:http';
import { CSRF_COOKIE, CSRF_HEADER } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { findMail, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { addTestImapMailbox } from '../support/workspace.js';

const password = 'a long enough password';
/** Dovecot users of the bench: the reset target and the invitee read their real mail there. */
const agentAddress = 'support@acme.test';
const inviteeAddress = 'buyer2@customer.test';
const copyOnlyInvitee = 'buyer@customer.test';
const RESET_SUBJECT = 'Reset your Pier password';
const INVITE_SUBJECT = 'You are invited to Pier';

/**
 * A POST with a forged Host header (fetch always sends the real one). A stand-alone CSRF pair
 * unless the caller's cookies are given; no Origin, like a script would send.
 */
function postWithHost(baseUrl: string, path: string, host: string, json: unknown, cookies = new Map<string, string>()) {
  const jar = new Map(cookies);
  if (!jar.has(CSRF_COOKIE)) jar.set(CSRF_COOKIE, 'csrf-token-for-tests');
  const body = JSON.stringify(json);
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const request = http.request(new URL(path, baseUrl), {
      method: 'POST',
      headers: {
        host,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        [CSRF_HEADER]: jar.get(CSRF_COOKIE) ?? '',
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe.each(engines)('invitation and reset links follow only the configured public address on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const user of [agentAddress, inviteeAddress, copyOnlyInvitee]) await emptyMailboxes(user);
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_SYSTEM_MAILBOX: 'info@acme.test', PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    await addTestImapMailbox(pier.workspace, 'info@acme.test');
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'super_admin' })).id;
    ids.admin = (await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' })).id;
    ids.agent = (await createAccount(db, { email: agentAddress, name: 'Zhang', password, role: 'agent' })).id;
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const tokensOf = async (userId: string) =>
    pier.workspace.db.selectFrom('account_tokens').select('id').where('user_id', '=', userId).execute();

  it('makes and mails no reset link while no public address is configured, whatever the Host header says', async () => {
    expect((await boss.get('/api/security/public-url')).body).toEqual({ publicUrl: null, source: null });
    expect((await boss.get('/api/setup')).body).toEqual({ needsSetup: false, publicUrlConfigured: false });
    const asked = await postWithHost(pier.url, '/api/auth/password-reset', 'evil.test', { email: agentAddress });
    expect(asked).toEqual({ status: 202, body: { accepted: true } });
    // The same answer as for an address without an account; no token exists that a mail could carry.
    expect(await pier.api().post('/api/auth/password-reset', { email: 'ghost@acme.test' })).toMatchObject({
      status: 202,
      body: { accepted: true },
    });
    expect(await tokensOf(ids.agent ?? '')).toEqual([]);
  });

  it('gives the admin a link to copy, built from their own address and never mailed, while no public address is configured', async () => {
    const invite = await boss.post<{ link: string }>('/api/users/invitations', { email: copyOnlyInvitee, name: 'Buyer', role: 'agent' });
    expect(invite).toMatchObject({ status: 201, body: { emailed: false, notEmailedBecause: 'no_public_url' } });
    expect(invite.body.link.startsWith(`${pier.url}/invitation#token=`)).toBe(true);
    const reset = await boss.post<{ link: string }>(`/api/users/${ids.agent}/password-reset`);
    expect(reset).toMatchObject({ status: 201, body: { emailed: false, notEmailedBecause: 'no_public_url' } });
    expect(reset.body.link.startsWith(`${pier.url}/reset-password#token=`)).toBe(true);
  });

  it('lets only a super admin set the public address, to an http(s) address, audited', async () => {
    const admin = pier.api();
    await admin.post('/api/auth/login', { email: 'admin@acme.test', password });
    expect(await admin.put('/api/security/public-url', { publicUrl: 'https://evil.test' })).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden' } },
    });
    expect(await boss.put('/api/security/public-url', { publicUrl: 'javascript:alert(1)//' })).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid', details: [{ path: '/publicUrl' }] } },
    });
    expect(await boss.put('/api/security/public-url', { publicUrl: 'https://pier.acme.test/' })).toEqual({
      status: 200,
      body: { publicUrl: 'https://pier.acme.test', source: 'workspace' },
      headers: expect.anything(),
    });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'workspace.public_url_changed')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(ids.boss);
    expect(JSON.parse(audit.details)).toMatchObject({ publicUrl: 'https://pier.acme.test', previous: null });
  });

  it('mails a reset asked with Host: evil.test a link to the configured address only, and nothing for the earlier requests', async () => {
    const asked = await postWithHost(pier.url, '/api/auth/password-reset', 'evil.test', { email: agentAddress });
    expect(asked).toEqual({ status: 202, body: { accepted: true } });
    const [mail] = await waitForMail(agentAddress, 'INBOX', RESET_SUBJECT, 1, 30_000);
    const text = mail?.parsed.text ?? '';
    expect(text).toMatch(/https:\/\/pier\.acme\.test\/reset-password#token=[\w-]{43}\n/);
    expect(mail?.raw.toString()).not.toContain('evil.test');
    expect(text).not.toContain(pier.url);
    // The one reset mail there is this one: neither the earlier self-service request nor the admin's copy-only link was mailed.
    expect(await findMail(agentAddress, 'INBOX', RESET_SUBJECT)).toHaveLength(1);
    // And the mailed token is the live one.
    const token = /#token=([\w-]+)/.exec(text)?.[1] ?? '';
    expect((await pier.api().post('/api/auth/password-reset/complete', { token, password: 'the agent’s new password' })).status).toBe(204);
  });

  it('builds an admin’s invitation from the configured address even when the request names another host, and mails it', async () => {
    const invite = await postWithHost(
      pier.url,
      '/api/users/invitations',
      'evil.test',
      { email: inviteeAddress, name: 'Buyer', role: 'agent' },
      boss.cookies,
    );
    expect(invite).toMatchObject({ status: 201, body: { emailed: true, notEmailedBecause: null } });
    const link = (invite.body as { link: string }).link;
    expect(link).toMatch(/^https:\/\/pier\.acme\.test\/invitation#token=[\w-]{43}$/);
    const mails = await waitForMail(inviteeAddress, 'INBOX', INVITE_SUBJECT, 1, 30_000);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.parsed.text).toContain(link);
    expect(mails[0]?.raw.toString()).not.toContain('evil.test');
    // Queued before this one, the copy-only invitation would have arrived by now: it was never mailed.
    expect(await findMail(copyOnlyInvitee, 'INBOX', INVITE_SUBJECT)).toEqual([]);
  });
});
