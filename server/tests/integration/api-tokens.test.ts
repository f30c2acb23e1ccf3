import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';

/**
 * API tokens (issue 19, decision 0049) through the CLI contract and the HTTP API: the token acts
 * as its user, scoped, never beyond the user's mailboxes, without CSRF, audited, revocable.
 */
describe.each(engines)('API tokens on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const ids: Record<string, string> = {};
  const secret = `HIDDEN-${Math.random().toString(36).slice(2)}`;

  async function bearer(token: string, method: string, url: string, json?: unknown) {
    const response = await fetch(new URL(url, pier.url), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }
  async function tokenFor(email: string, scope: string, name = `${scope} token`) {
    const { stdout } = await runCli(database, ['token', 'create', '--email', email, '--name', name, '--scope', scope]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0] ?? '') as { token: string; id: string };
    expect(Object.keys(created).sort()).toEqual(['id', 'token']);
    return created;
  }
  async function store(subject: string, mailboxId: string) {
    const { db, blobs, engine: searchEngine, messageIds, recordReopened, teamActivity } = pier.workspace;
    const raw = [
      `Message-ID: <${Math.random().toString(36).slice(2)}@customer.test>`,
      'From: Buyer <buyer@customer.test>',
      'To: sales@acme.test',
      `Subject: ${subject}`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      subject,
      '',
    ].join('\r\n');
    const stored = await ingestMail(
      { db, blobs, ctx: { engine: searchEngine, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity } },
      { raw: Buffer.from(raw), mailboxIds: [mailboxId], source: 'import' },
    );
    return stored.conversationId;
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    ids.admin = (await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password: TEST_PASSWORD, role: 'admin' })).id;
    ids.agent = (await createAccount(db, { email: 'agent@acme.test', name: 'Agent', password: TEST_PASSWORD, role: 'agent' })).id;
    ids.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    ids.finance = (await createMailbox(db, { address: 'finance@acme.test', displayName: 'Finance', purpose: 'sales' })).id;
    await grantMailboxAccess(db, ids.agent, ids.sales, 'reply');
    ids.salesConversation = await store('RFQ for valves', ids.sales);
    ids.financeConversation = await store(`Payment ${secret}`, ids.finance);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('a read token reads what its user reads, and nothing it may not', async () => {
    const { token } = await tokenFor('agent@acme.test', 'read');
    const list = await bearer(token, 'GET', `/api/conversations?mailboxId=${ids.sales}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(ids.salesConversation);
    const other = await bearer(token, 'GET', `/api/conversations?mailboxId=${ids.finance}`);
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(secret);
    const detail = await bearer(token, 'GET', `/api/conversations/${ids.financeConversation}`);
    expect(detail.status).toBe(404);
    expect(detail.text).not.toContain(secret);
    const search = await bearer(token, 'GET', `/api/conversations?q=${secret}`);
    expect(search.text).not.toContain(ids.financeConversation);
    expect(search.text).not.toContain(secret);
  });

  it('a read token may not change anything: 403 auth.token_scope, before any CSRF question', async () => {
    const { token } = await tokenFor('agent@acme.test', 'read');
    const note = await bearer(token, 'POST', `/api/conversations/${ids.salesConversation}/notes`, { body: 'from a read token' });
    expect(note.status).toBe(403);
    expect(note.json?.error).toMatchObject({ code: 'auth.token_scope' });
  });

  it('a write token changes what its user may, with no CSRF header, and the audit names the token', async () => {
    const { token, id } = await tokenFor('agent@acme.test', 'write');
    const assigned = await bearer(token, 'POST', `/api/conversations/${ids.salesConversation}/assign`, { assigneeId: ids.agent });
    expect(assigned.status).toBe(200);
    // Administration needs the admin scope, even for an admin's token.
    const adminWrite = await tokenFor('admin@acme.test', 'write');
    const team = await bearer(adminWrite.token, 'POST', '/api/teams', { name: 'Export desk' });
    expect(team.status).toBe(403);
    expect(team.json?.error).toMatchObject({ code: 'auth.token_scope' });
    const adminToken = await tokenFor('admin@acme.test', 'admin');
    expect((await bearer(adminToken.token, 'POST', '/api/teams', { name: 'Export desk' })).status).toBe(201);
    // The agent's admin-scope token is still only the agent.
    const agentAdmin = await tokenFor('agent@acme.test', 'admin');
    const refused = await bearer(agentAdmin.token, 'POST', '/api/teams', { name: 'Agent team' });
    expect(refused.status).toBe(403);
    expect(refused.json?.error).toMatchObject({ code: 'auth.forbidden' });
    const audit = await pier.workspace.db.selectFrom('audit_log').select(['action', 'details']).execute();
    expect(audit.filter((r) => r.action === 'api_token.created' && r.details.includes(`"scope":"write"`)).length).toBe(2);
    // The team made with the admin token is recorded with the token's id.
    expect(audit.find((r) => r.action === 'team.created')?.details).toContain(`"tokenId":"${adminToken.id}"`);
    expect(id).toBeTruthy();
  }, 120_000);

  it('keeps tokens out of sign-in, second factor, sessions, tokens and user management', async () => {
    const { token } = await tokenFor('admin@acme.test', 'admin');
    const attempts: [string, string, unknown?][] = [
      ['GET', '/api/me/two-factor'],
      ['DELETE', '/api/me/two-factor'],
      ['GET', '/api/me/sessions'],
      ['POST', '/api/auth/step-up', { password: TEST_PASSWORD }],
      ['POST', '/api/tokens', { name: 'more', scope: 'admin' }],
      ['GET', '/api/tokens'],
      ['POST', '/api/users/invitations', { email: 'new@acme.test', name: 'New', role: 'admin' }],
      ['PATCH', `/api/users/${ids.agent}/role`, { role: 'admin' }],
      ['PUT', '/api/security/public-url', { url: 'https://evil.test' }],
    ];
    for (const [method, url, body] of attempts) {
      const answer = await bearer(token, method, url, body);
      expect(`${method} ${url} ${answer.status} ${(answer.json?.error as { code?: string } | undefined)?.code}`).toBe(
        `${method} ${url} 403 auth.token_not_allowed`,
      );
    }
    expect(
      (
        await pier.workspace.db
          .selectFrom('users')
          .select('role')
          .where('id', '=', ids.agent ?? '')
          .executeTakeFirstOrThrow()
      ).role,
    ).toBe('agent');
  }, 120_000);

  it('lists tokens without their secret, with the last use, and a revoked token stops at once', async () => {
    const { token, id } = await tokenFor('agent@acme.test', 'read', 'ERP sync');
    expect((await bearer(token, 'GET', '/api/session')).status).toBe(200);
    const listed = await runCli(database, ['token', 'list']);
    expect(listed.stdout).not.toContain(token);
    const row = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; name: string; lastUsedAt: number | null; revokedAt: number | null })
      .find((r) => r.id === id);
    expect(row).toMatchObject({ name: 'ERP sync', revokedAt: null });
    expect(row?.lastUsedAt).toBeTypeOf('number');
    const stored = await pier.workspace.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token.slice(5));
    await runCli(database, ['token', 'revoke', id]);
    const after = await bearer(token, 'GET', '/api/session');
    expect(after.status).toBe(401);
    expect((await bearer('pier_not-a-real-token', 'GET', '/api/session')).status).toBe(401);
  }, 120_000);

  it('makes, lists and revokes a token through the web API (step-up fresh after sign-in), shown once', async () => {
    const web = pier.api();
    expect((await web.post('/api/auth/login', { email: 'agent@acme.test', password: TEST_PASSWORD })).status).toBe(200);
    const made = await web.post<{ token: string; id: string }>('/api/tokens', { name: 'Zapier', scope: 'write' });
    expect(made.status).toBe(201);
    const list = await web.get<{ tokens: { id: string; name: string }[] }>('/api/tokens');
    expect(list.body.tokens.map((t) => t.name)).toContain('Zapier');
    expect(JSON.stringify(list.body)).not.toContain(made.body.token);
    // The agent sees only their own tokens (the admin's are not listed).
    expect(list.body.tokens.every((t) => JSON.stringify(t).includes('agent@acme.test'))).toBe(true);
    expect((await web.request('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(204);
    expect((await bearer(made.body.token, 'GET', '/api/session')).status).toBe(401);
    // A session still needs the CSRF header on a change.
    const noCsrf = await web.post('/api/tokens', { name: 'x', scope: 'read' }, { csrf: false });
    expect(noCsrf.status).toBe(403);
  });

  it('serves the OpenAPI 3.1 document from the zod contracts and a reference page', async () => {
    const doc = (await (await fetch(new URL('/api/openapi.json', pier.url))).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-pier-token-scope': string | null; responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/conversations']?.get?.['x-pier-token-scope']).toBe('read');
    expect(doc.paths['/api/conversations/{id}/notes']?.post?.['x-pier-token-scope']).toBe('write');
    expect(doc.paths['/api/teams']?.post?.['x-pier-token-scope']).toBe('admin');
    expect(doc.paths['/api/tokens']?.post?.['x-pier-token-scope']).toBeNull();
    // A response schema is the contract's, as JSON Schema (ApiTokenListSchema has `tokens`).
    expect(JSON.stringify(doc.paths['/api/tokens']?.get?.responses)).toContain('"tokens"');
    const page = await fetch(new URL('/api/docs', pier.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/conversations/{id}');
    expect(html).toContain('pier-signature');
  });
});
